import { IdempotencyKeyReused, NotFound, ValidationFailed } from '../core/errors';
import {
  attemptOutcome,
  deadLetterIdOf,
  deliveryIdOf,
  MAX_LOGGED_ATTEMPTS,
  newSigningSecret,
  nextAttemptAt,
  outboundEventsOf,
  signedHeaders,
  sourceOfActor,
  subscriptionIdOf,
  subscriptionWants,
  webhookPayload,
  type DeadLetter,
  type Delivery,
  type DeliveryAttempt,
  type DeliveryState,
  type Subscription,
  type SubscriptionRequest,
} from '../core/outbound-webhooks';
import { authorize, type StaffMember } from '../core/staff';
import type { ComplaintRepository } from './ports';

// Status events out: subscriptions (admin only), the fan-out of each complaint event to the subscriptions
// that want it, one delivery at a time with its retries, and the dead letters. Each delivery runs on its own
// (one execution of statemachines/webhook-delivery.asl.json each), so a slow or failing subscriber holds up
// nothing but its own deliveries; intake and the workflow never wait for any of it.

/** A subscription as stored: with its signing secret. */
export type StoredSubscription = Subscription & { secret: string; fingerprint?: string };

/** A delivery as stored: with the body sent on every attempt and where its schedule stands. */
export type StoredDelivery = Delivery & {
  body: string;
  /** When the current round of attempts began (creation, or the last redrive): the schedule counts from it. */
  roundStartedAt: string;
  /** Failed attempts in the current round. */
  roundAttempts: number;
};

export type DeliveryKey = Pick<Delivery, 'complaintId' | 'sequence' | 'deliveryId'>;

/** The outcome of an attempt, as stored: the delivery's new state, and the dead letter if it was parked. */
export interface AttemptRecord {
  /** The attempts the log keeps after this one (loggedAttempts), and the count of all of them. */
  attempts: DeliveryAttempt[];
  attemptCount: number;
  state: DeliveryState;
  nextAttemptAt?: string;
  /** Failed attempts in the round after this one (the stored value must still be `roundAttempts - 1`). */
  roundAttempts: number;
  deadLetter?: DeadLetter;
}

export interface OutboundWebhookStore {
  /** Stores a new subscription; 'exists' when one with its id is stored already (a repeated create). */
  createSubscription(subscription: StoredSubscription): Promise<'created' | 'exists'>;
  subscription(id: string): Promise<StoredSubscription | undefined>;
  subscriptions(): Promise<StoredSubscription[]>;
  /** Disables an active subscription; false when there is none, or it was disabled already. */
  disableSubscription(id: string, reason: string, at: string): Promise<boolean>;
  /** false when there was none. */
  deleteSubscription(id: string): Promise<boolean>;
  /** Stores a delivery unless it is stored already (an event consumed twice); false then. */
  createDelivery(delivery: StoredDelivery): Promise<boolean>;
  delivery(key: DeliveryKey): Promise<StoredDelivery | undefined>;
  /** A complaint's deliveries, in event order. */
  deliveries(complaintId: string): Promise<StoredDelivery[]>;
  /**
   * Records one attempt, with the dead letter in the same write when it parks the delivery; false when
   * another run recorded an attempt first (the step was retried after it had recorded).
   */
  recordAttempt(key: DeliveryKey, record: AttemptRecord): Promise<boolean>;
  /** Marks a delivery that will not be attempted again (its subscription was disabled or deleted). */
  cancelDelivery(key: DeliveryKey, because: string): Promise<void>;
  deadLetters(page: { limit: number; before?: string }): Promise<{ deadLetters: DeadLetter[]; before?: string }>;
  /**
   * Takes a delivery out of the dead letters and starts a new round of attempts, in one write; false when
   * the dead letter is gone (redriven already).
   */
  redrive(deadLetter: DeadLetter, roundStartedAt: string): Promise<boolean>;
  deadLetter(id: string): Promise<DeadLetter | undefined>;
}

export interface DeliveryStarter {
  /** Starts the delivery's execution; starting the same round again is harmless. */
  start(key: DeliveryKey, round: number): Promise<void>;
}

export interface SubscriberClient {
  /** Why the URL may not be delivered to (its scheme, or where its name resolves now), or undefined. */
  refusal(url: string): Promise<string | undefined>;
  /** One POST, within its timeout, to an address checked after resolution; never throws. */
  post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number } | { error: string }>;
}

export interface OutboundWebhookPorts {
  webhooks: OutboundWebhookStore;
  deliveries: DeliveryStarter;
  subscribers: SubscriberClient;
  complaints: Pick<ComplaintRepository, 'get' | 'history'>;
  /** The product's clock: when things happen and when the next attempt is due. */
  now: () => Date;
  /** The real time, in seconds, for `webhook-timestamp`: what a subscriber's own clock compares it with. */
  wallClockSeconds: () => number;
}

const publicView = ({ secret: _secret, fingerprint: _fingerprint, ...subscription }: StoredSubscription): Subscription => subscription;

/**
 * Registers a subscriber endpoint. Under an Idempotency-Key the subscription's id is derived from the staff
 * member and the key, so a retried create finds the first one and answers with it (the secret included, to the
 * same person with the same key); the same key with another request is refused.
 */
export async function createSubscription(
  request: SubscriptionRequest,
  staff: StaffMember,
  idempotencyKey: string | undefined,
  ports: Pick<OutboundWebhookPorts, 'webhooks' | 'subscribers' | 'now'>,
): Promise<{ subscription: Subscription & { secret: string }; replayed: boolean }> {
  authorize(staff, 'config:manage');
  const refusal = await ports.subscribers.refusal(request.url);
  if (refusal) throw new ValidationFailed([{ field: 'url', message: refusal }]);
  const fingerprint = JSON.stringify([request.url, [...request.events].sort(), request.source ?? null, request.description ?? null]);
  const subscription: StoredSubscription = {
    id: subscriptionIdOf(idempotencyKey === undefined ? undefined : { staffId: staff.id, idempotencyKey }),
    url: request.url,
    events: request.events,
    ...(request.source ? { source: request.source } : {}),
    ...(request.description ? { description: request.description } : {}),
    status: 'active',
    createdAt: ports.now().toISOString(),
    createdBy: staff.id,
    secret: newSigningSecret(),
    ...(idempotencyKey === undefined ? {} : { fingerprint }),
  };
  if ((await ports.webhooks.createSubscription(subscription)) === 'created') {
    return { subscription: { ...publicView(subscription), secret: subscription.secret }, replayed: false };
  }
  const first = await ports.webhooks.subscription(subscription.id);
  if (!first || first.fingerprint !== fingerprint) {
    throw new IdempotencyKeyReused('This Idempotency-Key was already used to create another subscription (or one since deleted).');
  }
  return { subscription: { ...publicView(first), secret: first.secret }, replayed: true };
}

export async function listSubscriptions(staff: StaffMember, ports: Pick<OutboundWebhookPorts, 'webhooks'>): Promise<Subscription[]> {
  authorize(staff, 'config:manage');
  const subscriptions = await ports.webhooks.subscriptions();
  return subscriptions.map(publicView).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** Stops deliveries to a subscription; those in their retries are cancelled at their next attempt. Repeating it is harmless. */
export async function disableSubscription(
  id: string,
  staff: StaffMember,
  ports: Pick<OutboundWebhookPorts, 'webhooks' | 'now'>,
): Promise<Subscription> {
  authorize(staff, 'config:manage');
  await ports.webhooks.disableSubscription(id, `disabled by ${staff.id}`, ports.now().toISOString());
  const subscription = await ports.webhooks.subscription(id);
  if (!subscription) throw new NotFound(`No webhook subscription ${id}`);
  return publicView(subscription);
}

export async function deleteSubscription(id: string, staff: StaffMember, ports: Pick<OutboundWebhookPorts, 'webhooks'>): Promise<void> {
  authorize(staff, 'config:manage');
  if (!(await ports.webhooks.deleteSubscription(id))) throw new NotFound(`No webhook subscription ${id}`);
}

/** A complaint's delivery log. Admins only: it names the subscribers' endpoints. */
export async function deliveryLog(
  complaintId: string,
  staff: StaffMember,
  ports: Pick<OutboundWebhookPorts, 'webhooks' | 'complaints'>,
): Promise<Delivery[]> {
  authorize(staff, 'config:manage');
  if (!(await ports.complaints.get(complaintId))) throw new NotFound(`No complaint ${complaintId}`);
  const deliveries = await ports.webhooks.deliveries(complaintId);
  return deliveries.map(({ body: _body, roundStartedAt: _start, roundAttempts: _attempts, ...delivery }) => delivery);
}

export async function listDeadLetters(
  query: { limit?: number; before?: string },
  staff: StaffMember,
  ports: Pick<OutboundWebhookPorts, 'webhooks'>,
): Promise<{ deadLetters: DeadLetter[]; before?: string }> {
  authorize(staff, 'config:manage');
  return ports.webhooks.deadLetters({ limit: query.limit ?? 25, before: query.before });
}

/**
 * Takes a delivery out of the dead letters and gives it a new day of attempts, with the same `webhook-id` and
 * body. Its subscription must still be active: fix or re-enable the endpoint first.
 */
export async function redriveDeadLetter(
  id: string,
  staff: StaffMember,
  ports: Pick<OutboundWebhookPorts, 'webhooks' | 'deliveries' | 'now'>,
): Promise<{ deliveryId: string; complaintId: string; state: DeliveryState }> {
  authorize(staff, 'config:manage');
  const deadLetter = await ports.webhooks.deadLetter(id);
  if (!deadLetter) throw new NotFound(`No dead letter ${id} (it may have been redriven already)`);
  const subscription = await ports.webhooks.subscription(deadLetter.subscriptionId);
  if (!subscription || subscription.status !== 'active') {
    throw new ValidationFailed([
      {
        field: 'subscriptionId',
        message: `subscription ${deadLetter.subscriptionId} is ${subscription ? 'disabled' : 'deleted'}: nothing to deliver to`,
      },
    ]);
  }
  if (!(await ports.webhooks.redrive(deadLetter, ports.now().toISOString()))) throw new NotFound(`No dead letter ${id} (redriven meanwhile)`);
  const delivery = await ports.webhooks.delivery(deadLetter);
  await ports.deliveries.start(deadLetter, delivery?.redrives ?? 1);
  return { deliveryId: deadLetter.deliveryId, complaintId: deadLetter.complaintId, state: 'pending' };
}

/** One call redrives at most this many: each is a read, a write and an execution start (~50 ms), so the staff API's 10 s holds. */
export const BULK_REDRIVE_LIMIT = 100;

/**
 * Redrives every dead letter of one subscription, or all of them, once each: a dead letter is taken out in the
 * same write that starts its new round, so calling again (or two admins at once) redrives nothing twice.
 * Those whose subscription is not active stay, with why. At most BULK_REDRIVE_LIMIT a call; `more` says to call again.
 */
export async function redriveDeadLetters(
  request: { subscriptionId: string },
  staff: StaffMember,
  ports: Pick<OutboundWebhookPorts, 'webhooks' | 'deliveries' | 'now'>,
): Promise<{
  redriven: { deliveryId: string; complaintId: string; state: DeliveryState }[];
  skipped: { deadLetterId: string; reason: string }[];
  more: boolean;
}> {
  authorize(staff, 'config:manage');
  const redriven: { deliveryId: string; complaintId: string; state: DeliveryState }[] = [];
  const skipped: { deadLetterId: string; reason: string }[] = [];
  let before: string | undefined;
  do {
    const page = await ports.webhooks.deadLetters({ limit: 100, before });
    for (const deadLetter of page.deadLetters) {
      if (request.subscriptionId !== 'all' && deadLetter.subscriptionId !== request.subscriptionId) continue;
      if (redriven.length >= BULK_REDRIVE_LIMIT) return { redriven, skipped, more: true };
      try {
        redriven.push(await redriveDeadLetter(deadLetter.id, staff, ports));
      } catch (error) {
        // Redriven meanwhile by someone else: not ours to report. A subscription that cannot receive: skipped, with why.
        if (error instanceof NotFound) continue;
        if (error instanceof ValidationFailed)
          skipped.push({ deadLetterId: deadLetter.id, reason: error.issues.map((issue) => issue.message).join('; ') });
        else throw error;
      }
    }
    before = page.before;
  } while (before !== undefined);
  return { redriven, skipped, more: false };
}

/**
 * The event consumer: for a complaint event, one delivery per outbound event it gives and subscription that
 * wants it, stored with the body it will carry, and its execution started. Consuming the same event again
 * stores and starts nothing new (the delivery's id is derived from the event and the subscription).
 */
export async function dispatchComplaintEvent(
  detail: { complaintId: string; type: string; sequence: number },
  ports: Pick<OutboundWebhookPorts, 'webhooks' | 'deliveries' | 'complaints' | 'now'>,
): Promise<number> {
  const types = outboundEventsOf(detail.type);
  if (types.length === 0) return 0;
  const subscriptions = (await ports.webhooks.subscriptions()).filter((subscription) => types.some((type) => subscription.events.includes(type)));
  if (subscriptions.every((subscription) => subscription.status !== 'active')) return 0;
  const complaint = await ports.complaints.get(detail.complaintId);
  if (!complaint) return 0;
  const [event] = (await ports.complaints.history(detail.complaintId, { limit: 1, through: detail.sequence })).entries;
  const [received] = detail.sequence === 1 ? [event] : (await ports.complaints.history(detail.complaintId, { limit: 1, through: 1 })).entries;
  if (!event) return 0;
  const source = received && sourceOfActor(received.actor);
  const createdAt = ports.now().toISOString();
  let started = 0;
  for (const type of types) {
    const body = JSON.stringify(webhookPayload({ type, event: { ...event, sequence: detail.sequence }, complaint, source }));
    for (const subscription of subscriptions.filter((candidate) => subscriptionWants(candidate, type, source))) {
      const delivery: StoredDelivery = {
        deliveryId: deliveryIdOf(detail.complaintId, detail.sequence, type, subscription.id),
        subscriptionId: subscription.id,
        complaintId: detail.complaintId,
        sequence: detail.sequence,
        type,
        url: subscription.url,
        state: 'pending',
        createdAt,
        attempts: [],
        attemptCount: 0,
        redrives: 0,
        body,
        roundStartedAt: createdAt,
        roundAttempts: 0,
      };
      await ports.webhooks.createDelivery(delivery);
      await ports.deliveries.start(delivery, 0);
      started += 1;
    }
  }
  return started;
}

export type AttemptAnswer = { outcome: 'retry'; nextAttemptAt: string } | { outcome: 'done'; state: DeliveryState };

const FINISHED: readonly DeliveryState[] = ['delivered', 'gone', 'parked', 'cancelled'];

/**
 * One attempt of a delivery (the state machine's step): sign, POST, record, and say when to try again. A
 * subscriber answering 410 Gone is unsubscribed (its subscription disabled); after the last attempt of the
 * schedule the delivery is parked in the dead letters. A step retried after it recorded its attempt records
 * nothing twice and answers as the first run did.
 */
export async function attemptDelivery(key: DeliveryKey, ports: Omit<OutboundWebhookPorts, 'deliveries'>): Promise<AttemptAnswer> {
  const delivery = await ports.webhooks.delivery(key);
  if (!delivery) return { outcome: 'done', state: 'cancelled' };
  if (FINISHED.includes(delivery.state)) return { outcome: 'done', state: delivery.state };
  const subscription = await ports.webhooks.subscription(delivery.subscriptionId);
  if (!subscription || subscription.status !== 'active') {
    await ports.webhooks.cancelDelivery(
      key,
      subscription ? `subscription disabled (${subscription.disabledReason ?? 'no reason given'})` : 'subscription deleted',
    );
    return { outcome: 'done', state: 'cancelled' };
  }
  const startedAt = ports.now();
  const started = Date.now();
  const refusal = await ports.subscribers.refusal(subscription.url);
  const answer = refusal
    ? { error: `address refused: ${refusal}` }
    : await ports.subscribers.post(
        subscription.url,
        signedHeaders(subscription.secret, delivery.deliveryId, ports.wallClockSeconds(), delivery.body),
        delivery.body,
      );
  const attempt: DeliveryAttempt = { at: startedAt.toISOString(), ...answer, durationMs: Date.now() - started };
  const outcome = attemptOutcome(answer);
  const roundAttempts = delivery.roundAttempts + 1;
  const logged = { attempts: loggedAttempts(delivery.attempts, attempt), attemptCount: delivery.attemptCount + 1, roundAttempts };
  let record: AttemptRecord;
  if (outcome === 'failed') {
    const next = nextAttemptAt(new Date(delivery.roundStartedAt), roundAttempts);
    const parkedAt = ports.now();
    record = next
      ? { ...logged, state: 'retrying', nextAttemptAt: next.toISOString() }
      : {
          ...logged,
          state: 'parked',
          deadLetter: {
            id: deadLetterIdOf(parkedAt, delivery.deliveryId),
            deliveryId: delivery.deliveryId,
            complaintId: delivery.complaintId,
            sequence: delivery.sequence,
            subscriptionId: delivery.subscriptionId,
            type: delivery.type,
            parkedAt: parkedAt.toISOString(),
            lastAttempt: attempt,
          },
        };
  } else {
    record = { ...logged, state: outcome };
  }
  if (!(await ports.webhooks.recordAttempt(key, record))) {
    // Another run of this step recorded first: answer from what it stored.
    const now = await ports.webhooks.delivery(key);
    if (!now || FINISHED.includes(now.state) || !now.nextAttemptAt) return { outcome: 'done', state: now?.state ?? 'cancelled' };
    return { outcome: 'retry', nextAttemptAt: now.nextAttemptAt };
  }
  if (outcome === 'gone') {
    await ports.webhooks.disableSubscription(subscription.id, `the subscriber answered 410 Gone to ${delivery.deliveryId}`, startedAt.toISOString());
  }
  return record.state === 'retrying' ? { outcome: 'retry', nextAttemptAt: record.nextAttemptAt! } : { outcome: 'done', state: record.state };
}

/** The attempts a delivery's log keeps: the newest MAX_LOGGED_ATTEMPTS. */
export function loggedAttempts(attempts: readonly DeliveryAttempt[], attempt: DeliveryAttempt): DeliveryAttempt[] {
  return [...attempts, attempt].slice(-MAX_LOGGED_ATTEMPTS);
}
