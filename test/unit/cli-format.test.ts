import type { Complaint } from '../../lambdas/core/complaint';
import { summaryOf } from '../../lambdas/core/complaint-summary';
import { changed, complaintDetails, complaintList, problem, registered, table, terminalJson, timeline, visible, warsawTime } from '../../cli/format';

const complaint: Complaint = {
  id: '3b0c6f2e-8a1d-4c55-9f3e-2d7b1a0c9e11',
  reference: 'RK-7XK4M-9QPZT',
  status: 'assigned',
  channel: 'letter',
  policyId: 'consumer',
  receivedAt: '2026-11-23T09:14:03.120Z',
  receivedOn: '2026-11-23',
  responseDueBy: '2026-12-07',
  version: 3,
  customer: { name: 'Anna Kowalska', email: 'anna@example.com', phone: '+48600700800' },
  orderNumber: 'ZAM-2026-11-0042',
  product: 'Czajnik KE-200',
  description: 'Czajnik przestał grzać po dwóch tygodniach.',
  desiredRemedy: 'replacement',
  privacyNoticeAccepted: true,
  language: 'pl',
  assignment: {
    departmentId: 'returns',
    ruleId: null,
    reason: 'assigned by Sylwia Supervisor',
    rulesVersion: '2026-11-23.1',
    assignedAt: '2026-11-23T10:00:00.000Z',
    assignedBy: 'sylwia.supervisor',
  },
  history: [
    // Out of order on purpose: the timeline sorts by time.
    {
      at: '2026-11-23T10:05:00.000Z',
      actor: 'sylwia.supervisor',
      action: 'note_added',
      after: { text: 'Called the customer.\nShe will send photos.' },
    },
    { at: '2026-11-23T09:14:03.120Z', actor: 'sylwia.supervisor', action: 'complaint_registered', after: { channel: 'letter' } },
    {
      at: '2026-11-23T10:00:00.000Z',
      actor: 'sylwia.supervisor',
      action: 'department_assigned',
      before: { departmentId: null },
      after: { departmentId: 'returns' },
    },
  ],
};

describe('times', () => {
  it('shows an instant on the Warsaw wall clock, in winter (CET) and summer (CEST)', () => {
    expect(warsawTime('2026-11-23T09:14:03.120Z')).toBe('2026-11-23 10:14');
    expect(warsawTime('2026-06-01T08:00:00.000Z')).toBe('2026-06-01 10:00');
  });

  it('leaves what is not an instant as it is', () => {
    expect(warsawTime('soon')).toBe('soon');
  });
});

describe('tables', () => {
  it('pads every column to its widest cell, two spaces apart, without trailing spaces', () => {
    expect(
      table(
        ['A', 'BB'],
        [
          ['long', 'x'],
          ['s', 'yyy'],
        ],
      ),
    ).toBe(['A     BB', 'long  x', 's     yyy'].join('\n'));
  });

  it('lists complaint summaries with id, reference, status, department, due date and Warsaw receipt time', () => {
    const unassigned: Complaint = { ...complaint, id: 'c2', reference: 'RK-00000-00000', status: 'acknowledged', assignment: undefined };
    const lines = complaintList({ complaints: [complaint, unassigned].map(summaryOf) }).split('\n');
    expect(lines[0]).toMatch(/^ID\s+REFERENCE\s+STATUS\s+DEPARTMENT\s+DUE BY\s+RECEIVED$/);
    expect(lines[1]!.split(/\s{2,}/)).toEqual([complaint.id, 'RK-7XK4M-9QPZT', 'assigned', 'returns', '2026-12-07', '2026-11-23 10:14']);
    expect(lines[2]!.split(/\s{2,}/)).toEqual(['c2', 'RK-00000-00000', 'acknowledged', '—', '2026-12-07', '2026-11-23 10:14']);
    // The columns line up: every row's reference starts where the header's does.
    const column = lines[0]!.indexOf('REFERENCE');
    expect(lines[1]!.indexOf('RK-')).toBe(column);
    expect(lines[2]!.indexOf('RK-')).toBe(column);
  });

  it('tells how to get the next page when there is one', () => {
    expect(complaintList({ complaints: [summaryOf(complaint)], cursor: 'abc123' })).toContain('More complaints: add --cursor abc123');
    expect(complaintList({ complaints: [summaryOf(complaint)] })).not.toContain('--cursor');
  });

  it('says so when nothing matches, instead of printing an empty table', () => {
    expect(complaintList({ complaints: [] })).toBe('No complaints match.');
  });
});

describe('show', () => {
  const shown = complaintDetails(complaint);

  it('prints the fields with their values aligned', () => {
    expect(shown).toMatch(/^Reference\s+RK-7XK4M-9QPZT$/m);
    expect(shown).toMatch(/^Status\s+assigned$/m);
    expect(shown).toMatch(/^Version\s+3$/m);
    expect(shown).toMatch(/^Answer due by\s+2026-12-07$/m);
    expect(shown).toMatch(/^Department\s+returns \(assigned by Sylwia Supervisor\)$/m);
    expect(shown).toMatch(/^Customer\s+Anna Kowalska <anna@example.com> \+48600700800$/m);
    const valueColumns = shown
      .split('\n\nHistory')[0]!
      .split('\n')
      .map((line) => /^\S.*?\s{2,}/.exec(line)?.[0].length);
    expect(new Set(valueColumns).size).toBe(1);
  });

  it('leaves out what the complaint does not have yet', () => {
    expect(shown).not.toMatch(/^Decision/m);
    expect(shown).not.toMatch(/^Extension/m);
    expect(shown).not.toMatch(/^Purchased/m);
  });

  it('shows an extended deadline with the date it replaced, and a decision with who made it', () => {
    const decided = complaintDetails({
      ...complaint,
      status: 'decided',
      responseDueBy: '2027-01-21',
      extension: {
        reason: 'An expert opinion is needed.',
        stillToEstablish: 'Whether the heating element was misused.',
        requestedAt: '2026-11-30T08:00:00.000Z',
        requestedBy: 'sylwia.supervisor',
        previousResponseDueBy: '2026-12-22',
      },
      decision: { outcome: 'accepted', remedy: 'replacement', decidedAt: '2026-12-01T13:30:00.000Z', decidedBy: 'adam.agent' },
    });
    expect(decided).toMatch(/^Answer due by\s+2027-01-21 \(extended from 2026-12-22\)$/m);
    expect(decided).toMatch(/^Decision\s+accepted \(replacement\) by adam.agent on 2026-12-01 14:30$/m);
  });

  it('ends with the history as a timeline', () => {
    expect(shown.split('\n\nHistory\n')[1]).toBe(timeline(complaint.history));
  });
});

describe('timeline', () => {
  const lines = timeline(complaint.history).split('\n');

  it('prints the entries oldest first: Warsaw time, what happened, by whom', () => {
    const heads = lines.filter((line) => /^ {2}\d{4}-/.test(line));
    expect(heads).toEqual([
      '  2026-11-23 10:14  complaint registered  by sylwia.supervisor',
      '  2026-11-23 11:00  department assigned  by sylwia.supervisor',
      '  2026-11-23 11:05  note added  by sylwia.supervisor',
    ]);
  });

  it('shows what each entry changed below it, before → after, null as a dash', () => {
    const assigned = lines.indexOf('  2026-11-23 11:00  department assigned  by sylwia.supervisor');
    expect(lines[assigned + 1]!.trim()).toBe('departmentId: — → returns');
  });

  it('marks a field recorded only before the change as what it was', () => {
    const decided = timeline([
      {
        at: '2026-12-01T13:30:00.000Z',
        actor: 'jan.returns',
        action: 'decision_recorded',
        before: { status: 'assigned' },
        after: { outcome: 'accepted' },
      },
    ]).split('\n');
    expect(decided.slice(1).map((line) => line.trim())).toEqual(['status: was assigned', 'outcome: accepted']);
  });

  it('keeps a note over several lines indented under its entry', () => {
    const note = lines.indexOf('  2026-11-23 11:05  note added  by sylwia.supervisor');
    expect(lines[note + 1]).toBe(`${' '.repeat(20)}text: Called the customer.`);
    expect(lines[note + 2]).toBe(`${' '.repeat(22)}She will send photos.`);
  });

  it('says so when there is no history', () => {
    expect(timeline([])).toBe('  (no entries)');
  });
});

describe('what a change command prints', () => {
  it('names the complaint and the version to send next', () => {
    expect(changed('assign', complaint)).toBe('RK-7XK4M-9QPZT assigned to returns (now version 3).');
    expect(changed('note', complaint)).toBe('Note added to RK-7XK4M-9QPZT (now version 3).');
    expect(
      changed('decide', {
        ...complaint,
        version: 4,
        decision: { outcome: 'accepted', remedy: 'replacement', decidedAt: '2026-12-01T13:30:00.000Z', decidedBy: 'adam.agent' },
      }),
    ).toBe('Decision on RK-7XK4M-9QPZT recorded: accepted (replacement); the workflow sends it to the customer (now version 4).');
  });

  it('prints a registration receipt with the reference and the due date', () => {
    expect(
      registered({
        id: complaint.id,
        reference: complaint.reference,
        status: 'received',
        receivedAt: complaint.receivedAt,
        responseDueBy: '2026-12-07',
      }),
    ).toBe(`Registered RK-7XK4M-9QPZT (id ${complaint.id}): received, answer due by 2026-12-07.`);
  });
});

describe('problems', () => {
  it('prints the status, the title and the detail of a problem+json answer', () => {
    const body = {
      type: 'https://reklamacje.example/problems/version-conflict',
      title: 'The resource was changed by someone else',
      status: 409,
      detail: 'Expected version 2, found 3.',
    };
    expect(problem(409, body)).toBe('Error: HTTP 409 Conflict: The resource was changed by someone else\n  Expected version 2, found 3.');
  });

  it('says forbidden when the API refuses the caller', () => {
    expect(problem(403, { title: 'You may not do this', status: 403, detail: 'agents act on their own departments' })).toBe(
      'Error: HTTP 403 Forbidden: You may not do this\n  agents act on their own departments',
    );
  });

  it('lists every invalid field once, instead of the one-line detail that repeats them', () => {
    const body = {
      title: 'Some fields are missing or invalid',
      status: 422,
      detail: 'customer.email: must be an e-mail address; : bad',
      errors: [
        { field: 'customer.email', message: 'must be an e-mail address' },
        { field: '', message: 'the body as a whole is wrong' },
      ],
    };
    expect(problem(422, body).split('\n')).toEqual([
      'Error: HTTP 422 Unprocessable Entity: Some fields are missing or invalid',
      '  - customer.email: must be an e-mail address',
      '  - (body): the body as a whole is wrong',
    ]);
  });

  it("reads API Gateway's own answers and plain text too", () => {
    expect(problem(403, { message: 'Forbidden' })).toBe('Error: HTTP 403 Forbidden: Forbidden');
    expect(problem(502, 'Bad gateway from the proxy\n')).toBe('Error: HTTP 502 Bad Gateway\n  Bad gateway from the proxy');
    expect(problem(500, undefined)).toBe('Error: HTTP 500 Internal Server Error');
  });
});

describe('stored text that a terminal would act on', () => {
  // ESC [ 31 m turns the screen red; ESC ] 0 ; … BEL retitles the window; U+009B is an 8-bit CSI; U+202E reverses.
  const hostile: Complaint = {
    ...complaint,
    customer: { ...complaint.customer, name: 'Anna \u202Eakswolak' },
    description: 'Nie grzeje.\n\tOd wczoraj.\u001b[2J',
    decision: {
      outcome: 'rejected',
      justification: 'Bez\u009b31m zasadna\r',
      signerPosition: 'Kierownik\u0000',
      decidedAt: '2026-12-01T13:30:00.000Z',
      decidedBy: 'adam.agent',
    },
    history: [
      {
        at: '2026-11-23T10:05:00.000Z',
        actor: 'jan.returns',
        action: 'note_added',
        after: { text: 'Pilne \u001b[31mczerwone\u001b[0m\nDruga linia \ud83d' },
      },
      { at: '2026-11-23T10:06:00.000Z', actor: 'jan.returns\u001b]0;x\u0007', action: 'note_added', after: { shop: { sku: 'A\u202EB' } } },
    ],
  };
  const shown = complaintDetails(hostile);

  it('is shown with every control character and direction override escaped, as \\u001b and the like', () => {
    expect(shown).toContain('text: Pilne \\u001b[31mczerwone\\u001b[0m');
    expect(shown).toContain('Druga linia \\ud83d');
    expect(shown).toContain('Anna \\u202eakswolak');
    expect(shown).toContain('Bez\\u009b31m zasadna\\u000d');
    expect(shown).toContain('Od wczoraj.\\u001b[2J');
    expect(shown).toContain('by jan.returns\\u001b]0;x\\u0007');
    expect(shown).toContain('shop: {"sku":"A\\u202eB"}');
    // eslint-disable-next-line no-control-regex -- what a terminal acts on is what must not be printed
    expect(shown).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\ud83d(?![\udc00-\udfff])/);
  });

  it('keeps the newlines and tabs of a multi-line text, still indented', () => {
    expect(shown).toMatch(/^Description\s+Nie grzeje\.\n\s+\tOd wczoraj\./m);
    const lines = timeline(hostile.history).split('\n');
    expect(lines[2]).toBe(`${' '.repeat(22)}Druga linia \\ud83d`);
  });

  it('escapes even newlines and tabs in a table cell, so a row stays one row', () => {
    expect(table(['A', 'B'], [['x\ny\tz', '\u001b[31m']])).toBe([`${'A'.padEnd(15)}  B`, 'x\\u000ay\\u0009z  \\u001b[31m'].join('\n'));
  });

  it('escapes a problem the API (or a proxy) answered with', () => {
    expect(problem(502, 'Bad \u001b[5mgateway')).toBe('Error: HTTP 502 Bad Gateway\n  Bad \\u001b[5mgateway');
  });

  it('leaves every honest letter alone, emoji and Polish included', () => {
    expect(visible('Zoë Żółw 🐢 Ωμέγα\n\tnote')).toBe('Zoë Żółw 🐢 Ωμέγα\n\tnote');
  });

  it('in --json is exact JSON, the same values, with C1 controls and overrides written as JSON escapes too', () => {
    const value = { text: 'a\u001b[31m \u009b \u202E \ud83d 🐢\n' };
    const json = terminalJson(value);
    expect(JSON.parse(json)).toEqual(value);
    // eslint-disable-next-line no-control-regex -- as above; a pretty-printed JSON keeps its own newlines
    expect(json).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E]/);
    expect(json).toContain('\\u009b');
    expect(terminalJson(complaint)).toBe(JSON.stringify(complaint, null, 2));
  });
});
