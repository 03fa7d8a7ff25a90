import { acknowledgementsByReference, sleep, type MailboxEmail, type StoredComplaint } from './product-state';

// Customers filing complaints through whatever happens to the product: each client retries with the same
// Idempotency-Key (after a dropped connection, a 5xx, or a 409 once its Retry-After has passed) until it
// gets an answer, as the README tells integrators to.

/** A complaint marked with its Idempotency-Key (as its order number), so the table shows which key made it. */
export function complaintFor(key: string) {
  return {
    customer: { name: 'Chaos Klient', email: 'chaos@example.com' },
    orderNumber: orderNumberOf(key),
    product: 'Czajnik KE-200',
    description: 'Czajnik przestał grzać po dwóch tygodniach.',
    desiredRemedy: 'replacement',
    privacyNoticeAccepted: true,
  };
}

export const orderNumberOf = (key: string) => `CHAOS-${key}`;

export interface Receipt {
  status: number;
  id: string;
  reference: string;
  /** Answered with `idempotent-replayed: true`: the first answer again. */
  replayed: boolean;
}

export interface IntakeOutcome {
  key: string;
  /** Every 2xx answer the key got (more than one only if a retry's answer was also read). */
  answers: Receipt[];
  /** The answer the client ended with; absent when it never got one in time. */
  final?: Receipt;
  serverErrors: number;
  /** 409 answers, and how many of them lacked Retry-After. */
  conflicts: number;
  conflictsWithoutRetryAfter: number;
  /** Any other answer, as "status type". */
  unexpected: string[];
}

/** Files one complaint under `key`, retrying until it is answered or `deadline` (epoch ms) passes. */
export async function fileUntilAnswered(api: () => string, key: string, deadline: number): Promise<IntakeOutcome> {
  const outcome: IntakeOutcome = { key, answers: [], serverErrors: 0, conflicts: 0, conflictsWithoutRetryAfter: 0, unexpected: [] };
  const body = JSON.stringify(complaintFor(key));
  while (Date.now() < deadline) {
    let response: Response;
    try {
      response = await fetch(`${api()}/complaints`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body,
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      await sleep(100); // refused or cut off: the product is down or going down; try again
      continue;
    }
    const text = await response.text().catch(() => '');
    if (response.status === 200 || response.status === 201) {
      const receipt = JSON.parse(text) as Receipt;
      outcome.final = {
        status: response.status,
        id: receipt.id,
        reference: receipt.reference,
        replayed: response.headers.get('idempotent-replayed') === 'true',
      };
      outcome.answers.push(outcome.final);
      return outcome;
    }
    if (response.status >= 500) {
      outcome.serverErrors += 1;
      await sleep(200);
    } else if (response.status === 409) {
      outcome.conflicts += 1;
      const retryAfter = response.headers.get('retry-after');
      if (retryAfter === null) outcome.conflictsWithoutRetryAfter += 1;
      // Retry-After in seconds, capped so a bounded suite stays bounded.
      await sleep(Math.min(Number(retryAfter ?? 1) * 1000 || 1000, 2_000));
    } else {
      outcome.unexpected.push(`${response.status} ${text.slice(0, 200)}`);
      return outcome;
    }
  }
  return outcome;
}

/** `clients` clients at once, each filing `perClient` complaints one after another under keys `${prefix}-c-i`. */
export async function fileConcurrently(
  api: () => string,
  options: { prefix: string; clients: number; perClient: number; deadline: number; onAnswer?: () => void },
): Promise<IntakeOutcome[]> {
  const outcomes: IntakeOutcome[] = [];
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      for (let i = 0; i < options.perClient; i++) {
        const outcome = await fileUntilAnswered(api, `${options.prefix}-${client}-${i}`, options.deadline);
        outcomes.push(outcome);
        if (outcome.final) options.onAnswer?.();
      }
    }),
  );
  return outcomes;
}

export interface IntakeVerdict {
  lost: number;
  duplicated: number;
  serverErrors: number;
  failures: string[];
}

/** Lost, duplicated and 5xx for a set of keys, judged against what the table holds. */
export function judgeIntake(outcomes: readonly IntakeOutcome[], stored: readonly StoredComplaint[]): IntakeVerdict {
  const storedIds = new Set(stored.map((complaint) => complaint.id));
  const failures: string[] = [];
  let lost = 0;
  let duplicated = 0;
  for (const outcome of outcomes) {
    if (!outcome.final) {
      lost += 1;
      failures.push(`${outcome.key} never got an answer${outcome.unexpected.length ? ` (got ${outcome.unexpected.join('; ')})` : ''}`);
    } else if (outcome.answers.some((answer) => !storedIds.has(answer.id))) {
      lost += 1;
      failures.push(`${outcome.key} was answered ${outcome.final.status} with ${outcome.final.reference}, which is not stored`);
    }
    const made = stored.filter((complaint) => complaint.orderNumber === orderNumberOf(outcome.key));
    const answeredIds = new Set([...outcome.answers.map((answer) => answer.id), ...made.map((complaint) => complaint.id)]);
    if (answeredIds.size > 1) {
      duplicated += answeredIds.size - 1;
      failures.push(`${outcome.key} made ${answeredIds.size} complaints`);
    }
    if (outcome.conflictsWithoutRetryAfter > 0)
      failures.push(`${outcome.key}: ${outcome.conflictsWithoutRetryAfter} 409 answer(s) without Retry-After`);
  }
  const serverErrors = outcomes.reduce((sum, outcome) => sum + outcome.serverErrors, 0);
  if (serverErrors > 0) failures.push(`${serverErrors} answer(s) with a 5xx status`);
  return { lost, duplicated, serverErrors, failures };
}

/**
 * Exactly one acknowledgement for each of `complaints`, judged by the mailbox. With `kill` (how many e-mails
 * the mailbox held when the product was killed), a second acknowledgement sent after the kill of one sent just
 * before it is told apart in the report (`resent`): that is the window send-once.ts closes with SES's Send
 * event (SES accepted, the process killed before the record was written). Any second e-mail fails the case.
 */
export function judgeAcknowledgements(complaints: readonly StoredComplaint[], emails: readonly MailboxEmail[], kill?: { emailsBefore: number }) {
  const positions = new Map<string, number[]>();
  emails.forEach((email, position) => {
    const [reference] = [...acknowledgementsByReference([email]).keys()];
    if (reference) positions.set(reference, [...(positions.get(reference) ?? []), position]);
  });
  const failures: string[] = [];
  let once = 0;
  let resent = 0;
  for (const complaint of complaints) {
    const sent = positions.get(complaint.reference) ?? [];
    if (sent.length === 1) {
      once += 1;
      continue;
    }
    const acrossTheKill = kill !== undefined && sent.length === 2 && sent[0]! < kill.emailsBefore && sent[1]! >= kill.emailsBefore;
    if (acrossTheKill) resent += 1;
    failures.push(
      `${complaint.reference} (${complaint.orderNumber}) was acknowledged ${sent.length} times${acrossTheKill ? ' (once before the kill, again after it)' : ''}`,
    );
  }
  return { acknowledged: { once, of: complaints.length, resent }, failures };
}

/** True once every complaint has at least one acknowledgement in `emails`. */
export function everyoneAcknowledged(complaints: readonly StoredComplaint[], emails: readonly MailboxEmail[]): boolean {
  const counts = acknowledgementsByReference(emails);
  return complaints.every((complaint) => (counts.get(complaint.reference) ?? 0) >= 1);
}
