import type { SentEmail } from '../core/complaint';

/**
 * Every e-mail a workflow step sends is recorded on the complaint, and a step that finds its record sends
 * nothing: a retried or re-run step never sends twice. The one window left (SES accepted, our write lost)
 * errs towards a second e-mail rather than none, because the law cares that the message arrives.
 */
export async function sendOnce(
  recorded: SentEmail | undefined,
  send: () => Promise<string>,
  record: (sent: SentEmail) => Promise<unknown>,
  now: () => Date,
): Promise<SentEmail> {
  if (recorded) return recorded;
  const sent = { messageId: await send(), sentAt: now().toISOString() };
  await record(sent);
  return sent;
}
