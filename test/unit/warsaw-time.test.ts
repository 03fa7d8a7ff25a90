import { endOfWarsawDay, warsawCalendarDate, warsawInstant, warsawOffsetMinutes } from '../../lambdas/core/calendar/warsaw-time';

/** The tz database's offset for Warsaw, through Intl: the oracle the arithmetic rule must agree with. */
const tzDatabase = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Warsaw', timeZoneName: 'longOffset' });
function tzDatabaseOffsetMinutes(instant: Date): number {
  const name = tzDatabase.formatToParts(instant).find((part) => part.type === 'timeZoneName')!.value;
  const [, sign, hours, minutes] = /GMT([+-])(\d{2}):(\d{2})/.exec(name)!;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

/** The Warsaw calendar date of an instant, through Intl. */
const tzDatabaseDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Warsaw', year: 'numeric', month: '2-digit', day: '2-digit' });

describe('Warsaw wall-clock instants', () => {
  it.each([
    ['in winter (CET, UTC+1)', '2026-12-28', '09:00', '2026-12-28T08:00:00.000Z'],
    ['in summer (CEST, UTC+2)', '2026-07-01', '09:00', '2026-07-01T07:00:00.000Z'],
    ['on the day clocks go forward', '2026-03-29', '09:00', '2026-03-29T07:00:00.000Z'],
    ['on the day clocks go back', '2026-10-25', '09:00', '2026-10-25T08:00:00.000Z'],
    ['at midnight in summer', '2026-05-04', '00:00', '2026-05-03T22:00:00.000Z'],
  ])('gives the UTC instant %s', (_case, date, time, expected) => {
    expect(warsawInstant(date, time).toISOString()).toBe(expected);
  });

  it('ends a due date at the following Warsaw midnight', () => {
    expect(endOfWarsawDay('2026-12-28').toISOString()).toBe('2026-12-28T23:00:00.000Z');
    expect(endOfWarsawDay('2026-12-31').toISOString()).toBe('2026-12-31T23:00:00.000Z');
    expect(endOfWarsawDay('2026-06-30').toISOString()).toBe('2026-06-30T22:00:00.000Z');
  });
});

describe("Warsaw's offset from the EU summer-time rule", () => {
  // Every quarter of an hour from two hours before to two hours after 01:00 UTC on every Sunday of March and
  // October (both switches, and the Sundays either side of them), 1996-2100: where a wrong rule would differ.
  const aroundSwitches: Date[] = [];
  for (let year = 1996; year <= 2100; year += 1) {
    for (const month of [2, 9]) {
      for (let day = 1; day <= 31; day += 1) {
        const sunday = new Date(Date.UTC(year, month, day));
        if (sunday.getUTCMonth() !== month || sunday.getUTCDay() !== 0) continue;
        for (let minutes = -120; minutes <= 120; minutes += 15) aroundSwitches.push(new Date(Date.UTC(year, month, day, 1, minutes)));
      }
    }
  }

  it('agrees with the tz database around every switch from 1996 to 2100', () => {
    const disagreements = aroundSwitches.filter((instant) => warsawOffsetMinutes(instant) !== tzDatabaseOffsetMinutes(instant));
    expect(disagreements).toEqual([]);
    expect(aroundSwitches.length).toBeGreaterThan(105 * 2 * 4 * 17);
  });

  it('agrees with the tz database before 1996, when Warsaw kept other rules', () => {
    const instants = ['1980-07-01T12:00:00Z', '1990-09-29T23:30:00Z', '1995-09-24T00:30:00Z', '1995-10-01T00:30:00Z', '1995-12-31T23:59:59Z'];
    expect(instants.map((at) => warsawOffsetMinutes(new Date(at)))).toEqual(instants.map((at) => tzDatabaseOffsetMinutes(new Date(at))));
  });

  it('gives the Warsaw calendar date the tz database gives, at every hour of 2026 and 2027', () => {
    const disagreements: string[] = [];
    for (let at = Date.UTC(2026, 0, 1); at < Date.UTC(2028, 0, 1); at += 3_600_000) {
      const instant = new Date(at);
      if (warsawCalendarDate(instant) !== tzDatabaseDate.format(instant)) disagreements.push(instant.toISOString());
    }
    expect(disagreements).toEqual([]);
  });
});
