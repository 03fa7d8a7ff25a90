import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { complaintCreatedExample } from '../../lambdas/core/complaint-created-event';

// Deliveries as each platform makes them, signed by code independent of the product's verifier: the
// `standardwebhooks` package for Standard Webhooks, and each platform's documented recipe written out here
// for Shopify, WooCommerce and Shoper. Payloads follow the platforms' documented samples.

interface DemoSources {
  sources: Record<string, { secrets: string[] }>;
}
const demo = JSON.parse(readFileSync(path.resolve(__dirname, '../../config/webhooks.local.json'), 'utf8')) as DemoSources;

/** The committed demo secrets of a source (config/webhooks.local.json). */
export function demoSecrets(source: string): string[] {
  return demo.sources[source]!.secrets;
}

export interface Delivery {
  headers: Record<string, string>;
  body: string;
}

/** Standard Webhooks, signed by the reference implementation (`standardwebhooks` on npm). */
export function standardWebhook(payload: unknown, options: { id: string; at?: Date; secret?: string }): Delivery {
  const body = JSON.stringify(payload);
  const at = options.at ?? new Date();
  const signature = new Webhook(options.secret ?? demoSecrets('demo-shop')[0]!).sign(options.id, at, body);
  return {
    headers: {
      'content-type': 'application/json',
      'webhook-id': options.id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
  };
}

/** The documented example with `data` fields overridden, lodged at `at` (now unless given: a test on a pinned clock passes its own). */
export function canonicalEvent(overrides: Record<string, unknown> = {}, at = new Date()): Record<string, unknown> {
  return { ...complaintCreatedExample, timestamp: at.toISOString(), data: { ...complaintCreatedExample.data, ...overrides } };
}

/** Shopify: base64 HMAC-SHA256 of the raw body with the app's secret (shopify.dev, "Verify webhooks"). */
export function shopifyWebhook(payload: unknown, options: { eventId: string; topic?: string; secret?: string }): Delivery {
  const body = JSON.stringify(payload);
  return {
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': options.topic ?? 'returns/request',
      'x-shopify-hmac-sha256': createHmac('sha256', options.secret ?? demoSecrets('shopify-demo')[0]!)
        .update(body)
        .digest('base64'),
      'x-shopify-shop-domain': 'reklamacje-demo.myshopify.com',
      'x-shopify-api-version': '2025-10',
      'x-shopify-webhook-id': `delivery-${Math.random().toString(36).slice(2)}`,
      'x-shopify-event-id': options.eventId,
      'x-shopify-triggered-at': new Date().toISOString(),
    },
    body,
  };
}

/** The `returns/request` sample of Shopify's webhook reference, with its ids. */
export const shopifyReturnRequest = {
  id: 1234567890,
  admin_graphql_api_id: 'gid://shopify/Return/1234567890',
  name: '#1001-R1',
  status: 'requested',
  order: { id: 450789469, admin_graphql_api_id: 'gid://shopify/Order/450789469', name: '#1001' },
  total_return_line_items: 1,
  return_line_items: [
    {
      id: 1001,
      admin_graphql_api_id: 'gid://shopify/ReturnLineItem/1001',
      fulfillment_line_item: {
        id: 2001,
        admin_graphql_api_id: 'gid://shopify/FulfillmentLineItem/2001',
        line_item: { id: 466157049, admin_graphql_api_id: 'gid://shopify/LineItem/466157049' },
      },
      quantity: 1,
      return_reason: 'defective',
      return_reason_note: '',
      customer_note: 'The kettle stopped heating after two weeks.',
    },
  ],
  exchange_line_items: [],
  requested_at: '2026-11-23T09:14:03Z',
};

/** WooCommerce: base64 HMAC-SHA256 of the raw body with the webhook's secret (WC_Webhook::generate_signature). */
export function wooCommerceWebhook(payload: unknown, options: { topic?: string; secret?: string } = {}): Delivery {
  const body = JSON.stringify(payload);
  const topic = options.topic ?? 'order.updated';
  return {
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-source': 'https://sklep.example/',
      'x-wc-webhook-topic': topic,
      'x-wc-webhook-resource': topic.split('.')[0]!,
      'x-wc-webhook-event': topic.split('.')[1]!,
      'x-wc-webhook-id': '12',
      // A new id on every delivery, retries included.
      'x-wc-webhook-delivery-id': String(Math.floor(Math.random() * 1e9)),
      'x-wc-webhook-signature': createHmac('sha256', options.secret ?? demoSecrets('woocommerce-demo')[0]!)
        .update(body)
        .digest('base64'),
    },
    body,
  };
}

/** The order sample of the WooCommerce REST API documentation, with a returns plugin's request in its meta. */
/** `null`: an order without a return request. */
export function wooCommerceOrder(returnRequest: Record<string, unknown> | null = wooReturnRequest): Record<string, unknown> {
  return {
    id: 727,
    parent_id: 0,
    number: '727',
    order_key: 'wc_order_58d2d042d1d',
    status: 'completed',
    currency: 'PLN',
    date_created: '2026-11-02T16:30:02',
    date_created_gmt: '2026-11-02T15:30:02',
    date_modified: '2026-11-23T10:14:03',
    date_modified_gmt: '2026-11-23T09:14:03',
    date_paid: '2026-11-02T16:31:00',
    customer_id: 0,
    billing: {
      first_name: 'Jan',
      last_name: 'Nowak',
      company: '',
      address_1: 'ul. Prosta 1',
      city: 'Warszawa',
      postcode: '00-001',
      country: 'PL',
      email: 'jan.nowak@example.com',
      phone: '+48 600 100 200',
    },
    line_items: [
      { id: 315, name: 'Czajnik KE-200', product_id: 93, variation_id: 0, quantity: 2, sku: 'KE-200', total: '398.00' },
      { id: 316, name: 'Filtr do czajnika', product_id: 94, variation_id: 0, quantity: 1, sku: 'KE-F', total: '19.00' },
    ],
    meta_data: [
      { id: 13106, key: '_wc_order_attribution_source_type', value: 'typein' },
      ...(returnRequest ? [{ id: 13107, key: '_reklamacje_return_request', value: returnRequest }] : []),
    ],
  };
}

export const wooReturnRequest = {
  id: 'RMA-0042',
  reason: 'damaged',
  description: 'Jeden z czajników przyszedł z pękniętą obudową.',
  desired_remedy: 'replacement',
  items: [{ line_item_id: 315, quantity: 1 }],
  requested_at: '2026-11-23T09:14:03Z',
};

/** Shoper: hex SHA-1 of "{X-Webhook-Id}:{secret}:{body}" (Shoper's developer documentation, "Webhooks"). */
export function shoperWebhook(payload: unknown, options: { event?: string; webhookId?: string; secret?: string } = {}): Delivery {
  const body = JSON.stringify(payload);
  const webhookId = options.webhookId ?? '5';
  return {
    headers: {
      'content-type': 'application/json',
      'x-webhook-id': webhookId,
      'x-webhook-name': options.event ?? 'order.status',
      'x-shop-domain': 'sklep.shoparena.pl',
      'x-webhook-sha1': createHash('sha1')
        .update(`${webhookId}:${options.secret ?? demoSecrets('shoper-demo')[0]!}:${body}`)
        .digest('hex'),
    },
    body,
  };
}

/** An order as Shoper's webhooks send it (the REST API's order resource), moved into status 7, "Reklamacja". */
export function shoperOrder(statusId = '7'): Record<string, unknown> {
  return {
    order_id: '1432',
    user_id: '88',
    date: '2026-11-04 12:40:11',
    status_date: '2026-11-23 10:14:03',
    status_id: statusId,
    email: 'ewa.zielinska@example.com',
    notes: '',
    notes_priv: 'Klientka zgłasza, że blender po tygodniu przestał działać.',
    billingAddress: { firstname: 'Ewa', lastname: 'Zielińska', phone: '600700800', city: 'Kraków' },
    products: [{ id: '2210', order_id: '1432', product_id: '321', name: 'Blender BL-9', code: 'BL-9', quantity: '1.0000', price: '249.00' }],
  };
}
