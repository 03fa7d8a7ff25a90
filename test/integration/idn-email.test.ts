import type { Runtime } from '../../local/runtime';
import { signedApi } from '../support/signed-api';
import { mailbox, postComplaint, startLocalProduct, validComplaint } from '../support/local-product';

// Through the local product: an address with an internationalised domain is filed, e-mailed and found in one
// (ASCII) form whichever form was typed; staff texts that are not what they seem change nothing and send nothing.

jest.setTimeout(30_000);

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startLocalProduct({ log: () => undefined });
});
afterAll(async () => {
  await runtime.stop();
});

/** The supervisor's signed call to the admin API (test/support/signed-api.ts). */
const signed = (...call: Parameters<ReturnType<typeof signedApi>>) => signedApi(runtime)(...call);

const statusOf = (reference: string, email: string) =>
  fetch(`${runtime.urls.api}/complaints/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ reference, email }),
  });

describe('a complaint filed from anna@bücher.de', () => {
  let filed: { id: string; reference: string };

  beforeAll(async () => {
    const response = await postComplaint(runtime, { ...validComplaint, customer: { ...validComplaint.customer, email: 'anna@bücher.de' } });
    expect(response.status).toBe(201);
    filed = (await response.json()) as { id: string; reference: string };
    await runtime.settled();
  });

  it('is stored, and acknowledged by e-mail, at the punycode form SES takes', async () => {
    const complaint = await signed('GET', `/admin/complaints/${filed.id}`);
    expect(complaint.body.customer.email).toBe('anna@xn--bcher-kva.de');
    const sent = (await mailbox(runtime)).filter((email) => email.subject.includes(filed.reference));
    expect(sent.length).toBeGreaterThan(0);
    const recipients = sent.flatMap((email) => email.destination.to);
    expect(recipients).toContain('anna@xn--bcher-kva.de'); // the acknowledgement (the department is told too)
    expect(recipients.filter((address) => address.includes('bcher') && address !== 'anna@xn--bcher-kva.de')).toEqual([]);
  });

  it('is found on the status page by either form of the address', async () => {
    expect((await statusOf(filed.reference, 'anna@bücher.de')).status).toBe(200);
    expect((await statusOf(filed.reference, 'anna@xn--bcher-kva.de')).status).toBe(200);
    expect((await statusOf(filed.reference, 'anna@bucher.de')).status).toBe(404);
  });

  it('is found by the staff list filter by either form', async () => {
    for (const email of ['anna@bücher.de', 'anna@xn--bcher-kva.de', 'ANNA@XN--BCHER-KVA.DE']) {
      const page = await signed('GET', `/admin/complaints?email=${encodeURIComponent(email)}`);
      expect([email, page.status, page.body.complaints.map((each: { id: string }) => each.id)]).toEqual([email, 200, [filed.id]]);
    }
  });
});

describe('an address SMTP cannot carry', () => {
  it.each([
    ['a local part over 64 characters', `${'a'.repeat(100)}@example.com`],
    ['a domain label over 63 characters', `anna@${'b'.repeat(70)}.de`],
  ])('is a 422 naming customer.email for %s', async (_, email) => {
    const response = await postComplaint(runtime, { ...validComplaint, customer: { ...validComplaint.customer, email } });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((error) => error.field)).toEqual(['customer.email']);
  });
});

describe('staff texts that are not what they seem', () => {
  it('a question with a NUL and a BEL is a 422 naming it, and no e-mail goes out', async () => {
    const response = await postComplaint(runtime, validComplaint);
    const { id, reference } = (await response.json()) as { id: string; reference: string };
    await runtime.settled();
    const before = (await mailbox(runtime)).length;
    const asked = await signed('POST', `/admin/complaints/${id}/information-requests`, { question: 'Proszę o zdjęcie\u0000 tabliczki\u0007.' });
    expect(asked.status).toBe(422);
    expect(asked.body.errors.map((error: { field: string }) => error.field)).toEqual(['question']);
    expect((await mailbox(runtime)).length).toBe(before);
    const complaint = await signed('GET', `/admin/complaints/${id}`);
    expect(complaint.body.informationRequest).toBeUndefined();
    expect(complaint.body.reference).toBe(reference);
  });

  it('a decision with a right-to-left override or a NUL is a 422 naming each field, and nothing is decided', async () => {
    const response = await postComplaint(runtime, validComplaint);
    const { id } = (await response.json()) as { id: string };
    await runtime.settled();
    const { version } = (await signed('GET', `/admin/complaints/${id}`)).body as { version: number };
    const decided = await signed('POST', `/admin/complaints/${id}/decision`, {
      outcome: 'rejected',
      justification: 'Reklamacja \u202Eanaisazdeiń',
      signerName: 'Marek Nowak',
      signerPosition: 'Kierownik\r\nBcc: x@example.com',
      version,
    });
    expect(decided.status).toBe(422);
    expect(decided.body.errors.map((error: { field: string }) => error.field)).toEqual(['justification', 'signerPosition']);
    expect((await signed('GET', `/admin/complaints/${id}`)).body.decision).toBeUndefined();
  });
});
