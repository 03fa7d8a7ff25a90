import { createHash, createHmac, randomBytes } from 'node:crypto';
import * as z from './zod';
import { singleLine } from './text-fields';

// Status events out (issue 11): staff subscribe a shop's (or any system's) endpoint to some of the complaint
// events, for one webhook source or for all complaints; each matching event is POSTed to it, signed with
// Standard Webhooks, and retried on a fixed schedule for a day. What follows is the pure part: the event
// types, the requests, the payload a subscriber receives, the signature and the schedule.

/** What a subscriber may subscribe to. Each is one of the complaint events (complaint-events.ts) or follows from one. */
export const outboundEventTypes = [
  'complaint.received',
  'complaint.assigned',
  'complaint.decided',
  'complaint.answer_sent',
  'complaint.extended',
  'complaint.deemed_accepted',
  'complaint.closed',
] as const;

export type OutboundEventType = (typeof outboundEventTypes)[number];

/**
 * The outbound events each complaint event gives. The answer going out (by e-mail, or the letter recorded as
 * posted) is also what closes a complaint, so it gives `complaint.closed` too, as a delivery of its own.
 */
const OUTBOUND_OF: Readonly<Record<string, readonly OutboundEventType[]>> = {
  'complaint.received': ['complaint.received'],
  'complaint.assigned': ['complaint.assigned'],
  'complaint.decided': ['complaint.decided'],
  'complaint.answer_sent': ['complaint.answer_sent', 'complaint.closed'],
  'complaint.extended': ['complaint.extended'],
  'complaint.deemed_accepted': ['complaint.deemed_accepted'],
};

/** The complaint events the dispatcher consumes (lambdas/event-consumers.ts). */
export const complaintEventsWithSubscribers = Object.keys(OUTBOUND_OF);

export function outboundEventsOf(complaintEventType: string): readonly OutboundEventType[] {
  return Object.hasOwn(OUTBOUND_OF, complaintEventType) ? OUTBOUND_OF[complaintEventType]! : [];
}

/** A webhook source's name (lambdas/core/webhook-sources.ts): the complaints it files are its own. */
const sourceName = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a webhook source name: 1–40 lowercase letters, digits or hyphens'));

export const subscriptionRequestSchema = z.object({
  /** Where to POST. HTTPS to a public address in AWS; checked again, after DNS resolution, at every delivery. */
  url: z.string().check(z.maxLength(2000), z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  events: z.array(z.enum(outboundEventTypes, { error: `must be one of ${outboundEventTypes.join(', ')}` })).check(
    z.minLength(1, 'name at least one event'),
    z.refine((events) => new Set(events).size === events.length, 'names an event twice'),
  ),
  /** Only the complaints this webhook source filed; without it, every complaint's. */
  source: z.optional(sourceName),
  // Shown in `complaints webhooks list`: one line, nothing disguised.
  description: z.optional(singleLine(200)),
});

export type SubscriptionRequest = z.infer<typeof subscriptionRequestSchema>;

export const subscriptionStatuses = ['active', 'disabled'] as const;

/** A subscription as the admin API shows it: never its secret, which only the answer to its creation carries. */
export const subscriptionSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(outboundEventTypes)),
  source: z.optional(z.string()),
  description: z.optional(z.string()),
  status: z.enum(subscriptionStatuses),
  /** Why it was disabled: by whom, or the subscriber's 410 Gone. */
  disabledReason: z.optional(z.string()),
  disabledAt: z.optional(z.string()),
  createdAt: z.string(),
  createdBy: z.string(),
});

export type Subscription = z.infer<typeof subscriptionSchema>;

export const createdSubscriptionSchema = z.extend(subscriptionSchema, {
  /** The signing secret (Standard Webhooks `whsec_…`): shown in this answer only; keep it with the subscriber. */
  secret: z.string(),
});

export const subscriptionListSchema = z.object({ subscriptions: z.array(subscriptionSchema) });

export const deliveryStates = ['pending', 'retrying', 'delivered', 'gone', 'parked', 'cancelled'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

export const deliveryAttemptSchema = z.object({
  at: z.string(),
  /** The subscriber's HTTP status, when it answered. */
  status: z.optional(z.number()),
  /** Why there was no answer (a timeout, a refused address, a connection error). */
  error: z.optional(z.string()),
  durationMs: z.number(),
});

export type DeliveryAttempt = z.infer<typeof deliveryAttemptSchema>;

/** One event's delivery to one subscription, as the admin API shows it in a complaint's delivery log. */
export const deliverySchema = z.object({
  /** The `webhook-id`: the same on every attempt and redrive, so a subscriber can drop a repeat. */
  deliveryId: z.string(),
  subscriptionId: z.string(),
  complaintId: z.string(),
  /** The complaint event it comes from. */
  sequence: z.number(),
  type: z.enum(outboundEventTypes),
  url: z.string(),
  state: z.enum(deliveryStates),
  createdAt: z.string(),
  /** The most recent attempts, oldest first (at most MAX_LOGGED_ATTEMPTS). */
  attempts: z.array(deliveryAttemptSchema),
  attemptCount: z.number(),
  nextAttemptAt: z.optional(z.string()),
  /** How often an admin redrove it from the dead letters. */
  redrives: z.number(),
  cancelledBecause: z.optional(z.string()),
});

export type Delivery = z.infer<typeof deliverySchema>;

export const deliveryLogSchema = z.object({ deliveries: z.array(deliverySchema) });

export const deadLetterSchema = z.object({
  /** Its id in the dead-letter list: newer ones sort after older ones. */
  id: z.string(),
  deliveryId: z.string(),
  complaintId: z.string(),
  sequence: z.number(),
  subscriptionId: z.string(),
  type: z.enum(outboundEventTypes),
  parkedAt: z.string(),
  lastAttempt: z.optional(deliveryAttemptSchema),
});

export type DeadLetter = z.infer<typeof deadLetterSchema>;

export const deadLetterPageSchema = z.object({
  deadLetters: z.array(deadLetterSchema),
  /** Pass as `before` for older dead letters. */
  before: z.optional(z.string()),
});

const DEAD_LETTER_ID = /^dl_\d{13}_msg_[A-Za-z0-9_-]{22}$/;

export const deadLetterQuerySchema = z.object({
  before: z.optional(z.string().check(z.regex(DEAD_LETTER_ID, 'must be the id of a dead letter'))),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100))),
});

export const redriveAnswerSchema = z.object({ deliveryId: z.string(), complaintId: z.string(), state: z.enum(deliveryStates) });

/** Bulk redrive: the dead letters of one subscription, or all of them. */
export const bulkRedriveRequestSchema = z.object({
  /** A subscription's id, or `all`: said outright, so an empty request redrives nothing by accident. */
  subscriptionId: z.string().check(z.regex(/^(all|sub_[A-Za-z0-9_-]{16})$/, 'must be the id of a webhook subscription, or all')),
});

export const bulkRedriveAnswerSchema = z.object({
  /** Taken out of the dead letters and being delivered again. */
  redriven: z.array(redriveAnswerSchema),
  /** Left in the dead letters, with why (their subscription is disabled or deleted). */
  skipped: z.array(z.object({ deadLetterId: z.string(), reason: z.string() })),
  /** More dead letters remain than one call takes: call again. */
  more: z.boolean(),
});

/** The dead letter's own id: when it was parked (so the list reads newest first), then which delivery. */
export function deadLetterIdOf(parkedAt: Date, deliveryId: string): string {
  return `dl_${String(parkedAt.getTime()).padStart(13, '0')}_${deliveryId}`;
}

export function isDeadLetterId(id: string): boolean {
  return DEAD_LETTER_ID.test(id);
}

/** A subscription's id; under an Idempotency-Key, the same for the same staff member's same key. */
export function subscriptionIdOf(key?: { staffId: string; idempotencyKey: string }): string {
  const bytes = key ? createHash('sha256').update(`${key.staffId}\n${key.idempotencyKey}`).digest().subarray(0, 12) : randomBytes(12);
  return `sub_${bytes.toString('base64url')}`;
}

export const isSubscriptionId = (id: string) => /^sub_[A-Za-z0-9_-]{16}$/.test(id);

/** A new signing secret: Standard Webhooks' `whsec_` and 32 random bytes in base64 (24 to 64 are allowed). */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The delivery's id, the `webhook-id` (Standard Webhooks `msg_…`): one per complaint event, outbound type and
 * subscription, derived rather than random, so that an event consumed twice (EventBridge delivers at least
 * once) names the same delivery, the same item and the same execution.
 */
export function deliveryIdOf(complaintId: string, sequence: number, type: OutboundEventType, subscriptionId: string): string {
  return `msg_${createHash('sha256').update(`${complaintId}\n${sequence}\n${type}\n${subscriptionId}`).digest().subarray(0, 16).toString('base64url')}`;
}

/**
 * The Standard Webhooks signature: `v1,` and the base64 HMAC-SHA256, keyed with the secret's base64 part, of
 * `{id}.{timestamp}.{body}`. The timestamp is the attempt's own (a receiver refuses one older than 5 minutes),
 * so each attempt is signed anew; the id and the body stay the same.
 */
export function signatureOf(secret: string, deliveryId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${deliveryId}.${timestampSeconds}.${body}`).digest('base64')}`;
}

export function signedHeaders(secret: string, deliveryId: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': deliveryId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signatureOf(secret, deliveryId, timestampSeconds, body),
  };
}

/**
 * When each attempt is made, in seconds after the first: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * 14 h, 20 h and 24 h. Quick retries catch a blip or a deploy; the long tail covers a subscriber that is down
 * overnight, and the last attempt is a full day after the first, as the issue asks. Ten attempts in all; a
 * delivery that fails them all is parked in the dead letters, where an admin can redrive it (which starts
 * the schedule again).
 */
export const ATTEMPT_OFFSETS_SECONDS = [0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 14 * 3600, 20 * 3600, 24 * 3600] as const;

/** When the next attempt is due after `attemptsMade` failed ones since `scheduleStart`; undefined: park it. */
export function nextAttemptAt(scheduleStart: Date, attemptsMade: number): Date | undefined {
  const offset = ATTEMPT_OFFSETS_SECONDS[attemptsMade];
  return offset === undefined ? undefined : new Date(scheduleStart.getTime() + offset * 1000);
}

/** The attempts a delivery's log keeps (the newest); the count of all of them is kept beside it. */
export const MAX_LOGGED_ATTEMPTS = 20;

/** How one attempt went, from the subscriber's answer: 2xx is delivered, 410 Gone unsubscribes, the rest is retried. */
export function attemptOutcome(answer: { status: number } | { error: string }): 'delivered' | 'gone' | 'failed' {
  if ('error' in answer) return 'failed';
  if (answer.status >= 200 && answer.status < 300) return 'delivered';
  if (answer.status === 410) return 'gone';
  return 'failed';
}

/** What the payload is made of: the complaint event (its history entry) and the complaint's identifiers. */
export interface PayloadInput {
  type: OutboundEventType;
  event: { sequence: number; at: string; action: string; after?: Record<string, unknown> };
  complaint: {
    id: string;
    reference: string;
    channel: string;
    orderNumber?: string;
    sourcePlatform?: string;
    externalId?: string;
    shopDetails?: { orderId?: string; returnId?: string };
    responseDueBy: string;
  };
  /** The webhook source that filed it, if one did. */
  source?: string;
}

/** What the event says besides its type: facts a shop acts on, never the customer's personal data. */
function eventDetails({ type, event, complaint }: PayloadInput): Record<string, unknown> {
  const after = event.after ?? {};
  const pick = (...fields: string[]) => Object.fromEntries(fields.filter((field) => after[field] != null).map((field) => [field, after[field]]));
  switch (type) {
    case 'complaint.received':
      return { channel: complaint.channel };
    case 'complaint.assigned':
      return pick('departmentId');
    case 'complaint.decided':
      return pick('outcome', 'remedy');
    case 'complaint.answer_sent':
      return { by: event.action === 'decision_posted' ? 'post' : 'email', ...pick('postedOn') };
    case 'complaint.extended':
      return pick('responseDueBy');
    case 'complaint.deemed_accepted':
    case 'complaint.closed':
      return {};
  }
}

/**
 * The body a subscriber receives: Standard Webhooks' `{ type, timestamp, data }`. `data` names the complaint
 * (id, reference, the shop's own order and return ids) and says what happened; it carries no name, e-mail,
 * phone or description of the customer, which a subscriber that needs them reads where it filed them.
 */
export function webhookPayload(input: PayloadInput) {
  const { complaint, event } = input;
  return {
    type: input.type,
    timestamp: event.at,
    data: {
      complaintId: complaint.id,
      reference: complaint.reference,
      sequence: event.sequence,
      ...(input.source ? { source: input.source } : {}),
      ...(complaint.sourcePlatform ? { sourcePlatform: complaint.sourcePlatform } : {}),
      ...(complaint.externalId ? { externalId: complaint.externalId } : {}),
      ...(complaint.orderNumber ? { orderNumber: complaint.orderNumber } : {}),
      ...(complaint.shopDetails?.orderId ? { orderId: complaint.shopDetails.orderId } : {}),
      ...(complaint.shopDetails?.returnId ? { returnId: complaint.shopDetails.returnId } : {}),
      responseDueBy: complaint.responseDueBy,
      ...eventDetails(input),
    },
  };
}

/**
 * The payload's shape (webhookPayload above), for the OpenAPI document's `webhooks` section; the openapi test
 * checks that every payload webhookPayload makes for the examples below fits it.
 */
export const outboundEventSchema = z.object({
  type: z.enum(outboundEventTypes),
  timestamp: z.isoDateTime,
  data: z.object({
    complaintId: z.string(),
    reference: z.string(),
    /** The complaint's event number: a subscriber tells order and gaps by it. */
    sequence: z.number().check(z.int(), z.positive()),
    /** The webhook source that filed the complaint, if one did. */
    source: z.optional(z.string()),
    sourcePlatform: z.optional(z.string()),
    externalId: z.optional(z.string()),
    orderNumber: z.optional(z.string()),
    orderId: z.optional(z.string()),
    returnId: z.optional(z.string()),
    /** The due date; in complaint.extended, the new one. */
    responseDueBy: z.string(),
    /** complaint.received: how it came in. */
    channel: z.optional(z.string()),
    /** complaint.assigned. */
    departmentId: z.optional(z.string()),
    /** complaint.decided. */
    outcome: z.optional(z.string()),
    remedy: z.optional(z.string()),
    /** complaint.answer_sent: e-mailed, or printed and posted (then postedOn). */
    by: z.optional(z.enum(['email', 'post'])),
    postedOn: z.optional(z.string()),
  }),
});

/** One payload per event type, as webhookPayload makes it for a Shopify return: the document's examples. */
export function outboundEventExamples(): Record<OutboundEventType, ReturnType<typeof webhookPayload>> {
  const complaint = {
    id: '0f8e2c1a-7d3b-4c5e-9a6f-1b2c3d4e5f60',
    reference: 'RK-7XK4M-9QPZT',
    channel: 'webhook',
    sourcePlatform: 'shopify',
    externalId: 'gid://shopify/Return/945000954',
    orderNumber: '#1042',
    shopDetails: { orderId: 'gid://shopify/Order/5423456789', returnId: 'gid://shopify/Return/945000954' },
    responseDueBy: '2026-12-14',
  };
  const afterOf: Record<OutboundEventType, { action: string; after?: Record<string, unknown> }> = {
    'complaint.received': { action: 'complaint_received' },
    'complaint.assigned': { action: 'department_assigned', after: { departmentId: 'returns' } },
    'complaint.decided': { action: 'decision_recorded', after: { outcome: 'accepted', remedy: 'replacement' } },
    'complaint.answer_sent': { action: 'decision_sent' },
    'complaint.extended': { action: 'deadline_extended', after: { responseDueBy: '2026-12-28' } },
    'complaint.deemed_accepted': { action: 'deadline_passed', after: { effect: 'deemed_accepted' } },
    'complaint.closed': { action: 'decision_sent' },
  };
  return Object.fromEntries(
    outboundEventTypes.map((type, index) => [
      type,
      webhookPayload({
        type,
        event: { sequence: index + 1, at: `2026-11-30T10:0${index}:00.000Z`, ...afterOf[type] },
        complaint,
        source: 'demo-shopify',
      }),
    ]),
  ) as Record<OutboundEventType, ReturnType<typeof webhookPayload>>;
}

/** The webhook source that filed a complaint, from its first history entry's actor (`webhook:<source>`). */
export function sourceOfActor(actor: string): string | undefined {
  return actor.startsWith('webhook:') ? actor.slice('webhook:'.length) : undefined;
}

/** Whether a subscription wants this event of a complaint filed by `source` (undefined: not by a webhook). */
export function subscriptionWants(
  subscription: Pick<Subscription, 'status' | 'events' | 'source'>,
  type: OutboundEventType,
  source?: string,
): boolean {
  return (
    subscription.status === 'active' && subscription.events.includes(type) && (subscription.source === undefined || subscription.source === source)
  );
}
