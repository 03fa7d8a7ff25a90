import { COMPLAINT_CREATED } from '../complaint-created-event';
import { warsawWallClockInstant } from '../calendar/warsaw-time';
import { bodyHash, fullName, list, quantity, record, text, type Headers, type MappedDelivery, productOf } from './mapped-delivery';

// Shoper has no complaint object: the shop marks a complaint by moving the order into one of its complaint
// statuses (the source's `complaintStatusIds`), with what the customer said in the order's private note, and
// Shoper sends `order.status`. Other events, and moves into other statuses, file nothing.

export const SHOPER_STATUS_EVENT = 'order.status';

export function mapShoperDelivery(
  payload: unknown,
  body: Buffer,
  header: Headers,
  source: { complaintStatusIds: readonly string[]; desiredRemedy?: string; language: string },
): MappedDelivery {
  const eventName = header('x-webhook-name');
  if (eventName !== SHOPER_STATUS_EVENT) return { kind: 'ignored', reason: `The event ${eventName ?? '(none)'} files no complaint.` };
  const order = record(payload);
  const statusId = text(order.status_id);
  if (!statusId || !source.complaintStatusIds.includes(statusId))
    return { kind: 'ignored', reason: `The order status ${statusId ?? '(none)'} is not one of this shop's complaint statuses.` };
  const billing = record(order.billingAddress ?? order.billing_address);
  const items = list(order.products).map((product) => ({
    lineItemId: text(product.id),
    productId: text(product.product_id),
    sku: text(product.code),
    name: text(product.name),
    quantity: quantity(product.quantity),
  }));
  const orderId = text(order.order_id);
  const statusDate = text(order.status_date);
  const event = {
    type: COMPLAINT_CREATED,
    timestamp: shoperInstant(statusDate ?? text(order.date)),
    data: {
      customer: { name: fullName(billing.firstname, billing.lastname), email: text(order.email), phone: text(billing.phone) },
      orderNumber: orderId,
      product: productOf(items),
      purchaseDate: text(order.date)?.slice(0, 10),
      description: text(order.notes_priv) ?? text(order.notes),
      desiredRemedy: source.desiredRemedy,
      language: source.language,
      orderId,
      items: items.length > 0 ? items : undefined,
      // Shoper has no reason: the status the shop chose is its own code for it.
      reason: { code: 'other', platformCode: `status:${statusId}` },
    },
  };
  return {
    kind: 'complaint',
    event,
    sourcePlatform: 'shoper',
    // No timestamp and no delivery id: the webhook's id, the order and the body itself identify a retry.
    deliveryKey: ['shoper', header('x-webhook-id') ?? '', orderId ?? '', bodyHash(body)],
    timestampField: statusDate !== undefined ? 'status_date' : 'date',
  };
}

/**
 * Shoper writes "2026-11-20 14:05:00" in the shop's time (Warsaw for a Polish shop). A value that names no real
 * moment ("2026-02-30 10:14:00", "25:99") is passed on as it came, for the event's schema to refuse on its field.
 */
function shoperInstant(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return warsawWallClockInstant(value)?.toISOString() ?? value;
}
