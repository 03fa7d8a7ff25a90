import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startRuntime, type Runtime } from '../../local/runtime';
import { demoCredentials, signedHeaders } from '../../cli/signing';
import { postComplaint, storedItems, validComplaint } from '../support/local-product';

// The customer's side in a real browser (Debian's Chromium, driven by playwright-core): the form filled by
// keyboard alone, the confirmation, the acknowledgement e-mail's link to the status page, the status itself;
// errors announced with what was typed kept; the same without JavaScript; and axe-core on every page, in both
// languages, with no violation of WCAG 2.2 A/AA. Screenshots of each page go to test-results/ (git-ignored).

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(__dirname, '../../test-results/screenshots');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const NO_SCRIPT = { javaScriptEnabled: false };

/** A small JPEG as a phone would name it: its first bytes are what intake checks. */
const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), Buffer.alloc(800, 9)]);

// What the callbacks evaluated in the browser use of it (this project has no DOM types; only they run there).
interface AxeResult {
  violations: { id: string; nodes: { target: unknown }[] }[];
}
declare const window: { axe: { run(context: unknown, options: unknown): Promise<AxeResult> } };
declare const document: { activeElement: { id: string; matches(selector: string): boolean } | null };

let runtime: Runtime;
let browser: Browser;
let api: string;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [runtime, browser] = await Promise.all([
    startRuntime({ log: () => undefined }),
    chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    }),
  ]);
  api = runtime.urls.api;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

/** axe-core is injected past the pages' CSP (the context bypasses it); the pages themselves run no inline script. */
async function newPage(options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    bypassCSP: true,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: 1000, height: 900 },
  });
  return { context, page: await context.newPage() };
}

/** No axe violation of WCAG 2.2 A and AA on the page as it is now, and a screenshot of it. */
async function checkPage(page: Page, name: string, options: { javaScriptEnabled?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  // With JavaScript off axe cannot run in the page: it checks the same HTML in a page that allows scripts.
  const target = options.javaScriptEnabled === false ? await sameHtmlWithScript(page) : page;
  await target.addScriptTag({ content: AXE_SOURCE });
  const violations = await target.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((violation) => ({ id: violation.id, targets: violation.nodes.map((node) => JSON.stringify(node.target)) }));
  }, WCAG_22_AA);
  expect({ page: name, violations }).toEqual({ page: name, violations: [] });
}

/** One page with scripts on, reused: each script-free page's HTML is loaded into it for axe. */
let axePage: Page | undefined;
async function sameHtmlWithScript(page: Page): Promise<Page> {
  if (!axePage) {
    axePage = (await newPage()).page;
    await axePage.goto(`${api}/health`);
  }
  await axePage.setContent(await page.content(), { waitUntil: 'load' });
  return axePage;
}

/** Presses Tab until the element matching `selector` has focus: the keyboard's way to a field. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let presses = 0; presses < 40; presses += 1) {
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Does what submits a form and waits for the page its POST answers with; the POST's status. */
async function submit(page: Page, action: () => Promise<void>): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((answer) => answer.request().method() === 'POST' && answer.request().isNavigationRequest()),
    action(),
  ]);
  await page.waitForLoadState('load');
  return response.status();
}

async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await tabTo(page, selector);
  await page.keyboard.type(text);
}

interface StoredEmail {
  subject: string;
  destination: { to: string[] };
  body: { text: string; html: string };
}

async function emailsTo(address: string): Promise<StoredEmail[]> {
  await runtime.settled();
  const { emails } = (await (await fetch(`${runtime.urls.mailbox}/store`)).json()) as { emails: StoredEmail[] };
  return emails.filter((email) => email.destination.to.includes(address));
}

it('files a complaint by keyboard alone, once for a double press, and follows it from the e-mail to the status page', async () => {
  const { context, page } = await newPage();
  const email = 'anna.klawiatura@example.com';
  await page.goto(`${api}/`);
  await checkPage(page, 'pl-form');

  await typeInto(page, '#f-customer-name', 'Anna Kowalska');
  await typeInto(page, '#f-customer-email', email);
  await typeInto(page, '#f-product', 'Czajnik KE-200');
  await typeInto(page, '#f-description', 'Czajnik przestał grzać po dwóch tygodniach.');
  // The file field is next in the tab order; choosing the file is the system dialog's work, which a headless
  // browser has none of, so the test hands the field the file as the dialog would.
  await tabTo(page, '#f-attachments');
  await page.setInputFiles('#f-attachments', { name: 'czajnik.jpg', mimeType: 'image/jpeg', buffer: PHOTO });
  await page.locator('#f-attachments-list .attachment--attached').waitFor();
  expect(await page.locator('#f-attachments-list').textContent()).toContain('czajnik.jpg (1 KB): dołączony');
  await checkPage(page, 'pl-form-with-photo');
  await tabTo(page, 'input[name="desiredRemedy"]');
  await page.keyboard.press('ArrowDown'); // the second option: replacement
  await tabTo(page, '#f-privacyNoticeAccepted');
  await page.keyboard.press('Space');
  await tabTo(page, 'button[type="submit"]');
  await Promise.all([page.waitForURL(/\/complaints\/received\?/), page.keyboard.press('Enter'), page.keyboard.press('Enter')]);

  const reference = (await page.locator('#reference').textContent())!;
  expect(reference).toMatch(/^RK-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  // The photo was checked and kept with the complaint.
  const stored = (await storedItems(runtime)).find((item) => item.SK?.S === 'COMPLAINT' && item.reference?.S === reference);
  expect(stored?.attachments?.L?.map((entry: { M: { name: { S: string }; type: { S: string } } }) => [entry.M.name.S, entry.M.type.S])).toEqual([
    ['czajnik.jpg', 'image/jpeg'],
  ]);
  expect(await page.locator('#response-due-by time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await checkPage(page, 'pl-received');

  const acknowledgements = await emailsTo(email);
  expect(acknowledgements).toHaveLength(1); // the second Enter filed nothing more
  const link = /href="([^"]*\/complaints\/status\?[^"]*)"/.exec(acknowledgements[0]!.body.html)?.[1]?.replace(/&amp;/g, '&');
  expect(link).toContain(`reference=${reference}`);

  await page.goto(link!);
  expect(await page.locator('#status-reference').inputValue()).toBe(reference);
  await checkPage(page, 'pl-status-lookup');
  await typeInto(page, '#status-email', email);
  expect(await submit(page, () => page.keyboard.press('Enter'))).toBe(200);
  expect(await page.locator('#reference').textContent()).toBe(reference);
  expect(await page.locator('#complaint-history li').count()).toBeGreaterThanOrEqual(2);
  expect(await page.locator('#complaint-history').textContent()).toContain('Potwierdziliśmy przyjęcie');
  await checkPage(page, 'pl-status');
  await context.close();
}, 60_000);

it('answers an information request on the status page by keyboard, with a photo, in English; the department hears of it', async () => {
  const email = 'john.reply@example.com';
  const filed = await postComplaint(runtime, { ...validComplaint, customer: { ...validComplaint.customer, email }, language: 'en' });
  const { id, reference } = (await filed.json()) as { id: string; reference: string };
  await runtime.settled();
  const url = new URL(`/admin/complaints/${id}/information-requests`, api);
  const body = JSON.stringify({ question: 'Please send a photo of the rating plate.' });
  const headers = await signedHeaders(
    { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
    { credentials: demoCredentials('marek.supervisor'), region: 'eu-central-1' },
  );
  expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(201);

  const { context, page } = await newPage();
  await page.goto(`${api}/complaints/status?reference=${reference}&lang=en`);
  await typeInto(page, '#status-email', email);
  expect(await submit(page, () => page.keyboard.press('Enter'))).toBe(200);
  expect(await page.locator('#complaint-history').textContent()).toContain('Please send a photo of the rating plate.');
  await checkPage(page, 'en-status-question');

  await typeInto(page, '#reply-text', 'The plate is in the photo: KE200-55121.');
  await tabTo(page, '#f-attachments');
  await page.setInputFiles('#f-attachments', { name: 'plate.jpg', mimeType: 'image/jpeg', buffer: PHOTO });
  await page.locator('#f-attachments-list .attachment--attached').waitFor();
  await tabTo(page, '#reply-form button[type="submit"]');
  expect(await submit(page, () => page.keyboard.press('Enter'))).toBe(200);
  expect(await page.locator('[role="status"]').first().textContent()).toContain('Your answer has been passed on');
  expect(await page.locator('#complaint-history').textContent()).toContain('Your answer: The plate is in the photo: KE200-55121.');
  expect(await page.locator('#reply-form').count()).toBe(0);
  await checkPage(page, 'en-status-replied');

  const stored = (await storedItems(runtime)).find((item) => item.SK?.S === 'COMPLAINT' && item.reference?.S === reference);
  expect(stored?.attachments?.L?.map((entry: { M: { name: { S: string } } }) => entry.M.name.S)).toEqual(['plate.jpg']);
  await runtime.settled();
  const { emails } = (await (await fetch(`${runtime.urls.mailbox}/store`)).json()) as { emails: StoredEmail[] };
  expect(emails.filter((sent) => sent.subject === `Klient odpowiedział na pytanie – reklamacja ${reference}`)).toHaveLength(1);
  await context.close();
}, 60_000);

it('announces missing fields and keeps what was typed (with JavaScript)', async () => {
  const { context, page } = await newPage();
  await page.goto(`${api}/`);
  await typeInto(page, '#f-customer-name', 'Jan Nowak');
  await typeInto(page, '#f-customer-email', 'to nie jest adres');
  await tabTo(page, 'button[type="submit"]');
  await page.keyboard.press('Enter');

  const summary = page.locator('#error-summary');
  await summary.waitFor({ state: 'visible' });
  expect(await summary.getAttribute('role')).toBe('alert');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
  expect(await summary.locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href')))).toEqual([
    '#f-customer-email',
    '#f-description',
    '#f-desiredRemedy-repair',
    '#f-privacyNoticeAccepted',
  ]);
  expect(await page.locator('#f-customer-email').getAttribute('aria-invalid')).toBe('true');
  expect(await page.locator('#f-customer-email').getAttribute('aria-describedby')).toContain('f-customer-email-error');
  expect(await page.locator('#f-customer-name').inputValue()).toBe('Jan Nowak');
  expect(await page.locator('#f-customer-email').inputValue()).toBe('to nie jest adres');
  expect(await page.title()).toMatch(/^Błąd: /);
  await checkPage(page, 'pl-form-errors');
  await context.close();
}, 30_000);

it('works without JavaScript: the server lists the errors, keeps the input, and answers a good post with 303 to the confirmation', async () => {
  const { context, page } = await newPage(NO_SCRIPT);
  const email = 'no-script@example.com';
  await page.goto(`${api}/en/`);
  await checkPage(page, 'en-form', NO_SCRIPT);
  await page.fill('#f-customer-name', 'Sam Script-Free');
  await page.fill('#f-description', 'Too short');
  expect(await submit(page, () => page.click('button[type="submit"]'))).toBe(422);

  expect(await page.locator('#error-summary').getAttribute('role')).toBe('alert');
  expect(await page.locator('#error-summary a').allTextContents()).toEqual([
    'Enter an e-mail address, for example anna@example.com.',
    'Describe the problem in at least 10 characters (at most 10,000).',
    'Choose what you ask for.',
    'Confirm that you have read how your personal data is processed.',
  ]);
  expect(await page.locator('#f-customer-name').inputValue()).toBe('Sam Script-Free');
  expect(await page.locator('#f-description').inputValue()).toBe('Too short');
  await checkPage(page, 'en-form-errors', NO_SCRIPT);

  await page.fill('#f-customer-email', email);
  await page.fill('#f-description', 'The kettle stopped heating after two weeks.');
  await page.check('#f-desiredRemedy-refund');
  await page.check('#f-privacyNoticeAccepted');
  expect(await submit(page, () => page.click('button[type="submit"]'))).toBe(303);
  expect(page.url()).toContain('/complaints/received?');
  const reference = (await page.locator('#reference').textContent())!;
  expect(await page.locator('h1').textContent()).toBe('Complaint received');
  await checkPage(page, 'en-received', NO_SCRIPT);

  await page.click('text=Check the status of the complaint');
  await page.fill('#status-email', 'someone.else@example.com');
  expect(await submit(page, () => page.click('button[type="submit"]'))).toBe(404);
  const unknownAnswer = await page.locator('#error-summary').textContent();
  expect(unknownAnswer).toContain('We found no complaint with this reference and e-mail address');
  await checkPage(page, 'en-status-not-found', NO_SCRIPT);

  await page.fill('#status-email', email);
  await runtime.settled();
  expect(await submit(page, () => page.click('button[type="submit"]'))).toBe(200);
  expect(await page.locator('#reference').textContent()).toBe(reference);
  expect(await page.locator('#complaint-history').textContent()).toContain('We confirmed receipt');
  await checkPage(page, 'en-status', NO_SCRIPT);

  await page.goto(`${api}/complaints/status?lang=en`);
  await checkPage(page, 'en-status-lookup', NO_SCRIPT);
  await context.close();
}, 45_000);

it("uploads under the page's own CSP (connect-src names the bucket), says which file was refused, and removes one by keyboard", async () => {
  // No bypassCSP here: the upload must pass the policy the pages really carry.
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${api}/en/`);
  await page.setInputFiles('#f-attachments', [
    { name: 'receipt.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n%%EOF\n') },
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') },
  ]);
  await page.locator('#f-attachments-list .attachment--attached').waitFor();
  expect(await page.locator('#f-attachments-list').textContent()).toContain('receipt.pdf (1 KB): attached');
  expect(await page.locator('#f-attachments-error').textContent()).toContain('notes.txt: attach a photo (JPEG, PNG, WebP, HEIC) or a PDF.');
  expect(await page.locator('#f-attachments').getAttribute('aria-describedby')).toBe('f-attachments-hint f-attachments-error');
  expect(await page.locator('#form-status').textContent()).toContain('notes.txt');
  // axe cannot be injected past the real CSP: it checks this page's HTML as it now is in a page that allows it.
  await checkPage(page, 'en-form-with-file-refused', NO_SCRIPT);
  await tabTo(page, '#f-attachments-list button');
  await page.keyboard.press('Enter');
  expect(await page.locator('#f-attachments-list li').count()).toBe(0);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-attachments');
  await context.close();
}, 45_000);
