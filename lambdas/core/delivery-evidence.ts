import { createHash } from 'node:crypto';
import * as z from './zod';

// Under art. 61 KC an answer is given when it reaches the customer, and UOKiK counts an answer posted on the
// last day as late: for policies met by receipt we keep what SES reports about each e-mail to the customer
// (delivered, bounced, complained) on the complaint, next to the record of sending it. The message carries
// its own address for that record in SES tags, which SES returns in every event about it.

/** The sent-e-mail records on a complaint that can receive delivery evidence. */
export const evidenceRecords = [
  'acknowledgement',
  'decisionSent',
  'extension.noticeSent',
  'deadlinePassed.customerNotified',
  'informationRequest',
] as const;

export interface DeliveryEvidenceTarget {
  complaintId: string;
  record: (typeof evidenceRecords)[number];
}

export type Delivery = 'delivered' | 'bounced' | 'complained';

/**
 * What SES accepts as a tag value (SES v2 MessageTag): ASCII letters, digits, `_` and `-`, at most 256 characters.
 * SES refuses the whole e-mail otherwise, so a dotted record path travels with `-` for `.`.
 */
export const SES_TAG_VALUE = /^[A-Za-z0-9_-]{1,256}$/;

const recordTag = (record: string) => record.replaceAll('.', '-');
const recordOfTag = (tag: string) => tag.replaceAll('-', '.');

/**
 * One attempt at one e-mail of the send-once path (lambdas/use-cases/send-once.ts): the e-mail's claim key and
 * the attempt's own id. SES returns both in its Send event, which is how a retry learns that an attempt it did
 * not see finish was accepted.
 */
export interface SendAttempt {
  complaintId: string;
  key: string;
  attempt: string;
  /**
   * Where the e-mail's record lands on the complaint ("acknowledgement", "reminders.3"), carried in a tag of its
   * own (`sendRecord`) so that its Send event is checked against the record first: one read when the record
   * is there, as it usually is by the time SES's event comes, where reading the claim first made it two.
   */
  record?: string;
}

/**
 * The claim key of one e-mail, from the name its use case gives it ("acknowledgement", "reminder 3", …): a hash,
 * so that any name (a question, a department id) fits in a tag. 128 bits of SHA-256 in base64url, whose
 * alphabet is exactly the tag alphabet.
 */
export function sendClaimKey(email: string): string {
  return createHash('sha256').update(email).digest('base64url').slice(0, 22);
}

/** The tags an e-mail carries: where its delivery evidence goes, and which send-once attempt it is. */
export function emailTags(email: { evidence?: DeliveryEvidenceTarget; attempt?: SendAttempt }): { Name: string; Value: string }[] {
  const complaintId = email.evidence?.complaintId ?? email.attempt?.complaintId;
  return [
    ...(complaintId ? [{ Name: 'complaint', Value: complaintId }] : []),
    ...(email.evidence ? [{ Name: 'record', Value: recordTag(email.evidence.record) }] : []),
    ...(email.attempt
      ? [
          { Name: 'send', Value: email.attempt.key },
          { Name: 'attempt', Value: email.attempt.attempt },
          ...(email.attempt.record ? [{ Name: 'sendRecord', Value: recordTag(email.attempt.record) }] : []),
        ]
      : []),
  ];
}

/** An SES event as EventBridge delivers it (source aws.ses), reduced to what we keep. */
export const sesEventSchema = z.object({
  source: z.literal('aws.ses'),
  detail: z.object({
    eventType: z.string(),
    mail: z.object({
      messageId: z.string(),
      /** When SES accepted the e-mail. */
      timestamp: z.optional(z.string()),
      tags: z._default(z.record(z.string(), z.array(z.string())), {}),
    }),
    delivery: z.optional(z.object({ timestamp: z.string() })),
    bounce: z.optional(z.object({ timestamp: z.string(), bounceType: z.optional(z.string()) })),
    complaint: z.optional(z.object({ timestamp: z.string() })),
  }),
});

export interface DeliveryEvidence extends DeliveryEvidenceTarget {
  messageId: string;
  delivery: Delivery;
  at: string;
}

/**
 * What an SES event says about one of our e-mails to a customer, or undefined for events we do not keep
 * (sends, opens, an e-mail without our tags, a transient bounce that SES still retries).
 */
export function evidenceFromSesEvent(event: z.infer<typeof sesEventSchema>): DeliveryEvidence | undefined {
  const { detail } = event;
  const complaintId = detail.mail.tags.complaint?.[0];
  const tag = detail.mail.tags.record?.[0];
  const record = tag === undefined ? undefined : (recordOfTag(tag) as DeliveryEvidenceTarget['record']);
  if (!complaintId || !record || !(evidenceRecords as readonly string[]).includes(record)) return undefined;
  const base = { complaintId, record, messageId: detail.mail.messageId };
  if (detail.eventType === 'Delivery' && detail.delivery) return { ...base, delivery: 'delivered', at: detail.delivery.timestamp };
  if (detail.eventType === 'Bounce' && detail.bounce && detail.bounce.bounceType !== 'Transient') {
    return { ...base, delivery: 'bounced', at: detail.bounce.timestamp };
  }
  if (detail.eventType === 'Complaint' && detail.complaint) return { ...base, delivery: 'complained', at: detail.complaint.timestamp };
  return undefined;
}

/** SES's word that it accepted one attempt of a send-once e-mail (its Send event). */
export interface SendEvidence extends SendAttempt {
  messageId: string;
  /** When SES accepted it. */
  at: string;
}

/** What an SES Send event says about a send-once attempt, or undefined for any other event or an untagged e-mail. */
export function sendEvidenceFromSesEvent(event: z.infer<typeof sesEventSchema>): SendEvidence | undefined {
  const { detail } = event;
  const complaintId = detail.mail.tags.complaint?.[0];
  const key = detail.mail.tags.send?.[0];
  const attempt = detail.mail.tags.attempt?.[0];
  const record = detail.mail.tags.sendRecord?.[0];
  if (detail.eventType !== 'Send' || !complaintId || !key || !attempt || !detail.mail.timestamp) return undefined;
  return {
    complaintId,
    key,
    attempt,
    ...(record ? { record: recordOfTag(record) } : {}),
    messageId: detail.mail.messageId,
    at: detail.mail.timestamp,
  };
}
