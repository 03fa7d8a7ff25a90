import { customerSchema, type Complaint, type PlatformLookup, type ShopDetails, type StoredCustomer } from '../complaint';
import { COMPLAINT_CREATED } from '../complaint-created-event';
import { MissingHeader } from '../errors';
import { list, reasonCodeOf, record, text, type Headers, type MappedDelivery, productOf } from './mapped-delivery';

// Shopify's `returns/request` webhook: a customer asked to return line items of an order, with a reason and
// a note. Its payload names no customer and no product (only ids): those come from the order, which Shopify
// gives only through its Admin API (`ShopifyOrderFacts`). Shopify waits 5 s for our answer, so the complaint
// is stored at once without them and the workflow reads the order before acknowledging (`enrichmentFrom`).
// A source with no Admin API access cannot ever learn them: its return requests are a 422 naming
// `data.customer.email` (README, "Connecting a Shopify store", says what is missing).

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

export function mapShopifyDelivery(payload: unknown, header: Headers, language: string): MappedDelivery {
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
      name: text(lineItem.title) ?? text(lineItem.name),
      quantity: line.quantity,
    };
  });
  const returnName = text(returnRequest.name) ?? text(returnRequest.id);
  const reason = platformReasons.length === 1 ? platformReasons[0] : platformReasons.length > 1 ? 'mixed' : undefined;
  const [timestamp, timestampField] = firstPresent([
    [text(returnRequest.requested_at), 'requested_at'],
    [text(returnRequest.created_at), 'created_at'],
    [header('x-shopify-triggered-at'), 'X-Shopify-Triggered-At'],
  ]);
  const orderId = text(orderRef.admin_graphql_api_id) ?? text(orderRef.id);
  const returnId = text(returnRequest.admin_graphql_api_id) ?? text(returnRequest.id);
  const event = {
    type: COMPLAINT_CREATED,
    timestamp,
    data: {
      customer: {},
      orderNumber: text(orderRef.name),
      product: productOf(items),
      // The customer's own words when given; otherwise what they chose in Shopify's return form.
      description: notes.length > 0 ? notes.join('\n') : `Zgłoszenie zwrotu ${returnName ?? ''} w Shopify, powód: ${reason ?? 'nie podano'}.`,
      // A return asks for the money back; one with exchange items asks for other goods.
      desiredRemedy: list(returnRequest.exchange_line_items).length > 0 ? 'replacement' : 'refund',
      language,
      orderId,
      returnId,
      items,
      reason: { code: reasonCodeOf(reason), platformCode: reason },
    },
  };
  const eventId = header('x-shopify-event-id');
  if (!eventId) throw new MissingHeader('X-Shopify-Event-Id', 'it tells a retried delivery from a new one.');
  // The Return is the customer's request itself: every delivery of it (a retry, or the same return sent again
  // under another event id) is the one complaint and gets the first receipt, as a WooCommerce return request's
  // id does. Only a payload naming no return falls back to Shopify's id of the event, the same on every retry
  // (X-Shopify-Webhook-Id changes with each delivery).
  if (returnId !== undefined) {
    return {
      kind: 'complaint',
      event,
      sourcePlatform: 'shopify',
      deliveryKey: ['shopify-return', orderId ?? '', returnId],
      keyNames: 'request',
      timestampField,
    };
  }
  return { kind: 'complaint', event, sourcePlatform: 'shopify', deliveryKey: ['shopify-event', eventId], timestampField };
}

/** The first value present, with the name of the field it came from (the first name when none is). */
function firstPresent(candidates: ReadonlyArray<readonly [string | undefined, string]>): [string | undefined, string] {
  const found = candidates.find(([value]) => value !== undefined) ?? [undefined, candidates[0]![1]];
  return [found[0], found[1]];
}

/** The order the return request belongs to, as the Admin API names it (gid://shopify/Order/…). */
export function shopifyOrderIdOf(payload: unknown): string | undefined {
  const orderRef = record(record(payload).order);
  return text(orderRef.admin_graphql_api_id) ?? (text(orderRef.id) ? `gid://shopify/Order/${text(orderRef.id)}` : undefined);
}

/** What reading the order added to a complaint, and what it could not (the planner reads the lookup's state). */
export interface OrderEnrichment {
  customer: StoredCustomer;
  product?: string;
  purchaseDate?: string;
  orderNumber?: string;
  shopDetails?: ShopDetails;
  lookup: Pick<PlatformLookup, 'state' | 'reason'>;
}

/**
 * The complaint completed from its order: the customer (name, else their e-mail, as Shopify shows an order
 * without a named customer), the line items' titles, the product line, the purchase day and the order's name.
 * What the customer already gave is kept. An order without a usable e-mail leaves the lookup `failed`: nothing
 * can be e-mailed to the customer, and staff read why.
 */
export function enrichmentFrom(
  complaint: Pick<Complaint, 'customer' | 'product' | 'purchaseDate' | 'orderNumber' | 'shopDetails' | 'receivedOn'>,
  order: ShopifyOrderFacts,
): OrderEnrichment {
  // Checked as intake checks them: a stored complaint that its own schema refuses could not be read back.
  const orderEmail = valid(customerSchema.shape.email, order.email);
  const orderName = valid(customerSchema.shape.name, order.customerName?.slice(0, 200));
  const email = complaint.customer.email ?? orderEmail;
  const name = complaint.customer.name ?? orderName ?? orderEmail;
  const customer: StoredCustomer = {
    ...complaint.customer,
    ...(email ? { email } : {}),
    ...(name ? { name } : {}),
    ...(complaint.customer.phone === undefined && order.phone && /^\+?[0-9][0-9 ()-]{5,19}$/.test(order.phone) ? { phone: order.phone } : {}),
  };
  const items = complaint.shopDetails?.items?.map((item) => {
    const title = item.lineItemId ? valid(customerSchema.shape.name, order.lineItemTitles[item.lineItemId]?.slice(0, 200)) : undefined;
    return item.name === undefined && title ? { ...item, name: title } : item;
  });
  const shopDetails = complaint.shopDetails && { ...complaint.shopDetails, ...(items ? { items } : {}) };
  // The order's day as Shopify records it (UTC); never after the complaint's own day.
  const processedOn = order.processedAt?.slice(0, 10);
  const purchaseDate = complaint.purchaseDate ?? (processedOn && processedOn <= complaint.receivedOn ? processedOn : undefined);
  return {
    customer,
    product: complaint.product ?? (items ? productOf(items) : undefined),
    purchaseDate,
    orderNumber: complaint.orderNumber ?? order.orderName,
    shopDetails,
    lookup: customer.email
      ? { state: 'done' }
      : { state: 'failed', reason: 'The order has no usable customer e-mail address: no acknowledgement or answer can be e-mailed.' },
  };
}

function valid<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, value: string | undefined): T | undefined {
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
