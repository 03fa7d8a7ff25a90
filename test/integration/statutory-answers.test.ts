import type { Runtime } from '../../local/runtime';
import { demoCredentials, signedHeaders } from '../../cli/signing';
import { mailbox, startLocalProduct, validComplaint } from '../support/local-product';
import { demoStaff } from '../support/staff-event';
import { addCalendarDays, warsawCalendarDate } from '../../lambdas/core/calendar/polish-calendar';
import { computeResponseDueBy, extensionNoticeDeadline } from '../../lambdas/core/deadline-policy';
import { loadPolicyRegistry } from '../../lambdas/core/policy-config';

// The statutory rules about answers, notices and deadlines, through the signed staff API and the real
// workflow. Dates are relative to today (the product clock is the wall clock here), computed with the same
// domain functions the unit tests pin to fixed dates.

let runtime: Runtime;
// A decision's first printed letter unpacks the embedded font, and each case waits for the workflows
// to settle: seconds on a busy two-core machine, over jest's default 5 s.
jest.setTimeout(30_000);

beforeAll(async () => {
  runtime = await startLocalProduct();
});
afterAll(async () => {
  await runtime.stop();
});

const admin = demoStaff((staff) => staff.role === 'admin');
const policies = loadPolicyRegistry();
const today = () => warsawCalendarDate(runtime.clock.now());

async function call(method: 'GET' | 'POST', path: string, body?: unknown) {
  const url = new URL(path, runtime.urls.api);
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers = await signedHeaders(
    { method, url, headers: text === undefined ? {} : { 'content-type': 'application/json' }, body: text },
    { credentials: demoCredentials(admin.id), region: 'eu-central-1' },
  );
  const response = await fetch(url, { method, headers, body: text });
  const type = response.headers.get('content-type') ?? '';
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, type, bytes, body: type.includes('json') ? JSON.parse(bytes.toString('utf8')) : undefined };
}

async function register(overrides: object) {
  const response = await call('POST', '/admin/complaints', {
    ...validComplaint,
    channel: 'letter',
    receivedAt: addCalendarDays(today(), -3),
    ...overrides,
  });
  expect(response.status).toBe(201);
  await runtime.settled();
  return (await call('GET', `/admin/complaints/${response.body.id}`)).body;
}

const decide = (complaint: { id: string; version: number }, decision: object) =>
  call('POST', `/admin/complaints/${complaint.id}/decision`, { version: complaint.version, ...decision });

const decisionEmails = async (reference: string) =>
  (await mailbox(runtime)).filter((email) => email.subject === `Odpowiedź na reklamację ${reference}`);

const signer = { signerName: 'Jan Nowak', signerPosition: 'Kierownik Zespołu Reklamacji' };

describe('financial answers (act of 5 August 2015)', () => {
  it('art. 5(2): without the customer asking for e-mail, the answer is a printed letter staff post, and the posting date closes it', async () => {
    const complaint = await register({ policy: 'financial', desiredRemedy: 'refund' });
    const decided = await decide(complaint, { outcome: 'rejected', justification: 'Transakcja autoryzowana kodem SMS.', ...signer });
    expect(decided.status).toBe(200);
    expect(decided.body.decision.delivery).toBe('post');
    await runtime.settled();
    expect(await decisionEmails(complaint.reference)).toHaveLength(0);

    const letter = await call('GET', `/admin/complaints/${complaint.id}/decision-letter`);
    expect([letter.status, letter.type]).toEqual([200, 'application/pdf']);
    expect(letter.bytes.subarray(0, 5).toString()).toBe('%PDF-');

    const posted = await call('POST', `/admin/complaints/${complaint.id}/decision-posting`, { postedOn: today(), version: decided.body.version });
    expect(posted.status).toBe(200);
    expect(posted.body.status).toBe('closed');
    expect(posted.body.decisionPosted).toMatchObject({ postedOn: today(), withinTerm: true, recordedBy: admin.id });
    expect(posted.body.history.at(-1)).toMatchObject({ action: 'decision_posted', after: { postedOn: today(), withinTerm: true } });
    await runtime.settled();
    expect(await decisionEmails(complaint.reference)).toHaveLength(0);

    const again = await call('POST', `/admin/complaints/${complaint.id}/decision-posting`, { postedOn: today(), version: posted.body.version });
    expect(again.status).toBe(409);
  });

  it('art. 5(2): when the customer asked for e-mail, the answer is e-mailed, carrying the ADR statement and the art. 10 appeal routes', async () => {
    const complaint = await register({ policy: 'financial', answerByEmail: true, desiredRemedy: 'refund' });
    const decided = await decide(complaint, { outcome: 'partly_accepted', remedy: 'repair', justification: 'Częściowo zasadna.', ...signer });
    expect(decided.status).toBe(200);
    expect(decided.body.decision.delivery).toBe('email');
    await runtime.settled();
    const [email] = await decisionEmails(complaint.reference);
    expect(email?.body.text).toContain('Rzecznika Finansowego');
    expect(email?.body.text).toContain('Pozwanym jest Sklep Przykładowy sp. z o.o.');
    expect(email?.body.text).toContain('Wyrażamy zgodę na pozasądowe rozwiązanie sporu');
    expect(email?.body.text).toContain('Jan Nowak');
  });

  it('art. 10: free text such as "x" is not an appeal route (422 naming the field)', async () => {
    const complaint = await register({ policy: 'financial' });
    const refused = await decide(complaint, { outcome: 'rejected', justification: 'Bez podstaw.', appealRoutes: ['x'], ...signer });
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((error: { field: string }) => error.field)).toEqual(['appealRoutes.0']);
  });

  it('art. 9: an accepted payment states a payment date at most 30 days on, and a signer', async () => {
    const complaint = await register({ policy: 'financial', desiredRemedy: 'refund' });
    const late = await decide(complaint, { outcome: 'accepted', remedy: 'refund', paymentDueBy: addCalendarDays(today(), 31) });
    expect(late.status).toBe(422);
    expect(late.body.errors.map((error: { field: string }) => error.field)).toEqual(['signerName', 'signerPosition', 'paymentDueBy']);
    const ok = await decide(complaint, { outcome: 'accepted', remedy: 'refund', paymentDueBy: addCalendarDays(today(), 30), ...signer });
    expect(ok.status).toBe(200);
  });

  it('art. 7 with art. 115 KC: the extension notice may go out until the last day of the 30-day term as moved, and not after', async () => {
    const financial = policies.policyFor('financial');
    let received = addCalendarDays(today(), -40);
    while (extensionNoticeDeadline(financial, received) < today()) received = addCalendarDays(received, 1);
    const tooLate = addCalendarDays(received, -1);
    const extension = { reason: 'Czekamy na dane od operatora kart.', stillToEstablish: 'Czy transakcja została autoryzowana.' };

    const inTime = await register({ policy: 'financial', receivedAt: received });
    const allowed = await call('POST', `/admin/complaints/${inTime.id}/extension`, { ...extension, version: inTime.version });
    expect(allowed.status).toBe(200);
    expect(allowed.body.responseDueBy).toBe(computeResponseDueBy(financial, received, { extended: true }));

    // A day earlier the term, and with it the time for the notice, has run out: the complaint is already
    // deemed resolved in the customer's favour (art. 8), so nothing can extend it.
    const missed = await register({ policy: 'financial', receivedAt: tooLate });
    expect(missed.status).toBe('deemed_resolved_for_customer');
    const refused = await call('POST', `/admin/complaints/${missed.id}/extension`, { ...extension, version: missed.version });
    expect(refused.status).toBe(409);
  });
});

describe('art. 32 of the ADR act', () => {
  it('a partly accepted consumer complaint carries the company statement by default', async () => {
    const complaint = await register({ policy: 'consumer' });
    const decided = await decide(complaint, { outcome: 'partly_accepted', remedy: 'price_reduction', justification: 'Tylko pokrywa jest wadliwa.' });
    expect(decided.status).toBe(200);
    expect(decided.body.decision.adrStatement).toContain('Wyrażamy zgodę na pozasądowe rozwiązanie sporu');
    await runtime.settled();
    const [email] = await decisionEmails(complaint.reference);
    expect(email?.body.text).toContain('Pozasądowe rozwiązywanie sporów');
    expect(email?.body.text).toContain('Inspekcja Handlowa');
  });
});

describe('art. 61 KC: an answer that must reach the customer', () => {
  it('recorded on the due date, warns the staff member that it may arrive late, and the history shows it', async () => {
    const consumer = policies.policyFor('consumer');
    const received = [...Array(10).keys()]
      .map((n) => addCalendarDays(today(), -14 - n))
      .find((date) => computeResponseDueBy(consumer, date) === today());
    if (!received) return; // today is no working day, so no term ends today: nothing to show
    const complaint = await register({ policy: 'consumer', receivedAt: received });
    expect(complaint.responseDueBy).toBe(today());
    const decided = await decide(complaint, { outcome: 'accepted', remedy: 'replacement' });
    expect(decided.status).toBe(200);
    expect(decided.body.decision.warnings).toEqual([expect.stringContaining('it may arrive late (art. 61 KC)')]);
    expect(decided.body.history.at(-1)).toMatchObject({
      action: 'decision_recorded',
      after: { warnings: [expect.stringContaining('may arrive late')] },
    });
  });
});

describe('the telecom acknowledgement of receipt (Dz.U. 2025 poz. 1371, verify)', () => {
  it('records an acknowledgement handed over in person, and whether it was in time', async () => {
    const complaint = await register({ policy: 'telecom', channel: 'in_person', receivedAt: today() });
    const recorded = await call('POST', `/admin/complaints/${complaint.id}/acknowledgement`, { on: today(), how: 'handed_over' });
    expect(recorded.status).toBe(201);
    expect(recorded.body.acknowledgedOffline).toMatchObject({ on: today(), how: 'handed_over' });
    expect(recorded.body.history.at(-1)).toMatchObject({ action: 'acknowledgement_recorded', after: { dueBy: today(), inTime: true } });
  });
});

describe('guarantee (art. 580 KC)', () => {
  it("counts the term from the item's delivery to the guarantor, stored and read back through the staff API", async () => {
    const deliveredOn = addCalendarDays(today(), -5);
    const complaint = await register({ policy: 'guarantee', itemDeliveredOn: deliveredOn });
    expect(complaint).toMatchObject({
      itemDeliveredOn: deliveredOn,
      responseDueBy: computeResponseDueBy(policies.policyFor('guarantee'), deliveredOn),
    });
  });
});
