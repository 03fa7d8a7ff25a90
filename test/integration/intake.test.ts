import type { Runtime } from '../../local/runtime';
import { parseReference } from '../../lambdas/core/reference';
import { handlerOf } from '../../local/handlers';
import { dynamo } from '../../lambdas/adapters/clients';
import { dynamoComplaintRepository } from '../../lambdas/adapters/complaint-repository';
import { complaintSubmissionSchema, type Complaint } from '../../lambdas/core/complaint';
import { addCalendarDays } from '../../lambdas/core/calendar/calendar-date';
import { warsawCalendarDate } from '../../lambdas/core/calendar/polish-calendar';
import { postComplaint, startLocalProduct, storedItems, validComplaint } from '../support/local-product';

let runtime: Runtime;

beforeAll(async () => {
  runtime = await startLocalProduct();
});
afterAll(async () => {
  await runtime.stop();
});

async function complaintCount(): Promise<number> {
  return (await storedItems(runtime)).filter((item) => item.SK?.S === 'COMPLAINT').length;
}

async function expectProblem(response: Response, status: number, fields: string[] = []) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const problem = (await response.json()) as { status: number; title: string; type: string; errors?: { field: string }[] };
  expect(problem.status).toBe(status);
  expect(problem.type).toMatch(/^https:\/\//);
  expect(problem.title.length).toBeGreaterThan(0);
  for (const field of fields) expect(problem.errors?.map((error) => error.field)).toContain(field);
  return problem;
}

describe('POST /complaints', () => {
  it('stores a JSON complaint and answers 201 with its reference and the consumer due date', async () => {
    const before = await complaintCount();
    const response = await postComplaint(runtime, validComplaint);
    expect(response.status).toBe(201);
    const receipt = (await response.json()) as Record<string, string>;
    expect(parseReference(receipt.reference!)).toBe(receipt.reference);
    expect(receipt.status).toBe('received');
    expect(receipt.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(receipt.receivedAt!).toISOString()).toBe(receipt.receivedAt);
    expect(receipt.responseDueBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The customer follows the complaint on the status page.
    expect(response.headers.get('location')).toBe(`/complaints/status?reference=${receipt.reference}&lang=pl`);
    expect(await complaintCount()).toBe(before + 1);
  });

  it('accepts a plain HTML form with dotted field names and a checkbox', async () => {
    const form = new URLSearchParams({
      'customer.name': 'Jan Nowak',
      'customer.email': 'jan@example.com',
      'customer.phone': '',
      orderNumber: '',
      description: 'Buty rozkleiły się po tygodniu noszenia.',
      desiredRemedy: 'refund',
      privacyNoticeAccepted: 'on',
    });
    const response = await fetch(`${runtime.urls.api}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(response.status).toBe(201);
    const receipt = (await response.json()) as { id: string };
    const items = (await storedItems(runtime)).filter((item) => item.PK?.S === `COMPLAINT#${receipt.id}`);
    const stored = { ...items.find((item) => item.SK?.S === 'COMPLAINT#SUBMISSION'), ...items.find((item) => item.SK?.S === 'COMPLAINT') };
    expect(stored.customer?.M?.name?.S).toBe('Jan Nowak');
    expect(stored.orderNumber).toBeUndefined();
    expect(stored.language?.S).toBe('pl');
  });

  it('reads a base64-encoded body as API Gateway delivers binary media', async () => {
    const result = (await handlerOf('intake')({
      version: '2.0',
      rawPath: '/complaints',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify(validComplaint)).toString('base64'),
      isBase64Encoded: true,
      // API Gateway always gives the caller's address (the per-client limit counts by it).
      requestContext: { http: { method: 'POST', path: '/complaints', sourceIp: '192.0.2.10' } },
    })) as { statusCode: number };
    expect(result.statusCode).toBe(201);
  });

  it.each([
    ['a missing e-mail', { ...validComplaint, customer: { name: 'Anna' } }, ['customer.email']],
    ['an unknown remedy', { ...validComplaint, desiredRemedy: 'apology' }, ['desiredRemedy']],
    ['an impossible purchase date', { ...validComplaint, purchaseDate: '2026-02-30' }, ['purchaseDate']],
    ['the privacy notice not acknowledged', { ...validComplaint, privacyNoticeAccepted: false }, ['privacyNoticeAccepted']],
    [
      'a too short description and a bad phone',
      { ...validComplaint, description: 'zepsute', customer: { ...validComplaint.customer, phone: 'abc' } },
      ['description', 'customer.phone'],
    ],
    ['a body that is not an object', [1, 2, 3], ['']],
  ])('answers 422 naming each bad field for %s, and stores nothing', async (_case, body, fields) => {
    const before = await complaintCount();
    await expectProblem(await postComplaint(runtime, body), 422, fields);
    expect(await complaintCount()).toBe(before);
  });

  it('answers 422 naming purchaseDate to a purchase dated tomorrow in Warsaw by the product clock, and stores nothing', async () => {
    const tomorrow = addCalendarDays(warsawCalendarDate(runtime.clock.now()), 1);
    const before = await complaintCount();
    const problem = await expectProblem(await postComplaint(runtime, { ...validComplaint, purchaseDate: tomorrow }), 422, ['purchaseDate']);
    expect(problem.errors).toHaveLength(1);
    expect(await complaintCount()).toBe(before);
    const today = warsawCalendarDate(runtime.clock.now());
    expect((await postComplaint(runtime, { ...validComplaint, purchaseDate: today })).status).toBe(201);
  });

  it('answers 400 to JSON that does not parse', async () => {
    await expectProblem(await postComplaint(runtime, '{"customer": '), 400);
  });

  it('answers 415 to a media type it does not read', async () => {
    await expectProblem(await postComplaint(runtime, 'hello', { 'content-type': 'text/plain' }), 415);
  });

  it('answers 413 to a body over 64 KiB', async () => {
    await expectProblem(await postComplaint(runtime, { ...validComplaint, description: 'x'.repeat(70_000) }), 413);
  });

  it('answers 404 and 405 as problem+json for unknown paths and methods', async () => {
    await expectProblem(await fetch(`${runtime.urls.api}/nothing-here`), 404);
    const response = await fetch(`${runtime.urls.api}/complaints`);
    await expectProblem(response, 405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('POST /complaints with hostile text', () => {
  it('answers 400 problem+json to a body that is not UTF-8, and stores nothing', async () => {
    const before = await complaintCount();
    const [head, tail] = JSON.stringify(validComplaint).split('Anna Kowalska') as [string, string];
    const body = Buffer.concat([Buffer.from(`${head}Ann`), Buffer.from([0xc3, 0x28]), Buffer.from(tail)]); // "Ann\xc3\x28" in the name
    const response = await fetch(`${runtime.urls.api}/complaints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const problem = await expectProblem(response, 400);
    expect(JSON.stringify(problem)).toContain('UTF-8');
    expect(await complaintCount()).toBe(before);
  });

  it('answers 422 naming customer.name to a right-to-left override in the name, and stores nothing', async () => {
    const before = await complaintCount();
    const response = await postComplaint(runtime, { ...validComplaint, customer: { ...validComplaint.customer, name: 'Anna \u202Eakswolak' } });
    await expectProblem(response, 422, ['customer.name']);
    expect(await complaintCount()).toBe(before);
  });
});

describe('Idempotency-Key on POST /complaints', () => {
  it('replays the first answer to a retried submission and creates nothing new', async () => {
    const headers = { 'idempotency-key': 'retry-1' };
    const first = await postComplaint(runtime, validComplaint, headers);
    const before = await complaintCount();
    const second = await postComplaint(runtime, validComplaint, headers);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.json()).toEqual(await first.json());
    expect(await complaintCount()).toBe(before);
  });

  it('treats the same complaint sent as a form and as JSON as the same request', async () => {
    const headers = { 'idempotency-key': 'form-then-json' };
    const json = { ...validComplaint, language: 'pl' };
    const first = (await (await postComplaint(runtime, json, headers)).json()) as { id: string };
    const form = new URLSearchParams({
      'customer.name': json.customer.name,
      'customer.email': json.customer.email,
      'customer.phone': json.customer.phone,
      orderNumber: json.orderNumber,
      product: json.product,
      purchaseDate: json.purchaseDate,
      description: json.description,
      desiredRemedy: json.desiredRemedy,
      privacyNoticeAccepted: 'on',
    });
    const second = await fetch(`${runtime.urls.api}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: form.toString(),
    });
    expect(((await second.json()) as { id: string }).id).toBe(first.id);
  });

  it('answers 422 when the key is reused with a different complaint, and stores nothing', async () => {
    const headers = { 'idempotency-key': 'reused' };
    await postComplaint(runtime, validComplaint, headers);
    const before = await complaintCount();
    await expectProblem(await postComplaint(runtime, { ...validComplaint, desiredRemedy: 'refund' }, headers), 422);
    expect(await complaintCount()).toBe(before);
  });

  it('creates exactly one complaint when eight requests with one key arrive at the same moment, and answers each with it', async () => {
    const before = await complaintCount();
    const headers = { 'idempotency-key': 'double-click' };
    const answers = await Promise.all(Array.from({ length: 8 }, () => postComplaint(runtime, validComplaint, headers)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(201));
    expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') === 'true')).toHaveLength(7);
    const ids = new Set(await Promise.all(answers.map(async (answer) => ((await answer.json()) as { id: string }).id)));
    expect(ids.size).toBe(1);
    expect(await complaintCount()).toBe(before + 1);
  });

  it('stores the complaint, what the customer sent, its reference claim, its first event and the answer to its key in one write', async () => {
    const response = await postComplaint(runtime, validComplaint, { 'idempotency-key': 'one-write' });
    const { id, reference } = (await response.json()) as { id: string; reference: string };
    const items = await storedItems(runtime);
    const keysOf = (pk: string) => items.filter((item) => item.PK?.S === pk).map((item) => item.SK?.S);
    expect(keysOf(`COMPLAINT#${id}`).sort()).toEqual(['COMPLAINT', 'COMPLAINT#SUBMISSION', 'EVENT#0000000001']);
    expect(keysOf(`REFERENCE#${reference}`)).toEqual(['REFERENCE']);
    expect(keysOf('IDEMPOTENCY#complaints#one-write')).toEqual(['IDEMPOTENCY']);
    const event = items.find((item) => item.PK?.S === `COMPLAINT#${id}` && item.SK?.S === 'EVENT#0000000001');
    expect(event).toMatchObject({
      type: { S: 'complaint.received' },
      sequence: { N: '1' },
      action: { S: 'complaint_received' },
      actor: { S: 'customer' },
    });
  });

  it('leaves nothing half-written when a part of the write is refused (a reference already claimed)', async () => {
    const repository = dynamoComplaintRepository(dynamo(), 'complaints');
    const first = await postComplaint(runtime, validComplaint);
    const { reference } = (await first.json()) as { reference: string };
    await runtime.settled(); // its workflow has written what it writes for now
    const before = await storedItems(runtime);
    const { attachments: _noFiles, ...submitted } = complaintSubmissionSchema.parse(validComplaint);
    const complaint: Complaint = {
      ...submitted,
      id: 'c0ffee00-0000-4000-8000-00000000beef',
      reference,
      status: 'received',
      channel: 'web',
      policyId: 'consumer',
      receivedAt: new Date().toISOString(),
      receivedOn: '2026-11-30',
      responseDueBy: '2026-12-14',
      version: 1,
      history: [],
    };
    const outcome = await repository.create({
      complaint,
      entry: { at: new Date().toISOString(), actor: 'customer', action: 'complaint_received' },
      idempotency: { scope: 'complaints', key: 'half-written', fingerprint: 'f', expiresAt: 0 },
    });
    expect(outcome).toEqual({ outcome: 'reference_taken' });
    expect(await storedItems(runtime)).toHaveLength(before.length);
  });

  it('answers 422 to a key that is not printable ASCII or too long', async () => {
    await expectProblem(await postComplaint(runtime, validComplaint, { 'idempotency-key': 'x'.repeat(300) }), 422, ['Idempotency-Key']);
  });
});
