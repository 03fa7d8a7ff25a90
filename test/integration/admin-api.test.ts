import type { Runtime } from '../../local/runtime';
import { demoCredentials, signedHeaders } from '../../cli/signing';
import { addCalendarDays } from '../../lambdas/core/calendar/calendar-date';
import { warsawCalendarDate } from '../../lambdas/core/calendar/polish-calendar';
import { startLocalProduct, validComplaint } from '../support/local-product';
import { demoStaff } from '../support/staff-event';

// The staff API over HTTP, signed as the CLI and the AWS SDK sign, through the local server's SigV4 check.

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startLocalProduct();
});
afterAll(async () => {
  await runtime.stop();
});

const admin = demoStaff((staff) => staff.role === 'admin');
const supervisor = demoStaff((staff) => staff.role === 'supervisor');
const returnsAgent = demoStaff((staff) => staff.role === 'agent' && staff.departments.includes('returns'));
const serviceAgent = demoStaff((staff) => staff.role === 'agent' && staff.departments.includes('service'));

interface Call {
  method?: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  signingDate?: Date;
  tamper?: (headers: Record<string, string>) => Record<string, string>;
  sendBody?: string;
  /** A body sent (and signed) as it is, with this content type. */
  raw?: { text: string; contentType: string };
}

async function call(staffId: string | undefined, { method = 'GET', path, query, body, signingDate, tamper, sendBody, raw }: Call) {
  const url = new URL(path, runtime.urls.api);
  for (const [name, value] of Object.entries(query ?? {})) url.searchParams.append(name, value);
  const text = raw ? raw.text : body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = text === undefined ? {} : { 'content-type': raw?.contentType ?? 'application/json' };
  const signed = staffId ? await signedHeaders({ method, url, headers, body: text }, { credentials: demoCredentials(staffId), region: 'eu-central-1', signingDate }) : headers;
  const response = await fetch(url, { method, headers: tamper ? tamper(signed) : signed, body: sendBody ?? text });
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as any };
}

async function register(staffId = supervisor.id, overrides: object = {}) {
  const response = await call(staffId, {
    method: 'POST',
    path: '/admin/complaints',
    body: { ...validComplaint, channel: 'letter', receivedAt: '2026-11-20', ...overrides },
  });
  expect(response.status).toBe(201);
  return response.body as { id: string; reference: string; responseDueBy: string };
}

describe('signatures', () => {
  it('accepts a request signed with a staff key', async () => {
    expect((await call(admin.id, { path: '/admin/complaints' })).status).toBe(200);
  });

  it.each([
    ['unsigned', undefined, {}],
    ['signed 16 minutes ago (a replay after the window)', admin.id, { signingDate: new Date(Date.now() - 16 * 60_000) }],
    ['with a tampered body', admin.id, { method: 'POST' as const, path: '/admin/complaints', body: { a: 1 }, sendBody: '{"a":2}' }],
    ['with a tampered signature', admin.id, { tamper: (h: Record<string, string>) => ({ ...h, authorization: h.authorization!.replace(/.$/, (c) => (c === '0' ? '1' : '0')) }) }],
    ['with an unknown key', admin.id, { tamper: (h: Record<string, string>) => ({ ...h, authorization: h.authorization!.replace(/Credential=\w+/, 'Credential=AKIAUNKNOWNKEY0000000') }) }],
  ])('refuses a request %s with 401 problem+json, revealing nothing', async (_case, staffId, options) => {
    const response = await call(staffId, { path: '/admin/complaints', ...options });
    expect(response.status).toBe(401);
    expect(response.type).toBe('application/problem+json');
    expect(JSON.stringify(response.body)).not.toMatch(/AKIA|secret/i);
  });
});

describe('roles', () => {
  it('lets an agent work on their department and hides other departments', async () => {
    const { id } = await register(supervisor.id, { desiredRemedy: 'replacement', description: 'Wymiana czajnika, bo nie grzeje.' });
    await runtime.settled();
    expect((await call(returnsAgent.id, { path: `/admin/complaints/${id}` })).status).toBe(200);
    expect((await call(serviceAgent.id, { path: `/admin/complaints/${id}` })).status).toBe(404);
    expect((await call(serviceAgent.id, { path: '/admin/complaints', query: { department: 'returns' } })).status).toBe(403);
    const note = await call(serviceAgent.id, { method: 'POST', path: `/admin/complaints/${id}/notes`, body: { text: 'nie moje' } });
    expect(note.status).toBe(404);
  });

  it('lets only supervisors and admins reassign and extend', async () => {
    const { id } = await register();
    await runtime.settled();
    const current = (await call(supervisor.id, { path: `/admin/complaints/${id}` })).body;
    const department = current.assignment.departmentId;
    const agent = demoStaff((staff) => staff.role === 'agent' && staff.departments.includes(department));
    const byAgent = await call(agent.id, { method: 'POST', path: `/admin/complaints/${id}/assignment`, body: { departmentId: 'service', version: current.version } });
    expect(byAgent.status).toBe(403);
    const bySupervisor = await call(supervisor.id, { method: 'POST', path: `/admin/complaints/${id}/assignment`, body: { departmentId: 'service', version: current.version } });
    expect(bySupervisor.status).toBe(200);
    expect(bySupervisor.body.assignment.departmentId).toBe('service');
    // The workflow follows: the new department is told.
    await runtime.settled();
    const after = (await call(supervisor.id, { path: `/admin/complaints/${id}` })).body;
    expect(after.departmentNotified.departmentId).toBe('service');
  });
});

describe('changes', () => {
  it('refuses a stale write with 409 and keeps the first', async () => {
    const { id } = await register();
    await runtime.settled();
    const { version } = (await call(supervisor.id, { path: `/admin/complaints/${id}` })).body;
    const first = await call(supervisor.id, { method: 'POST', path: `/admin/complaints/${id}/assignment`, body: { departmentId: 'payments', version } });
    expect(first.status).toBe(200);
    const stale = await call(supervisor.id, { method: 'POST', path: `/admin/complaints/${id}/assignment`, body: { departmentId: 'logistics', version } });
    expect(stale.status).toBe(409);
    expect((await call(supervisor.id, { path: `/admin/complaints/${id}` })).body.assignment.departmentId).toBe('payments');
  });

  it('writes every change to the audit trail: who, when, what, before and after', async () => {
    const { id } = await register(admin.id);
    await runtime.settled();
    let complaint = (await call(admin.id, { path: `/admin/complaints/${id}` })).body;
    await call(admin.id, { method: 'POST', path: `/admin/complaints/${id}/notes`, body: { text: 'Klient dzwonił.' } });
    await call(admin.id, { method: 'POST', path: `/admin/complaints/${id}/information-requests`, body: { question: 'Proszę o zdjęcie tabliczki znamionowej.' } });
    complaint = (await call(admin.id, { path: `/admin/complaints/${id}` })).body;
    await call(admin.id, { method: 'POST', path: `/admin/complaints/${id}/assignment`, body: { departmentId: 'service', version: complaint.version } });
    complaint = (await call(admin.id, { path: `/admin/complaints/${id}` })).body;
    await call(admin.id, { method: 'POST', path: `/admin/complaints/${id}/decision`, body: { outcome: 'accepted', remedy: 'repair', version: complaint.version } });
    await runtime.settled();
    complaint = (await call(admin.id, { path: `/admin/complaints/${id}` })).body;
    const staffEntries = complaint.history.filter((entry: { actor: string }) => entry.actor === admin.id);
    expect(staffEntries.map((entry: { action: string }) => entry.action)).toEqual([
      'complaint_received',
      'note_added',
      'information_requested',
      'department_assigned',
      'decision_recorded',
    ]);
    const assigned = staffEntries[3];
    expect(assigned.before.departmentId).not.toBe('service');
    expect(assigned.after.departmentId).toBe('service');
    for (const entry of staffEntries) expect(Date.parse(entry.at)).not.toBeNaN();
    expect(complaint.status).toBe('closed');
  });

  it('counts a registered complaint from its real date of receipt under the named policy', async () => {
    const { responseDueBy } = await register(supervisor.id, { receivedAt: '2025-12-10', policy: 'consumer' });
    expect(responseDueBy).toBe('2025-12-29'); // day 14 is 24 Dec, then 25-26 Dec, a Saturday and a Sunday
  });

  it('refuses a registration dated in the future or under an unknown policy (422), storing nothing', async () => {
    const future = await call(supervisor.id, { method: 'POST', path: '/admin/complaints', body: { ...validComplaint, channel: 'phone', receivedAt: '2999-01-01' } });
    expect(future.status).toBe(422);
    const unknown = await call(supervisor.id, { method: 'POST', path: '/admin/complaints', body: { ...validComplaint, channel: 'phone', receivedAt: '2026-11-20', policy: 'nope' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe('policy');
  });

  it('refuses a registration whose purchase is dated after today in Warsaw (422 naming purchaseDate), storing nothing', async () => {
    const today = warsawCalendarDate(runtime.clock.now());
    const listed = async () => (await call(supervisor.id, { path: '/admin/complaints', query: { orderNumber: 'FUTURE-PURCHASE' } })).body.complaints.length;
    const body = { ...validComplaint, orderNumber: 'FUTURE-PURCHASE', channel: 'letter', receivedAt: today, purchaseDate: addCalendarDays(today, 1) };
    const refused = await call(supervisor.id, { method: 'POST', path: '/admin/complaints', body });
    expect([refused.status, refused.type]).toEqual([422, 'application/problem+json']);
    expect(refused.body.errors.map((error: { field: string }) => error.field)).toEqual(['purchaseDate']);
    expect(await listed()).toBe(0);
  });
});

describe('bad paths', () => {
  it('answers 404, not 500, to a complaint id that cannot be one, however long', async () => {
    for (const id of ['not-a-uuid', 'x'.repeat(2000), '00000000-0000-4000-8000-000000000000']) {
      const response = await call(supervisor.id, { path: `/admin/complaints/${id}` });
      expect([id.slice(0, 10), response.status, response.type]).toEqual([id.slice(0, 10), 404, 'application/problem+json']);
    }
  });

  it('answers 400 to broken JSON and 415 to a body that is not JSON, changing nothing', async () => {
    const { id } = await register();
    const before = (await call(supervisor.id, { path: `/admin/complaints/${id}` })).body.history.length;
    const broken = await call(supervisor.id, { method: 'POST', path: `/admin/complaints/${id}/notes`, raw: { text: '{"text": ', contentType: 'application/json' } });
    expect(broken.status).toBe(400);
    const plain = await call(supervisor.id, { method: 'POST', path: `/admin/complaints/${id}/notes`, raw: { text: 'a note', contentType: 'text/plain' } });
    expect(plain.status).toBe(415);
    expect((await call(supervisor.id, { path: `/admin/complaints/${id}` })).body.history).toHaveLength(before);
  });
});

describe('lists', () => {
  it('pages through more than one page with the cursor, newest first, without repeats', async () => {
    const filed = [];
    for (let i = 0; i < 7; i += 1) filed.push((await register(supervisor.id, { orderNumber: 'PAGED-1' })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await call(supervisor.id, { path: '/admin/complaints', query: { orderNumber: 'PAGED-1', limit: '3', ...(cursor ? { cursor } : {}) } });
      expect(page.status).toBe(200);
      seen.push(...page.body.complaints.map((complaint: { id: string }) => complaint.id));
      cursor = page.body.cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort()).toEqual([...filed].sort());
  });

  it('lists the most urgent first and filters by due window', async () => {
    await register(supervisor.id, { receivedAt: '2026-11-02', orderNumber: 'URGENT' });
    const page = await call(supervisor.id, { path: '/admin/complaints', query: { sort: 'urgent', limit: '50' } });
    const dues = page.body.complaints.map((complaint: { responseDueBy: string }) => complaint.responseDueBy);
    expect(dues).toEqual([...dues].sort());
    const overdue = await call(supervisor.id, { path: '/admin/complaints', query: { overdue: 'true', sort: 'urgent' } });
    expect(overdue.status).toBe(200);
  });

  it('finds a complaint by reference, refusing a mistyped one with 422', async () => {
    const { id, reference } = await register();
    const found = await call(supervisor.id, { path: '/admin/complaints', query: { reference: reference.toLowerCase() } });
    expect(found.body.complaints.map((complaint: { id: string }) => complaint.id)).toEqual([id]);
    const typo = reference.slice(0, -1) + (reference.endsWith('0') ? '1' : '0');
    expect((await call(supervisor.id, { path: '/admin/complaints', query: { reference: typo } })).status).toBe(422);
  });

  it('refuses a cursor from another list (400) and bad filters (422)', async () => {
    const page = await call(supervisor.id, { path: '/admin/complaints', query: { orderNumber: 'PAGED-1', limit: '1' } });
    const other = await call(supervisor.id, { path: '/admin/complaints', query: { orderNumber: 'OTHER', cursor: page.body.cursor } });
    expect(other.status).toBe(400);
    expect((await call(supervisor.id, { path: '/admin/complaints', query: { limit: '1000' } })).status).toBe(422);
    expect((await call(supervisor.id, { path: '/admin/complaints', query: { cursor: 'garbage' } })).status).toBe(400);
  });
});
