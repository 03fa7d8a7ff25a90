import { COMPLAINT_CREATED } from '../complaint-created-event';
import { MalformedRequest } from '../errors';
import { list, reasonCodeOf, record, text, type Headers, type MappedDelivery, productOf } from './mapped-delivery';

// Shopify's `returns/request` webhook: a customer asked to return line items of an order, with a reason and
// a note. Its payload names no customer and no product (only ids): those come from the order, which Shopify
// gives only through its Admin API (`ShopifyOrderFacts`). Without them the complaint cannot be filed, and the
// answer is a 422 naming `data.customer.email` (README, "Connecting a Shopify store", says what is missing).

export const SHOPIFY_RETURN_REQUEST_TOPIC = 'returns/request';

/** What the order adds to a return request: who the customer is, and the titles of the line items. */
export interface ShopifyOrderFacts {
  email?: string;
  customerName?: string;
  phone?: string;
  orderName?: string;
  processedAt?: string;
  /** Line item titles by their numeric id. */
  lineItemTitles: Record<string, string>;
}

export function mapShopifyDelivery(payload: unknown, header: Headers, language: string, order?: ShopifyOrderFacts): MappedDelivery {
  const topic = header('x-shopify-topic');
  if (topic !== SHOPIFY_RETURN_REQUEST_TOPIC) return { kind: 'ignored', reason: `The topic ${topic ?? '(none)'} files no complaint.` };
  const returnRequest = record(payload);
  const orderRef = record(returnRequest.order);
  const lines = list(returnRequest.return_line_items);
  const platformReasons = [...new Set(lines.map((line) => text(line.return_reason)).filter((code) => code !== undefined))];
  const notes = lines.flatMap((line) => [text(line.customer_note), text(line.return_reason_note)]).filter((note) => note !== undefined);
  const items = lines.map((line) => {
    const lineItem = record(record(line.fulfillment_line_item).line_item);
    const lineItemId = text(lineItem.id);
    return {
      lineItemId,
      productId: text(lineItem.product_id),
      sku: text(lineItem.sku),
      name: text(lineItem.title) ?? text(lineItem.name) ?? (lineItemId ? order?.lineItemTitles[lineItemId] : undefined),
      quantity: line.quantity,
    };
  });
  const returnName = text(returnRequest.name) ?? text(returnRequest.id);
  const reason = platformReasons.length === 1 ? platformReasons[0] : platformReasons.length > 1 ? 'mixed' : undefined;
  const event = {
    type: COMPLAINT_CREATED,
    timestamp: text(returnRequest.requested_at) ?? text(returnRequest.created_at) ?? header('x-shopify-triggered-at'),
    data: {
      customer: { name: order?.customerName ?? order?.email, email: order?.email, phone: order?.phone },
      orderNumber: text(orderRef.name) ?? order?.orderName,
      product: productOf(items),
      purchaseDate: order?.processedAt?.slice(0, 10),
      // The customer's own words when given; otherwise what they chose in Shopify's return form.
      description: notes.length > 0 ? notes.join('\n') : `Zgłoszenie zwrotu ${returnName ?? ''} w Shopify, powód: ${reason ?? 'nie podano'}.`,
      // A return asks for the money back; one with exchange items asks for other goods.
      desiredRemedy: list(returnRequest.exchange_line_items).length > 0 ? 'replacement' : 'refund',
      language,
      orderId: text(orderRef.admin_graphql_api_id) ?? text(orderRef.id),
      returnId: text(returnRequest.admin_graphql_api_id) ?? text(returnRequest.id),
      items,
      reason: { code: reasonCodeOf(reason), platformCode: reason },
    },
  };
  const eventId = header('x-shopify-event-id');
  if (!eventId) throw new MalformedRequest('The header X-Shopify-Event-Id is required: it tells a retried delivery from a new one.');
  return {
    kind: 'complaint',
    event,
    sourcePlatform: 'shopify',
    // Shopify's id of the event, the same on every retry (X-Shopify-Webhook-Id changes with each delivery).
    deliveryKey: ['shopify-event', eventId],
  };
}

/** The order the return request belongs to, as the Admin API names it (gid://shopify/Order/…). */
export function shopifyOrderIdOf(payload: unknown): string | undefined {
  const orderRef = record(record(payload).order);
  return text(orderRef.admin_graphql_api_id) ?? (text(orderRef.id) ? `gid://shopify/Order/${text(orderRef.id)}` : undefined);
}
