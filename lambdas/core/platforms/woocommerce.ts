import { COMPLAINT_CREATED } from '../complaint-created-event';
import { warsawWallClockInstant } from '../calendar/warsaw-time';
import { bodyHash, fullName, list, quantity, reasonCodeOf, record, text, type Headers, type MappedDelivery, productOf } from './mapped-delivery';

// WooCommerce has no returns of its own: a returns plugin keeps the customer's return request on the order, in
// a meta entry (its key is the source's `returnRequestMetaKey`), and WooCommerce sends the order on
// `order.updated`, or on a custom action topic the plugin fires (`action.<hook>`, body `{ action, arg }` with
// the order as `arg`). An order update without a return request files nothing.
//
// The return request's shape (README, "Connecting a WooCommerce shop"):
//   { id, reason, reason_code?, description, desired_remedy?, items?: [{ line_item_id, quantity }], requested_at? }

export function mapWooCommerceDelivery(
  payload: unknown,
  body: Buffer,
  header: Headers,
  source: { returnRequestMetaKey: string; language: string },
): MappedDelivery {
  const topic = header('x-wc-webhook-topic') ?? '';
  const isAction = topic.startsWith('action.');
  if (!topic.startsWith('order.') && !isAction) return { kind: 'ignored', reason: `The topic ${topic || '(none)'} files no complaint.` };
  const order = isAction ? record(record(payload).arg) : record(payload);
  const meta = list(order.meta_data).find((entry) => entry.key === source.returnRequestMetaKey);
  if (!meta) return { kind: 'ignored', reason: `The order carries no return request (meta ${source.returnRequestMetaKey}).` };
  const returnRequest = record(typeof meta.value === 'string' ? parseJson(meta.value) : meta.value);
  const billing = record(order.billing);
  const lineItems = list(order.line_items);
  const requested = list(returnRequest.items);
  const items = requested.map((item) => {
    const lineItemId = text(item.line_item_id);
    const lineItem = lineItems.find((line) => text(line.id) === lineItemId) ?? {};
    return {
      lineItemId,
      productId: text(lineItem.product_id),
      sku: text(lineItem.sku),
      name: text(lineItem.name),
      quantity: quantity(item.quantity),
    };
  });
  const platformReason = text(returnRequest.reason);
  const dateModified = text(order.date_modified_gmt) ?? text(order.date_modified);
  const [timestamp, timestampField] = requestDate(returnRequest, order);
  const desired = text(returnRequest.desired_remedy);
  const orderId = text(order.id);
  const event = {
    type: COMPLAINT_CREATED,
    timestamp,
    data: {
      customer: { name: fullName(billing.first_name, billing.last_name), email: text(billing.email), phone: text(billing.phone) },
      orderNumber: text(order.number),
      product: productOf(items),
      purchaseDate: (text(order.date_paid) ?? text(order.date_created))?.slice(0, 10),
      description: text(returnRequest.description),
      desiredRemedy: desired === 'exchange' ? 'replacement' : desired,
      language: source.language,
      orderId,
      returnId: text(returnRequest.id),
      items: items.length > 0 ? items : undefined,
      reason: { code: reasonCodeOf(text(returnRequest.reason_code) ?? platformReason), platformCode: platformReason },
    },
  };
  const returnId = text(returnRequest.id);
  // Every later change of the order (a note, a status, a refund) sends it again with the return request still
  // on it: the request's own id makes all of those the one complaint.
  if (returnId !== undefined && orderId !== undefined) {
    return {
      kind: 'complaint',
      event,
      sourcePlatform: 'woocommerce',
      deliveryKey: ['woocommerce-return', orderId, returnId],
      keyNames: 'request',
      timestampField,
    };
  }
  return {
    kind: 'complaint',
    event,
    sourcePlatform: 'woocommerce',
    // WooCommerce gives each delivery a new id and signs no timestamp: without the request's id, what stays the
    // same across retries is the topic, the order, its modification date and the body itself.
    deliveryKey: ['woocommerce', topic, orderId ?? '', dateModified ?? '', bodyHash(body)],
    timestampField,
  };
}

const HAS_ZONE = /(?:[zZ]|[+-]\d\d:\d\d)$/;

/**
 * When the customer asked, with the field it came from: the request's own `requested_at`, else the order's last
 * change. WooCommerce writes `date_modified_gmt` in UTC and `date_modified` in the shop's time (Warsaw for a
 * Polish shop), both without a zone; a value that names no real moment is passed on for the schema to refuse.
 */
function requestDate(returnRequest: Record<string, unknown>, order: Record<string, unknown>): [string | undefined, string] {
  const requestedAt = text(returnRequest.requested_at);
  if (requestedAt !== undefined) return [requestedAt, 'requested_at'];
  const modifiedGmt = text(order.date_modified_gmt);
  if (modifiedGmt !== undefined) return [HAS_ZONE.test(modifiedGmt) ? modifiedGmt : `${modifiedGmt}Z`, 'date_modified_gmt'];
  const modifiedLocal = text(order.date_modified);
  if (modifiedLocal !== undefined) {
    return [HAS_ZONE.test(modifiedLocal) ? modifiedLocal : (warsawWallClockInstant(modifiedLocal)?.toISOString() ?? modifiedLocal), 'date_modified'];
  }
  return [undefined, 'requested_at'];
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** WooCommerce's ping when a webhook is created or its URL saved: `webhook_id=N`, form-encoded and unsigned. */
export function isWooCommercePing(body: Buffer, contentType: string | undefined): boolean {
  return (
    (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded') && /^webhook_id=\d{1,20}$/.test(body.toString('latin1').trim())
  );
}
