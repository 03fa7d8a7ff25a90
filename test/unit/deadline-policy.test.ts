import fc from 'fast-check';
import { addCalendarDays, daysBetween, isWorkingDay } from '../../lambdas/core/calendar/polish-calendar';
import {
  computeInternalTarget,
  computeReminderDates,
  computeResponseDueBy,
  deadlinePolicySchema,
  extensionNoticeDeadline,
  InvalidPolicyConfig,
  PolicyHasNoExtension,
  UnknownPolicy,
  type DeadlinePolicy,
} from '../../lambdas/core/deadline-policy';
import { loadPolicyRegistry, parsePolicyFile } from '../../lambdas/core/policy-config';
import policiesFile from '../../config/policies.json';

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
    ['consumer', '2026-12-10', '2026-12-28', 'when the due date falls on 24 December, moves it past Christmas and the Sunday to the next working day'],
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

describe('the extension notice', () => {
  it.each([
    ['financial', '2026-03-02', '2026-03-31', 'before day 30 is day 29'],
    ['payment_services', '2026-12-10', '2027-01-04', 'before business day 15 is business day 14'],
  ])('when a %s complaint is received %s, the notice must go out by %s (%s)', (id, received, expected) => {
    expect(extensionNoticeDeadline(policy(id), received)).toBe(expected);
  });

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
    expect(policy('consumer').answerMustContain).toEqual(expect.arrayContaining(['justification_if_not_met', 'adr_statement_if_rejected']));
    expect(policy('financial').answerMustContain).toEqual(
      expect.arrayContaining(['justification_if_not_met', 'signer_name_and_position', 'appeal_routes_if_rejected']),
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
    [{ ...busPolicy, extension: { maxLength: 90, noticeBeforeDay: 31 } }, 'policies.0.extension.noticeBeforeDay'],
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

  it('when the file has no policies list, says so', () => {
    expect(() => parsePolicyFile({ defaultPolicy: 'consumer' }, 'x.json')).toThrow('x.json is not a valid policy file: policies:');
  });

  it('parses every built-in policy with the same schema custom ones use', () => {
    for (const p of policiesFile.policies) {
      const parsed: DeadlinePolicy = deadlinePolicySchema.parse(p);
      expect(parsed.legalBasis.length).toBeGreaterThan(0);
    }
  });
});
