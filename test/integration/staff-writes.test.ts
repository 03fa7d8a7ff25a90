import { dynamo } from '../../lambdas/adapters/clients';
import { ses } from '../../lambdas/adapters/ses-client';
import type { Runtime } from '../../local/runtime';
import { handlerOf } from '../../local/handlers';
import { demoCredentials, signedHeaders } from '../../cli/signing';
import { mailbox, startLocalProduct, storedItems, validComplaint } from '../support/local-product';
import { demoStaff } from '../support/staff-event';

// Staff writes against the local product (issue 13, "Staff writes"): an exact replay of a signed POST, the
// Idempotency-Key's answers, and a staff e-mail that is sent once and recorded whatever fails in between.

// The first test starts the workflow engine's first execution (a few seconds on a busy 2-core machine).
jest.setTimeout(30_000);

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startLocalProduct();
});
afterAll(async () => {
  await runtime.stop();
});

const supervisor = demoStaff((staff) => staff.role === 'supervisor');
const admin = demoStaff((staff) => staff.role === 'admin');

interface Signed {
  url: URL;
  headers: Record<string, string>;
  text: string;
}

/** A POST signed once, as the CLI signs it; `send` sends exactly those bytes and headers, as often as asked. */
async function signedPost(staffId: string, path: string, body: unknown, key?: string): Promise<Signed> {
  const url = new URL(path, runtime.urls.api);
  const text = JSON.stringify(body);
  const headers = { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) };
  return {
    url,
    text,
    headers: await signedHeaders({ method: 'POST', url, headers, body: text }, { credentials: demoCredentials(staffId), region: 'eu-central-1' }),
  };
}

async function send({ url, headers, text }: Signed) {
  const response = await fetch(url, { method: 'POST', headers, body: text });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read the answer's JSON by path
  return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body: (await response.json()) as any };
}

async function read(staffId: string, id: string) {
  const url = new URL(`/admin/complaints/${id}`, runtime.urls.api);
  const response = await fetch(url, {
    headers: await signedHeaders({ method: 'GET', url, headers: {} }, { credentials: demoCredentials(staffId), region: 'eu-central-1' }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (await response.json()) as any;
}

async function registered(): Promise<string> {
  const response = await send(
    await signedPost(supervisor.id, '/admin/complaints', { ...validComplaint, channel: 'letter', receivedAt: '2026-11-20' }),
  );
  expect(response.status).toBe(201);
  await runtime.settled();
  return response.body.id as string;
}

/** The history entries of this action, read from the table itself. */
async function storedEvents(id: string, action: string) {
  return (await storedItems(runtime)).filter(
    (item) => item.PK?.S === `COMPLAINT#${id}` && item.SK?.S.startsWith('EVENT#') && item.action?.S === action,
  );
}

describe('a staff POST under an Idempotency-Key', () => {
  it('sent twice exactly as signed (a replay within the signature window) stores one note, and both answers are equal', async () => {
    const id = await registered();
    const note = await signedPost(supervisor.id, `/admin/complaints/${id}/notes`, { text: 'Klient dzwonił w sprawie terminu.' }, 'note-replay-1');
    const first = await send(note);
    const replay = await send(note);
    expect(first.status).toBe(201);
    expect([replay.status, replay.replayed]).toEqual([201, 'true']);
    expect(replay.body).toEqual(first.body);
    expect(await storedEvents(id, 'note_added')).toHaveLength(1);
  });

  it('refuses the same key with another body (422) and stores nothing more', async () => {
    const id = await registered();
    expect((await send(await signedPost(supervisor.id, `/admin/complaints/${id}/notes`, { text: 'Pierwsza notatka.' }, 'note-reused'))).status).toBe(
      201,
    );
    const reused = await send(await signedPost(supervisor.id, `/admin/complaints/${id}/notes`, { text: 'Druga, inna notatka.' }, 'note-reused'));
    expect(reused.status).toBe(422);
    expect(reused.body.type).toMatch(/idempotency-key-reused$/);
    expect(await storedEvents(id, 'note_added')).toHaveLength(1);
  });

  it('under requests racing with one key, stores one note; each answer is that note or a 409 to retry', async () => {
    const id = await registered();
    const note = await signedPost(supervisor.id, `/admin/complaints/${id}/notes`, { text: 'Notatka wysłana pięć razy naraz.' }, 'note-race');
    const answers = await Promise.all(Array.from({ length: 5 }, () => send(note)));
    const stored = answers.filter((answer) => answer.status === 201);
    const busy = answers.filter((answer) => answer.status === 409);
    expect(stored.length + busy.length).toBe(5);
    expect(stored.length).toBeGreaterThanOrEqual(1);
    for (const answer of stored) expect(answer.body).toEqual(stored[0]!.body);
    for (const answer of busy) expect(answer.body.type).toMatch(/idempotency-key-in-use$/);
    expect(await storedEvents(id, 'note_added')).toHaveLength(1);
  });

  it("keeps each staff member's keys apart", async () => {
    const id = await registered();
    await send(await signedPost(supervisor.id, `/admin/complaints/${id}/notes`, { text: 'Ta sama notatka.' }, 'same-name'));
    const theirs = await send(await signedPost(admin.id, `/admin/complaints/${id}/notes`, { text: 'Ta sama notatka.' }, 'same-name'));
    expect([theirs.status, theirs.replayed]).toEqual([201, null]);
    expect(await storedEvents(id, 'note_added')).toHaveLength(2);
  });

  it('replays a decision with its first answer rather than refusing a second decision', async () => {
    const id = await registered();
    const { version } = await read(supervisor.id, id);
    const decision = await signedPost(
      supervisor.id,
      `/admin/complaints/${id}/decision`,
      { outcome: 'accepted', remedy: 'repair', version },
      'decide-once',
    );
    const first = await send(decision);
    await runtime.settled();
    const again = await send(decision);
    expect(first.status).toBe(200);
    expect([again.status, again.replayed, again.body]).toEqual([200, 'true', first.body]);
    expect(await storedEvents(id, 'decision_recorded')).toHaveLength(1);
  });
});

describe('an information request (a staff e-mail: sent once, recorded with its evidence)', () => {
  const question = 'Proszę przesłać zdjęcie tabliczki znamionowej czajnika.';
  const asked = async () => (await mailbox(runtime)).filter((email) => (email.body.text ?? '').includes(question));

  it('whose write failed after the e-mail went out, retried with its key, sends one e-mail and records it with its delivery', async () => {
    const id = await registered();
    const before = (await asked()).length;
    // The staff change's transaction fails after SES accepted the e-mail: DynamoDB answers it 500 every time, so the
    // client's own attempts (3) are spent too (the handlers' own client, in this process, as the local API runs them).
    let failed = 0;
    const stopFailing = dynamo().intercept(async (outgoing, next) => {
      const body = await outgoing.clone().text();
      if (outgoing.headers.get('x-amz-target') === 'DynamoDB_20120810.TransactWriteItems' && body.includes('information_requested')) {
        failed += 1;
        return new Response(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'injected: not stored' }), {
          status: 500,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
        });
      }
      return next(outgoing);
    });
    const request = await signedPost(supervisor.id, `/admin/complaints/${id}/information-requests`, { question }, 'ask-once');
    let first;
    try {
      first = await send(request);
    } finally {
      stopFailing();
    }
    expect([failed, first.status]).toEqual([3, 500]);
    const retried = await send(request);
    expect(retried.status).toBe(201);
    expect((await asked()).length - before).toBe(1);

    const { messageId } = retried.body.informationRequest;
    expect(retried.body.informationRequest).toMatchObject({ question, requestedBy: supervisor.id });
    expect((await storedEvents(id, 'information_requested')).map((event) => event.after.M.messageId.S)).toEqual([messageId]);

    const timestamp = new Date().toISOString();
    await handlerOf('recordDelivery')({
      source: 'aws.ses',
      detail: {
        eventType: 'Delivery',
        mail: { messageId, timestamp, tags: { complaint: [id], record: ['informationRequest'] } },
        delivery: { timestamp },
      },
    });
    expect((await read(supervisor.id, id)).informationRequest).toMatchObject({ messageId, delivery: 'delivered', deliveryAt: timestamp });
  });

  it('refused by SES (503) records nothing, and its retry sends one e-mail', async () => {
    const id = await registered();
    const before = (await asked()).length;
    const request = await signedPost(supervisor.id, `/admin/complaints/${id}/information-requests`, { question }, 'ask-ses-down');
    // SES throttles the send, every attempt (the mailer's own client, in this process, as the local API runs its handlers).
    let throttled = 0;
    const stopThrottling = ses().intercept(async () => {
      throttled += 1;
      return new Response(JSON.stringify({ message: 'injected: Maximum sending rate exceeded.' }), {
        status: 429,
        headers: {
          'content-type': 'application/json',
          'x-amzn-errortype': 'TooManyRequestsException:http://internal.amazon.com/coral/com.amazonaws.sesv2/',
        },
      });
    });
    let refused;
    try {
      refused = await send(request);
    } finally {
      stopThrottling();
    }
    expect(throttled).toBe(3);
    expect(refused.status).toBe(503);
    expect((await read(supervisor.id, id)).informationRequest).toBeUndefined();
    expect((await send(request)).status).toBe(201);
    expect((await asked()).length - before).toBe(1);
    expect(await storedEvents(id, 'information_requested')).toHaveLength(1);
  });
});
