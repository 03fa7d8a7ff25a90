import { dynamo } from '../adapters/clients';
import { ses } from '../adapters/ses-client';
import { stepFunctions } from '../adapters/sfn-client';
import { clockFromEnvironment } from '../adapters/clock';
import { readConfigFile } from '../adapters/config-files';
import { readEnvironment, required } from '../adapters/config';
import { dynamoComplaintRepository } from '../adapters/complaint-repository';
import { dynamoSendClaims } from '../adapters/send-claims';
import { dynamoComplaintLists } from '../adapters/complaint-lists';
import { dynamoAttemptCounter } from '../adapters/attempt-counter';
import { cursorSealFrom, sealedCursors } from '../adapters/sealed-cursors';
import { newComplaintId } from '../adapters/ids';
import { sesMailer } from '../adapters/mailer';
import { stepFunctionsWorkflowWaker } from '../adapters/workflow-client';
import { loadPolicyRegistry } from '../core/policy-config';
import type { Language } from '../core/complaint';
import { pagePaths } from '../http/pages/page-layout';
import { newReference } from '../core/reference';
import type { StaffDirectory } from '../core/staff';
import { loadCompanyProfile } from '../adapters/company-profile-file';
import type { StepPorts } from '../use-cases/workflow-steps';
import type { LetterPorts, StaffPorts } from '../use-cases/staff-actions';
import type { SubmitComplaintPorts } from '../use-cases/submit-complaint';
import { INTAKE_LIMITS, type PublicIntakePorts } from '../use-cases/file-public-complaint';
import type { UploadSlotPorts } from '../use-cases/attachments';
import type { CustomerReplyPorts } from '../use-cases/customer-reply';
import { s3AttachmentStore } from '../adapters/attachment-store';
import { noScanner } from '../adapters/attachment-scanner';
import { credentialsFromEnvironment, s3Location } from '../adapters/s3-signing';
import { randomUUID } from 'node:crypto';

// The composition root: each handler asks for the ports it needs, built once per process (at cold start)
// from the environment and the configuration files (config-files.ts), each validated on first use and failing
// naming what is missing or wrong.

function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

const shared = /* @__PURE__ */ once(() => {
  const env = readEnvironment();
  const clock = clockFromEnvironment();
  return {
    env,
    now: () => clock.now(),
    complaints: dynamoComplaintRepository(dynamo(), env.TABLE_NAME),
    sendClaims: dynamoSendClaims(dynamo(), env.TABLE_NAME),
    policies: loadPolicyRegistry(env.DEFAULT_POLICY, readConfigFile('customPolicies')),
    departments: readConfigFile('departments'),
  };
});

export const intakePorts = /* @__PURE__ */ once((): SubmitComplaintPorts => ({
  complaints: shared().complaints,
  policies: shared().policies,
  now: shared().now,
  newId: newComplaintId,
  newReference: () => newReference(),
}));

/** The public form's door: intake plus the per-client limit's counters and the attachments' bucket and scanner. */
export const publicIntakePorts = /* @__PURE__ */ once((): PublicIntakePorts => ({
  ...intakePorts(),
  attempts: dynamoAttemptCounter(dynamo(), shared().env.TABLE_NAME),
  intakeLimitPerClient: shared().env.INTAKE_LIMIT_PER_CLIENT ?? INTAKE_LIMITS.perClient,
  attachments: attachmentStore(),
  scanner: noScanner,
}));

/** The attachments bucket, signed with the function role's credentials (read from the environment when used). */
export const attachmentStore = /* @__PURE__ */ once(() => {
  const env = shared().env;
  return s3AttachmentStore(s3Location(required(env, 'ATTACHMENTS_BUCKET'), env.AWS_REGION, env.AWS_ENDPOINT_URL_S3), () =>
    credentialsFromEnvironment(),
  );
});

/** POST /complaints/attachments: upload slots, counted per client. */
export const uploadSlotPorts = /* @__PURE__ */ once((): UploadSlotPorts => ({
  store: attachmentStore(),
  attempts: dynamoAttemptCounter(dynamo(), shared().env.TABLE_NAME),
  now: shared().now,
  newId: () => randomUUID(),
}));

/** The status page reads a complaint and its history and counts attempts; it sends nothing. */
export const statusPorts = /* @__PURE__ */ once(() => ({
  complaints: shared().complaints,
  attempts: dynamoAttemptCounter(dynamo(), shared().env.TABLE_NAME),
  now: shared().now,
}));

/** The status page's reply: the lookup's ports, the attachments' checks, and the waiting workflow's callback. */
export const replyPorts = /* @__PURE__ */ once((): CustomerReplyPorts => ({
  ...statusPorts(),
  attachments: attachmentStore(),
  scanner: noScanner,
  waker: stepFunctionsWorkflowWaker(stepFunctions()),
}));

/**
 * The delivery recorder writes to the complaint and nothing else. Ports of its own rather than `stepPorts()`,
 * so that its bundle carries no SES or Step Functions client (esbuild keeps whatever a used function refers to).
 */
export const deliveryPorts = /* @__PURE__ */ once(() => ({ complaints: shared().complaints, sendClaims: shared().sendClaims }));

const mailer = /* @__PURE__ */ once(() => sesMailer(ses(), required(shared().env, 'SENDER_ADDRESS'), shared().env.SES_CONFIGURATION_SET));

export const stepPorts = /* @__PURE__ */ once((): StepPorts => ({
  complaints: shared().complaints,
  sendClaims: shared().sendClaims,
  mailer: mailer(),
  policies: shared().policies,
  departments: shared().departments,
  waker: stepFunctionsWorkflowWaker(stepFunctions()),
  now: shared().now,
  companyName: shared().env.COMPANY_NAME,
  statusPageUrl: statusPageUrl(shared().env.PUBLIC_BASE_URL),
}));

/** The status page's address for a reference, when the deployment says where its pages are. */
function statusPageUrl(base: string | undefined) {
  return base === undefined ? undefined : (reference: string, language: Language) => new URL(pagePaths.status(language, reference), base).toString();
}

/** The platform lookup step reads and records the complaint, nothing more: no SES or Step Functions client. */
export const complaintRecordPorts = /* @__PURE__ */ once(() => ({ complaints: shared().complaints, now: shared().now }));

/** The workflow's wait needs no mailer: its bundle carries no SES client. */
export const waitPorts = /* @__PURE__ */ once(() => ({
  complaints: shared().complaints,
  waker: stepFunctionsWorkflowWaker(stepFunctions()),
  now: shared().now,
}));

/** Who is who on the staff API: IAM principals (in AWS) or demo keys (locally) mapped to staff, roles and departments. */
export const staffDirectory = /* @__PURE__ */ once(() => readConfigFile('staffDirectory'));

/** The cursors the staff API hands out are sealed with the deployment's cursor key (sealed-cursors.ts). */
const cursorKeys = /* @__PURE__ */ once(() => cursorSealFrom(shared().env));

/** The staff API's reads (staff-reads.handler.ts): complaints, their history and the lists; no mailer, no workflow. */
export const staffReadPorts = /* @__PURE__ */ once(() =>
  sealedCursors({ complaints: shared().complaints, lists: dynamoComplaintLists(dynamo(), shared().env.TABLE_NAME), now: shared().now }, cursorKeys()),
);

/** The staff API's changes to complaints (staff-changes.handler.ts): the steps' ports and the company; no lists. */
export const staffPorts = /* @__PURE__ */ once((): StaffPorts => sealedCursors({ ...stepPorts(), company: loadCompanyProfile() }, cursorKeys()));

/**
 * The printed decision letter, a function of its own (decision-letter.handler.ts): only its bundle carries
 * the PDF writer and the packed font (~32 KiB minified; 1.4 MB with pdf-lib), which the staff API's every cold start would
 * otherwise compile. Required on first use, so that they are evaluated when a letter is printed.
 */
export const letterPorts = /* @__PURE__ */ once((): LetterPorts & { staff: StaffDirectory } => ({
  complaints: shared().complaints,
  companyName: shared().env.COMPANY_NAME,
  company: loadCompanyProfile(),
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load; import() would change the bundle
  printLetter: (letter) => (require('../adapters/letter-pdf') as typeof import('../adapters/letter-pdf')).printLetter(letter),
  staff: readConfigFile('staffDirectory'),
}));
