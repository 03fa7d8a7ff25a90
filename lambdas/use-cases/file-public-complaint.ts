import { honeypotFilled } from '../core/honeypot';
import { attemptWindow, clientKey, countAndLimit } from './attempt-limits';
import { TooManyAttempts } from '../core/errors';
import { attachmentKeeper, type AttachmentCheckPorts } from './attachments';
import type { AttemptCounter } from './look-up-status';
import { submitPublicForm, type SubmitComplaintPorts, type SubmitComplaintResult } from './submit-complaint';

export interface PublicIntakePorts extends SubmitComplaintPorts, AttachmentCheckPorts {
  attempts: AttemptCounter;
  /** Complaints one client may file per window (INTAKE_LIMIT_PER_CLIENT). */
  intakeLimitPerClient: number;
}

/**
 * Fixed windows of 15 minutes, as the status page's. A household files a complaint or two; the default of 20 per
 * client leaves room for an office or a mobile carrier's shared address (CGNAT) and still holds a script on one
 * address to 80 an hour. Each counted attempt is one write unit on its own key (adapters/attempt-counter.ts); a
 * complaint stored counts in the transaction that stores it, so intake stays one round trip to the table.
 * The WAF's rate-based rule on CloudFront (lib/edge-waf.ts) is the coarser line in front of this one.
 */
export const INTAKE_LIMITS = { windowSeconds: 15 * 60, perClient: 20 } as const;

export type PublicFiling = ({ outcome: 'filed' } & SubmitComplaintResult) | { outcome: 'discarded' };

/**
 * The public form's door as a whole: the per-client limit (every post counts, a bot's too), the honeypot (a
 * filled one files nothing and says so only to the log), the form's rules, its attachments and intake. A post
 * that stores a complaint is counted in the same transaction; any other post (a bot's, a refused form, a
 * replay) is counted on its own, and a spent limit answers 429 before whatever else it would have answered.
 */
export async function filePublicComplaint(
  body: unknown,
  idempotencyKey: string | undefined,
  client: string,
  ports: PublicIntakePorts,
): Promise<PublicFiling> {
  const limit = { key: clientKey('intake', client), limit: ports.intakeLimitPerClient };
  const countAlone = () => countAndLimit(ports.attempts, ports.now(), INTAKE_LIMITS.windowSeconds, [limit]);
  if (honeypotFilled(body)) {
    await countAlone();
    return { outcome: 'discarded' };
  }
  let filed: SubmitComplaintResult;
  try {
    // Not { ...limit, window }: on Node 20 (V8 11.3, the local product's) a field after a spread costs microseconds.
    const attempt = { key: limit.key, limit: limit.limit, window: attemptWindow(ports.now(), INTAKE_LIMITS.windowSeconds) };
    filed = await submitPublicForm(body, idempotencyKey, ports, attachmentKeeper(ports), attempt);
  } catch (error) {
    if (!(error instanceof TooManyAttempts)) await countAlone();
    throw error;
  }
  if (filed.replayed) await countAlone();
  return { outcome: 'filed', ...filed };
}
