import { connect } from 'node:net';
import { demoCredentials, signedHeaders } from '../../cli/signing';
import type { CaseResult } from './chaos-report';
import { complaintFor } from './intake-clients';
import { mailboxEmails, storedComplaints, waitFor, type ProductUrls } from './product-state';

// Every hostile input of issue 13 ("Inputs"), plus the junk any public endpoint gets: each must be answered
// with the precise 4xx as application/problem+json, change nothing, and never be a 5xx.

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface HostileInput {
  name: string;
  send(urls: ProductUrls, context: Context): Promise<Answer | 'closed without an answer'>;
  /** The status required; a list when the issue leaves the choice open. */
  status: number | number[];
  /** The field a 422 must name in `errors`. */
  field?: string;
  /** A header the answer must carry. */
  header?: string;
}

interface Context {
  /** A complaint the staff cases act on, and cursors the API gave out for two different lists. */
  complaint: { id: string };
  newestCursor: string;
  urgentCursor: string;
}

const SUPERVISOR = 'marek.supervisor';
const REUSED_KEY = 'Idempotency-Key reused with another body';
const json = (value: unknown) => JSON.stringify(value);

async function send(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

const postComplaint =
  (body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  (urls: ProductUrls) =>
    send(`${urls.api}/complaints`, { method: 'POST', headers, body });

/** A complaint whose `path` (dotted) holds `value`, as JSON text; `\\ud800` survives only as an escape. */
function complaintWith(path: string, value: string): string {
  const complaint = complaintFor(`hostile-${path}`) as Record<string, unknown>;
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail) complaint[head] = { ...(complaint[head] as object), [tail]: value };
  else complaint[head] = value;
  return json(complaint);
}

async function staff(urls: ProductUrls, method: 'GET' | 'POST', path: string, query: Record<string, string> = {}, body?: unknown): Promise<Answer> {
  const url = new URL(path, urls.api);
  for (const [name, value] of Object.entries(query)) url.searchParams.append(name, value);
  const text = body === undefined ? undefined : json(body);
  const headers: Record<string, string> = text === undefined ? {} : { 'content-type': 'application/json' };
  const signed = await signedHeaders({ method, url, headers, body: text }, { credentials: demoCredentials(SUPERVISOR), region: 'eu-central-1' });
  return send(url.toString(), { method, headers: signed, body: text });
}

/** Sends bytes as they are over a socket (what fetch refuses to send), reads whatever comes back. */
function raw(bytes: string, options: { halfClose?: boolean } = {}) {
  return (urls: ProductUrls) =>
    new Promise<Answer | 'closed without an answer'>((resolve) => {
      const { hostname, port } = new URL(urls.api);
      const socket = connect(Number(port), hostname);
      const chunks: Buffer[] = [];
      const done = () => {
        clearTimeout(timer);
        socket.destroy();
        const text = Buffer.concat(chunks).toString('utf8');
        const match = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(text);
        if (!match) return resolve('closed without an answer');
        const headers = Object.fromEntries(
          match[2]!.split('\r\n').map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
        );
        resolve({ status: Number(match[1]), headers, body: match[3]! });
      };
      const timer = setTimeout(done, 10_000);
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', done);
      socket.on('error', done);
      socket.write(bytes, () => {
        if (options.halfClose) socket.end();
      });
    });
}

/** A cursor re-encoded after `change`; works on a plain base64url JSON cursor and on one sealed as `payload.seal`. */
function forged(cursor: string, change: (decoded: Record<string, unknown>) => unknown): string {
  const [payload, ...seal] = cursor.split('.');
  const decoded = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
  return [Buffer.from(json(change(decoded))).toString('base64url'), ...seal].join('.');
}

/** Every key value in a cursor's position emptied (the forged cursor), whatever shape the position has. */
const emptyKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(emptyKeys)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).map(([name, entry]) => [name, emptyKeys(entry)]))
      : '';

/** One character of the cursor changed, in the middle, to another of base64url's alphabet. */
function tampered(cursor: string): string {
  const at = Math.floor(cursor.length / 2);
  const replacement = cursor[at] === 'A' ? 'B' : 'A';
  return `${cursor.slice(0, at)}${replacement}${cursor.slice(at + 1)}`;
}

/** The JSON text with raw bytes where it says @@. */
function withBytes(text: string, bytes: Buffer): Buffer {
  const [before, after] = text.split('@@') as [string, string];
  return Buffer.concat([Buffer.from(before), bytes, Buffer.from(after)]);
}

const BIDI_CONTROLS = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
const codePoint = (character: string) => `U+${character.codePointAt(0)!.toString(16).toUpperCase()}`;

export const HOSTILE_INPUTS: HostileInput[] = [
  // Text that is not what it seems.
  {
    name: 'invalid UTF-8 in a JSON body',
    send: postComplaint(withBytes(complaintWith('customer.name', 'Ann@@'), Buffer.from([0xc3, 0x28]))),
    status: 400,
  },
  ...['\u0000', '\u0007', '\u001b', '\u007f'].map((control): HostileInput => ({
    name: `control character ${codePoint(control)} in customer.name`,
    send: postComplaint(complaintWith('customer.name', `Anna${control}Kowalska`)),
    status: 422,
    field: 'customer.name',
  })),
  {
    name: 'NUL in the description',
    send: postComplaint(complaintWith('description', 'Czajnik\u0000 przestał grzać.')),
    status: 422,
    field: 'description',
  },
  {
    name: 'lone surrogate \\ud800 in customer.name',
    send: postComplaint(complaintWith('customer.name', 'Anna SURROGATE').replace('SURROGATE', '\\ud800')),
    status: 422,
    field: 'customer.name',
  },
  {
    name: 'lone surrogate \\udc00 in product',
    send: postComplaint(complaintWith('product', 'Czajnik SURROGATE').replace('SURROGATE', '\\udc00')),
    status: 422,
    field: 'product',
  },
  ...BIDI_CONTROLS.map((control): HostileInput => ({
    name: `bidi control ${codePoint(control)} in customer.name`,
    send: postComplaint(complaintWith('customer.name', `Anna ${control}akswolok`)),
    status: 422,
    field: 'customer.name',
  })),
  {
    name: 'bidi override U+202E in orderNumber',
    send: postComplaint(complaintWith('orderNumber', 'ZAM-\u202e0042')),
    status: 422,
    field: 'orderNumber',
  },

  // Forged cursors (staff list pages): 400, never a 5xx.
  {
    name: 'cursor with empty key values',
    send: (urls, { newestCursor }) =>
      staff(urls, 'GET', '/admin/complaints', { cursor: forged(newestCursor, (cursor) => ({ ...cursor, at: emptyKeys(cursor.at) })) }),
    status: 400,
  },
  {
    name: 'tampered cursor',
    send: (urls, { newestCursor }) => staff(urls, 'GET', '/admin/complaints', { cursor: tampered(newestCursor) }),
    status: 400,
  },
  {
    name: 'foreign cursor (of the urgent list)',
    send: (urls, { urgentCursor }) => staff(urls, 'GET', '/admin/complaints', { cursor: urgentCursor }),
    status: 400,
  },
  {
    name: 'foreign cursor (of another department)',
    send: (urls, { newestCursor }) => staff(urls, 'GET', '/admin/complaints', { department: 'returns', cursor: newestCursor }),
    status: 400,
  },
  {
    name: 'cursor made up from scratch',
    send: (urls) => staff(urls, 'GET', '/admin/complaints', { cursor: Buffer.from(json({ list: 'newest', at: [['', '']] })).toString('base64url') }),
    status: 400,
  },
  { name: 'cursor that is not base64url', send: (urls) => staff(urls, 'GET', '/admin/complaints', { cursor: '%%%' }), status: 400 },
  {
    name: 'cursor cut in half',
    send: (urls, { newestCursor }) => staff(urls, 'GET', '/admin/complaints', { cursor: newestCursor.slice(0, newestCursor.length / 2) }),
    status: 400,
  },

  // Node's own parser errors, answered by the local server itself.
  {
    name: 'headers too large',
    send: raw(`GET /health HTTP/1.1\r\nHost: x\r\nX-Junk: ${'a'.repeat(20_000)}\r\n\r\n`),
    status: 431,
  },
  {
    name: 'broken chunked encoding',
    send: raw(`POST /complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`),
    status: 400,
  },
  {
    name: 'short Content-Length (the client stops sending)',
    send: raw(`POST /complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"customer":`, {
      halfClose: true,
    }),
    status: 400,
  },
  { name: 'a request line that is not HTTP', send: raw(`HELLO THERE\r\n\r\n`), status: 400 },

  // A 409 that passes by itself (a request under the same Idempotency-Key still in progress) carries
  // Retry-After: the race case checks every 409 it meets. A stale version does not pass by itself, so it has
  // none (lambdas/core/errors.ts, VersionConflict): the caller reads the complaint again and decides anew.
  {
    name: 'staff change on a stale version (409)',
    send: (urls, { complaint }) =>
      staff(urls, 'POST', `/admin/complaints/${complaint.id}/assignment`, {}, { departmentId: 'returns', version: 1_000_000 }),
    status: 409,
  },

  // General junk.
  { name: 'text/plain body', send: postComplaint(json(complaintFor('hostile-text')), { 'content-type': 'text/plain' }), status: 415 },
  { name: 'no content type', send: postComplaint(json(complaintFor('hostile-none')), {}), status: 415 },
  { name: 'XML body', send: postComplaint('<complaint/>', { 'content-type': 'application/xml' }), status: 415 },
  { name: 'JSON that is not JSON', send: postComplaint('{"customer": '), status: 400 },
  { name: 'JSON null', send: postComplaint('null'), status: [400, 422] },
  { name: 'a JSON array', send: postComplaint('[]'), status: [400, 422] },
  { name: 'deep JSON nesting (balanced)', send: postComplaint(`${'['.repeat(30_000)}${']'.repeat(30_000)}`), status: [400, 422] },
  { name: 'deep JSON nesting (object)', send: postComplaint(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`), status: [400, 422] },
  { name: 'body over 64 KiB', send: postComplaint(complaintWith('description', 'x'.repeat(70 * 1024))), status: 413 },
  { name: 'body over 10 MB', send: postComplaint(complaintWith('description', 'x'.repeat(11 * 1024 * 1024))), status: 413 },
  {
    name: 'form field name malformed',
    send: postComplaint('customer..name=x&a[=b', { 'content-type': 'application/x-www-form-urlencoded' }),
    status: 400,
  },
  {
    name: REUSED_KEY,
    send: async (urls) => {
      const key = `hostile-reused-${Date.now().toString(36)}`;
      await send(`${urls.api}/complaints`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: json(complaintFor(key)),
      });
      return send(`${urls.api}/complaints`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: json({ ...complaintFor(key), product: 'Inny produkt' }),
      });
    },
    status: 422,
  },
  {
    name: 'Idempotency-Key of 1000 characters',
    send: (urls) =>
      send(`${urls.api}/complaints`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'k'.repeat(1000) },
        body: json(complaintFor('long-key')),
      }),
    status: 422,
  },
  { name: 'PUT /complaints', send: (urls) => send(`${urls.api}/complaints`, { method: 'PUT', body: '{}' }), status: 405, header: 'allow' },
  { name: 'DELETE /complaints', send: (urls) => send(`${urls.api}/complaints`, { method: 'DELETE' }), status: 405, header: 'allow' },
  { name: 'POST /health', send: (urls) => send(`${urls.api}/health`, { method: 'POST', body: '{}' }), status: 405, header: 'allow' },
  { name: 'unknown route', send: (urls) => send(`${urls.api}/nothing-here`, {}), status: 404 },
  { name: 'path traversal', send: (urls) => send(`${urls.api}/complaints/..%2f..%2fetc%2fpasswd`, {}), status: 404 },
  { name: 'staff route without a signature', send: (urls) => send(`${urls.api}/admin/complaints`, {}), status: [401, 403] },
  {
    name: 'staff route with a forged signature',
    send: (urls) =>
      send(`${urls.api}/admin/complaints`, {
        headers: {
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIALOCALSUPVEXAMPLE/20261130/eu-central-1/execute-api/aws4_request, SignedHeaders=host, Signature=00',
        },
      }),
    status: [401, 403],
  },
];

/** What a hostile request might change: the complaints stored, and the e-mails sent. */
async function footprint(urls: ProductUrls): Promise<{ complaints: number; emails: number }> {
  return { complaints: (await storedComplaints(urls.dynamodb)).length, emails: (await mailboxEmails(urls.mailbox)).length };
}

async function setUp(urls: ProductUrls): Promise<Context> {
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const response = await staff(
      urls,
      'POST',
      '/admin/complaints',
      {},
      {
        ...complaintFor(`hostile-setup-${Date.now()}-${i}`),
        channel: 'letter',
        receivedAt: new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10),
      },
    );
    if (response.status !== 201) throw new Error(`registering a complaint to work on failed: ${response.status} ${response.body}`);
    ids.push((JSON.parse(response.body) as { id: string }).id);
  }
  const cursorOf = async (query: Record<string, string>) => {
    const page = await staff(urls, 'GET', '/admin/complaints', { limit: '1', ...query });
    const cursor = (JSON.parse(page.body) as { cursor?: string }).cursor;
    if (page.status !== 200 || !cursor) throw new Error(`no cursor from ${json(query)}: ${page.status} ${page.body.slice(0, 300)}`);
    return cursor;
  };
  // The set-up complaints' own e-mails go out first, so that they do not count as a change.
  let emails = -1;
  await waitFor(async () => emails === (emails = (await footprint(urls)).emails), 10_000, 500);
  return {
    complaint: { id: ids[0]! },
    newestCursor: await cursorOf({}),
    urgentCursor: await cursorOf({ sort: 'urgent', dueWithinDays: '366' }),
  };
}

/** What is wrong with one answer, or undefined when it is what the issue asks for. */
function judge(input: HostileInput, answer: Answer | 'closed without an answer'): string | undefined {
  const allowed = Array.isArray(input.status) ? input.status : [input.status];
  if (answer === 'closed without an answer') return `closed without an answer (wanted ${allowed.join(' or ')})`;
  const problems: string[] = [];
  if (!allowed.includes(answer.status)) problems.push(`${answer.status} instead of ${allowed.join(' or ')}`);
  if (!String(answer.headers['content-type']).startsWith('application/problem+json'))
    problems.push(`content type ${answer.headers['content-type'] ?? 'none'}, not application/problem+json`);
  if (input.field) {
    const errors = (() => {
      try {
        return (JSON.parse(answer.body) as { errors?: { field: string }[] }).errors ?? [];
      } catch {
        return [];
      }
    })();
    if (!errors.some((error) => error.field === input.field)) problems.push(`errors do not name ${input.field}`);
  }
  if (input.header && !(input.header in answer.headers)) problems.push(`no ${input.header} header`);
  return problems.length ? `${problems.join('; ')} (${answer.body.slice(0, 160).replace(/\s+/g, ' ')})` : undefined;
}

export async function hostileInputs(urls: ProductUrls, inputs: readonly HostileInput[] = HOSTILE_INPUTS): Promise<CaseResult> {
  const context = await setUp(urls);
  const before = await footprint(urls);
  const failures: string[] = [];
  let serverErrors = 0;
  for (const input of inputs) {
    const answer = await input.send(urls, context).catch((error: unknown) => `failed to send: ${String(error)}` as const);
    if (typeof answer === 'string' && answer.startsWith('failed to send')) {
      failures.push(`${input.name}: ${answer}`);
      continue;
    }
    const typed = answer as Answer | 'closed without an answer';
    if (typed !== 'closed without an answer' && typed.status >= 500) serverErrors += 1;
    const wrong = judge(input, typed);
    if (wrong) failures.push(`${input.name}: ${wrong}`);
  }
  // The one complaint the reused-key case files first (and its acknowledgement) are not a hostile request's doing.
  const legitimate = inputs.filter((input) => input.name === REUSED_KEY).length;
  const after = await footprint(urls);
  if (after.complaints !== before.complaints + legitimate) failures.push(`${after.complaints - before.complaints - legitimate} complaint(s) stored`);
  return {
    name: 'hostile inputs',
    tried: inputs.length,
    lost: 0,
    duplicated: 0,
    serverErrors,
    failures,
    notes: [`${inputs.length - failures.filter((failure) => !failure.endsWith('stored')).length} of ${inputs.length} answered as required`],
  };
}
