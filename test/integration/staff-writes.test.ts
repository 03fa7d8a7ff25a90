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

describe('information requests racing or following a failed one (one e-mail each, a precise 409 otherwise)', () => {
  const asking = (text: string) => async () => (await mailbox(runtime)).filter((email) => (email.body.text ?? '').includes(text));

  it('sent five times at once under one key send one e-mail; each answer is its answer or a 409 with Retry-After', async () => {
    const question = 'Czy czajnik był używany z filtrem kamienia? (pięć naraz)';
    const id = await registered();
    const request = await signedPost(supervisor.id, `/admin/complaints/${id}/information-requests`, { question }, 'ask-race');
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => fetch(request.url, { method: 'POST', headers: request.headers, body: request.text })),
    );
    const read = await Promise.all(
      answers.map(async (answer) => ({
        status: answer.status,
        retryAfter: answer.headers.get('retry-after'),
        body: (await answer.json()) as { type?: string },
      })),
    );
    const stored = read.filter((answer) => answer.status === 201);
    const busy = read.filter((answer) => answer.status === 409);
    expect(stored.length + busy.length).toBe(5);
    for (const answer of stored) expect(answer.body).toEqual(stored[0]!.body);
    for (const answer of busy) {
      expect(answer.body.type).toMatch(/(idempotency-key-in-use|email-being-sent)$/);
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    // Each 409 clears by itself: sent again after its Retry-After, the request gets the stored answer.
    if (busy.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(...busy.map((answer) => Number(answer.retryAfter))) * 1000));
      const again = await send(request);
      expect([again.status, again.replayed]).toEqual([201, 'true']);
    }
    expect(await asking(question)()).toHaveLength(1);
    expect(await storedEvents(id, 'information_requested')).toHaveLength(1);
  }, 45_000);

  it('a different question after a request that failed past its e-mail is a 409 with Retry-After until that one is retried, then goes out', async () => {
    const first = 'Proszę podać numer seryjny czajnika z tabliczki.';
    const second = 'Czy czajnik spadł lub został uszkodzony mechanicznie?';
    const id = await registered();
    // The first request's staff change fails after SES accepted its e-mail: DynamoDB answers it 500 every time.
    const stopFailing = dynamo().intercept(async (outgoing, next) => {
      const body = await outgoing.clone().text();
      if (outgoing.headers.get('x-amz-target') === 'DynamoDB_20120810.TransactWriteItems' && body.includes('information_requested')) {
        return new Response(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'injected: not stored' }), {
          status: 500,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
        });
      }
      return next(outgoing);
    });
    const firstRequest = await signedPost(supervisor.id, `/admin/complaints/${id}/information-requests`, { question: first }, 'ask-first');
    try {
      expect((await send(firstRequest)).status).toBe(500);
    } finally {
      stopFailing();
    }
    const secondRequest = await signedPost(admin.id, `/admin/complaints/${id}/information-requests`, { question: second }, 'ask-second');
    const refused = await fetch(secondRequest.url, { method: 'POST', headers: secondRequest.headers, body: secondRequest.text });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { type: string }).type).toMatch(/earlier-request-unfinished$/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(55);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // The first one's retry finishes it with the e-mail already sent; then the second goes out.
    const retried = await send(firstRequest);
    expect(retried.status).toBe(201);
    const asked = await send(secondRequest);
    expect(asked.status).toBe(201);
    expect(await asking(first)()).toHaveLength(1);
    expect(await asking(second)()).toHaveLength(1);
    const entries = await storedEvents(id, 'information_requested');
    expect(entries.map((entry) => entry.after.M.question.S)).toEqual([first, second]);
    expect(entries.map((entry) => entry.after.M.messageId.S)).toEqual([
      retried.body.informationRequest.messageId,
      asked.body.informationRequest.messageId,
    ]);
  });
});

describe('many staff changing one complaint at once', () => {
  it('store every note once: a change that lost every race is a 409 complaint-busy, stored when sent again, never a 500', async () => {
    const id = await registered();
    const texts = Array.from({ length: 12 }, (_, i) => `Notatka ${i + 1} z narady zespołu.`);
    const noteOnce = async (text: string) => send(await signedPost(supervisor.id, `/admin/complaints/${id}/notes`, { text }));
    const first = await Promise.all(texts.map(noteOnce));
    for (const answer of first.filter((answer) => answer.status !== 201)) {
      expect({ status: answer.status, type: answer.body.type }).toEqual({ status: 409, type: expect.stringMatching(/complaint-busy$/) });
    }
    // As a client following Retry-After would: each busy one once more, one after another.
    const again = [];
    for (const [i, answer] of first.entries()) if (answer.status !== 201) again.push((await noteOnce(texts[i]!)).status);
    expect(again.every((status) => status === 201)).toBe(true);
    const stored = (await storedEvents(id, 'note_added')).map((item) => item.after.M.text.S).sort();
    expect(stored).toEqual([...texts].sort());
  });
});
