import { honeypotFilled } from '../core/honeypot';
import { clientKey, countAndLimit } from './attempt-limits';
import { checkAttachments, type AttachmentCheckPorts } from './attachments';
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
 * address to 80 an hour. Each counted attempt is one write unit on its own key (adapters/attempt-counter.ts).
 * The WAF's rate-based rule on CloudFront (lib/edge-waf.ts) is the coarser line in front of this one.
 */
export const INTAKE_LIMITS = { windowSeconds: 15 * 60, perClient: 20 } as const;

export type PublicFiling = ({ outcome: 'filed' } & SubmitComplaintResult) | { outcome: 'discarded' };

/**
 * The public form's door as a whole: the per-client limit (every post counts, a bot's too), then the honeypot
 * (a filled one files nothing and says so only to the log), then the form's rules, its attachments and intake.
 */
export async function filePublicComplaint(
  body: unknown,
  idempotencyKey: string | undefined,
  client: string,
  ports: PublicIntakePorts,
): Promise<PublicFiling> {
  await countAndLimit(ports.attempts, ports.now(), INTAKE_LIMITS.windowSeconds, [
    { key: clientKey('intake', client), limit: ports.intakeLimitPerClient },
  ]);
  if (honeypotFilled(body)) return { outcome: 'discarded' };
  return { outcome: 'filed', ...(await submitPublicForm(body, idempotencyKey, ports, (ids) => checkAttachments(ids, ports))) };
}
