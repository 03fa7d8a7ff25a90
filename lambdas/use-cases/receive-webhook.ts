import { createHash } from 'node:crypto';
import type { ComplaintReceipt } from '../core/complaint';
import { awaitingPlatformEventSchema, complaintCreatedEventSchema, COMPLAINT_CREATED } from '../core/complaint-created-event';
import { warsawCalendarDate } from '../core/calendar/polish-calendar';
import { MalformedRequest, NotFound, WebhookTimestampOutOfTolerance } from '../core/errors';
import type { Headers, MappedDelivery } from '../core/platforms/mapped-delivery';
import { mapShoperDelivery } from '../core/platforms/shoper';
import { mapShopifyDelivery, shopifyOrderIdOf } from '../core/platforms/shopify';
import { isWooCommercePing, mapWooCommerceDelivery } from '../core/platforms/woocommerce';
import { validated } from '../core/validation';
import { verifyWebhookSignature } from '../core/webhook-signatures';
import type { WebhookSource, WebhookSources } from '../core/webhook-sources';
import { submitComplaint, type SubmitComplaintPorts } from './submit-complaint';

// A shop's webhook, from raw bytes to a stored complaint: find the source, check the signature over the bytes
// as they came, only then parse, map the platform's payload to the canonical complaint.created event, check
// it, and take it in through the one intake. The delivery's own key (per scheme) is the Idempotency-Key, so
// a delivery creates one complaint however often and however concurrently it arrives. Nothing here waits on
// another system: what a platform's payload lacks (a Shopify return request's customer) the workflow reads
// later (`platformLookup`), so the sender is answered within a second.

export interface ReceiveWebhookPorts extends SubmitComplaintPorts {
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
 * How long a key that names the customer's request itself (a WooCommerce return request's id) is remembered:
 * the shop resends the order with the request on it at every later change, for as long as the order is
 * touched; the consumer's warranty claims run two years from delivery, so three years covers the order's
 * active life. One small item per such complaint.
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
  const event = platformLookup ? validated(awaitingPlatformEventSchema, mapped.event) : validated(complaintCreatedEventSchema, mapped.event);
  const idempotencyKey = createHash('sha256').update(JSON.stringify(mapped.deliveryKey)).digest('base64url');
  const { orderId, returnId, items, reason, ...content } = event.data;
  const { receipt, replayed } = await submitComplaint(
    {
      content,
      metadata: {
        channel: 'webhook',
        actor: `webhook:${delivery.source}`,
        // The customer lodged the complaint with the shop at the event's time: the term counts from that day.
        receivedOn: notAfterToday(warsawCalendarDate(new Date(event.timestamp)), ports.now()),
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
    },
    ports,
  );
  return { outcome: 'complaint', receipt, replayed, sourcePlatform: mapped.sourcePlatform };
}

function mapDelivery(source: WebhookSource, delivery: WebhookDelivery, payload: unknown): MappedDelivery {
  switch (source.scheme) {
    case 'standard-webhooks': {
      const type = (payload as { type?: unknown } | null)?.type;
      // A receiver accepts event types it does not know (the sender may add some): nothing to file.
      if (type !== COMPLAINT_CREATED) return { kind: 'ignored', reason: `The event type ${String(type).slice(0, 60)} files no complaint.` };
      // webhook-id is the same on every retry of a message (Standard Webhooks, "Idempotency").
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
  if (Number.isNaN(at)) throw new MalformedRequest('X-Shopify-Triggered-At is not a date.');
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

function notAfterToday(date: string, now: Date): string {
  const today = warsawCalendarDate(now);
  return date > today ? today : date;
}
