import { startRuntime, type Runtime } from '../../local/runtime';
import { dynamo } from '../../lambdas/adapters/clients';
import { dynamoDbThrottling } from '../support/faults';
import type { CaseResult } from './chaos-report';
import { everyoneAcknowledged, fileConcurrently, judgeAcknowledgements, judgeIntake, orderNumberOf } from './intake-clients';
import { mailboxEmails, sleep, storedComplaints, waitFor, type ProductUrls } from './product-state';

// The product in this process, with faults to switch on and off: SES down, DynamoDB throttling in the
// workflow's steps. The workflow's Retry pauses are the ASL's own, on a product clock running 1440 times
// faster than real time (a day a minute), so an outage of minutes passes in a fraction of a second and the
// backoff schedule is the real one. The handlers' clients are made once per process: one such product per
// process.

/** A day a minute: the ASL's SES backoff (30 s doubling to 30 min, 16 attempts, ≈ 5.5 h) takes ≈ 14 s. */
const CLOCK_SPEED = 1440;

export interface FaultyProduct {
  runtime: Runtime;
  urls: ProductUrls;
  ses: { down: boolean; refused: number };
  throttling: ReturnType<typeof dynamoDbThrottling>;
  stop(): Promise<void>;
}

export async function startFaultyProduct(): Promise<FaultyProduct> {
  const ses = { down: false, refused: 0 };
  const throttling = dynamoDbThrottling({ rate: 0 });
  const runtime = await startRuntime({
    clockSpeed: CLOCK_SPEED,
    // Every chaos client files from 127.0.0.1: the public form's per-client limit would refuse them.
    intakeLimitPerClient: 100_000,
    workflow: { wrapTask: throttling.wrapTask },
    sesFault: () => {
      if (!ses.down) return undefined;
      ses.refused += 1;
      return { type: 'ServiceUnavailable', statusCode: 503 };
    },
    log: () => undefined,
  });
  throttling.install(dynamo());
  return {
    runtime,
    urls: { api: runtime.urls.api, mailbox: runtime.urls.mailbox, dynamodb: runtime.urls.dynamodb },
    ses,
    throttling,
    stop: () => runtime.stop(),
  };
}

/** Files `count` complaints at once under fresh keys; answers the outcomes and the complaints stored for them. */
async function fileMany(product: FaultyProduct, prefix: string, count: number) {
  const outcomes = await fileConcurrently(() => product.urls.api, { prefix, clients: count, perClient: 1, deadline: Date.now() + 60_000 });
  const stored = (await storedComplaints(product.urls.dynamodb)).filter((complaint) =>
    complaint.orderNumber?.startsWith(orderNumberOf(`${prefix}-`)),
  );
  return { outcomes, stored };
}

/** Waits for one acknowledgement each (and a moment for a second), then judges the mailbox and the workflows. */
async function acknowledgedOnce(product: FaultyProduct, stored: Awaited<ReturnType<typeof fileMany>>['stored'], timeoutMs: number) {
  const arrived = await waitFor(async () => everyoneAcknowledged(stored, await mailboxEmails(product.urls.mailbox)), timeoutMs, 200);
  await sleep(1_000);
  const verdict = judgeAcknowledgements(stored, await mailboxEmails(product.urls.mailbox));
  if (!arrived) verdict.failures.unshift(`not every complaint was acknowledged within ${timeoutMs / 1000} s`);
  const now = await storedComplaints(product.urls.dynamodb);
  for (const complaint of now.filter((candidate) => stored.some((own) => own.id === candidate.id) && candidate.attention)) {
    verdict.failures.push(`${complaint.reference}: the workflow gave up (${JSON.stringify(complaint.attention)})`);
  }
  for (const complaint of stored) {
    const execution = await product.runtime.stepFunctions.execution(complaint.id);
    if (execution?.status === 'FAILED') verdict.failures.push(`${complaint.reference}: its workflow failed`);
  }
  return verdict;
}

/** SES refuses every e-mail for `downForMs` while complaints come in; once it is back, each is acknowledged once. */
export async function sesOutage(product: FaultyProduct, options: { complaints: number; downForMs: number }): Promise<CaseResult> {
  const prefix = `ses-down-${Date.now().toString(36)}`;
  product.ses.down = true;
  const refusedBefore = product.ses.refused;
  let intake: Awaited<ReturnType<typeof fileMany>>;
  const failures: string[] = [];
  try {
    intake = await fileMany(product, prefix, options.complaints);
    await sleep(options.downForMs);
    if (everyoneAcknowledged(intake.stored.slice(0, 1), await mailboxEmails(product.urls.mailbox)))
      failures.push('an e-mail went out while SES was down');
  } finally {
    product.ses.down = false;
  }
  const refused = product.ses.refused - refusedBefore;
  if (refused === 0) failures.push('SES was never asked while it was down: the case tested nothing');
  const verdict = judgeIntake(intake.outcomes, intake.stored);
  const acknowledgements = await acknowledgedOnce(product, intake.stored, 30_000);
  return {
    name: `SES down ${Math.round((options.downForMs * CLOCK_SPEED) / 60_000)} product minutes, then up`,
    tried: options.complaints,
    lost: verdict.lost,
    duplicated: verdict.duplicated,
    serverErrors: verdict.serverErrors,
    acknowledged: acknowledgements.acknowledged,
    failures: [...failures, ...verdict.failures, ...acknowledgements.failures],
    notes: [`SES refused ${refused} requests while down`],
  };
}

/** A share `rate` of the steps' DynamoDB calls is throttled; every step retries and every complaint is acknowledged once. */
export async function throttledSteps(product: FaultyProduct, options: { complaints: number; rate: number }): Promise<CaseResult> {
  const prefix = `throttled-${Date.now().toString(36)}`;
  const { state } = product.throttling;
  const before = { calls: state.calls, throttled: state.throttled };
  state.rate = options.rate;
  let intake: Awaited<ReturnType<typeof fileMany>>;
  let acknowledgements: Awaited<ReturnType<typeof acknowledgedOnce>>;
  try {
    intake = await fileMany(product, prefix, options.complaints);
    acknowledgements = await acknowledgedOnce(product, intake.stored, 45_000);
  } finally {
    state.rate = 0;
  }
  const failures: string[] = [];
  const throttled = state.throttled - before.throttled;
  if (throttled === 0) failures.push('no DynamoDB call was throttled: the case tested nothing');
  let stepRetries = 0;
  for (const complaint of intake.stored) {
    const history = await product.runtime.stepFunctions.history(complaint.id);
    stepRetries += history.filter(
      (event) =>
        event.type === 'TaskFailed' && (event.taskFailedEventDetails as { error?: string } | undefined)?.error === 'StorageTemporarilyUnavailable',
    ).length;
  }
  const verdict = judgeIntake(intake.outcomes, intake.stored);
  return {
    name: `DynamoDB throttling in steps (${Math.round(options.rate * 100)} % of calls)`,
    tried: options.complaints,
    lost: verdict.lost,
    duplicated: verdict.duplicated,
    serverErrors: verdict.serverErrors,
    acknowledged: acknowledgements.acknowledged,
    failures: [...failures, ...verdict.failures, ...acknowledgements.failures],
    notes: [
      `${throttled} of ${state.calls - before.calls} step calls throttled; ${stepRetries} step retries after the DynamoDB client's own attempts gave up`,
    ],
  };
}
