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

export function evidenceTags(target: DeliveryEvidenceTarget): { Name: string; Value: string }[] {
  return [
    { Name: 'complaint', Value: target.complaintId },
    { Name: 'record', Value: target.record },
  ];
}

/** An SES event as EventBridge delivers it (source aws.ses), reduced to what we keep. */
export const sesEventSchema = z.object({
  source: z.literal('aws.ses'),
  detail: z.object({
    eventType: z.string(),
    mail: z.object({
      messageId: z.string(),
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
  const record = detail.mail.tags.record?.[0] as DeliveryEvidenceTarget['record'] | undefined;
  if (!complaintId || !record || !(evidenceRecords as readonly string[]).includes(record)) return undefined;
  const base = { complaintId, record, messageId: detail.mail.messageId };
  if (detail.eventType === 'Delivery' && detail.delivery) return { ...base, delivery: 'delivered', at: detail.delivery.timestamp };
  if (detail.eventType === 'Bounce' && detail.bounce && detail.bounce.bounceType !== 'Transient') {
    return { ...base, delivery: 'bounced', at: detail.bounce.timestamp };
  }
  if (detail.eventType === 'Complaint' && detail.complaint) return { ...base, delivery: 'complained', at: detail.complaint.timestamp };
  return undefined;
}
