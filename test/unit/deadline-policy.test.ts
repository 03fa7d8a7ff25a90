import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { addCalendarDays, daysBetween, isWorkingDay } from '../../lambdas/core/calendar/polish-calendar';
import {
  computeInternalTarget,
  computeReminderDates,
  computeResponseDueBy,
  deadlinePolicySchema,
  extensionNoticeDeadline,
  intakeDeadlines,
  InvalidPolicyConfig,
  isBusinessDay,
  PolicyHasNoExtension,
  UnknownPolicy,
  type DeadlinePolicy,
} from '../../lambdas/core/deadline-policy';
import { loadPolicyRegistry, parsePolicyFile } from '../../lambdas/core/policy-config';
import policiesFile from '../../config/policies.json';
import policyNotes from '../../config/policy-notes.json';

const registry = loadPolicyRegistry();
const policy = (id: string) => registry.policyFor(id);
const builtInIds = ['consumer', 'guarantee', 'telecom', 'financial', 'payment_services', 'energy'];

/** Any date from 2000 to 2100. */
const anyDate = fc.integer({ min: 0, max: 36_890 }).map((n) => addCalendarDays('2000-01-01', n));
const anyPolicy = fc.constantFrom(...builtInIds).map(policy);

const busPolicy = {
  id: 'bus',
  jurisdiction: 'PL',
  trigger: 'complaint_received',
  length: 30,
  unit: 'calendar_days',
  shiftEnd: true,
  metBy: 'dispatch',
  silence: 'none',
  extension: { maxLength: 90, noticeBeforeDay: 30 },
  internalTargetDaysBefore: 1,
  legalBasis: 'art. 27 rozporządzenia (UE) nr 181/2011',
  notifyCustomerOnSilence: false,
};

describe('the response due date', () => {
  it.each([
    [
      'consumer',
      '2026-12-10',
      '2026-12-28',
      'when the due date falls on 24 December, moves it past Christmas and the Sunday to the next working day',
    ],
    ['consumer', '2026-04-19', '2026-05-04', 'when the due date falls on 3 May, a Sunday, moves it to Monday'],
    ['consumer', '2026-03-03', '2026-03-17', 'when the due date is a working day, keeps the 14th day'],
    ['consumer', '2025-12-10', '2025-12-29', 'when 24 December 2025 is the due date, it is already a holiday'],
    ['consumer', '2024-12-10', '2024-12-24', 'when 24 December 2024 is the due date, it was still a working day'],
    ['consumer', '2026-12-18', '2027-01-04', 'when the due date falls on New Year, a Friday, moves it to Monday'],
    ['consumer', '2026-03-23', '2026-04-07', 'when the due date falls on Easter Monday 2026, moves it to Tuesday'],
    ['consumer', '2027-03-15', '2027-03-30', 'when the due date falls on Easter Monday 2027, moves it to Tuesday'],
    ['consumer', '2026-05-21', '2026-06-05', 'when the due date falls on Corpus Christi 2026, moves it to Friday'],
    ['consumer', '2026-02-28', '2026-03-16', 'when the due date falls on a Saturday, moves it to Monday'],
    ['guarantee', '2026-08-01', '2026-08-17', 'when 14 days from delivery end on 15 August, a Saturday, moves it to Monday'],
    ['telecom', '2026-01-05', '2026-02-04', 'when a telecom complaint has 30 days, counts 30 calendar days'],
    ['telecom', '2026-10-02', '2026-11-02', 'when the 30th day is All Saints, a Sunday, moves it to Monday'],
    ['financial', '2026-03-02', '2026-04-01', 'when a financial complaint has 30 days, counts 30 calendar days'],
    ['payment_services', '2026-03-07', '2026-03-27', 'when received on a Saturday, counts 15 business days from Monday'],
    ['payment_services', '2026-12-10', '2027-01-05', 'when 15 business days span Christmas and New Year, skips every holiday'],
    ['energy', '2026-06-01', '2026-06-15', 'when an energy complaint has 14 days, counts 14 calendar days'],
  ])('%s received %s is due %s: %s', (id, received, expected) => {
    expect(computeResponseDueBy(policy(id), received)).toBe(expected);
  });

  it.each([
    ['financial', '2026-03-02', '2026-05-04', 'when extended to 60 days ending on 1 May, moves it past the weekend and 3 May'],
    ['financial', '2026-01-05', '2026-03-06', 'when extended to 60 days, counts 60 calendar days'],
    ['payment_services', '2026-12-10', '2027-02-03', 'when extended to 35 business days, skips Epiphany too'],
  ])('%s received %s, extended, is due %s: %s', (id, received, expected) => {
    expect(computeResponseDueBy(policy(id), received, { extended: true })).toBe(expected);
  });

  it('when a policy has no extension, refuses an extended due date', () => {
    expect(() => computeResponseDueBy(policy('consumer'), '2026-03-03', { extended: true })).toThrow(PolicyHasNoExtension);
  });

  it('when the policy does not shift, keeps a term ending on a Saturday', () => {
    const unshifted = { ...policy('consumer'), shiftEnd: false };
    expect(computeResponseDueBy(unshifted, '2026-02-28')).toBe('2026-03-14');
  });

  it('never falls on a Saturday, Sunday or holiday when the policy shifts the end', () => {
    fc.assert(
      fc.property(anyPolicy, anyDate, fc.boolean(), (p, start, extended) => {
        fc.pre(!extended || p.extension !== undefined);
        expect(isWorkingDay(computeResponseDueBy(p, start, { extended }))).toBe(true);
      }),
    );
  });

  it('is never earlier than the start plus the length, and a shift adds at most five days', () => {
    const calendarPolicies = fc.constantFrom(...builtInIds.map(policy).filter((p) => p.unit === 'calendar_days'));
    fc.assert(
      fc.property(calendarPolicies, anyDate, (p, start) => {
        const shift = daysBetween(addCalendarDays(start, p.length), computeResponseDueBy(p, start));
        expect(shift).toBeGreaterThanOrEqual(0);
        // Five only when 24 December (a holiday from 2025) is a Wednesday: 24–26, Saturday, Sunday.
        expect(shift).toBeLessThanOrEqual(5);
      }),
    );
  });

  it('counts exactly the business days of a business-day term, ending on a working day', () => {
    fc.assert(
      fc.property(anyDate, (start) => {
        const due = computeResponseDueBy(policy('payment_services'), start);
        expect(isWorkingDay(due)).toBe(true);
        let working = 0;
        for (let d = addCalendarDays(start, 1); d <= due; d = addCalendarDays(d, 1)) if (isWorkingDay(d)) working += 1;
        expect(working).toBe(15);
      }),
    );
  });
});

describe('the internal target and the reminders', () => {
  it.each([
    ['consumer', '2026-12-28', '2026-12-21', 'three working days before, over Christmas'],
    ['telecom', '2026-02-04', '2026-02-03', 'one working day before when sending suffices'],
    ['financial', '2026-04-07', '2026-04-03', 'one working day before Easter Monday is Good Friday'],
  ])('when a %s answer is due %s, staff aim for %s (%s)', (id, due, expected) => {
    expect(computeInternalTarget(policy(id), due)).toBe(expected);
  });

  it('when the answer must reach the customer, staff aim earlier than when sending suffices', () => {
    expect(policy('consumer').internalTargetDaysBefore).toBeGreaterThan(policy('telecom').internalTargetDaysBefore);
  });

  it('when a consumer answer is due 2026-12-28, reminds 7, 3 and 1 working days before', () => {
    expect(computeReminderDates(policy('consumer'), '2026-12-28')).toEqual([
      { offset: 7, date: '2026-12-15' },
      { offset: 3, date: '2026-12-21' },
      { offset: 1, date: '2026-12-23' },
    ]);
  });

  it('puts every reminder on a distinct working day strictly before the due date', () => {
    fc.assert(
      fc.property(anyPolicy, anyDate, (p, start) => {
        const due = computeResponseDueBy(p, start);
        const reminders = computeReminderDates(p, due);
        expect(reminders).toHaveLength(p.reminderOffsets.length);
        expect(new Set(reminders.map((r) => r.date)).size).toBe(reminders.length);
        for (const { date } of reminders) {
          expect(date < due).toBe(true);
          expect(isWorkingDay(date)).toBe(true);
        }
        expect(computeInternalTarget(p, due) <= due).toBe(true);
      }),
    );
  });
});

describe("intake's deadlines", () => {
  it('are the due date and internal target computed afresh, for any policy and day in any order, repeats included', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyPolicy, anyDate), { minLength: 1, maxLength: 20 }), (days) => {
        for (const [p, received] of [...days, ...days]) {
          const due = computeResponseDueBy(p, received);
          expect(intakeDeadlines(p, received)).toEqual({ responseDueBy: due, internalTarget: computeInternalTarget(p, due) });
        }
      }),
    );
  });
});

describe('the extension notice', () => {
  it.each([
    ['financial', '2026-03-02', '2026-04-01', 'within the 30-day term is up to day 30'],
    ['financial', '2026-10-24', '2026-11-23', 'day 30 is Monday 23 November, not the Sunday before'],
    ['financial', '2026-10-02', '2026-11-02', 'day 30 is All Saints, a Sunday, so art. 115 KC moves it to Monday'],
    ['payment_services', '2026-12-10', '2027-01-05', 'within 15 business days is up to business day 15'],
  ])(
    'art. 7 of the act of 5 August 2015 with art. 115 KC: when a %s complaint is received %s, the notice may go out until %s (%s)',
    (id, received, expected) => {
      expect(extensionNoticeDeadline(policy(id), received)).toBe(expected);
    },
  );

  it('when the policy has no extension, there is no notice deadline', () => {
    expect(() => extensionNoticeDeadline(policy('telecom'), '2026-03-02')).toThrow(PolicyHasNoExtension);
  });
});

describe('the policy registry', () => {
  it('holds the six built-in policies with consumer as the default', () => {
    expect(registry.ids()).toEqual(builtInIds);
    expect(registry.defaultPolicy().id).toBe('consumer');
    expect(policiesFile.defaultPolicy).toBe('consumer');
  });

  it.each([
    ['consumer', 14, 'calendar_days', 'receipt', 'deemed_accepted', undefined],
    ['guarantee', 14, 'calendar_days', 'receipt', 'none', undefined],
    ['telecom', 30, 'calendar_days', 'dispatch', 'deemed_accepted', undefined],
    ['financial', 30, 'calendar_days', 'dispatch', 'deemed_resolved_for_customer', 60],
    ['payment_services', 15, 'business_days', 'dispatch', 'deemed_resolved_for_customer', 35],
    ['energy', 14, 'calendar_days', 'receipt', 'none', undefined],
  ])('configures %s as %i %s, met by %s, silence %s, extension to %s', (id, length, unit, metBy, silence, extendedTo) => {
    const p = policy(id);
    expect([p.length, p.unit, p.metBy, p.silence, p.extension?.maxLength]).toEqual([length, unit, metBy, silence, extendedTo]);
  });

  it('starts the guarantee term on delivery of the item, every other on receipt', () => {
    expect(builtInIds.filter((id) => policy(id).trigger === 'item_delivered')).toEqual(['guarantee']);
  });

  it('requires the elements each answer must carry', () => {
    expect(policy('consumer').answerMustContain).toEqual(expect.arrayContaining(['justification_if_not_met', 'adr_statement_if_not_accepted']));
    expect(policy('financial').answerMustContain).toEqual(
      expect.arrayContaining(['justification_if_not_met', 'signer_name_and_position', 'appeal_routes_if_not_accepted', 'payment_date_if_paying']),
    );
  });

  it('when asked for a policy it does not know, throws UnknownPolicy naming the known ones', () => {
    expect(() => registry.policyFor('postal')).toThrow(UnknownPolicy);
    expect(() => registry.policyFor('postal')).toThrow(/postal.*consumer, guarantee/);
    expect(registry.has('postal')).toBe(false);
  });

  it('when given custom policies, adds them beside the built-in ones and fills in the default reminders', () => {
    const withBus = loadPolicyRegistry(undefined, { policies: [busPolicy] });
    expect(withBus.has('bus')).toBe(true);
    expect(withBus.policyFor('bus').reminderOffsets).toEqual([7, 3, 1]);
    expect(withBus.defaultPolicy().id).toBe('consumer');
    expect(computeResponseDueBy(withBus.policyFor('bus'), '2026-03-02', { extended: true })).toBe('2026-06-01');
  });

  it('when DEFAULT_POLICY or the custom file names a default, uses it, the variable first', () => {
    expect(loadPolicyRegistry('telecom').defaultPolicy().id).toBe('telecom');
    expect(loadPolicyRegistry(undefined, { defaultPolicy: 'bus', policies: [busPolicy] }).defaultPolicy().id).toBe('bus');
    expect(loadPolicyRegistry('financial', { defaultPolicy: 'bus', policies: [busPolicy] }).defaultPolicy().id).toBe('financial');
  });

  it('when the default names no policy, fails at load', () => {
    expect(() => loadPolicyRegistry('postal')).toThrow(UnknownPolicy);
  });

  it('when a custom policy reuses a built-in id, refuses to replace the statutory one', () => {
    expect(() => loadPolicyRegistry(undefined, { policies: [{ ...busPolicy, id: 'consumer' }] })).toThrow(InvalidPolicyConfig);
  });

  it.each([
    [{ ...busPolicy, extension: { maxLength: 20, noticeBeforeDay: 10 } }, 'policies.0.extension.maxLength: must be longer than length'],
    [{ ...busPolicy, extension: { maxLength: 90, noticeWithinDays: 31 } }, 'policies.0.extension.noticeWithinDays'],
    [{ ...busPolicy, unit: 'weeks' }, 'policies.0.unit'],
    [{ ...busPolicy, length: 0 }, 'policies.0.length'],
    [{ ...busPolicy, jurisdiction: 'DE' }, 'policies.0.jurisdiction'],
    [{ ...busPolicy, answerMustContain: ['signature'] }, 'policies.0.answerMustContain.0'],
    [{ ...busPolicy, reminderOffsets: [3, 3] }, 'policies.0.reminderOffsets: must not repeat an offset'],
    [{ ...busPolicy, metBy: 'receipt', internalTargetDaysBefore: 0 }, 'policies.0.internalTargetDaysBefore'],
    [{ ...busPolicy, legalBasis: undefined }, 'policies.0.legalBasis'],
  ])('when a custom policy is invalid, fails fast naming the field (%#: %s)', (bad, message) => {
    const load = () => loadPolicyRegistry(undefined, { policies: [bad] });
    expect(load).toThrow(InvalidPolicyConfig);
    expect(load).toThrow(message);
    expect(load).toThrow('the custom policy file is not a valid policy file');
  });

  it('when the policies are not a list, says so (a file of overrides alone needs none)', () => {
    expect(() => parsePolicyFile({ policies: 'consumer' }, 'x.json')).toThrow('x.json is not a valid policy file: policies:');
    expect(parsePolicyFile({ overrides: { energy: { silence: 'deemed_accepted' } } }, 'x.json').policies).toEqual([]);
  });

  it('parses every built-in policy with the same schema custom ones use', () => {
    for (const p of policiesFile.policies) {
      const parsed: DeadlinePolicy = deadlinePolicySchema.parse(p);
      expect(parsed.legalBasis.length).toBeGreaterThan(0);
    }
  });
});

describe('payment services: the provider business days (PSD2 art. 4(37))', () => {
  const payment = policy('payment_services');
  const withDays = (businessDays: object) =>
    loadPolicyRegistry(undefined, { overrides: { payment_services: { businessDays } } }).policyFor('payment_services');

  it('by default counts Monday to Friday without public holidays, from the day of receipt', () => {
    expect(payment.businessDays).toEqual({ weekdays: [1, 2, 3, 4, 5], publicHolidaysAreBusinessDays: false, nonBusinessDayReceipt: 'receipt_day' });
    expect(isBusinessDay(payment, '2026-03-07')).toBe(false); // Saturday
    expect(isBusinessDay(payment, '2026-11-11')).toBe(false); // Independence Day, a Wednesday
    expect(isBusinessDay(payment, '2026-11-12')).toBe(true);
  });

  it('when the provider works on Saturdays, counts them: received Saturday 2026-03-07, due 15 business days later', () => {
    const sixDays = withDays({ weekdays: [1, 2, 3, 4, 5, 6] });
    // Business days Mon 9 … Sat 21 are 12; Mon 23, Tue 24, Wed 25 make 15.
    expect(computeResponseDueBy(sixDays, '2026-03-07')).toBe('2026-03-25');
  });

  it('when public holidays are business days for the provider, counts 11 November', () => {
    const open = withDays({ publicHolidaysAreBusinessDays: true });
    expect(isBusinessDay(open, '2026-11-11')).toBe(true);
    expect(computeResponseDueBy(policy('payment_services'), '2026-11-09')).toBe('2026-12-01');
    expect(computeResponseDueBy(open, '2026-11-09')).toBe('2026-11-30');
  });

  it.each([
    ['receipt_day', '2026-03-27', 'the next business day, Monday 9 March, is day 1'],
    ['next_business_day', '2026-03-30', 'the complaint counts as received on Monday 9 March, so Tuesday is day 1'],
  ])('when received on Saturday 2026-03-07 with nonBusinessDayReceipt %s, is due %s (%s)', (setting, expected) => {
    expect(computeResponseDueBy(withDays({ nonBusinessDayReceipt: setting }), '2026-03-07')).toBe(expected);
  });

  it('when received on a business day, both readings give the same date', () => {
    fc.assert(
      fc.property(anyDate, (start) => {
        fc.pre(isBusinessDay(payment, start));
        expect(computeResponseDueBy(withDays({ nonBusinessDayReceipt: 'next_business_day' }), start)).toBe(computeResponseDueBy(payment, start));
      }),
    );
  });

  it('the default reading never gives a later due date than the other', () => {
    fc.assert(
      fc.property(anyDate, (start) => {
        expect(computeResponseDueBy(payment, start) <= computeResponseDueBy(withDays({ nonBusinessDayReceipt: 'next_business_day' }), start)).toBe(
          true,
        );
      }),
    );
  });
});

describe('deployment overrides of built-in policies', () => {
  it('energy (§ 42 of the 2007 grid regulation, art. 6c Energy Law): silence is none by default, with the reason in the notes', () => {
    expect(policy('energy').silence).toBe('none');
    expect(policyNotes.energy).toMatch(/household/);
  });

  it('energy: a deployment serving households sets silence to deemed_accepted, and the notes say so', () => {
    const households = loadPolicyRegistry(undefined, {
      overrides: {
        energy: { silence: 'deemed_accepted', notifyCustomerOnSilence: true, reason: 'household customers (art. 7a of the consumer act)' },
      },
    }).policyFor('energy');
    expect([households.silence, households.notifyCustomerOnSilence]).toEqual(['deemed_accepted', true]);
    expect(households.notes).toContain('Overridden by this deployment (silence, notifyCustomerOnSilence): household customers');
    expect(households.length).toBe(14);
  });

  it('refuses to override the statutory term itself, or a policy that does not exist', () => {
    expect(() => loadPolicyRegistry(undefined, { overrides: { energy: { length: 30 } } })).toThrow(/overrides\.energy/);
    expect(() => loadPolicyRegistry(undefined, { overrides: { postal: { silence: 'none' } } })).toThrow(/postal, which is not a built-in policy/);
  });

  it('payment services: a deployment that reads PSD2 art. 101(2) as receipt overrides metBy, and the refinements still apply', () => {
    expect(() => loadPolicyRegistry(undefined, { overrides: { payment_services: { metBy: 'receipt', internalTargetDaysBefore: 0 } } })).toThrow(
      /internalTargetDaysBefore/,
    );
    expect(loadPolicyRegistry(undefined, { overrides: { payment_services: { metBy: 'receipt' } } }).policyFor('payment_services').metBy).toBe(
      'receipt',
    );
  });
});

describe('guarantee (art. 577–581 KC)', () => {
  it('art. 580 §2 KC: 14 days from delivery of the item, for performing (repair or replacement), not only answering', () => {
    const guarantee = policy('guarantee');
    expect(guarantee.legalBasis).toMatch(/^art\. 580 §2 KC/);
    expect([guarantee.trigger, guarantee.length, guarantee.obligation]).toEqual(['item_delivered', 14, 'perform']);
    expect(policyNotes.guarantee).toMatch(/guarantee statement may set another term/);
  });
});

describe('legacy policy files', () => {
  it('read noticeBeforeDay as the term the notice must be sent within, and the "if_rejected" elements as "if_not_accepted"', () => {
    const bus = loadPolicyRegistry(undefined, {
      policies: [{ ...busPolicy, answerMustContain: ['adr_statement_if_rejected', 'appeal_routes_if_rejected'] }],
    }).policyFor('bus');
    expect(bus.extension).toEqual({ maxLength: 90, noticeWithinDays: 30 });
    expect(bus.answerMustContain).toEqual(['adr_statement_if_not_accepted', 'appeal_routes_if_not_accepted']);
  });
});

describe('the README', () => {
  const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

  it.each(builtInIds)('has a row for the %s policy with its term and citation', (id) => {
    const p = policy(id);
    // The table may be padded by the formatter: `| \`consumer\`   |`.
    const row = readme.split('\n').find((line) => new RegExp(`^\\| \`${id}\` +\\|`).test(line));
    expect(row).toBeDefined();
    expect(row).toContain(`${p.length} ${p.unit === 'calendar_days' ? 'calendar' : 'business'} days`);
    expect(row).toContain(p.legalBasis);
  });
});

describe('terms in months (art. 112 KC): passenger transport, "one month, up to three"', () => {
  const rail = loadPolicyRegistry(undefined, {
    policies: [
      {
        ...busPolicy,
        id: 'rail',
        length: 1,
        unit: 'months',
        extension: { maxLength: 3, noticeWithinDays: 1 },
        legalBasis: 'art. 28 rozporządzenia (UE) 2021/782',
      },
    ],
  }).policyFor('rail');

  it.each([
    // The day of the last month whose number is the start's…
    ['2026-03-16', '2026-04-16'],
    // …or that month's last day when it has none: 31 January + 1 month = 28 February 2027 (a Sunday, so moved).
    ['2027-01-31', '2027-03-01'],
    ['2028-01-31', '2028-02-29'], // a leap year, a Tuesday
    // And art. 115 KC as for days: 2026-02-28 is a Saturday, 1 March a Sunday.
    ['2026-01-31', '2026-03-02'],
    ['2026-11-30', '2026-12-30'],
  ])('received %s: due %s', (receivedOn, dueBy) => {
    expect(computeResponseDueBy(rail, receivedOn)).toBe(dueBy);
  });

  it('extends to three months, counted the same way', () => {
    expect(computeResponseDueBy(rail, '2026-11-30', { extended: true })).toBe('2027-03-01'); // 28 February 2027 is a Sunday
    expect(extensionNoticeDeadline(rail, '2026-11-30')).toBe('2026-12-30');
  });
});

it('keeps a note on every built-in policy, and on nothing else, in config/policy-notes.json (out of the bundles)', () => {
  const { _about, ...notes } = policyNotes;
  expect(_about).toContain('no function reads this file');
  expect(Object.keys(notes).sort()).toEqual([...builtInIds].sort());
  for (const note of Object.values(notes)) expect(note.length).toBeGreaterThan(20);
});
