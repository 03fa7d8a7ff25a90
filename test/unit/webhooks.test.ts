import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { receiptOf, type Complaint } from '../../lambdas/core/complaint';
import {
  complaintCreatedEventSchema,
  complaintCreatedExample,
  dateOfReceipt,
  EVENT_FUTURE_TOLERANCE_SECONDS,
  MAX_EVENT_AGE_SECONDS,
} from '../../lambdas/core/complaint-created-event';
import { warsawWallClockInstant } from '../../lambdas/core/calendar/warsaw-time';
import {
  DomainError,
  InvalidHeader,
  MissingHeader,
  SignatureInvalid,
  ValidationFailed,
  WebhookTimestampOutOfTolerance,
} from '../../lambdas/core/errors';
import { problemResponse } from '../../lambdas/http/problem';
import { loadPolicyRegistry } from '../../lambdas/core/policy-config';
import { enrichmentFrom } from '../../lambdas/core/platforms/shopify';
import { verifyWebhookSignature } from '../../lambdas/core/webhook-signatures';
import { webhookSourcesSchema, type WebhookSource, type WebhookSources } from '../../lambdas/core/webhook-sources';
import type { CreateOutcome, NewComplaint } from '../../lambdas/use-cases/ports';
import { receiveWebhook, type ReceiveWebhookPorts, type WebhookOutcome } from '../../lambdas/use-cases/receive-webhook';
import {
  canonicalEvent,
  demoSecrets,
  shoperOrder,
  shoperWebhook,
  shopifyReturnRequest,
  shopifyWebhook,
  standardWebhook,
  wooCommerceOrder,
  wooCommerceWebhook,
  type Delivery,
  wooReturnRequest,
} from '../support/webhook-deliveries';

// Webhooks in, with in-memory intake: signatures made by independent code (the standardwebhooks package, each
// platform's recipe written out in test/support/webhook-deliveries.ts), tolerance edges on a pinned clock, and
// a mapping per platform.

const NOW = new Date('2026-11-23T09:20:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);

const sources: WebhookSources = webhookSourcesSchema.parse(
  JSON.parse(readFileSync(path.resolve(__dirname, '../../config/webhooks.local.json'), 'utf8')),
).sources;

function ports(wallClockSeconds = nowSeconds): ReceiveWebhookPorts & { stored: Complaint[] } {
  const stored: Complaint[] = [];
  const keys = new Map<string, { fingerprint: string; complaint: Complaint }>();
  let counter = 0;
  return {
    stored,
    complaints: {
      async create({ complaint, idempotency }: NewComplaint): Promise<CreateOutcome> {
        const held = idempotency && keys.get(idempotency.key);
        if (held) return { outcome: 'idempotency_key_used', fingerprint: held.fingerprint, receipt: receiptOf(held.complaint) };
        stored.push(structuredClone(complaint));
        if (idempotency) keys.set(idempotency.key, { fingerprint: idempotency.fingerprint, complaint });
        return { outcome: 'created', receipt: receiptOf(complaint) };
      },
      async intakeAnswer(_scope: string, key: string) {
        const held = keys.get(key);
        return held && { fingerprint: held.fingerprint, receipt: receiptOf(held.complaint) };
      },
    },
    policies: loadPolicyRegistry('consumer'),
    now: () => NOW,
    newId: () => `00000000-0000-4000-8000-${String((counter += 1)).padStart(12, '0')}`,
    newReference: () => `RK-TEST0-${String(counter).padStart(5, '0')}`,
    sources: async () => sources,
    wallClockSeconds: () => wallClockSeconds,
  };
}

function deliver(source: string, delivery: Delivery, to = ports()): Promise<WebhookOutcome> {
  const headers = new Map(Object.entries(delivery.headers).map(([name, value]) => [name.toLowerCase(), value]));
  return receiveWebhook({ source, header: (name) => headers.get(name.toLowerCase()), body: Buffer.from(delivery.body) }, to);
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error: unknown = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('Standard Webhooks signatures (signed by the standardwebhooks package)', () => {
  const event = { ...complaintCreatedExample };
  const at = (secondsAgo: number) => new Date((nowSeconds - secondsAgo) * 1000);

  it('accepts a delivery signed exactly 5 minutes ago', async () => {
    expect((await deliver('demo-shop', standardWebhook(event, { id: 'msg_edge', at: at(300) }))).outcome).toBe('complaint');
  });

  it('refuses one signed 5 minutes and 1 second ago, with 401, storing nothing', async () => {
    const to = ports();
    const error = await refusal(deliver('demo-shop', standardWebhook(event, { id: 'msg_old', at: at(301) }), to));
    expect(error).toBeInstanceOf(WebhookTimestampOutOfTolerance);
    expect(error.status).toBe(401);
    expect(to.stored).toHaveLength(0);
  });

  it('refuses one dated more than 5 minutes in the future, and accepts one dated exactly 5 minutes ahead', async () => {
    expect(await refusal(deliver('demo-shop', standardWebhook(event, { id: 'msg_future', at: at(-301) })))).toBeInstanceOf(
      WebhookTimestampOutOfTolerance,
    );
    expect((await deliver('demo-shop', standardWebhook(event, { id: 'msg_ahead', at: at(-300) }))).outcome).toBe('complaint');
  });

  it('accepts either of the two secrets of a source being rotated', async () => {
    const [first, second] = demoSecrets('demo-shop');
    for (const secret of [first!, second!]) {
      expect((await deliver('demo-shop', standardWebhook(event, { id: `msg_${secret.slice(6, 12)}`, at: NOW, secret }))).outcome).toBe('complaint');
    }
  });

  it('accepts a header with several signatures when one of them verifies', async () => {
    const delivery = standardWebhook(event, { id: 'msg_many', at: NOW });
    delivery.headers['webhook-signature'] = `v1,${Buffer.alloc(32).toString('base64')} v2,abc ${delivery.headers['webhook-signature']}`;
    expect((await deliver('demo-shop', delivery)).outcome).toBe('complaint');
  });

  it('refuses a signature made with another secret, a changed body, or none, storing nothing', async () => {
    const to = ports();
    const foreign = standardWebhook(event, { id: 'msg_x', at: NOW, secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}` });
    const tampered = standardWebhook(event, { id: 'msg_y', at: NOW });
    tampered.body = tampered.body.replace('Anna', 'Hanna');
    const unsigned = standardWebhook(event, { id: 'msg_z', at: NOW });
    delete unsigned.headers['webhook-signature'];
    for (const delivery of [foreign, tampered, unsigned]) {
      const error = await refusal(deliver('demo-shop', delivery, to));
      expect(error).toBeInstanceOf(SignatureInvalid);
      expect(error.status).toBe(401);
    }
    expect(to.stored).toHaveLength(0);
  });

  it('checks the signature before the timestamp: a forged old delivery is told only that its signature is bad', async () => {
    const forged = standardWebhook(event, { id: 'msg_f', at: at(3600), secret: `whsec_${Buffer.alloc(32, 9).toString('base64')}` });
    expect(await refusal(deliver('demo-shop', forged))).toBeInstanceOf(SignatureInvalid);
  });
});

describe('the other schemes, signed with each platform’s recipe', () => {
  it('Shopify: the app secret’s HMAC over the raw body; a wrong one is refused', () => {
    const delivery = shopifyWebhook(shopifyReturnRequest, { eventId: 'e1' });
    const signed = { header: (name: string) => delivery.headers[name], body: Buffer.from(delivery.body) };
    expect(() => verifyWebhookSignature('shopify', signed, demoSecrets('shopify-demo'), nowSeconds)).not.toThrow();
    expect(() => verifyWebhookSignature('shopify', signed, ['another-secret-of-16+'], nowSeconds)).toThrow(SignatureInvalid);
  });

  it('WooCommerce: either secret of a rotation; the body re-serialised (other bytes, same JSON) is refused', () => {
    for (const secret of demoSecrets('woocommerce-demo')) {
      const delivery = wooCommerceWebhook(wooCommerceOrder(), { secret });
      const signed = { header: (name: string) => delivery.headers[name], body: Buffer.from(delivery.body) };
      expect(() => verifyWebhookSignature('woocommerce', signed, demoSecrets('woocommerce-demo'), nowSeconds)).not.toThrow();
      const reserialised = { ...signed, body: Buffer.from(JSON.stringify(JSON.parse(delivery.body), null, 1)) };
      expect(() => verifyWebhookSignature('woocommerce', reserialised, demoSecrets('woocommerce-demo'), nowSeconds)).toThrow(SignatureInvalid);
    }
  });

  it('Shoper: SHA-1 of webhook id, secret and body; another webhook id is refused', () => {
    const delivery = shoperWebhook(shoperOrder());
    const signed = { header: (name: string) => delivery.headers[name], body: Buffer.from(delivery.body) };
    expect(() => verifyWebhookSignature('shoper', signed, demoSecrets('shoper-demo'), nowSeconds)).not.toThrow();
    const other = { ...signed, header: (name: string) => (name === 'x-webhook-id' ? '6' : delivery.headers[name]) };
    expect(() => verifyWebhookSignature('shoper', other, demoSecrets('shoper-demo'), nowSeconds)).toThrow(SignatureInvalid);
  });
});

describe('mappings to the canonical complaint.created event', () => {
  it('the documented example is a valid canonical event', () => {
    expect(complaintCreatedEventSchema.safeParse(complaintCreatedExample).success).toBe(true);
  });

  it('Standard Webhooks: files the canonical event with the shop’s ids, items and reason code as its category', async () => {
    const to = ports();
    const outcome = await deliver('demo-shop', standardWebhook(canonicalEvent({}, NOW), { id: 'msg_map', at: NOW }), to);
    expect(outcome.outcome).toBe('complaint');
    const [complaint] = to.stored;
    expect(complaint).toMatchObject({
      channel: 'webhook',
      sourcePlatform: 'demo-shop',
      externalId: 'RMA-7781',
      category: 'defective',
      customer: { email: 'anna@example.com' },
      shopDetails: {
        orderId: '100042',
        returnId: 'RMA-7781',
        items: [{ sku: 'KE-200-BLK', quantity: 1 }],
        reason: { code: 'defective', platformCode: 'stopped_working' },
      },
    });
  });

  it('Standard Webhooks: an event type it does not know files nothing', async () => {
    const to = ports();
    const outcome = await deliver(
      'demo-shop',
      standardWebhook({ type: 'order.paid', timestamp: NOW.toISOString(), data: {} }, { id: 'msg_other', at: NOW }),
      to,
    );
    expect(outcome).toEqual({ outcome: 'ignored', reason: expect.stringContaining('order.paid') });
    expect(to.stored).toHaveLength(0);
  });

  it('a canonical event missing what a complaint needs is a 422 naming each field, and nothing is stored', async () => {
    const to = ports();
    const event = canonicalEvent({ customer: { name: 'Anna Kowalska' }, reason: { code: 'broken' } }, NOW);
    const error = await refusal(deliver('demo-shop', standardWebhook(event, { id: 'msg_422', at: NOW }), to));
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues.map((issue) => issue.field)).toEqual(
      expect.arrayContaining(['data.customer.email', 'data.reason.code']),
    );
    expect(to.stored).toHaveLength(0);
  });

  it('Shopify returns/request is stored at once, awaiting its customer from the order: line items, quantities, the platform’s reason beside ours', async () => {
    const to = ports();
    const outcome = await deliver('shopify-demo', shopifyWebhook(shopifyReturnRequest, { eventId: 'evt-1' }), to);
    expect(outcome.outcome).toBe('complaint');
    expect(to.stored[0]).toMatchObject({
      customer: {},
      sourcePlatform: 'shopify',
      externalId: 'gid://shopify/Return/1234567890',
      desiredRemedy: 'refund',
      description: 'The kettle stopped heating after two weeks.',
      receivedOn: '2026-11-23',
      shopDetails: {
        orderId: 'gid://shopify/Order/450789469',
        items: [{ lineItemId: '466157049', quantity: 1 }],
        reason: { code: 'defective', platformCode: 'defective' },
      },
      platformLookup: { platform: 'shopify', source: 'shopify-demo', orderId: 'gid://shopify/Order/450789469', state: 'pending' },
    });
    expect(to.stored[0]?.customer.email).toBeUndefined();
  });

  it('Shopify returns/request from a source without Admin API access: a 422 naming the customer’s e-mail, never a half-filled complaint', async () => {
    const to = ports();
    const { adminApi: _access, ...withoutAccess } = sources['shopify-demo'] as Extract<WebhookSource, { scheme: 'shopify' }>;
    to.sources = async () => ({ ...sources, 'shopify-demo': withoutAccess });
    const error = await refusal(deliver('shopify-demo', shopifyWebhook(shopifyReturnRequest, { eventId: 'evt-2' }), to));
    expect((error as ValidationFailed).issues.map((issue) => issue.field)).toContain('data.customer.email');
    expect(to.stored).toHaveLength(0);
  });

  it('Shopify: other topics file nothing', async () => {
    expect((await deliver('shopify-demo', shopifyWebhook({ id: 1 }, { eventId: 'evt-3', topic: 'orders/create' }))).outcome).toBe('ignored');
  });

  it('WooCommerce order.updated carrying a return request: the requested items with their names and quantities', async () => {
    const to = ports();
    expect((await deliver('woocommerce-demo', wooCommerceWebhook(wooCommerceOrder()), to)).outcome).toBe('complaint');
    expect(to.stored[0]).toMatchObject({
      sourcePlatform: 'woocommerce',
      externalId: 'RMA-0042',
      customer: { name: 'Jan Nowak', email: 'jan.nowak@example.com' },
      orderNumber: '727',
      purchaseDate: '2026-11-02',
      desiredRemedy: 'replacement',
      category: 'damaged_in_transit',
      shopDetails: {
        orderId: '727',
        items: [{ lineItemId: '315', productId: '93', name: 'Czajnik KE-200', quantity: 1 }],
        reason: { platformCode: 'damaged' },
      },
    });
  });

  it('WooCommerce: a custom action topic with the order as its argument files the same way', async () => {
    const to = ports();
    const delivery = wooCommerceWebhook(
      { action: 'reklamacje_return_requested', arg: wooCommerceOrder() },
      { topic: 'action.reklamacje_return_requested' },
    );
    expect((await deliver('woocommerce-demo', delivery, to)).outcome).toBe('complaint');
    expect(to.stored[0]?.externalId).toBe('RMA-0042');
  });

  it('WooCommerce: an order update without a return request files nothing; the unsigned creation ping is answered', async () => {
    const to = ports();
    expect((await deliver('woocommerce-demo', wooCommerceWebhook(wooCommerceOrder(null)), to)).outcome).toBe('ignored');
    const ping = { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'webhook_id=12' };
    expect(await deliver('woocommerce-demo', ping, to)).toEqual({ outcome: 'ignored', reason: 'WooCommerce webhook ping' });
    expect(to.stored).toHaveLength(0);
  });

  it('WooCommerce: anything else unsigned is refused', async () => {
    const ping = { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'webhook_id=12&x=1' };
    expect(await refusal(deliver('woocommerce-demo', ping))).toBeInstanceOf(SignatureInvalid);
  });

  it('WooCommerce: a return request without a description is a 422 naming it', async () => {
    const { description: _omitted, ...withoutDescription } = { description: '', id: 'RMA-1', reason: 'broken', desired_remedy: 'repair' };
    const error = await refusal(deliver('woocommerce-demo', wooCommerceWebhook(wooCommerceOrder(withoutDescription))));
    expect((error as ValidationFailed).issues.map((issue) => issue.field)).toEqual(['data.description']);
  });

  it('Shoper order.status into a complaint status: the order’s products and the shop’s remedy; other statuses file nothing', async () => {
    const to = ports();
    expect((await deliver('shoper-demo', shoperWebhook(shoperOrder('7')), to)).outcome).toBe('complaint');
    expect(to.stored[0]).toMatchObject({
      sourcePlatform: 'shoper',
      externalId: '1432',
      customer: { name: 'Ewa Zielińska', email: 'ewa.zielinska@example.com' },
      desiredRemedy: 'repair',
      purchaseDate: '2026-11-04',
      receivedOn: '2026-11-23',
      shopDetails: { items: [{ sku: 'BL-9', name: 'Blender BL-9', quantity: 1 }], reason: { code: 'other', platformCode: 'status:7' } },
    });
    expect((await deliver('shoper-demo', shoperWebhook(shoperOrder('2')), to)).outcome).toBe('ignored');
    expect((await deliver('shoper-demo', shoperWebhook(shoperOrder('7'), { event: 'order.edit' }), to)).outcome).toBe('ignored');
    expect(to.stored).toHaveLength(1);
  });

  it('an unknown source is a 404', async () => {
    expect((await refusal(deliver('nobody', standardWebhook(complaintCreatedExample, { id: 'm', at: NOW })))).status).toBe(404);
  });
});

describe('exactly once', () => {
  it('a redelivery (re-signed later, same webhook-id) gets the same receipt and files nothing new', async () => {
    const to = ports();
    const event = canonicalEvent({}, NOW);
    const first = await deliver('demo-shop', standardWebhook(event, { id: 'msg_once', at: NOW }), to);
    const again = await deliver('demo-shop', standardWebhook(event, { id: 'msg_once', at: new Date(NOW.getTime() + 60_000) }), to);
    expect(to.stored).toHaveLength(1);
    expect(again).toEqual({ ...first, replayed: true });
  });

  it('WooCommerce: the same order state delivered twice (each delivery with a new id) files once', async () => {
    const to = ports();
    await deliver('woocommerce-demo', wooCommerceWebhook(wooCommerceOrder()), to);
    await deliver('woocommerce-demo', wooCommerceWebhook(wooCommerceOrder()), to);
    expect(to.stored).toHaveLength(1);
  });

  it('WooCommerce: later updates of the order still carrying the return request get the first receipt and file nothing', async () => {
    const to = ports();
    const first = await deliver('woocommerce-demo', wooCommerceWebhook(wooCommerceOrder()), to);
    const laterUpdate = {
      ...wooCommerceOrder({ ...wooReturnRequest, description: 'Jeden z czajników ma pękniętą obudowę; drugi działa.' }),
      status: 'processing',
      date_modified_gmt: '2026-11-25T08:00:00',
    };
    const again = await deliver('woocommerce-demo', wooCommerceWebhook(laterUpdate), to);
    expect(to.stored).toHaveLength(1);
    expect(again).toEqual({ ...first, replayed: true });
  });

  it('WooCommerce: another return request on the same order is another complaint', async () => {
    const to = ports();
    await deliver('woocommerce-demo', wooCommerceWebhook(wooCommerceOrder()), to);
    await deliver('woocommerce-demo', wooCommerceWebhook(wooCommerceOrder({ ...wooReturnRequest, id: 'RMA-0043' })), to);
    expect(to.stored.map((complaint) => complaint.externalId)).toEqual(['RMA-0042', 'RMA-0043']);
  });

  it('WooCommerce: a return request without its own id is keyed by the delivery: a later update files again', async () => {
    const to = ports();
    const { id: _id, ...withoutId } = wooReturnRequest;
    await deliver('woocommerce-demo', wooCommerceWebhook(wooCommerceOrder(withoutId)), to);
    await deliver('woocommerce-demo', wooCommerceWebhook({ ...wooCommerceOrder(withoutId), date_modified_gmt: '2026-11-25T08:00:00' }), to);
    expect(to.stored).toHaveLength(2);
  });
});

describe('completing a Shopify complaint from its order', () => {
  const pending = {
    customer: {},
    orderNumber: undefined,
    product: undefined,
    purchaseDate: undefined,
    receivedOn: '2026-11-23',
    shopDetails: { items: [{ lineItemId: '466157049', quantity: 1 }], reason: { code: 'defective' as const } },
  };

  it('takes the customer, the line item titles, the product line, the order’s name and day', () => {
    const enrichment = enrichmentFrom(pending, {
      email: 'anna@example.com',
      customerName: 'Anna Kowalska',
      orderName: '#1001',
      processedAt: '2026-11-02T10:00:00Z',
      lineItemTitles: { '466157049': 'Czajnik KE-200' },
    });
    expect(enrichment).toEqual({
      customer: { name: 'Anna Kowalska', email: 'anna@example.com' },
      product: 'Czajnik KE-200',
      purchaseDate: '2026-11-02',
      orderNumber: '#1001',
      shopDetails: { items: [{ lineItemId: '466157049', quantity: 1, name: 'Czajnik KE-200' }], reason: { code: 'defective' } },
      lookup: { state: 'done' },
    });
  });

  it('an order without a usable e-mail leaves the lookup failed, with the reason, and no name the schema would refuse', () => {
    const enrichment = enrichmentFrom(pending, { email: 'not an address', customerName: 'Anna\u202EKowalska', lineItemTitles: {} });
    expect(enrichment.customer).toEqual({});
    expect(enrichment.lookup).toEqual({ state: 'failed', reason: expect.stringContaining('no usable customer e-mail') });
  });
});

describe('the date of receipt an event gives (dateOfReceipt)', () => {
  const cases: [string, string, string | undefined, { receivedOn?: string; problem?: RegExp }][] = [
    ['an event of a few minutes ago: its Warsaw day', '2026-11-23T09:14:03Z', '2026-10-30', { receivedOn: '2026-11-23' }],
    ['23:30 Warsaw time counts from that day, whatever the UTC date', '2026-11-22T22:30:00Z', undefined, { receivedOn: '2026-11-22' }],
    ['exactly 7 days ago: still taken', '2026-11-16T09:20:00Z', undefined, { receivedOn: '2026-11-16' }],
    ['7 days and a second ago: refused', '2026-11-16T09:19:59Z', undefined, { receivedOn: '2026-11-16', problem: /more than 7 days ago/ }],
    [
      'the QA case: 2020 against a purchase in October 2026',
      '2020-01-01T10:00:00Z',
      '2026-10-30',
      { problem: /before the purchase date 2026-10-30/ },
    ],
    ['a day before the purchase, within the window', '2026-11-21T10:00:00Z', '2026-11-22', { problem: /before the purchase date 2026-11-22/ }],
    ['the day of the purchase itself', '2026-11-22T10:00:00Z', '2026-11-22', { receivedOn: '2026-11-22' }],
    ['1995, before Warsaw kept the EU rule', '1995-06-01T10:00:00Z', undefined, { problem: /more than 7 days ago/ }],
    ['1900', '1900-01-01T00:00:00Z', undefined, { problem: /more than 7 days ago/ }],
    ['year 0000', '0000-01-01T00:00:00Z', undefined, { problem: /more than 7 days ago/ }],
    ['3 hours ahead (a clock ahead, local time sent as UTC): today', '2026-11-23T12:20:00Z', undefined, { receivedOn: '2026-11-23' }],
    ['more than 3 hours ahead: refused', '2026-11-23T12:20:01Z', undefined, { problem: /in the future/ }],
    [
      '9999-12-31T23:59:59Z, the year 10000 in Warsaw: refused, never compared as text',
      '9999-12-31T23:59:59Z',
      undefined,
      { problem: /in the future/ },
    ],
  ];
  it.each(cases)('%s', (_name, timestamp, purchaseDate, expected) => {
    const result = dateOfReceipt(timestamp, purchaseDate, NOW);
    if (expected.receivedOn) expect(result.receivedOn).toBe(expected.receivedOn);
    if (expected.problem) expect(result.problem).toMatch(expected.problem);
    else expect(result.problem).toBeUndefined();
  });

  it('the bounds are the documented ones: 7 days back, 3 hours ahead', () => {
    expect([MAX_EVENT_AGE_SECONDS, EVENT_FUTURE_TOLERANCE_SECONDS]).toEqual([7 * 86_400, 3 * 3600]);
  });
});

describe('a shop’s local wall-clock time (warsawWallClockInstant)', () => {
  it.each([
    ['2026-11-23 10:14:03', '2026-11-23T09:14:03.000Z'],
    ['2026-07-01 10:00', '2026-07-01T08:00:00.000Z'],
    ['2026-11-22T23:30:00', '2026-11-22T22:30:00.000Z'],
  ])('%s in Warsaw is %s', (value, instant) => {
    expect(warsawWallClockInstant(value)?.toISOString()).toBe(instant);
  });

  it.each([
    '2026-02-30 10:14:00',
    '2026-11-23 25:99:00',
    '2026-11-23 24:00:00',
    '2026-11-23 10:60:00',
    '2026-11-23 10:14:60',
    '10000-01-01 00:00:00',
    '2026-11-23',
    '2026-11-23T10:14:00Z',
    'wczoraj',
  ])('%s names no moment', (value) => {
    expect(warsawWallClockInstant(value)).toBeUndefined();
  });
});

describe('an event date that cannot be the day of receipt is a 422 on the platform’s own field, storing nothing', () => {
  async function refusedOn(source: string, delivery: Delivery, to = ports()): Promise<string[]> {
    const error = await refusal(deliver(source, delivery, to));
    expect(error).toBeInstanceOf(ValidationFailed);
    expect(error.status).toBe(422);
    expect(to.stored).toHaveLength(0);
    return (error as ValidationFailed).issues.map((issue) => issue.field);
  }
  const standard = (timestamp: string, id: string) => standardWebhook({ ...canonicalEvent({}, NOW), timestamp }, { id, at: NOW });

  it('Standard Webhooks: backdated to 2020 against a purchase of October 2026 (the QA case), and 1900, 1995, 0000', async () => {
    for (const timestamp of ['2020-01-01T10:00:00Z', '1900-01-01T00:00:00Z', '1995-06-01T10:00:00Z', '0000-01-01T00:00:00Z']) {
      expect(await refusedOn('demo-shop', standard(timestamp, `msg_old_${timestamp.slice(0, 4)}`))).toEqual(['timestamp']);
    }
  });

  it('Standard Webhooks: 8 days old, and a day before the purchase date', async () => {
    expect(await refusedOn('demo-shop', standard('2026-11-15T09:00:00Z', 'msg_8d'))).toEqual(['timestamp']);
    const beforePurchase = standardWebhook(
      { ...canonicalEvent({ purchaseDate: '2026-11-22' }, NOW), timestamp: '2026-11-21T10:00:00Z' },
      { id: 'msg_bp', at: NOW },
    );
    expect(await refusedOn('demo-shop', beforePurchase)).toEqual(['timestamp']);
  });

  it('Standard Webhooks: 9999-12-31T23:59:59Z (year 10000 in Warsaw) is a 422, not a 500', async () => {
    expect(await refusedOn('demo-shop', standard('9999-12-31T23:59:59Z', 'msg_9999'))).toEqual(['timestamp']);
  });

  it('WooCommerce: requested_at in 2020 or in 9999', async () => {
    for (const requestedAt of ['2020-01-01T00:00:00Z', '9999-12-31T23:30:00Z']) {
      const order = wooCommerceOrder({ ...wooReturnRequest, id: `RMA-${requestedAt.slice(0, 4)}`, requested_at: requestedAt });
      expect(await refusedOn('woocommerce-demo', wooCommerceWebhook(order))).toEqual(['requested_at']);
    }
  });

  it('Shopify: requested_at in 2020 or in 9999', async () => {
    for (const requestedAt of ['2020-01-01T00:00:00Z', '9999-12-31T23:30:00Z']) {
      const returnRequest = { ...shopifyReturnRequest, requested_at: requestedAt };
      expect(await refusedOn('shopify-demo', shopifyWebhook(returnRequest, { eventId: `evt-${requestedAt.slice(0, 4)}` }))).toEqual(['requested_at']);
    }
  });

  it('Shoper: a status_date that names no moment (25:99, 30 February) or one weeks old', async () => {
    for (const statusDate of ['2026-11-23 25:99:00', '2026-02-30 10:14:00', '2026-11-01 10:00:00']) {
      expect(await refusedOn('shoper-demo', shoperWebhook({ ...shoperOrder(), status_date: statusDate }))).toEqual(['status_date']);
    }
  });

  it('Shoper: a status_date before the order was placed', async () => {
    const order = { ...shoperOrder(), date: '2026-11-23 08:00:00', status_date: '2026-11-22 10:00:00' };
    expect(await refusedOn('shoper-demo', shoperWebhook(order))).toEqual(['status_date']);
  });

  it('a date a little ahead of our clock is read as today', async () => {
    const to = ports();
    await deliver('demo-shop', standard('2026-11-23T11:00:00Z', 'msg_ahead_event'), to);
    expect(to.stored[0]?.receivedOn).toBe('2026-11-23');
  });

  it('WooCommerce: a return request filed when fresh still gets its first receipt when the order is sent again weeks later', async () => {
    const to = ports();
    const first = await deliver('woocommerce-demo', wooCommerceWebhook(wooCommerceOrder()), to);
    to.now = () => new Date('2027-01-10T12:00:00Z');
    const refunded = { ...wooCommerceOrder(), status: 'refunded', date_modified_gmt: '2027-01-10T11:00:00' };
    expect(await deliver('woocommerce-demo', wooCommerceWebhook(refunded), to)).toEqual({ ...first, replayed: true });
    expect(to.stored).toHaveLength(1);
    // Another request of the same age was never filed: it is refused.
    const late = wooCommerceOrder({ ...wooReturnRequest, id: 'RMA-0099' });
    expect((await refusal(deliver('woocommerce-demo', wooCommerceWebhook(late), to))).status).toBe(422);
    expect(to.stored).toHaveLength(1);
  });
});

describe('one complaint per return, whatever delivery it comes in', () => {
  it('Standard Webhooks: the same return under two webhook-ids is filed once; the second gets the first receipt', async () => {
    const to = ports();
    const event = canonicalEvent({}, NOW);
    const first = await deliver('demo-shop', standardWebhook(event, { id: 'msg_first', at: NOW }), to);
    const second = await deliver('demo-shop', standardWebhook(event, { id: 'msg_second', at: NOW }), to);
    expect(to.stored).toHaveLength(1);
    expect(second).toEqual({ ...first, replayed: true });
  });

  it('Standard Webhooks: the same return with another description gets the first receipt too (the return is the request)', async () => {
    const to = ports();
    const first = await deliver('demo-shop', standardWebhook(canonicalEvent({}, NOW), { id: 'msg_a', at: NOW }), to);
    const edited = canonicalEvent({ description: 'Czajnik nie grzeje; dodaję zdjęcie.' }, NOW);
    expect(await deliver('demo-shop', standardWebhook(edited, { id: 'msg_b', at: NOW }), to)).toEqual({ ...first, replayed: true });
    expect(to.stored).toHaveLength(1);
  });

  it('Standard Webhooks: another return id, or none (keyed by webhook-id), is another complaint', async () => {
    const to = ports();
    await deliver('demo-shop', standardWebhook(canonicalEvent({}, NOW), { id: 'msg_r1', at: NOW }), to);
    await deliver('demo-shop', standardWebhook(canonicalEvent({ returnId: 'RMA-7782' }, NOW), { id: 'msg_r2', at: NOW }), to);
    const { returnId: _none, ...withoutReturn } = canonicalEvent({}, NOW).data as Record<string, unknown>;
    for (const id of ['msg_n1', 'msg_n2']) {
      await deliver('demo-shop', standardWebhook({ ...canonicalEvent({}, NOW), data: withoutReturn }, { id, at: NOW }), to);
    }
    expect(to.stored.map((complaint) => complaint.externalId)).toEqual(['RMA-7781', 'RMA-7782', '100042', '100042']);
  });

  it('Shopify: the same Return under two X-Shopify-Event-Ids is filed once', async () => {
    const to = ports();
    const first = await deliver('shopify-demo', shopifyWebhook(shopifyReturnRequest, { eventId: 'evt-first' }), to);
    const second = await deliver('shopify-demo', shopifyWebhook(shopifyReturnRequest, { eventId: 'evt-second' }), to);
    expect(to.stored).toHaveLength(1);
    expect(second).toEqual({ ...first, replayed: true });
  });
});

describe('a header the delivery needs', () => {
  it('Shopify without X-Shopify-Event-Id: 400 missing-header naming it, not “the body could not be read”', async () => {
    const to = ports();
    const delivery = shopifyWebhook(shopifyReturnRequest, { eventId: 'evt-x' });
    delete delivery.headers['x-shopify-event-id'];
    const error = await refusal(deliver('shopify-demo', delivery, to));
    expect(error).toBeInstanceOf(MissingHeader);
    const answer = problemResponse(error) as { statusCode: number; body: string };
    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({
      type: expect.stringMatching(/missing-header$/),
      title: 'A required request header is missing',
      header: 'X-Shopify-Event-Id',
    });
    expect(to.stored).toHaveLength(0);
  });

  it('Shopify with an X-Shopify-Triggered-At that is no date: 400 invalid-header naming it', async () => {
    const delivery = shopifyWebhook(shopifyReturnRequest, { eventId: 'evt-y' });
    delivery.headers['x-shopify-triggered-at'] = 'yesterday';
    const error = await refusal(deliver('shopify-demo', delivery));
    expect(error).toBeInstanceOf(InvalidHeader);
    expect(JSON.parse((problemResponse(error) as { body: string }).body)).toMatchObject({ status: 400, header: 'X-Shopify-Triggered-At' });
  });

  it('the signed schemes’ own headers missing are a 401: they are part of what the signature proves', async () => {
    const standard = standardWebhook(canonicalEvent({}, NOW), { id: 'msg_h', at: NOW });
    delete standard.headers['webhook-id'];
    expect(await refusal(deliver('demo-shop', standard))).toBeInstanceOf(SignatureInvalid);
    const shoper = shoperWebhook(shoperOrder());
    delete shoper.headers['x-webhook-id'];
    expect(await refusal(deliver('shoper-demo', shoper))).toBeInstanceOf(SignatureInvalid);
  });
});

describe('WooCommerce dates', () => {
  it('date_modified alone is the shop’s local time: 23:30 on 22 November in Warsaw is received on 22 November', async () => {
    const to = ports();
    const { requested_at: _none, ...withoutDate } = wooReturnRequest;
    const order: Record<string, unknown> = { ...wooCommerceOrder(withoutDate), date_modified: '2026-11-22T23:30:00' };
    delete order.date_modified_gmt;
    await deliver('woocommerce-demo', wooCommerceWebhook(order), to);
    expect(to.stored[0]?.receivedOn).toBe('2026-11-22');
  });

  it('date_modified_gmt is UTC: 23:30 UTC on 22 November is 00:30 on 23 November in Warsaw', async () => {
    const to = ports();
    const { requested_at: _none, ...withoutDate } = wooReturnRequest;
    await deliver('woocommerce-demo', wooCommerceWebhook({ ...wooCommerceOrder(withoutDate), date_modified_gmt: '2026-11-22T23:30:00' }), to);
    expect(to.stored[0]?.receivedOn).toBe('2026-11-23');
  });
});
