import type { Runtime } from '../../local/runtime';
import { dynamo } from '../../lambdas/adapters/clients';
import { mailbox, startLocalProduct, storedItems, validComplaint } from '../support/local-product';
import { fetchFrom, newClientAddress } from '../support/client-fetch';

// The public form's guards against abuse (issue 12, "Abuse"): the honeypot, the per-client limit on
// POST /complaints, and pages (never problem+json) for a plain form post that fails as a whole.

const LIMIT = 3;
let runtime: Runtime;

beforeAll(async () => {
  runtime = await startLocalProduct({ intakeLimitPerClient: LIMIT, log: () => undefined });
});
afterAll(async () => {
  await runtime.stop();
});

/**
 * Each test posts as a client of its own, so the limits do not mix: from a loopback address no other test used,
 * which the local server, as CloudFront, passes on as the viewer's address (test/support/client-fetch.ts).
 */
const newClient = newClientAddress;

const asForm = (values: Record<string, string>) => new URLSearchParams(values).toString();
const formComplaint = {
  'customer.name': 'Jan Nowak',
  'customer.email': 'jan@example.com',
  description: 'Buty rozkleiły się po tygodniu noszenia.',
  desiredRemedy: 'refund',
  privacyNoticeAccepted: 'on',
  language: 'pl',
};

function post(client: string, body: string, kind: 'json' | 'form', headers: Record<string, string> = {}) {
  return fetchFrom(client)(`${runtime.urls.api}/complaints`, {
    method: 'POST',
    headers: {
      ...(kind === 'json'
        ? { 'content-type': 'application/json' }
        : { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/xhtml+xml' }),
      ...headers,
    },
    body,
  });
}

async function complaintCount(): Promise<number> {
  return (await storedItems(runtime)).filter((item) => item.SK?.S === 'COMPLAINT').length;
}

describe('the honeypot', () => {
  it('when a script fills it, answers 202 with no reference and stores and sends nothing', async () => {
    const before = await complaintCount();
    const mails = (await mailbox(runtime)).length;
    const response = await post(newClient(), JSON.stringify({ ...validComplaint, website: 'https://spam.example' }), 'json');
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'received' });
    expect(response.headers.get('location')).toBeNull();
    await runtime.settled();
    expect(await complaintCount()).toBe(before);
    expect((await mailbox(runtime)).length).toBe(mails);
  });

  it('when a plain form post fills it, redirects to a confirmation that names no complaint', async () => {
    const before = await complaintCount();
    const response = await post(newClient(), asForm({ ...formComplaint, website: 'cheap pills' }), 'form');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/complaints/received?lang=pl');
    const page = await fetch(`${runtime.urls.api}${response.headers.get('location')}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Formularz wysłany');
    expect(html).not.toMatch(/RK-[0-9A-Z]{5}-[0-9A-Z]{5}/);
    expect(await complaintCount()).toBe(before);
  });

  it('left empty (as the page sends it), files the complaint as usual', async () => {
    const response = await post(newClient(), JSON.stringify({ ...validComplaint, website: '' }), 'json');
    expect(response.status).toBe(201);
  });

  it("sent as null by a JSON client's serializer, files the complaint as usual", async () => {
    const response = await post(newClient(), JSON.stringify({ ...validComplaint, website: null }), 'json');
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ reference: expect.stringMatching(/^RK-/) });
  });

  it('is on both forms, hidden, out of the tab order and labelled to be left empty', async () => {
    for (const [path, label] of [
      ['/', 'Zostaw to pole puste'],
      ['/en/', 'Leave this field empty'],
    ] as const) {
      const html = await (await fetch(`${runtime.urls.api}${path}`)).text();
      expect(html).toContain(
        `<div class="trap"><label for="f-website">${label}</label><input type="text" id="f-website" name="website" value="" tabindex="-1" autocomplete="off"></div>`,
      );
    }
    const css = await (await fetch(`${runtime.urls.api}/styles.css`)).text();
    expect(css).toMatch(/\.trap \{\s*display: none;\s*\}/);
  });
});

describe('the per-client limit on POST /complaints', () => {
  it(`files ${LIMIT} complaints from one client, then answers 429 problem+json with Retry-After and stores nothing more`, async () => {
    const client = newClient();
    for (let i = 0; i < LIMIT; i += 1) expect((await post(client, JSON.stringify(validComplaint), 'json')).status).toBe(201);
    const before = await complaintCount();
    const refused = await post(client, JSON.stringify(validComplaint), 'json');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    const problem = (await refused.json()) as { status: number; type: string; detail: string };
    expect(problem).toMatchObject({ status: 429, type: 'https://reklamacje.example/problems/too-many-attempts' });
    expect(problem.detail).toMatch(/Try again in \d+ minutes/);
    expect(await complaintCount()).toBe(before);
    // Naming another address of its own does not free it: the viewer's address is where it connects from.
    const disguised = await post(client, JSON.stringify(validComplaint), 'json', { 'cloudfront-viewer-address': '203.0.113.9:4000' });
    expect(disguised.status).toBe(429);
    // Another client is not held up by this one.
    expect((await post(newClient(), JSON.stringify(validComplaint), 'json')).status).toBe(201);
  });

  it('counts posts that fill the honeypot too, so a bot cannot probe past the limit', async () => {
    const client = newClient();
    const bot = JSON.stringify({ ...validComplaint, website: 'x' });
    for (let i = 0; i < LIMIT; i += 1) expect((await post(client, bot, 'json')).status).toBe(202);
    expect((await post(client, bot, 'json')).status).toBe(429);
  });

  it('answers a plain form post over the limit with the form again, what was typed kept, and Retry-After', async () => {
    const client = newClient();
    for (let i = 0; i < LIMIT; i += 1) expect((await post(client, asForm(formComplaint), 'form')).status).toBe(303);
    const refused = await post(client, asForm({ ...formComplaint, language: 'en' }), 'form');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const html = await refused.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<div class="error-summary" id="error-summary" role="alert"');
    expect(html).toMatch(/Too many complaints were sent from your network\. Try again in \d+ min/);
    expect(html).toContain('value="Jan Nowak"');
    expect(html).toContain('Buty rozkleiły się po tygodniu noszenia.</textarea>');
  });
});

describe('a plain form post that fails as a whole gets a page, not problem+json', () => {
  it('413: a body over 64 KiB, in the language of the page it came from', async () => {
    const response = await post(newClient(), asForm({ ...formComplaint, description: 'x'.repeat(70 * 1024) }), 'form', {});
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<html lang="pl">');
    expect(html).toContain('Formularz jest za duży');
    expect(html).toContain('<form id="complaint-form"');
  });

  it('413 from the English form says so in English (the language travels in the form address)', async () => {
    const response = await fetchFrom(newClient())(`${runtime.urls.api}/complaints?lang=en`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: asForm({ ...formComplaint, language: 'en', description: 'x'.repeat(70 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('The form is too large');
  });

  it('400: a malformed form, and nothing is stored', async () => {
    const before = await complaintCount();
    const response = await post(newClient(), 'customer..name=x&description=abc', 'form');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('Nie udało się odczytać formularza');
    expect(await complaintCount()).toBe(before);
  });

  it('400, not 500: a field name of 30,000 dotted parts (60 KB, under the limit), to a browser and to a script, and nothing is stored', async () => {
    const before = await complaintCount();
    const deep = `${Array.from({ length: 30_000 }, () => 'a').join('.')}=1`;
    const page = await post(newClient(), deep, 'form');
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('Nie udało się odczytać formularza');
    expect(html).toContain('<form id="complaint-form"');
    const script = await post(newClient(), deep, 'form', { accept: 'application/json' });
    expect(script.status).toBe(400);
    expect(script.headers.get('content-type')).toBe('application/problem+json');
    expect(((await script.json()) as { detail: string }).detail).toMatch(/has more than 4 dot-separated parts; at most 4 are accepted\.$/);
    expect(await complaintCount()).toBe(before);
  });

  it.each([['multipart/form-data; boundary=----x'], ['text/plain']])(
    '415: a browser posting %s gets the form, in the language of the page it came from',
    async (contentType) => {
      const before = await complaintCount();
      const response = await fetchFrom(newClient())(`${runtime.urls.api}/complaints?lang=en`, {
        method: 'POST',
        headers: { 'content-type': contentType, accept: 'text/html,application/xhtml+xml' },
        body: '------x\r\nContent-Disposition: form-data; name="description"\r\n\r\nabc\r\n------x--\r\n',
      });
      expect(response.status).toBe(415);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await response.text();
      expect(html).toContain('<html lang="en">');
      expect(html).toContain('The form could not be read. Please send it again from this page.');
      expect(html).toContain('<form id="complaint-form"');
      expect(await complaintCount()).toBe(before);
    },
  );

  it('422: an Idempotency-Key reused with another complaint (a form post carrying one)', async () => {
    const client = newClient();
    const key = { 'idempotency-key': 'form-key-reused-0001' };
    expect((await post(client, asForm(formComplaint), 'form', key)).status).toBe(303);
    const response = await post(client, asForm({ ...formComplaint, desiredRemedy: 'repair' }), 'form', key);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('Ten formularz wysłano już z inną treścią');
  });

  it('500: a fault on our side says the complaint may or may not have been received, and keeps what was typed', async () => {
    // The intake's own DynamoDB client gets no answer to any request (its own retries spent too): not a throttle, a fault.
    const stopFailing = dynamo().intercept(() => Promise.reject(new Error('injected DynamoDB fault')));
    try {
      const response = await post(newClient(), asForm(formComplaint), 'form');
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await response.text();
      expect(html).toContain('Coś poszło nie tak po naszej stronie');
      expect(html).toContain('mogła zostać przyjęta albo nie');
      expect(html).toContain('value="Jan Nowak"');
    } finally {
      stopFailing();
    }
  });
});
