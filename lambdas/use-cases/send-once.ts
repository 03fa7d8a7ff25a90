import type { SentEmail } from '../core/complaint';

/**
 * Once SES has accepted an e-mail, its record is all that stands between the customer and a second one: a
 * step that fails now is retried, finds no record and sends again (the chaos suite's DynamoDB throttling made
 * two acknowledgements out of one that way). So a write of the record that fails is tried again here, with
 * the message id still in hand: four more times over about 7.5 s (0.5, 1, 2, 4 s), on top of the SDK's own
 * three attempts, well inside a workflow step's 60 s and API Gateway's 29 s. A write still failing then fails
 * as before.
 */
const RECORD_RETRY_PAUSES_MS = [500, 1_000, 2_000, 4_000];

const pauseFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Every e-mail a workflow step sends is recorded on the complaint, and a step that finds its record sends
 * nothing: a retried or re-run step never sends twice. The one window left (SES accepted, and the process
 * ended before the record was written) errs towards a second e-mail rather than none, because the law cares
 * that the message arrives.
 */
export async function sendOnce(
  recorded: SentEmail | undefined,
  send: () => Promise<string>,
  record: (sent: SentEmail) => Promise<unknown>,
  now: () => Date,
  pause: (ms: number) => Promise<void> = pauseFor,
): Promise<SentEmail> {
  if (recorded) return recorded;
  const sent = { messageId: await send(), sentAt: now().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      await record(sent);
      return sent;
    } catch (error) {
      const wait = RECORD_RETRY_PAUSES_MS[attempt];
      if (wait === undefined) throw error;
      await pause(wait);
    }
  }
}
