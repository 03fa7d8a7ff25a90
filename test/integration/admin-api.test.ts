import { LOCAL_CURSOR_KEY, type Runtime } from '../../local/runtime';
import { cursorSeal } from '../../lambdas/core/cursor-seal';
import { demoCredentials, signedHeaders } from '../../cli/signing';
import { addCalendarDays } from '../../lambdas/core/calendar/calendar-date';
import { warsawCalendarDate } from '../../lambdas/core/calendar/polish-calendar';
import { startLocalProduct, validComplaint } from '../support/local-product';
import { demoStaff } from '../support/staff-event';
import { TERM_STOPPED } from '../../lambdas/core/response-term';

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
  const signed = staffId
    ? await signedHeaders({ method, url, headers, body: text }, { credentials: demoCredentials(staffId), region: 'eu-central-1', signingDate })
    : headers;
  const response = await fetch(url, { method, headers: tamper ? tamper(signed) : signed, body: sendBody ?? text });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    retryAfter: response.headers.get('retry-after'),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read the answer's JSON by path
    body: (await response.json()) as any,
  };
}

/** Every complaint this file stores, so the lists can be checked for gaps. */
const registered = new Set<string>();

async function register(staffId = supervisor.id, overrides: object = {}) {
  const response = await call(staffId, {
    method: 'POST',
    path: '/admin/complaints',
    body: { ...validComplaint, channel: 'letter', receivedAt: '2026-11-20', ...overrides },
  });
  expect(response.status).toBe(201);
  registered.add(response.body.id);
  return response.body as { id: string; reference: string; responseDueBy: string };
}

interface Summary {
  id: string;
  status: string;
  channel: string;
  department: string | null;
  receivedAt: string;
  responseDueBy: string;
}

/** Every page of a list, following the cursor; fails on an error answer. */
async function everyPage(staffId: string, query: Record<string, string>) {
  const rows: Summary[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await call(staffId, { path: '/admin/complaints', query: { ...query, ...(cursor ? { cursor } : {}) } });
    expect([page.status, page.body.title]).toEqual([200, undefined]);
    rows.push(...page.body.complaints);
    cursor = page.body.cursor;
    pages += 1;
  } while (cursor && pages < 500);
  return { rows, ids: rows.map((row) => row.id), pages };
}

/** A list cursor's position (what the seal covers: lambdas/core/cursor-seal.ts). */
const decode = (cursor: string) => JSON.parse(Buffer.from(cursor.split('.')[0]!, 'base64url').toString('utf8'));
const position = (cursor: unknown) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
/** Sealed with the local key: as if the key had leaked, so that the list's own checks behind the seal are tried. */
const encode = (cursor: unknown) => cursorSeal(LOCAL_CURSOR_KEY).seal('list', position(cursor));

describe('signatures', () => {
  it('accepts a request signed with a staff key', async () => {
    expect((await call(admin.id, { path: '/admin/complaints' })).status).toBe(200);
  });

  it.each([
    ['unsigned', undefined, {}],
    ['signed 16 minutes ago (a replay after the window)', admin.id, { signingDate: new Date(Date.now() - 16 * 60_000) }],
    ['with a tampered body', admin.id, { method: 'POST' as const, path: '/admin/complaints', body: { a: 1 }, sendBody: '{"a":2}' }],
    [
      'with a tampered signature',
      admin.id,
      { tamper: (h: Record<string, string>) => ({ ...h, authorization: h.authorization!.replace(/.$/, (c) => (c === '0' ? '1' : '0')) }) },
    ],
    [
      'with an unknown key',
      admin.id,
      {
        tamper: (h: Record<string, string>) => ({
          ...h,
          authorization: h.authorization!.replace(/Credential=\w+/, 'Credential=AKIAUNKNOWNKEY0000000'),
        }),
      },
    ],
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
    const byAgent = await call(agent.id, {
      method: 'POST',
      path: `/admin/complaints/${id}/assignment`,
      body: { departmentId: 'service', version: current.version },
    });
    expect(byAgent.status).toBe(403);
    const bySupervisor = await call(supervisor.id, {
      method: 'POST',
      path: `/admin/complaints/${id}/assignment`,
      body: { departmentId: 'service', version: current.version },
    });
    expect(bySupervisor.status).toBe(200);
    expect(bySupervisor.body.assignment.departmentId).toBe('service');
    // The workflow follows: the new department is told.
    await runtime.settled();
    const after = (await call(supervisor.id, { path: `/admin/complaints/${id}` })).body;
    expect(after.departmentNotified.departmentId).toBe('service');
  });
});

describe('changes', () => {
  it('refuses a stale write with 409 and Retry-After: 1 (read it again, then decide), and keeps the first', async () => {
    const { id } = await register();
    await runtime.settled();
    const { version } = (await call(supervisor.id, { path: `/admin/complaints/${id}` })).body;
    const first = await call(supervisor.id, {
      method: 'POST',
      path: `/admin/complaints/${id}/assignment`,
      body: { departmentId: 'payments', version },
    });
    expect(first.status).toBe(200);
    const stale = await call(supervisor.id, {
      method: 'POST',
      path: `/admin/complaints/${id}/assignment`,
      body: { departmentId: 'logistics', version },
    });
    expect([stale.status, stale.retryAfter]).toEqual([409, '1']);
    expect((await call(supervisor.id, { path: `/admin/complaints/${id}` })).body.assignment.departmentId).toBe('payments');
  });

  it('writes every change to the audit trail: who, when, what, before and after', async () => {
    const { id } = await register(admin.id);
    await runtime.settled();
    let complaint = (await call(admin.id, { path: `/admin/complaints/${id}` })).body;
    await call(admin.id, { method: 'POST', path: `/admin/complaints/${id}/notes`, body: { text: 'Klient dzwonił.' } });
    await call(admin.id, {
      method: 'POST',
      path: `/admin/complaints/${id}/information-requests`,
      body: { question: 'Proszę o zdjęcie tabliczki znamionowej.' },
    });
    complaint = (await call(admin.id, { path: `/admin/complaints/${id}` })).body;
    await call(admin.id, {
      method: 'POST',
      path: `/admin/complaints/${id}/assignment`,
      body: { departmentId: 'service', version: complaint.version },
    });
    complaint = (await call(admin.id, { path: `/admin/complaints/${id}` })).body;
    await call(admin.id, {
      method: 'POST',
      path: `/admin/complaints/${id}/decision`,
      body: { outcome: 'accepted', remedy: 'repair', version: complaint.version },
    });
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
    const future = await call(supervisor.id, {
      method: 'POST',
      path: '/admin/complaints',
      body: { ...validComplaint, channel: 'phone', receivedAt: '2999-01-01' },
    });
    expect(future.status).toBe(422);
    const unknown = await call(supervisor.id, {
      method: 'POST',
      path: '/admin/complaints',
      body: { ...validComplaint, channel: 'phone', receivedAt: '2026-11-20', policy: 'nope' },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe('policy');
  });

  it('refuses a registration whose purchase is dated after today in Warsaw (422 naming purchaseDate), storing nothing', async () => {
    const today = warsawCalendarDate(runtime.clock.now());
    const listed = async () =>
      (await call(supervisor.id, { path: '/admin/complaints', query: { orderNumber: 'FUTURE-PURCHASE' } })).body.complaints.length;
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
    const broken = await call(supervisor.id, {
      method: 'POST',
      path: `/admin/complaints/${id}/notes`,
      raw: { text: '{"text": ', contentType: 'application/json' },
    });
    expect(broken.status).toBe(400);
    const plain = await call(supervisor.id, {
      method: 'POST',
      path: `/admin/complaints/${id}/notes`,
      raw: { text: 'a note', contentType: 'text/plain' },
    });
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
      const page = await call(supervisor.id, {
        path: '/admin/complaints',
        query: { orderNumber: 'PAGED-1', limit: '3', ...(cursor ? { cursor } : {}) },
      });
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

describe('lists spread over shards (issue 10: no hot keys, lean indexes)', () => {
  beforeAll(async () => {
    // Complaints received the same day share one receipt instant: ties across shards, which the merge must
    // neither repeat nor skip.
    for (let i = 0; i < 12; i += 1) await register(supervisor.id, { orderNumber: `SHARDS-${i % 3}`, receivedAt: '2026-11-18' });
    for (let i = 0; i < 4; i += 1) await register(supervisor.id, { channel: 'phone', orderNumber: 'BY-PHONE' });
    await runtime.settled();
  }, 60_000);

  it('pages through every complaint, newest first, with no repeats and no gaps, small pages or large', async () => {
    for (const limit of ['1', '4', '100']) {
      const { rows, ids, pages } = await everyPage(supervisor.id, { limit });
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual([...registered].sort());
      const received = rows.map((row) => row.receivedAt);
      expect(received).toEqual([...received].sort().reverse());
      if (limit === '1') expect(pages).toBeGreaterThanOrEqual(registered.size);
    }
  }, 60_000);

  it('pages through every complaint whose term runs, most urgent first, with no repeats and no gaps', async () => {
    await runtime.settled();
    const { rows, ids } = await everyPage(supervisor.id, { sort: 'urgent', limit: '5' });
    expect(new Set(ids).size).toBe(ids.length);
    // Answered (e-mailed decisions here: none waits for the post) or deemed accepted: off the due-date lists.
    const newest = (await everyPage(supervisor.id, {})).rows;
    expect(newest.map((row) => row.id).sort()).toEqual([...registered].sort());
    const termRuns = newest.filter((row) => !['decided', ...TERM_STOPPED].includes(row.status));
    expect(termRuns.length).toBeGreaterThan(0);
    expect([...ids].sort()).toEqual(termRuns.map((row) => row.id).sort());
    const dues = rows.map((row) => row.responseDueBy);
    expect(dues).toEqual([...dues].sort());
  }, 60_000);

  it('takes an answered complaint off the due-date lists and keeps it on the newest-first lists', async () => {
    const { id } = await register();
    await runtime.settled();
    const urgentIds = async (query: Record<string, string>) => (await everyPage(supervisor.id, { sort: 'urgent', ...query })).ids;
    expect(await urgentIds({})).toContain(id);
    const { version, assignment } = (await call(supervisor.id, { path: `/admin/complaints/${id}` })).body;
    const decided = await call(supervisor.id, {
      method: 'POST',
      path: `/admin/complaints/${id}/decision`,
      body: { outcome: 'accepted', remedy: 'repair', version },
    });
    expect(decided.status).toBe(200);
    await runtime.settled();
    expect(await urgentIds({})).not.toContain(id);
    expect(await urgentIds({ department: assignment.departmentId })).not.toContain(id);
    const newest = await everyPage(supervisor.id, {});
    expect(newest.rows.find((row) => row.id === id)?.status).toBe('closed');
    expect((await everyPage(supervisor.id, { department: assignment.departmentId })).ids).toContain(id);
  }, 60_000);

  it('answers summaries, bounded whatever a complaint holds: no description, history or customer data', async () => {
    const page = await call(supervisor.id, { path: '/admin/complaints', query: { limit: '3' } });
    for (const row of page.body.complaints) {
      expect(Object.keys(row).sort()).toEqual(
        [
          'channel',
          'department',
          'id',
          'policyId',
          'receivedAt',
          'reference',
          'responseDueBy',
          'status',
          ...(row.sourcePlatform ? ['sourcePlatform'] : []),
        ].sort(),
      );
    }
  }, 60_000);

  it('filters by channel, status and source platform on every shard', async () => {
    const byPhone = await everyPage(supervisor.id, { channel: 'phone', limit: '2' });
    expect(byPhone.rows.every((row) => row.channel === 'phone')).toBe(true);
    expect(byPhone.rows.length).toBeGreaterThanOrEqual(4);
    const all = (await everyPage(supervisor.id, { limit: '100' })).rows;
    for (const status of new Set(all.map((row) => row.status))) {
      const filtered = await everyPage(supervisor.id, { status, limit: '2' });
      expect([status, [...filtered.ids].sort()]).toEqual([
        status,
        all
          .filter((row) => row.status === status)
          .map((row) => row.id)
          .sort(),
      ]);
    }
    expect((await everyPage(supervisor.id, { sourcePlatform: 'shopify' })).rows).toEqual([]);
  }, 60_000);

  it('finds the same complaints due within a window whether sorted by due date (a key range) or newest (a filter)', async () => {
    const today = warsawCalendarDate(runtime.clock.now());
    for (const days of ['0', '30', '366']) {
      const urgent = await everyPage(supervisor.id, { dueWithinDays: days, sort: 'urgent', limit: '3' });
      const newest = await everyPage(supervisor.id, { dueWithinDays: days, limit: '3' });
      expect([...urgent.ids].sort()).toEqual([...newest.ids].sort());
      expect(
        urgent.rows.every(
          (row) => row.responseDueBy <= addCalendarDays(today, Number(days)) && ['received', 'acknowledged', 'assigned'].includes(row.status),
        ),
      ).toBe(true);
    }
    const overdue = await everyPage(supervisor.id, { overdue: 'true', sort: 'urgent' });
    expect(overdue.rows.every((row) => row.responseDueBy < today)).toBe(true);
  }, 60_000);

  it("lists one department's complaints over its shards, for its agent and for a supervisor, and no other department's", async () => {
    const moved: string[] = [];
    for (const id of (await everyPage(supervisor.id, { orderNumber: 'SHARDS-0' })).ids) {
      const { version } = (await call(supervisor.id, { path: `/admin/complaints/${id}` })).body;
      const reassigned = await call(supervisor.id, {
        method: 'POST',
        path: `/admin/complaints/${id}/assignment`,
        body: { departmentId: 'logistics', version },
      });
      expect(reassigned.status).toBe(200);
      moved.push(id);
    }
    const logisticsAgent = demoStaff((staff) => staff.role === 'agent' && staff.departments.includes('logistics'));
    for (const [staffId, query] of [
      [logisticsAgent.id, { limit: '1' }],
      [supervisor.id, { department: 'logistics', limit: '2' }],
      [supervisor.id, { department: 'logistics', sort: 'urgent', status: 'assigned' }],
    ] as const) {
      const { rows, ids } = await everyPage(staffId, query);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(moved));
      expect(rows.every((row) => row.department === 'logistics')).toBe(true);
    }
    expect((await call(returnsAgent.id, { path: '/admin/complaints', query: { department: 'logistics' } })).status).toBe(403);
    // An agent's look-up by order number shows only their departments' complaints.
    const byOrder = await everyPage(logisticsAgent.id, { orderNumber: 'SHARDS-0' });
    expect([...byOrder.ids].sort()).toEqual([...moved].sort());
    expect((await everyPage(returnsAgent.id, { orderNumber: 'SHARDS-0' })).ids).toEqual([]);
  }, 60_000);

  it('refuses a forged, damaged or foreign cursor with 400, never a 5xx', async () => {
    const newest = (await call(supervisor.id, { path: '/admin/complaints', query: { limit: '1' } })).body.cursor as string;
    const urgent = (await call(supervisor.id, { path: '/admin/complaints', query: { sort: 'urgent', dueWithinDays: '366', limit: '1' } })).body
      .cursor as string;
    const { list, at } = decode(newest);
    const [newestPosition, newestSeal] = newest.split('.') as [string, string];
    const flip = (text: string, at: number) => `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    const forged = [
      // What the seal refuses: any cursor this deployment did not hand out for this list.
      ['empty key values, unsealed', {}, position({ list, at: at.map(() => ['', '']) })],
      [
        'empty key values, sealed under another secret',
        {},
        cursorSeal('another deployment, another secret: 32+ bytes').seal('list', position({ list, at: at.map(() => ['', '']) })),
      ],
      ['a real cursor sealed under another secret', {}, cursorSeal('another deployment, another secret: 32+ bytes').seal('list', newestPosition)],
      ['a tampered byte in the position', {}, `${flip(newestPosition, 10)}.${newestSeal}`],
      ['a tampered byte in the seal', {}, `${newestPosition}.${flip(newestSeal, 5)}`],
      ['a history cursor', {}, cursorSeal(LOCAL_CURSOR_KEY).seal('history:x', newestPosition)],
      ['no seal', {}, newestPosition],
      // What the list refuses behind the seal, should a cursor ever get past it.
      ['an urgent cursor on the newest list', {}, urgent],
      ['a newest cursor on a department list', { department: 'returns' }, newest],
      ['a cursor of another list', {}, encode({ list: 'x', at })],
      ['empty key values', {}, encode({ list, at: at.map(() => ['', '']) })],
      ['too few shards', {}, encode({ list, at: at.slice(1) })],
      ['numbers for keys', {}, encode({ list, at: at.map(() => [1, 2]) })],
      ['an unknown field', {}, encode({ list, at, admin: true })],
      ['not JSON', {}, Buffer.from('{"list":').toString('base64url')],
      [
        'a due position past the due window',
        { sort: 'urgent', dueWithinDays: '366' },
        encode({ ...decode(urgent), at: decode(urgent).at.map(() => ['9999-12-31#x', 'x']) }),
      ],
      [
        'a key over 200 characters',
        {},
        encode({ list, at: at.map((position: unknown, i: number) => (i === 0 ? ['2026-11-18T00:00:00.000Z', 'x'.repeat(201)] : position)) }),
      ],
    ] as const;
    for (const [name, query, cursor] of forged) {
      const response = await call(supervisor.id, { path: '/admin/complaints', query: { ...query, cursor } });
      expect([name, response.status, response.type]).toEqual([name, 400, 'application/problem+json']);
    }
    // A well-formed position that matches no complaint is only a place in the list: the rest of it, no error.
    const anywhere = await call(supervisor.id, {
      path: '/admin/complaints',
      query: { cursor: encode({ list, at: at.map(() => ['2026-11-19T00:00:00.000Z', 'no-such-complaint']) }) },
    });
    expect(anywhere.status).toBe(200);
    expect(anywhere.body.complaints.every((row: Summary) => row.receivedAt < '2026-11-19T00:00:00.000Z')).toBe(true);
  });
});
