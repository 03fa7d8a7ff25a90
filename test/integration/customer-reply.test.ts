import type { Runtime } from '../../local/runtime';
import { signedApi } from '../support/signed-api';
import { mailbox, postComplaint, startLocalProduct, storedItems, validComplaint } from '../support/local-product';

// The customer's answer to an information request, on the status page, against the local product (issue 12):
// stored with its history entry and files, the waiting workflow woken and the department e-mailed once; the
// same answer twice is one answer; bad input and a wrong e-mail address change nothing.

jest.setTimeout(30_000);

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startLocalProduct({ log: () => undefined });
});
afterAll(async () => {
  await runtime.stop();
});

const QUESTION = 'Prosimy o zdjęcie tabliczki znamionowej czajnika.';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), Buffer.alloc(300, 7)]);

/** The supervisor's signed call to the admin API (test/support/signed-api.ts). */
const signed = (...call: Parameters<ReturnType<typeof signedApi>>) => signedApi(runtime)(...call);

/** A complaint filed, acknowledged and assigned, with the supervisor's question e-mailed: its reference and id. */
async function askedComplaint(email = 'anna@example.com') {
  const filed = await postComplaint(runtime, { ...validComplaint, customer: { ...validComplaint.customer, email } });
  expect(filed.status).toBe(201);
  const { id, reference } = (await filed.json()) as { id: string; reference: string };
  await runtime.settled();
  const asked = await signed('POST', `/admin/complaints/${id}/information-requests`, { question: QUESTION });
  expect(asked.status).toBe(201);
  return { id, reference, email };
}

function replyJson(body: Record<string, unknown>) {
  return fetch(`${runtime.urls.api}/complaints/status/reply`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function replyForm(fields: Record<string, string>) {
  return fetch(`${runtime.urls.api}/complaints/status/reply`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(fields).toString(),
  });
}

async function uploadedPhoto(): Promise<string> {
  const answer = await fetch(`${runtime.urls.api}/complaints/attachments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ files: [{ name: 'tabliczka.jpg', type: 'image/jpeg', size: JPEG.length }] }),
  });
  const slot = ((await answer.json()) as { slots: { id: string; url: string; fields: Record<string, string> }[] }).slots[0]!;
  const form = new FormData();
  for (const [name, value] of Object.entries(slot.fields)) form.append(name, value);
  form.append('file', new Blob([JPEG], { type: 'image/jpeg' }), 'tabliczka.jpg');
  expect((await fetch(slot.url, { method: 'POST', body: form, headers: { origin: runtime.urls.api } })).ok).toBe(true);
  return slot.id;
}

async function historyActions(id: string): Promise<string[]> {
  const { body } = await signed('GET', `/admin/complaints/${id}/history?limit=200`);
  return (body.entries as { action: string }[]).map((entry) => entry.action);
}

async function departmentNotices(reference: string) {
  return (await mailbox(runtime)).filter((email) => email.subject === `Klient odpowiedział na pytanie – reklamacja ${reference}`);
}

const storedEventCount = async (id: string) =>
  (await storedItems(runtime)).filter((item) => item.PK?.S === `COMPLAINT#${id}` && item.SK?.S.startsWith('EVENT#')).length;

describe("the customer's answer to an information request", () => {
  it("is asked for on the status page, which the question's e-mail links, not by a reply to the e-mail", async () => {
    const { reference } = await askedComplaint();
    const [question] = (await mailbox(runtime)).filter((email) => email.subject === `Prośba o dodatkowe informacje do reklamacji ${reference}`);
    const text = question?.body.text ?? '';
    expect(text).not.toMatch(/odpowiedzieć na tę wiadomość/);
    const link = /https?:\/\/\S+/.exec(text.slice(text.indexOf('na stronie reklamacji')))?.[0];
    expect(link).toMatch(new RegExp(`^${runtime.urls.api}/`));
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(reference);
  });

  it('is stored with its file, shown on the status page, and the department is e-mailed once; the same answer again changes nothing', async () => {
    const { id, reference, email } = await askedComplaint();
    const before = await (
      await fetch(`${runtime.urls.api}/complaints/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reference, email }),
      })
    ).json();
    expect(before).toMatchObject({ awaitingReply: true });

    const photo = await uploadedPhoto();
    const text = 'Tabliczka w załączniku. Numer seryjny: KE200-55121.';
    const answer = await replyJson({ reference, email, text, attachments: [photo] });
    expect(answer.status).toBe(200);
    const view = (await answer.json()) as { awaitingReply: boolean; history: { event: string; detail?: string }[] };
    expect(view.awaitingReply).toBe(false);
    expect(view.history.at(-1)).toMatchObject({ event: 'replied', detail: text });

    await runtime.settled();
    const notices = await departmentNotices(reference);
    expect(notices).toHaveLength(1);
    const { body: complaint } = await signed('GET', `/admin/complaints/${id}`);
    expect(notices[0]!.destination.to).toEqual([expect.stringMatching(/@sklep\.example$/)]);
    // Kept in the reply's own folder under the complaint's (core/attachments.ts, keptKey).
    expect(complaint.attachments).toEqual([
      expect.objectContaining({
        id: photo,
        name: 'tabliczka.jpg',
        key: expect.stringMatching(new RegExp(`^attachments/${id}/[0-9a-f-]{36}/${photo}$`)),
      }),
    ]);
    expect(complaint.customerReply).toMatchObject({ toRequest: complaint.informationRequest.messageId, attachments: 1 });
    const actions = await historyActions(id);
    expect(actions.slice(-2)).toEqual(['customer_replied', 'customer_reply_forwarded']);
    const { body: page } = await signed('GET', `/admin/complaints/${id}/history?limit=200`);
    expect(page.entries.find((entry: { action: string }) => entry.action === 'customer_replied')).toMatchObject({
      actor: 'customer',
      after: { text, attachments: [photo] },
    });

    const events = await storedEventCount(id);
    const again = await replyJson({ reference, email, text, attachments: [photo] });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(view);
    await runtime.settled();
    expect(await storedEventCount(id)).toBe(events);
    expect(await departmentNotices(reference)).toHaveLength(1);
  });

  it('another answer to a question already answered is a 409 with Retry-After, and changes nothing', async () => {
    const { id, reference, email } = await askedComplaint();
    expect((await replyJson({ reference, email, text: 'Pierwsza odpowiedź.' })).status).toBe(200);
    await runtime.settled();
    const events = await storedEventCount(id);
    const second = await replyJson({ reference, email, text: 'Druga, inna odpowiedź.' });
    expect(second.status).toBe(409);
    expect(second.headers.get('retry-after')).toBe('1');
    expect(((await second.json()) as { type: string }).type).toMatch(/no-question-to-answer$/);
    expect(await storedEventCount(id)).toBe(events);
  });

  it('a complaint nobody asked anything of takes no answer (409)', async () => {
    const filed = await postComplaint(runtime, validComplaint);
    const { reference } = (await filed.json()) as { reference: string };
    await runtime.settled();
    const answer = await replyJson({ reference, email: validComplaint.customer.email, text: 'Odpowiedź bez pytania.' });
    expect(answer.status).toBe(409);
  });

  it('with a wrong e-mail address is answered as an unknown reference (404) and stores nothing', async () => {
    const { id, reference } = await askedComplaint();
    const events = await storedEventCount(id);
    const answer = await replyJson({ reference, email: 'ktos@example.com', text: 'Próba odpowiedzi.' });
    expect(answer.status).toBe(404);
    expect(((await answer.json()) as { type: string }).type).toMatch(/complaint-not-found$/);
    expect(await storedEventCount(id)).toBe(events);
  });

  it('without text, or naming a file never uploaded, is a 422 naming the field, and stores nothing', async () => {
    const { id, reference, email } = await askedComplaint();
    const events = await storedEventCount(id);
    const empty = await replyJson({ reference, email, text: '   ' });
    expect(empty.status).toBe(422);
    expect(((await empty.json()) as { errors: { field: string }[] }).errors.map((issue) => issue.field)).toEqual(['text']);
    const missing = await replyJson({ reference, email, text: 'Zdjęcie w załączniku.', attachments: ['00000000-0000-4000-8000-000000000000'] });
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { errors: { field: string }[] }).errors.map((issue) => issue.field)).toEqual(['attachments.0']);
    expect(await storedEventCount(id)).toBe(events);
  });
});

describe('the answer as a plain form post (no JavaScript)', () => {
  it('the status page shows the reply form while a question waits; the post is answered with the page and the answer in it', async () => {
    const { reference, email } = await askedComplaint('jan@example.com');
    const lookup = await fetch(`${runtime.urls.api}/complaints/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ reference, email, language: 'pl' }).toString(),
    });
    const page = await lookup.text();
    expect(page).toContain('id="reply-form"');
    expect(page).toContain(`name="reference" value="${reference}"`);

    const answered = await replyForm({ language: 'pl', reference, email, attachments: '', text: 'Numer seryjny: KE200-55121.' });
    expect(answered.status).toBe(200);
    const after = await answered.text();
    expect(after).toContain('Twoja odpowiedź została przekazana');
    expect(after).toContain('<q>Numer seryjny: KE200-55121.</q>');
    expect(after).not.toContain('id="reply-form"');
  });

  it('an empty answer is shown again with the error linked to the field (422); a bad file keeps the text typed', async () => {
    const { reference, email } = await askedComplaint('ewa@example.com');
    const empty = await replyForm({ language: 'en', reference, email, attachments: '', text: '' });
    expect(empty.status).toBe(422);
    const page = await empty.text();
    expect(page).toContain('href="#reply-text"');
    expect(page).toContain('aria-invalid="true"');

    const badFile = await replyForm({ language: 'en', reference, email, attachments: 'not-an-id', text: 'Kept text.' });
    expect(badFile.status).toBe(422);
    const kept = await badFile.text();
    expect(kept).toContain('>Kept text.</textarea>');
    expect(kept).toContain('href="#f-attachments"');
  });
});

describe('a plain form post to the status page whose body cannot be read gets the page, not problem+json', () => {
  const cases = [
    ['400', 'a field that is not percent-encoding', 'application/x-www-form-urlencoded', () => 'reference=%ZZ&email=a%40b.pl', 400],
    ['413', 'a body over the limit', 'application/x-www-form-urlencoded', () => `email=a%40b.pl&text=${'x'.repeat(65 * 1024)}`, 413],
    ['415', 'a text/plain body', 'text/plain', () => 'reference=RK-7XK4M-9QPZT\r\nemail=a@b.pl\r\n', 415],
  ] as const;
  const routes = ['/complaints/status', '/complaints/status/reply'];

  it.each(routes.flatMap((path) => cases.map(([status, what, type, body, code]) => [path, status, what, type, body, code] as const)))(
    '%s, %s: %s, answered with the lookup form in the language of the page it came from, changing nothing',
    async (path, _status, _what, contentType, body, code) => {
      const before = (await storedItems(runtime)).length;
      const response = await fetch(`${runtime.urls.api}${path}?lang=en`, {
        method: 'POST',
        headers: { 'content-type': contentType, accept: 'text/html,application/xhtml+xml' },
        body: body(),
      });
      expect(response.status).toBe(code);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const page = await response.text();
      expect(page).toContain('<html lang="en">');
      expect(page).toContain('<div class="error-summary" id="error-summary" role="alert"');
      expect(page).toMatch(/The form (could not be read|was too large to be read)/);
      expect(page).toContain('<form id="status-form" method="post" action="/complaints/status?lang=en"');
      expect((await storedItems(runtime)).length).toBe(before);
    },
  );

  it('while a script is still answered with problem+json', async () => {
    const response = await fetch(`${runtime.urls.api}/complaints/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'reference=%ZZ',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
