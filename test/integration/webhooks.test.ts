import type { Runtime } from '../../local/runtime';
import { MAX_EVENT_AGE_SECONDS } from '../../lambdas/core/complaint-created-event';
import { demoCredentials, signedHeaders } from '../../cli/signing';
import { mailbox, startLocalProduct, storedItems } from '../support/local-product';
import { demoStaff } from '../support/staff-event';
import {
  canonicalEvent,
  shoperOrder,
  shoperWebhook,
  shopifyReturnRequest,
  shopifyWebhook,
  standardWebhook,
  wooCommerceOrder,
  wooCommerceWebhook,
  type Delivery,
} from '../support/webhook-deliveries';

// POST /webhooks/{source} against the local product (the API server, the DynamoDB front with transactions,
// the demo sources of config/webhooks.local.json): what is stored, and what a sender is answered.

let runtime: Runtime;

// Twenty deliveries at once and the workflows they start take seconds on a busy two-core machine.
jest.setTimeout(60_000);

beforeAll(async () => {
  runtime = await startLocalProduct();
});
afterAll(async () => {
  await runtime.stop();
});

const supervisor = demoStaff((staff) => staff.role === 'supervisor');

async function asSupervisor(method: 'GET' | 'POST', path: string, body?: unknown) {
  const url = new URL(path, runtime.urls.api);
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers = await signedHeaders(
    { method, url, headers: text === undefined ? {} : { 'content-type': 'application/json' }, body: text },
    { credentials: demoCredentials(supervisor.id), region: 'eu-central-1' },
  );
  const response = await fetch(url, { method, headers, body: text });
  // JSON.parse's any: the test reads the answer by path.
  return { status: response.status, body: JSON.parse(await response.text()) };
}

/**
 * The fixtures are dated 23 November 2026 (the unit tests pin their clock there); the local product runs on
 * today's, which refuses an event more than 7 days old, so these deliveries are dated now.
 */
function shopifyReturn(id: number, order?: Record<string, unknown>) {
  return {
    ...shopifyReturnRequest,
    id,
    admin_graphql_api_id: `gid://shopify/Return/${id}`,
    requested_at: new Date().toISOString(),
    ...(order ? { order } : {}),
  };
}

function post(source: string, delivery: Delivery): Promise<Response> {
  return fetch(`${runtime.urls.api}/webhooks/${source}`, { method: 'POST', headers: delivery.headers, body: delivery.body });
}

/** Every item in the table, once the workflows of the complaints filed so far have done what they can now. */
async function itemCount(): Promise<number> {
  await runtime.settled();
  return (await storedItems(runtime)).length;
}

async function complaintsFrom(externalId: string) {
  return (await storedItems(runtime)).filter((item) => item.SK?.S === 'COMPLAINT' && item.externalId?.S === externalId);
}

describe('POST /webhooks/{source}', () => {
  it('files a Standard Webhooks complaint.created event and answers 200 with the receipt', async () => {
    const response = await post('demo-shop', standardWebhook(canonicalEvent({ returnId: 'RMA-HTTP-1' }), { id: 'msg_http_1' }));
    expect(response.status).toBe(200);
    const receipt = (await response.json()) as { reference: string; status: string };
    expect(receipt).toMatchObject({ reference: expect.stringMatching(/^RK-/), status: 'received' });
    const [stored] = await complaintsFrom('RMA-HTTP-1');
    expect(stored?.channel?.S).toBe('webhook');
    expect(stored?.reference?.S).toBe(receipt.reference);
  });

  it('20 concurrent deliveries of one message file one complaint, and all get the same answer', async () => {
    const delivery = standardWebhook(canonicalEvent({ returnId: 'RMA-HTTP-20' }), { id: 'msg_http_20' });
    const responses = await Promise.all(Array.from({ length: 20 }, () => post('demo-shop', delivery)));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    const bodies = await Promise.all(responses.map((response) => response.text()));
    expect(new Set(bodies).size).toBe(1);
    expect(await complaintsFrom('RMA-HTTP-20')).toHaveLength(1);
    // A retry later, signed anew by the sender, is answered the same.
    const retry = await post('demo-shop', standardWebhook(canonicalEvent({ returnId: 'RMA-HTTP-20' }), { id: 'msg_http_20' }));
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.text()).toBe(bodies[0]);
  });

  it('a bad signature is a 401 problem and stores nothing', async () => {
    const before = await itemCount();
    const delivery = standardWebhook(canonicalEvent({ returnId: 'RMA-HTTP-BAD' }), { id: 'msg_http_bad' });
    delivery.body = delivery.body.replace('Kowalska', 'Kowalski');
    const response = await post('demo-shop', delivery);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as { type: string }).type).toMatch(/signature-invalid$/);
    expect(await itemCount()).toBe(before);
  });

  it('a stale timestamp is a 401 problem and stores nothing', async () => {
    const before = await itemCount();
    const response = await post('demo-shop', standardWebhook(canonicalEvent(), { id: 'msg_http_stale', at: new Date(Date.now() - 10 * 60_000) }));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { type: string }).type).toMatch(/webhook-timestamp-out-of-tolerance$/);
    expect(await itemCount()).toBe(before);
  });

  it('a base64-encoded body is verified over its decoded bytes (as API Gateway delivers binary media)', async () => {
    const delivery = standardWebhook(canonicalEvent({ returnId: 'RMA-HTTP-B64' }), { id: 'msg_http_b64' });
    const response = await post('demo-shop', { ...delivery, headers: { ...delivery.headers, 'content-type': 'application/octet-stream' } });
    expect(response.status).toBe(200);
  });

  it('Shopify returns/request: answered at once; the workflow reads the order (the stand-in) and acknowledges to its customer', async () => {
    const returnRequest = shopifyReturn(76);
    const response = await post('shopify-demo', shopifyWebhook(returnRequest, { eventId: 'evt-http-1' }));
    expect(response.status).toBe(200);
    const receipt = (await response.json()) as { reference: string };
    await runtime.settled();
    const [stored] = await complaintsFrom('gid://shopify/Return/76');
    expect(stored?.sourcePlatform?.S).toBe('shopify');
    expect(stored?.orderNumber?.S).toBe('#1001');
    expect(stored?.customerEmail?.S).toBe('anna@example.com');
    expect(stored?.platformLookup?.M?.state?.S).toBe('done');
    expect(stored?.acknowledgement).toBeDefined();
    const submission = (await storedItems(runtime)).find((item) => item.PK?.S === stored?.PK?.S && item.SK?.S === 'COMPLAINT#SUBMISSION');
    expect(JSON.stringify(submission)).toContain('Czajnik KE-200');
    expect(runtime.shopifyAdmin.requests.at(-1)?.variables).toEqual({ id: 'gid://shopify/Order/450789469' });
    const acknowledgement = (await mailbox(runtime)).find((email) => email.body.text?.includes(receipt.reference));
    expect(acknowledgement?.destination.to).toEqual(['anna@example.com']);
  });

  it('Shopify returns/request while the Admin API is down: stored at once; the workflow retries until the shop answers, then acknowledges', async () => {
    const returnRequest = shopifyReturn(77);
    const asked = runtime.shopifyAdmin.requests.length;
    runtime.shopifyAdmin.failNext({ status: 503 }, 2);
    const response = await post('shopify-demo', shopifyWebhook(returnRequest, { eventId: 'evt-http-down' }));
    expect(response.status).toBe(200);
    await runtime.settled();
    const [stored] = await complaintsFrom('gid://shopify/Return/77');
    expect(runtime.shopifyAdmin.requests.length - asked).toBe(3);
    expect(stored?.platformLookup?.M?.state?.S).toBe('done');
    expect(stored?.customerEmail?.S).toBe('anna@example.com');
    expect(stored?.acknowledgement).toBeDefined();
  });

  it('Shopify returns/request for an order the shop does not have: stored and routed, the lookup failed with a reason staff read, and no acknowledgement', async () => {
    const orphan = shopifyReturn(78, { id: 999, admin_graphql_api_id: 'gid://shopify/Order/999', name: '#999' });
    const response = await post('shopify-demo', shopifyWebhook(orphan, { eventId: 'evt-http-orphan' }));
    expect(response.status).toBe(200);
    const receipt = (await response.json()) as { responseDueBy: string };
    await runtime.settled();
    const [stored] = await complaintsFrom('gid://shopify/Return/78');
    expect(stored?.platformLookup?.M?.state?.S).toBe('failed');
    expect(stored?.platformLookup?.M?.reason?.S).toContain('no order gid://shopify/Order/999');
    expect(stored?.acknowledgement).toBeUndefined();
    expect(stored?.customerEmail).toBeUndefined();
    // The term runs from receipt whatever the shop could tell; the department has the complaint.
    expect(stored?.responseDueBy?.S).toBe(receipt.responseDueBy);
    expect(stored?.status?.S).toBe('assigned');
    expect(stored?.workflowAttention).toBeUndefined();
  });

  it('Shopify returns/request whose shop refuses the access token: the lookup failed with the reason, without retrying', async () => {
    const returnRequest = shopifyReturn(79);
    const asked = runtime.shopifyAdmin.requests.length;
    runtime.shopifyAdmin.failNext({ status: 401 }, 1);
    expect((await post('shopify-demo', shopifyWebhook(returnRequest, { eventId: 'evt-http-401' }))).status).toBe(200);
    await runtime.settled();
    const [stored] = await complaintsFrom('gid://shopify/Return/79');
    expect(runtime.shopifyAdmin.requests.length - asked).toBe(1);
    expect(stored?.platformLookup?.M?.state?.S).toBe('failed');
    expect(stored?.platformLookup?.M?.reason?.S).toContain('refused the access token (HTTP 401)');
  });

  it('Shopify returns/request while the Admin API stays down past every retry: the lookup failed with the last error, and the workflow went on', async () => {
    const returnRequest = shopifyReturn(80);
    const asked = runtime.shopifyAdmin.requests.length;
    runtime.shopifyAdmin.failNext({ status: 503 }, 1_000);
    expect((await post('shopify-demo', shopifyWebhook(returnRequest, { eventId: 'evt-http-gone' }))).status).toBe(200);
    await runtime.settled();
    runtime.shopifyAdmin.failNext({ status: 503 }, 0);
    const [stored] = await complaintsFrom('gid://shopify/Return/80');
    // The first attempt and the ASL's 12 retries (statemachines/complaint-workflow.asl.json, LookUpPlatformOrder).
    expect(runtime.shopifyAdmin.requests.length - asked).toBe(13);
    expect(stored?.platformLookup?.M?.state?.S).toBe('failed');
    expect(stored?.platformLookup?.M?.reason?.S).toContain('HTTP 503');
    expect(stored?.status?.S).toBe('assigned');
    expect(stored?.workflowAttention).toBeUndefined();
  });

  it('a decision on a Shopify complaint is reported to the shop, retried while the shop is down: accepted approves the return, rejected declines it with our justification', async () => {
    const decide = async (returnNumber: number, decision: Record<string, unknown>, shopDownFor = 0) => {
      const returnRequest = shopifyReturn(returnNumber);
      const filed = await post('shopify-demo', shopifyWebhook(returnRequest, { eventId: `evt-decide-${returnNumber}` }));
      const { id } = (await filed.json()) as { id: string };
      await runtime.settled();
      const current = await asSupervisor('GET', `/admin/complaints/${id}`);
      runtime.shopifyAdmin.failNext({ status: 503 }, shopDownFor);
      const decided = await asSupervisor('POST', `/admin/complaints/${id}/decision`, { ...decision, version: current.body.version });
      expect(decided.status).toBe(200);
      await runtime.settled();
      await runtime.settled();
    };
    // The shop is down when the first decision is made: its consumer retries the event until the shop answers.
    const asked = runtime.shopifyAdmin.requests.length;
    await decide(81, { outcome: 'accepted', remedy: 'refund' }, 2);
    // The outbox pauses a failing consumer with backoff (local/outbox.ts); wait for its retries to get through.
    for (let waited = 0; runtime.shopifyAdmin.returnDecisions.length === 0 && waited < 20_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The lookup, two refused reports, the one that got through.
    expect(runtime.shopifyAdmin.requests.length - asked).toBe(4);
    await decide(82, { outcome: 'rejected', justification: 'Czajnik nosi ślady zalania; usterka nie wynika z wady.' });
    expect(runtime.shopifyAdmin.returnDecisions).toEqual([
      { mutation: 'returnApproveRequest', input: { id: 'gid://shopify/Return/81', notifyCustomer: false } },
      {
        mutation: 'returnDeclineRequest',
        input: {
          id: 'gid://shopify/Return/82',
          declineReason: 'OTHER',
          notifyCustomer: false,
          declineNote: 'Czajnik nosi ślady zalania; usterka nie wynika z wady.',
        },
      },
    ]);
  });

  it('WooCommerce: the creation ping gets 200 and files nothing; a return request is filed once however often it comes', async () => {
    const before = await itemCount();
    const ping = await post('woocommerce-demo', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'webhook_id=12' });
    expect(ping.status).toBe(200);
    expect(await itemCount()).toBe(before);
    const order = wooCommerceOrder({
      id: 'RMA-HTTP-WC',
      reason: 'broken',
      description: 'Pęknięta obudowa czajnika.',
      desired_remedy: 'repair',
      requested_at: new Date().toISOString(),
    });
    const [first, second] = await Promise.all([
      post('woocommerce-demo', wooCommerceWebhook(order)),
      post('woocommerce-demo', wooCommerceWebhook(order)),
    ]);
    expect(await first.text()).toBe(await second.text());
    expect(await complaintsFrom('RMA-HTTP-WC')).toHaveLength(1);
  });

  it('Shoper: a mapping that cannot fill a required field is a 422 naming it, and nothing is stored', async () => {
    const before = await itemCount();
    const order = { ...shoperOrder(), email: '' };
    const response = await post('shoper-demo', shoperWebhook(order));
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((error) => error.field)).toEqual(['data.customer.email']);
    expect(await itemCount()).toBe(before);
  });

  describe('an event date that cannot be the day of receipt: 422 on the platform’s field, nothing stored', () => {
    async function refusedOn(source: string, delivery: Delivery): Promise<string[]> {
      const before = await itemCount();
      const response = await post(source, delivery);
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const problem = (await response.json()) as { errors: { field: string }[] };
      expect(await itemCount()).toBe(before);
      return problem.errors.map((error) => error.field);
    }

    it('Standard Webhooks: backdated to 2020 against a purchase of October 2026, 1995, 0000 and 9999', async () => {
      for (const timestamp of ['2020-01-01T10:00:00Z', '1995-06-01T10:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z']) {
        const event = { ...canonicalEvent({ returnId: `RMA-HTTP-D${timestamp.slice(0, 4)}` }), timestamp };
        expect(await refusedOn('demo-shop', standardWebhook(event, { id: `msg_http_d${timestamp.slice(0, 4)}` }))).toEqual(['timestamp']);
      }
      expect(await complaintsFrom('RMA-HTTP-D2020')).toHaveLength(0);
    });

    it('WooCommerce and Shopify: requested_at in 2020 and in 9999', async () => {
      for (const requestedAt of ['2020-01-01T00:00:00Z', '9999-12-31T23:30:00Z']) {
        const year = requestedAt.slice(0, 4);
        const order = wooCommerceOrder({
          id: `RMA-HTTP-WC${year}`,
          reason: 'broken',
          description: 'Pęknięta obudowa.',
          desired_remedy: 'repair',
          requested_at: requestedAt,
        });
        expect(await refusedOn('woocommerce-demo', wooCommerceWebhook(order))).toEqual(['requested_at']);
        const returnRequest = { ...shopifyReturn(Number(`9${year}`)), requested_at: requestedAt };
        expect(await refusedOn('shopify-demo', shopifyWebhook(returnRequest, { eventId: `evt-http-${year}` }))).toEqual(['requested_at']);
      }
    });

    it('Shoper: a status_date at 25:99, or on 30 February', async () => {
      for (const statusDate of ['2026-11-23 25:99:00', '2026-02-30 10:14:00']) {
        expect(await refusedOn('shoper-demo', shoperWebhook({ ...shoperOrder(), status_date: statusDate }))).toEqual(['status_date']);
      }
    });
  });

  it('Standard Webhooks: the same return under two webhook-ids files one complaint; the second gets the first receipt, replayed', async () => {
    const event = canonicalEvent({ returnId: 'RMA-HTTP-TWICE' });
    const first = await post('demo-shop', standardWebhook(event, { id: 'msg_first' }));
    const second = await post('demo-shop', standardWebhook(event, { id: 'msg_second' }));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.text()).toBe(await first.text());
    expect(await complaintsFrom('RMA-HTTP-TWICE')).toHaveLength(1);
  });

  it('a return filed while its date was within 7 days still gets its first receipt once that date is older (read from DynamoDB)', async () => {
    // Lodged 7 days less 3 seconds ago: taken now, and 7 days and a second old when sent again 4 seconds later.
    const lodged = new Date(Date.now() - MAX_EVENT_AGE_SECONDS * 1000 + 3_000);
    const event = { ...canonicalEvent({ returnId: 'RMA-HTTP-AGED' }), timestamp: lodged.toISOString() };
    const first = await post('demo-shop', standardWebhook(event, { id: 'msg_aged_1' }));
    expect(first.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, lodged.getTime() + MAX_EVENT_AGE_SECONDS * 1000 + 1_000 - Date.now()));
    const again = await post('demo-shop', standardWebhook(event, { id: 'msg_aged_2' }));
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.text()).toBe(await first.text());
    // A return never filed, dated as old, is refused.
    const otherReturn = { ...canonicalEvent({ returnId: 'RMA-HTTP-AGED-2' }), timestamp: lodged.toISOString() };
    const other = await post('demo-shop', standardWebhook(otherReturn, { id: 'msg_aged_3' }));
    expect(other.status).toBe(422);
    expect(await complaintsFrom('RMA-HTTP-AGED-2')).toHaveLength(0);
  });

  it('Shopify: the same Return under two X-Shopify-Event-Ids files one complaint', async () => {
    const returnRequest = shopifyReturn(83);
    const first = await post('shopify-demo', shopifyWebhook(returnRequest, { eventId: 'evt-http-83a' }));
    const second = await post('shopify-demo', shopifyWebhook(returnRequest, { eventId: 'evt-http-83b' }));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.text()).toBe(await first.text());
    await runtime.settled();
    expect(await complaintsFrom('gid://shopify/Return/83')).toHaveLength(1);
  });

  it('Shopify without X-Shopify-Event-Id: a 400 naming the header, nothing stored', async () => {
    const before = await itemCount();
    const delivery = shopifyWebhook(shopifyReturn(84), { eventId: 'evt-http-84' });
    delete delivery.headers['x-shopify-event-id'];
    const response = await post('shopify-demo', delivery);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: expect.stringMatching(/missing-header$/), header: 'X-Shopify-Event-Id' });
    expect(await itemCount()).toBe(before);
  });

  it('an unknown source is a 404', async () => {
    expect((await post('nobody', standardWebhook(canonicalEvent(), { id: 'msg_x' }))).status).toBe(404);
  });
});
