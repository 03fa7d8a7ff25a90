import { dynamo } from '../adapters/clients';
import { ses } from '../adapters/ses-client';
import { stepFunctions } from '../adapters/sfn-client';
import { clockFromEnvironment } from '../adapters/clock';
import { customPoliciesFile, departmentsFile, readConfig, staffDirectoryFile } from '../adapters/config-files';
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
import type { ComplaintRepository } from '../use-cases/ports';
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

// Each piece its own `once`, not one object of them all: esbuild keeps every property of an object a function
// uses, so a shared bag put the send claims, the policies (config/policies.json) and the department rules into
// every bundle and built them at every cold start, the decision letter's included, which reads none of them.
const environment = /* @__PURE__ */ once(() => readEnvironment());
const clock = /* @__PURE__ */ once(() => clockFromEnvironment());
const now = () => clock().now();
const complaints = /* @__PURE__ */ once(() => dynamoComplaintRepository(dynamo(), environment().TABLE_NAME));
const sendClaims = /* @__PURE__ */ once(() => dynamoSendClaims(dynamo(), environment().TABLE_NAME));
const policies = /* @__PURE__ */ once(() => loadPolicyRegistry(environment().DEFAULT_POLICY, readConfig(customPoliciesFile)));
const departments = /* @__PURE__ */ once(() => readConfig(departmentsFile));

export const intakePorts = /* @__PURE__ */ once((): SubmitComplaintPorts => ({
  complaints: complaints(),
  policies: policies(),
  now: now,
  newId: newComplaintId,
  newReference: () => newReference(),
}));

/** The webhooks' door: intake whose repository also reads a key's stored answer (receive-webhook.ts). */
export const webhookIntakePorts = /* @__PURE__ */ once(
  (): SubmitComplaintPorts & { complaints: Pick<ComplaintRepository, 'create' | 'intakeAnswer'> } => ({
    ...intakePorts(),
    complaints: complaints(),
  }),
);

/** The public form's door: intake plus the per-client limit's counters and the attachments' bucket and scanner. */
export const publicIntakePorts = /* @__PURE__ */ once((): PublicIntakePorts => ({
  ...intakePorts(),
  attempts: dynamoAttemptCounter(dynamo(), environment().TABLE_NAME),
  intakeLimitPerClient: environment().INTAKE_LIMIT_PER_CLIENT ?? INTAKE_LIMITS.perClient,
  attachments: attachmentStore(),
  scanner: noScanner,
}));

/** The attachments bucket, signed with the function role's credentials (read from the environment when used). */
export const attachmentStore = /* @__PURE__ */ once(() => {
  const env = environment();
  return s3AttachmentStore(s3Location(required(env, 'ATTACHMENTS_BUCKET'), env.AWS_REGION, env.AWS_ENDPOINT_URL_S3), () =>
    credentialsFromEnvironment(),
  );
});

/** POST /complaints/attachments: upload slots, counted per client. */
export const uploadSlotPorts = /* @__PURE__ */ once((): UploadSlotPorts => ({
  store: attachmentStore(),
  attempts: dynamoAttemptCounter(dynamo(), environment().TABLE_NAME),
  now: now,
  newId: () => randomUUID(),
}));

/** The status page reads a complaint and its history and counts attempts; it sends nothing. */
export const statusPorts = /* @__PURE__ */ once(() => ({
  complaints: complaints(),
  attempts: dynamoAttemptCounter(dynamo(), environment().TABLE_NAME),
  now: now,
}));

/** The status page's reply: the lookup's ports, the attachments' checks, and the waiting workflow's callback. */
export const replyPorts = /* @__PURE__ */ once((): CustomerReplyPorts => ({
  ...statusPorts(),
  attachments: attachmentStore(),
  scanner: noScanner,
  waker: stepFunctionsWorkflowWaker(stepFunctions()),
  newId: () => randomUUID(),
}));

/**
 * The delivery recorder writes to the complaint and nothing else. Ports of its own rather than `stepPorts()`,
 * so that its bundle carries no SES or Step Functions client (esbuild keeps whatever a used function refers to).
 */
export const deliveryPorts = /* @__PURE__ */ once(() => ({ complaints: complaints(), sendClaims: sendClaims() }));

/** A bounced answer's alert: the mailer and who to tell, made only when an answer bounces. */
export const bouncedAnswerPorts = /* @__PURE__ */ once(() => ({
  ...deliveryPorts(),
  mailer: mailer(),
  policies: policies(),
  departments: departments(),
  now: now,
  companyName: environment().COMPANY_NAME,
}));

const mailer = /* @__PURE__ */ once(() => sesMailer(ses(), required(environment(), 'SENDER_ADDRESS'), environment().SES_CONFIGURATION_SET));

/** What a change that e-mails and wakes the workflow needs, whether the workflow or staff make it. */
const changePorts = () => ({
  complaints: complaints(),
  sendClaims: sendClaims(),
  mailer: mailer(),
  policies: policies(),
  departments: departments(),
  waker: stepFunctionsWorkflowWaker(stepFunctions()),
  now: now,
  companyName: environment().COMPANY_NAME,
});

export const stepPorts = /* @__PURE__ */ once((): StepPorts => ({
  ...changePorts(),
  statusPageUrl: statusPageUrl(environment().PUBLIC_BASE_URL),
}));

/** The status page's address for a reference, when the deployment says where its pages are. */
function statusPageUrl(base: string | undefined) {
  return base === undefined ? undefined : (reference: string, language: Language) => new URL(pagePaths.status(language, reference), base).toString();
}

/** The platform lookup step reads and records the complaint, nothing more: no SES or Step Functions client. */
export const complaintRecordPorts = /* @__PURE__ */ once(() => ({ complaints: complaints(), now: now }));

/** The workflow's wait needs no mailer: its bundle carries no SES client. */
export const waitPorts = /* @__PURE__ */ once(() => ({
  complaints: complaints(),
  waker: stepFunctionsWorkflowWaker(stepFunctions()),
  now: now,
}));

/** Who is who on the staff API: IAM principals (in AWS) or demo keys (locally) mapped to staff, roles and departments. */
export const staffDirectory = /* @__PURE__ */ once(() => readConfig(staffDirectoryFile));

/** The cursors the staff API hands out are sealed with the deployment's cursor key (sealed-cursors.ts). */
const cursorKeys = /* @__PURE__ */ once(() => cursorSealFrom(environment()));

/** The staff API's reads (staff-reads.handler.ts): complaints, their history and the lists; no mailer, no workflow. */
export const staffReadPorts = /* @__PURE__ */ once(() =>
  sealedCursors({ complaints: complaints(), lists: dynamoComplaintLists(dynamo(), environment().TABLE_NAME), now: now }, cursorKeys()),
);

/** The staff API's changes to complaints (staff-changes.handler.ts): the steps' ports and the company; no lists. */
export const staffPorts = /* @__PURE__ */ once((): StaffPorts =>
  sealedCursors({ ...changePorts(), company: loadCompanyProfile(), statusPageUrl: statusPageUrl(environment().PUBLIC_BASE_URL) }, cursorKeys()),
);

/**
 * The printed decision letter, a function of its own (decision-letter.handler.ts): only its bundle carries
 * the PDF writer and the packed font (~32 KiB minified; 1.4 MB with pdf-lib), which the staff API's every cold start would
 * otherwise compile. Required on first use, so that they are evaluated when a letter is printed.
 */
export const letterPorts = /* @__PURE__ */ once((): LetterPorts & { staff: StaffDirectory } => ({
  complaints: complaints(),
  companyName: environment().COMPANY_NAME,
  company: loadCompanyProfile(),
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load; import() would change the bundle
  printLetter: (letter) => (require('../adapters/letter-pdf') as typeof import('../adapters/letter-pdf')).printLetter(letter),
  staff: readConfig(staffDirectoryFile),
}));
