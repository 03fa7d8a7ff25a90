import { randomUUID } from 'node:crypto';
import type { SentEmail } from '../core/complaint';
import { sendClaimKey, type SendAttempt } from '../core/delivery-evidence';
import { EmailBeingSent, VersionConflict } from '../core/errors';
import type { SendClaim, SendClaims, StoredSendClaim } from './ports';

/**
 * Once SES has accepted an e-mail, its record is all that stands between the customer and a second one: a
 * step that fails now is retried, finds no record and sends again (the chaos suite's DynamoDB throttling made
 * two acknowledgements out of one that way). So a write of the record that fails is tried again here, with
 * the message id still in hand: four more times over about 7.5 s (0.5, 1, 2, 4 s), on top of the DynamoDB
 * client's own three attempts, well inside a workflow step's 30 s and API Gateway's 29 s. A write still failing then fails
 * as before (and the claim below still keeps the e-mail from going out twice).
 */
const RECORD_RETRY_PAUSES_MS = [500, 1_000, 2_000, 4_000];

/**
 * How long an attempt that claimed an e-mail and was never heard of again may still prove that SES accepted
 * it, counted from its claim. 15 s: the staff API's function times out after 10 s, so an attempt still alive
 * is at most that old, and SES publishes its Send event to EventBridge within seconds of accepting an e-mail
 * (best effort, with no published bound). A claim older than this without SES's Send event is taken as never
 * sent, and the e-mail goes out; if SES did accept it and its event came later still (or never: best effort),
 * that is the one second e-mail left, which the law prefers to none. The workflow waits this out inside its
 * step: 15 s, plus a send and the record's 7.5 s, fit its 30 s timeout.
 */
export const SEND_EVIDENCE_WINDOW_MS = 15_000;
/** How often a waiting retry reads the claim again for SES's evidence: at most 30 reads of a small item. */
const EVIDENCE_POLL_MS = 500;

const pauseFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface SendOncePorts {
  sendClaims: SendClaims;
  /** The product clock: when the e-mail was sent, as recorded. */
  now: () => Date;
  /** Real time (epoch ms), for the evidence window: a local demo may run the product clock faster. */
  realTime?: () => number;
  pause?: (ms: number) => Promise<void>;
  newAttempt?: () => string;
}

export interface SendOnceRequest<Recorded = SentEmail> {
  /**
   * Which e-mail of the complaint's life this is. The name is the e-mail's identity: a legitimately new e-mail
   * (a second question, a notice to another department) must get a name no earlier one had.
   */
  email: {
    complaintId: string;
    name: string;
    record: string;
    /**
     * What the e-mail competes for, when e-mails of other names must not go out together: they share one claim,
     * and while one holds it the others are refused (a question to the customer: one at a time per complaint, so
     * that every one sent gets its history entry). By default each name is a slot of its own.
     */
    slot?: string;
  };
  /** The e-mail's record on the complaint, when it has one: then nothing is sent. */
  recorded: Recorded | undefined;
  /** Sends the e-mail tagged with `attempt` (OutgoingEmail.attempt), answering SES's message id. */
  send: (attempt: SendAttempt) => Promise<string>;
  record: (sent: SentEmail) => Promise<unknown>;
  /**
   * What to do when an earlier attempt claimed the e-mail and SES has not confirmed it yet: `wait` for SES's
   * evidence (a workflow step), or `refuse` with EmailBeingSent, a 409 with Retry-After (a staff request,
   * which must answer within API Gateway's 29 s and may be racing that attempt, still alive).
   */
  whileUnconfirmed?: 'wait' | 'refuse';
}

/**
 * Every e-mail is sent once and recorded on the complaint, and a step that finds its record sends nothing.
 * SES takes no idempotency token, so the window between SES accepting an e-mail and its record being written
 * (a kill, a timeout) is closed with SES's own evidence: before sending, the attempt claims the e-mail (one
 * small write, the one this path adds per e-mail) and tags it with the claim; SES's Send event for it is kept
 * on the claim (record-delivery.handler.ts) unless the record is already there. A retry that finds a claim
 * without a record completes the record from that evidence, waits for it while the claim is young
 * (SEND_EVIDENCE_WINDOW_MS), and sends again only when none came.
 */
export async function sendOnce<Recorded = SentEmail>(request: SendOnceRequest<Recorded>, ports: SendOncePorts): Promise<Recorded | SentEmail> {
  if (request.recorded) return request.recorded;
  const realTime = ports.realTime ?? Date.now;
  const pause = ports.pause ?? pauseFor;
  const { complaintId, name, record } = request.email;
  const key = sendClaimKey(request.email.slot ?? name);
  const attempt: SendClaim = {
    complaintId,
    key,
    attempt: (ports.newAttempt ?? randomUUID)(),
    email: name,
    record,
    claimedAtMs: realTime(),
  };
  let earlier: StoredSendClaim | undefined = await ports.sendClaims.claim(attempt);
  while (earlier) {
    const another = earlier.email !== name;
    // Another e-mail of the slot went out: it is not this one, whose turn is over (the caller reads afresh).
    if (earlier.sent && another)
      throw new VersionConflict('Another e-mail of its kind was sent to the customer meanwhile: read the complaint again.');
    if (earlier.sent) return recordWithRetries(earlier.sent, request.record, pause);
    const waitLeft = earlier.released ? 0 : earlier.claimedAtMs + SEND_EVIDENCE_WINDOW_MS - realTime();
    if (waitLeft <= 0) {
      const next = { ...attempt, claimedAtMs: realTime() };
      if (await ports.sendClaims.takeOver(earlier, next)) {
        attempt.claimedAtMs = next.claimedAtMs;
        break;
      }
    } else if (request.whileUnconfirmed === 'refuse' || another) {
      throw new EmailBeingSent(Math.ceil(waitLeft / 1000));
    } else {
      await pause(Math.min(EVIDENCE_POLL_MS, waitLeft));
    }
    // Read again: SES's evidence may have come, another attempt may have taken the claim, or released it.
    earlier = (await ports.sendClaims.read(complaintId, key)) ?? (await ports.sendClaims.claim(attempt));
  }
  let messageId: string;
  try {
    messageId = await request.send({ complaintId, key, attempt: attempt.attempt, record });
  } catch (error) {
    // SES answered with a refusal: nothing went out, so the next attempt need not wait for evidence. An error
    // that leaves it open (the connection dropped after the request went out) keeps the claim.
    if (!(error as { mayHaveBeenSent?: boolean }).mayHaveBeenSent) await ports.sendClaims.release(attempt).catch(() => undefined);
    throw error;
  }
  return recordWithRetries({ messageId, sentAt: ports.now().toISOString() }, request.record, pause);
}

async function recordWithRetries(sent: SentEmail, record: (sent: SentEmail) => Promise<unknown>, pause: (ms: number) => Promise<void>) {
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
