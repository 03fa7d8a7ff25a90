import { createHash } from 'node:crypto';
import type { ComplaintReceipt } from '../core/complaint';
import { awaitingPlatformEventSchema, complaintCreatedEventSchema, COMPLAINT_CREATED, dateOfReceipt } from '../core/complaint-created-event';
import { InvalidHeader, MalformedRequest, NotFound, ValidationFailed, WebhookTimestampOutOfTolerance } from '../core/errors';
import { record, text, type Headers, type MappedDelivery } from '../core/platforms/mapped-delivery';
import { mapShoperDelivery } from '../core/platforms/shoper';
import { mapShopifyDelivery, shopifyOrderIdOf } from '../core/platforms/shopify';
import { isWooCommercePing, mapWooCommerceDelivery } from '../core/platforms/woocommerce';
import { validated } from '../core/validation';
import { verifyWebhookSignature } from '../core/webhook-signatures';
import type { WebhookSource, WebhookSources } from '../core/webhook-sources';
import type { ComplaintRepository } from './ports';
import {
  requestFingerprint,
  submitComplaint,
  type SubmitComplaintPorts,
  type SubmitComplaintRequest,
  type SubmitComplaintResult,
} from './submit-complaint';

// A shop's webhook, from raw bytes to a stored complaint: find the source, check the signature over the bytes
// as they came, only then parse, map the platform's payload to the canonical complaint.created event, check
// it, and take it in through the one intake. The return's id, else the delivery's own key (per scheme), is the
// Idempotency-Key, so a return creates one complaint however often and however concurrently it arrives. Nothing here waits on
// another system: what a platform's payload lacks (a Shopify return request's customer) the workflow reads
// later (`platformLookup`), so the sender is answered within a second.

export interface ReceiveWebhookPorts extends SubmitComplaintPorts {
  /** Intake's store, which also reads a key's stored answer: a delivery already filed is answered even when its date is refused. */
  complaints: Pick<ComplaintRepository, 'create' | 'intakeAnswer'>;
  /** The configured sources with their secrets (read once per cold start). */
  sources(): Promise<WebhookSources>;
  /** Seconds since 1970 on the wall clock: signature freshness is about the sender's clock and ours. */
  wallClockSeconds(): number;
}

export interface WebhookDelivery {
  source: string;
  header: Headers;
  body: Buffer;
}

export type WebhookOutcome =
  { outcome: 'complaint'; receipt: ComplaintReceipt; replayed: boolean; sourcePlatform: string } | { outcome: 'ignored'; reason: string };

/**
 * How long a delivery's key is remembered: longer than any of the platforms retries (Standard Webhooks
 * senders such as Svix ~28 h, Shopify 4 h, WooCommerce and Shoper less), so every retry finds it. A
 * DynamoDB TTL removes it afterwards; at one key per complaint that is one small item per complaint for 7 days.
 */
export const WEBHOOK_KEY_RETENTION_SECONDS = 7 * 24 * 60 * 60;

/**
 * How long a key that names the customer's request itself (a return's id: WooCommerce's return request, a
 * Shopify Return, a Standard Webhooks event's `returnId`) is remembered: WooCommerce resends the order with the
 * request on it at every later change, for as long as the order is touched, and any shop may send a return
 * again; the consumer's warranty claims run two years from delivery, so three years covers the order's active
 * life. One small item per such complaint.
 */
export const REQUEST_KEY_RETENTION_SECONDS = 3 * 365 * 24 * 60 * 60;

export async function receiveWebhook(delivery: WebhookDelivery, ports: ReceiveWebhookPorts): Promise<WebhookOutcome> {
  const sources = await ports.sources();
  const source = Object.hasOwn(sources, delivery.source) ? sources[delivery.source] : undefined;
  if (!source) throw new NotFound(`No webhook source is named "${delivery.source.slice(0, 40)}".`);

  // WooCommerce pings a new webhook's URL with `webhook_id=N`, unsigned; it must get a 2xx or the shop owner
  // cannot save the webhook. It files nothing, so answering it unsigned gives nothing away.
  if (
    source.scheme === 'woocommerce' &&
    !delivery.header('x-wc-webhook-signature') &&
    isWooCommercePing(delivery.body, delivery.header('content-type'))
  ) {
    return { outcome: 'ignored', reason: 'WooCommerce webhook ping' };
  }
  verifyWebhookSignature(source.scheme, delivery, source.secrets, ports.wallClockSeconds());
  if (source.scheme === 'shopify') refuseStaleShopifyDelivery(delivery.header('x-shopify-triggered-at'), ports.wallClockSeconds());

  const payload = parseJson(delivery.body);
  const mapped = mapDelivery(source, delivery, payload);
  if (mapped.kind === 'ignored') return { outcome: 'ignored', reason: mapped.reason };

  // A Shopify return request names its customer only through the order; a source with Admin API access
  // lets the workflow read it, so the complaint is stored now and completed before it is acknowledged.
  const orderGid = source.scheme === 'shopify' && source.adminApi ? shopifyOrderIdOf(payload) : undefined;
  const platformLookup = orderGid ? { platform: 'shopify' as const, source: delivery.source, orderId: orderGid } : undefined;
  const timestampField = mapped.timestampField ?? 'timestamp';
  const event = withDateField(timestampField, mapped.event, () =>
    platformLookup ? validated(awaitingPlatformEventSchema, mapped.event) : validated(complaintCreatedEventSchema, mapped.event),
  );
  // The customer lodged the complaint with the shop at the event's time: the term counts from that day, so a
  // date that cannot be the day of receipt (in the future, before the purchase, too long ago) files nothing.
  const receivedDay = dateOfReceipt(event.timestamp, event.data.purchaseDate, ports.now());
  const idempotencyKey = createHash('sha256').update(JSON.stringify(mapped.deliveryKey)).digest('base64url');
  const { orderId, returnId, items, reason, ...content } = event.data;
  const request: SubmitComplaintRequest = {
    content,
    metadata: {
      channel: 'webhook',
      actor: `webhook:${delivery.source}`,
      receivedOn: receivedDay.receivedOn,
      policyId: source.policy,
      sourcePlatform: mapped.sourcePlatform,
      externalId: returnId ?? orderId,
      shopDetails: { orderId, returnId, items, reason },
      ...(platformLookup ? { platformLookup } : {}),
    },
    // Each source's keys are its own: one shop cannot answer for another's delivery ids.
    idempotencyScope: `webhook:${delivery.source}`,
    idempotencyKey,
    ...(mapped.keyNames === 'request'
      ? { fingerprint: idempotencyKey, idempotencyRetentionSeconds: REQUEST_KEY_RETENTION_SECONDS }
      : { idempotencyRetentionSeconds: WEBHOOK_KEY_RETENTION_SECONDS }),
  };
  const { receipt, replayed } =
    receivedDay.problem === undefined
      ? await submitComplaint(request, ports)
      : await filedBeforeOrRefused(request, { field: timestampField, message: receivedDay.problem }, ports);
  return { outcome: 'complaint', receipt, replayed, sourcePlatform: mapped.sourcePlatform };
}

/**
 * A date refused only stops a new complaint. A return request the shop sends again weeks later (WooCommerce
 * resends the order at every change, with the request and its old `requested_at` on it) was filed under the
 * same key when it was fresh: it gets that first receipt, as any later delivery of it does, and never a 4xx
 * that would count against the shop's webhook. Anything else under the key (another request's body) is refused.
 */
async function filedBeforeOrRefused(
  request: SubmitComplaintRequest,
  issue: { field: string; message: string },
  ports: ReceiveWebhookPorts,
): Promise<SubmitComplaintResult> {
  const stored = await ports.complaints.intakeAnswer(request.idempotencyScope!, request.idempotencyKey!);
  if (stored && stored.fingerprint === (request.fingerprint ?? requestFingerprint(request.content, request.metadata))) {
    return { receipt: stored.receipt, replayed: true };
  }
  throw new ValidationFailed([issue]);
}

/**
 * The event's `timestamp` came from a field the platform names its own way (`requested_at`, `status_date`): a
 * 422 about it names that field, so the shop's developer finds it in their own payload.
 */
function withDateField<T>(field: string, mapped: unknown, validate: () => T): T {
  if (field === 'timestamp') return validate();
  try {
    return validate();
  } catch (error) {
    if (!(error instanceof ValidationFailed)) throw error;
    const value = text(record(mapped).timestamp);
    throw new ValidationFailed(
      error.issues.map((issue) =>
        issue.field === 'timestamp'
          ? { field, message: value === undefined ? 'is required' : `(${value.slice(0, 40)}) is not a real date and time` }
          : issue,
      ),
    );
  }
}

function mapDelivery(source: WebhookSource, delivery: WebhookDelivery, payload: unknown): MappedDelivery {
  switch (source.scheme) {
    case 'standard-webhooks': {
      const type = (payload as { type?: unknown } | null)?.type;
      // A receiver accepts event types it does not know (the sender may add some): nothing to file.
      if (type !== COMPLAINT_CREATED) return { kind: 'ignored', reason: `The event type ${String(type).slice(0, 60)} files no complaint.` };
      const data = record(record(payload).data);
      const returnId = text(data.returnId);
      // The shop's return is the customer's request itself: every message about it (a retry, or the same return
      // sent again as a new message with a new webhook-id) is the one complaint and gets the first receipt, as a
      // WooCommerce return request's id does. Without a return id, webhook-id is the key: the same on every retry
      // of a message (Standard Webhooks, "Idempotency").
      if (returnId !== undefined) {
        return {
          kind: 'complaint',
          event: payload,
          sourcePlatform: delivery.source,
          deliveryKey: ['standard-webhooks-return', text(data.orderId) ?? '', returnId],
          keyNames: 'request',
        };
      }
      return {
        kind: 'complaint',
        event: payload,
        sourcePlatform: delivery.source,
        deliveryKey: ['standard-webhooks', delivery.header('webhook-id')!],
      };
    }
    case 'shopify':
      return mapShopifyDelivery(payload, delivery.header, source.language);
    case 'woocommerce':
      return mapWooCommerceDelivery(payload, delivery.body, delivery.header, source);
    case 'shoper':
      return mapShoperDelivery(payload, delivery.body, delivery.header, source);
    default:
      throw new Error(`Unknown webhook scheme ${String(source satisfies never)}`);
  }
}

/**
 * Shopify signs no timestamp, so a captured delivery could be replayed at any time; X-Shopify-Triggered-At
 * (unsigned) at least shows an honest one's age. Past the key's retention a replay would no longer be
 * recognised, so such a delivery is refused rather than filed twice; Shopify itself stops retrying after 4 hours.
 */
function refuseStaleShopifyDelivery(triggeredAt: string | undefined, nowSeconds: number): void {
  if (!triggeredAt) return;
  const at = Date.parse(triggeredAt);
  if (Number.isNaN(at)) throw new InvalidHeader('X-Shopify-Triggered-At', 'is not a date.');
  if (nowSeconds - at / 1000 > WEBHOOK_KEY_RETENTION_SECONDS) {
    throw new WebhookTimestampOutOfTolerance('The Shopify event was triggered more than 7 days ago; it may already have been filed.');
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function parseJson(body: Buffer): unknown {
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    throw new MalformedRequest('The body is not valid UTF-8.');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MalformedRequest('The body is not valid JSON.');
  }
}
