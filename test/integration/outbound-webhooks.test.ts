import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { Runtime } from '../../local/runtime';
import { demoCredentials, signedHeaders } from '../../cli/signing';
import { main } from '../../cli/main';
import { ATTEMPT_OFFSETS_SECONDS } from '../../lambdas/core/outbound-webhooks';
import { postComplaint, startLocalProduct, validComplaint } from '../support/local-product';
import { demoStaff } from '../support/staff-event';
import { canonicalEvent, standardWebhook } from '../support/webhook-deliveries';
import { until } from '../support/until';

// Status events out, against the whole local product: real subscribers listening on 127.0.0.1, the real
// dispatcher fed by the outbox, the real delivery state machine (statemachines/webhook-delivery.asl.json) run
// by the local engine. The product's clock runs 10,000 times faster, so the day of retries takes ~9 s; the
// signatures are checked with the `standardwebhooks` package, independent of the product's signer.

const CLOCK_SPEED = 10_000;

// Handlers load on first use and the machine is shared: a delivery's first attempt can take a few seconds.
jest.setTimeout(60_000);

let runtime: Runtime;
const subscribers: Subscriber[] = [];

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Subscriber {
  url: string;
  received: Received[];
  /** Answers each request with this status (by the request's 0-based number), after `delayMs`. */
  answer: (index: number) => number;
  delayMs: number;
  close(): Promise<void>;
}

async function subscriber(answer: (index: number) => number, delayMs = 0): Promise<Subscriber> {
  const received: Received[] = [];
  const state = { answer, delayMs };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = received.length;
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      setTimeout(() => {
        response.writeHead(state.answer(index));
        response.end();
      }, state.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const made: Subscriber = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    get answer() {
      return state.answer;
    },
    set answer(next) {
      state.answer = next;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(next) {
      state.delayMs = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  subscribers.push(made);
  return made;
}

beforeAll(async () => {
  runtime = await startLocalProduct({ clockSpeed: CLOCK_SPEED, log: () => undefined });
});
afterAll(async () => {
  await runtime.stop();
  await Promise.all(subscribers.map((each) => each.close()));
});

const admin = demoStaff((staff) => staff.role === 'admin');
const supervisor = demoStaff((staff) => staff.role === 'supervisor');

async function call(staffId: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, headers: Record<string, string> = {}) {
  const url = new URL(path, runtime.urls.api);
  const text = body === undefined ? undefined : JSON.stringify(body);
  const unsigned: Record<string, string> = { ...(text === undefined ? {} : { 'content-type': 'application/json' }), ...headers };
  const signed = await signedHeaders(
    { method, url, headers: unsigned, body: text },
    { credentials: demoCredentials(staffId), region: 'eu-central-1' },
  );
  const response = await fetch(url, { method, headers: signed, body: text });
  const answer = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    headers: response.headers,
    // JSON.parse's any: the tests read the answer's JSON by path.
    body: answer ? JSON.parse(answer) : undefined,
  };
}

async function subscribe(url: string, events: string[], extra: Record<string, unknown> = {}) {
  const response = await call(admin.id, 'POST', '/admin/webhook-subscriptions', { url, events, ...extra });
  expect(response.status).toBe(201);
  return response.body as { id: string; secret: string; status: string };
}

async function fileComplaint(): Promise<string> {
  const response = await postComplaint(runtime, { ...validComplaint, customer: { ...validComplaint.customer, email: `k${Date.now()}@example.com` } });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function deliveriesOf(complaintId: string) {
  const response = await call(admin.id, 'GET', `/admin/complaints/${complaintId}/webhook-deliveries`);
  expect(response.status).toBe(200);
  return response.body.deliveries as {
    deliveryId: string;
    subscriptionId: string;
    type: string;
    state: string;
    attemptCount: number;
    attempts: { status?: number }[];
  }[];
}

const parsed = (received: Received) => JSON.parse(received.body) as { type: string; timestamp: string; data: Record<string, unknown> };

describe('outbound webhooks', () => {
  it('delivers a complaint event to its subscriber, signed as Standard Webhooks and without personal data', async () => {
    const receiver = await subscriber(() => 204);
    const subscription = await subscribe(receiver.url, ['complaint.received']);
    expect(subscription.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const complaintId = await fileComplaint();

    const delivery = await until('the received event', () => receiver.received.find((each) => parsed(each).data.complaintId === complaintId));
    const verified = new Webhook(subscription.secret).verify(delivery.body, delivery.headers as Record<string, string>) as ReturnType<typeof parsed>;
    expect(verified.type).toBe('complaint.received');
    expect(verified.data).toMatchObject({ complaintId, sequence: 1, channel: 'web', orderNumber: validComplaint.orderNumber });
    expect(delivery.body).not.toContain('Kowalska');
    expect(delivery.body).not.toContain('@example.com');
    expect(delivery.headers['webhook-id']).toMatch(/^msg_/);

    const log = await until('the delivered state', async () => (await deliveriesOf(complaintId)).find((each) => each.state === 'delivered'));
    expect(log).toMatchObject({ subscriptionId: subscription.id, type: 'complaint.received', attemptCount: 1, attempts: [{ status: 204 }] });
    // The listing never shows a secret again.
    const listed = await call(admin.id, 'GET', '/admin/webhook-subscriptions');
    expect(listed.body.subscriptions.find((each: { id: string }) => each.id === subscription.id)).toEqual(
      expect.not.objectContaining({ secret: expect.anything() }),
    );
    expect(JSON.stringify(listed.body)).not.toContain(subscription.secret);
  });

  it('retries a failing subscriber with the same webhook-id until it answers 2xx', async () => {
    const flaky = await subscriber((index) => (index < 2 ? 503 : 200));
    const subscription = await subscribe(flaky.url, ['complaint.received']);
    const complaintId = await fileComplaint();
    await until('three attempts', () => flaky.received.filter((each) => parsed(each).data.complaintId === complaintId).length >= 3 || undefined);
    const attempts = flaky.received.filter((each) => parsed(each).data.complaintId === complaintId);
    expect(new Set(attempts.map((each) => each.headers['webhook-id'])).size).toBe(1);
    expect(new Set(attempts.map((each) => each.body)).size).toBe(1);
    const log = await until('delivered', async () =>
      (await deliveriesOf(complaintId)).find((each) => each.subscriptionId === subscription.id && each.state === 'delivered'),
    );
    expect(log.attempts.map((each) => each.status)).toEqual([503, 503, 200]);
  });

  it('disables the subscription of a subscriber that answers 410 Gone, and sends it nothing more', async () => {
    const gone = await subscriber(() => 410);
    const subscription = await subscribe(gone.url, ['complaint.received']);
    const complaintId = await fileComplaint();
    const log = await until('gone', async () =>
      (await deliveriesOf(complaintId)).find((each) => each.subscriptionId === subscription.id && each.state === 'gone'),
    );
    expect(log.attemptCount).toBe(1);
    const listed = await call(admin.id, 'GET', '/admin/webhook-subscriptions');
    expect(listed.body.subscriptions.find((each: { id: string }) => each.id === subscription.id)).toMatchObject({
      status: 'disabled',
      disabledReason: expect.stringContaining('410 Gone'),
    });
    const before = gone.received.length;
    const next = await fileComplaint();
    await until('the next complaint dispatched', async () => (await deliveriesOf(next)).length > 0 || undefined);
    expect((await deliveriesOf(next)).some((each) => each.subscriptionId === subscription.id)).toBe(false);
    expect(gone.received.length).toBe(before);
  });

  it('parks a delivery that failed for a whole day in the dead letters, and an admin redrives it', async () => {
    const down = await subscriber(() => 500);
    const subscription = await subscribe(down.url, ['complaint.received']);
    const complaintId = await fileComplaint();
    const parked = await until(
      'parked',
      async () => (await deliveriesOf(complaintId)).find((each) => each.subscriptionId === subscription.id && each.state === 'parked'),
      60_000,
    );
    expect(parked.attemptCount).toBe(ATTEMPT_OFFSETS_SECONDS.length);
    const page = await call(admin.id, 'GET', '/admin/webhook-dead-letters');
    expect(page.status).toBe(200);
    const deadLetter = page.body.deadLetters.find((each: { deliveryId: string }) => each.deliveryId === parked.deliveryId);
    expect(deadLetter).toMatchObject({ complaintId, subscriptionId: subscription.id, type: 'complaint.received', lastAttempt: { status: 500 } });

    down.answer = () => 200;
    const redriven = await call(admin.id, 'POST', `/admin/webhook-dead-letters/${deadLetter.id}/redrive`);
    expect(redriven.status).toBe(202);
    const delivered = await until('delivered after the redrive', async () =>
      (await deliveriesOf(complaintId)).find((each) => each.deliveryId === parked.deliveryId && each.state === 'delivered'),
    );
    expect(delivered.attemptCount).toBe(ATTEMPT_OFFSETS_SECONDS.length + 1);
    expect(new Set(down.received.filter((each) => parsed(each).data.complaintId === complaintId).map((each) => each.headers['webhook-id']))).toEqual(
      new Set([parked.deliveryId]),
    );
    // Gone from the dead letters; a second redrive finds nothing.
    const after = await call(admin.id, 'GET', '/admin/webhook-dead-letters');
    expect(after.body.deadLetters.some((each: { id: string }) => each.id === deadLetter.id)).toBe(false);
    expect((await call(admin.id, 'POST', `/admin/webhook-dead-letters/${deadLetter.id}/redrive`)).status).toBe(404);
  });

  it('redrives every dead letter of one subscription at once, once each; a second bulk redrive finds none', async () => {
    const down = await subscriber(() => 500);
    const subscription = await subscribe(down.url, ['complaint.received']);
    const complaints = [await fileComplaint(), await fileComplaint()];
    const parked = await Promise.all(
      complaints.map((complaintId) =>
        until(
          'parked',
          async () => (await deliveriesOf(complaintId)).find((each) => each.subscriptionId === subscription.id && each.state === 'parked'),
          60_000,
        ),
      ),
    );
    down.answer = () => 200;
    const bulk = await call(admin.id, 'POST', '/admin/webhook-dead-letters/redrive', { subscriptionId: subscription.id });
    expect(bulk.status).toBe(202);
    expect(new Set(bulk.body.redriven.map((each: { deliveryId: string }) => each.deliveryId))).toEqual(
      new Set(parked.map((each) => each.deliveryId)),
    );
    expect(bulk.body).toMatchObject({ skipped: [], more: false });
    await Promise.all(
      complaints.map((complaintId, i) =>
        until('delivered after the bulk redrive', async () =>
          (await deliveriesOf(complaintId)).find((each) => each.deliveryId === parked[i]!.deliveryId && each.state === 'delivered'),
        ),
      ),
    );
    const again = await call(admin.id, 'POST', '/admin/webhook-dead-letters/redrive', { subscriptionId: subscription.id });
    expect(again.body).toEqual({ redriven: [], skipped: [], more: false });
  });

  it('does not let a slow subscriber hold up another one', async () => {
    const slow = await subscriber(() => 200, 3_000);
    const quick = await subscriber(() => 200);
    const slowSubscription = await subscribe(slow.url, ['complaint.received']);
    const quickSubscription = await subscribe(quick.url, ['complaint.received']);
    const complaintId = await fileComplaint();
    await until('the slow subscriber has the request', () => slow.received.find((each) => parsed(each).data.complaintId === complaintId));
    const quickDelivered = await until('the quick subscriber delivered', async () =>
      (await deliveriesOf(complaintId)).find((each) => each.subscriptionId === quickSubscription.id && each.state === 'delivered'),
    );
    expect(quickDelivered.attemptCount).toBe(1);
    // The slow one is still answering (3 s): its delivery is not recorded yet, and it does not fail either.
    const slowNow = (await deliveriesOf(complaintId)).find((each) => each.subscriptionId === slowSubscription.id);
    expect(slowNow?.state).toBe('pending');
    await until('the slow subscriber delivered', async () =>
      (await deliveriesOf(complaintId)).find((each) => each.subscriptionId === slowSubscription.id && each.state === 'delivered'),
    );
  });

  it("sends a source's subscribers only that source's complaints", async () => {
    const shop = await subscriber(() => 200);
    const subscription = await subscribe(shop.url, ['complaint.received'], { source: 'demo-shop' });
    const fromForm = await fileComplaint();
    const delivery = standardWebhook(canonicalEvent({ orderId: `ord-${Date.now()}` }), { id: `msg_out_${Date.now()}` });
    const filed = await fetch(`${runtime.urls.api}/webhooks/demo-shop`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    expect(filed.status).toBe(200);
    const fromShop = ((await filed.json()) as { id: string }).id;
    const received = await until('the shop complaint', () => shop.received.find((each) => parsed(each).data.complaintId === fromShop));
    expect(parsed(received).data).toMatchObject({ source: 'demo-shop' });
    await until('the form complaint dispatched', async () => (await deliveriesOf(fromForm)).length > 0 || undefined);
    expect((await deliveriesOf(fromForm)).some((each) => each.subscriptionId === subscription.id)).toBe(false);
  });

  it('refuses bad subscriptions with a problem naming the field, and stores nothing', async () => {
    const count = async () => (await call(admin.id, 'GET', '/admin/webhook-subscriptions')).body.subscriptions.length as number;
    const before = await count();
    const cases: [unknown, string][] = [
      [{ url: 'http://169.254.169.254/latest/meta-data', events: ['complaint.received'] }, 'url'],
      [{ url: 'http://[::ffff:10.0.0.1]/', events: ['complaint.received'] }, 'url'],
      [{ url: 'http://user:pw@127.0.0.1/', events: ['complaint.received'] }, 'url'],
      [{ url: 'ftp://127.0.0.1/', events: ['complaint.received'] }, 'url'],
      [{ url: 'http://127.0.0.1/', events: ['complaint.shipped'] }, 'events.0'],
      [{ url: 'http://127.0.0.1/', events: [] }, 'events'],
      [{ url: 'http://127.0.0.1/', events: ['complaint.received'], source: 'Not A Source' }, 'source'],
    ];
    for (const [body, field] of cases) {
      const response = await call(admin.id, 'POST', '/admin/webhook-subscriptions', body);
      expect(response.status).toBe(422);
      expect(response.type).toBe('application/problem+json');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
    expect(await count()).toBe(before);
  });

  it('is for admins only', async () => {
    const receiver = await subscriber(() => 200);
    const forbidden = await call(supervisor.id, 'POST', '/admin/webhook-subscriptions', { url: receiver.url, events: ['complaint.received'] });
    expect(forbidden.status).toBe(403);
    expect((await call(supervisor.id, 'GET', '/admin/webhook-subscriptions')).status).toBe(403);
    expect((await call(supervisor.id, 'GET', '/admin/webhook-dead-letters')).status).toBe(403);
  });

  it('replays a create retried with the same Idempotency-Key, and refuses the key with another request', async () => {
    const receiver = await subscriber(() => 200);
    const key = { 'idempotency-key': `create-${Date.now()}` };
    const first = await call(admin.id, 'POST', '/admin/webhook-subscriptions', { url: receiver.url, events: ['complaint.decided'] }, key);
    const again = await call(admin.id, 'POST', '/admin/webhook-subscriptions', { url: receiver.url, events: ['complaint.decided'] }, key);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await call(admin.id, 'POST', '/admin/webhook-subscriptions', { url: receiver.url, events: ['complaint.closed'] }, key);
    expect(other.status).toBe(422);
  });

  it('disables and deletes subscriptions', async () => {
    const receiver = await subscriber(() => 200);
    const subscription = await subscribe(receiver.url, ['complaint.received']);
    const disabled = await call(admin.id, 'POST', `/admin/webhook-subscriptions/${subscription.id}/disable`);
    expect(disabled.body).toMatchObject({ id: subscription.id, status: 'disabled', disabledReason: `disabled by ${admin.id}` });
    const complaintId = await fileComplaint();
    await until('dispatched', async () => (await deliveriesOf(complaintId)).length > 0 || undefined);
    expect((await deliveriesOf(complaintId)).some((each) => each.subscriptionId === subscription.id)).toBe(false);
    expect((await call(admin.id, 'DELETE', `/admin/webhook-subscriptions/${subscription.id}`)).status).toBe(204);
    expect((await call(admin.id, 'DELETE', `/admin/webhook-subscriptions/${subscription.id}`)).status).toBe(404);
    expect((await call(admin.id, 'POST', '/admin/webhook-subscriptions/sub_nonsense/disable')).status).toBe(404);
  });

  it('has the same from the CLI: subscribe, list, the delivery log, dead letters, disable and delete', async () => {
    const receiver = await subscriber(() => 200);
    const cli = async (...argv: string[]) => {
      let out = '';
      let err = '';
      const code = await main([...argv, '--as', admin.id], {
        stdout: (line) => (out += `${line}\n`),
        stderr: (line) => (err += `${line}\n`),
        env: { COMPLAINTS_API_URL: runtime.urls.api },
      });
      return { code, out, err };
    };
    const subscribed = await cli('subscribe', '--url', receiver.url, '--event', 'complaint.received', '--event', 'complaint.assigned', '--json');
    expect(subscribed.code).toBe(0);
    const created = JSON.parse(subscribed.out) as { id: string; secret: string };
    expect(created.secret).toMatch(/^whsec_/);
    const human = await cli('subscribe', '--url', receiver.url, '--event', 'complaint.closed');
    expect(human.out).toMatch(/Signing secret .*\n {2}whsec_/);
    expect((await cli('subscribe', '--url', 'http://169.254.169.254/', '--event', 'complaint.closed')).code).toBe(1);

    expect((await cli('subscriptions')).out).toContain(created.id);
    const complaintId = await fileComplaint();
    await until('delivered', async () =>
      (await deliveriesOf(complaintId)).find((each) => each.subscriptionId === created.id && each.state === 'delivered'),
    );
    const log = await cli('deliveries', complaintId);
    expect(log.code).toBe(0);
    expect(log.out).toMatch(new RegExp(`received +${created.id} +delivered +1`));
    expect((await cli('dead-letters')).code).toBe(0);
    expect((await cli('redrive', 'dl_0000000000000_msg_AAAAAAAAAAAAAAAAAAAAAA')).code).toBe(1);
    expect((await cli('disable-subscription', created.id)).out).toContain(`Disabled ${created.id}`);
    expect((await cli('delete-subscription', created.id)).code).toBe(0);
    expect((await cli('subscriptions')).out).not.toContain(created.id);
  });
});
