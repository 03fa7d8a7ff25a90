import fc from 'fast-check';
import Holidays from 'date-holidays';
import { calendarDateSchema, dayOfWeek, parseCalendarDate } from '../../lambdas/core/calendar/calendar-date';
import {
  addCalendarDays,
  addWorkingDays,
  daysBetween,
  easterSunday,
  isPublicHoliday,
  isSaturday,
  isWorkingDay,
  nextDayNotSaturdayOrHoliday,
  subtractWorkingDays,
  warsawCalendarDate,
} from '../../lambdas/core/calendar/polish-calendar';
import { endOfWarsawDay, warsawInstant } from '../../lambdas/core/calendar/warsaw-time';

/** Any date from 2000 to 2100. */
const anyDate = fc.integer({ min: 0, max: 36_890 }).map((n) => addCalendarDays('2000-01-01', n));

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher): an oracle independent of the library. */
function easter(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The holidays of art. 1 of the ustawa o dniach wolnych od pracy, other than Sundays, as the statute lists them. */
function statutoryHolidays(year: number): string[] {
  const sunday = easter(year);
  const fixed = ['01-01', '01-06', '05-01', '05-03', '08-15', '11-01', '11-11', '12-25', '12-26'];
  if (year >= 2025) fixed.push('12-24');
  return [
    ...fixed.map((monthDay) => `${year}-${monthDay}`),
    sunday,
    addCalendarDays(sunday, 1), // Easter Monday
    addCalendarDays(sunday, 49), // Pentecost Sunday
    addCalendarDays(sunday, 60), // Corpus Christi
  ];
}

describe('calendar dates', () => {
  it.each([
    ['2026-02-30', 'a day February does not have'],
    ['2025-02-29', '29 February in a common year'],
    ['2026-13-01', 'a thirteenth month'],
    ['2026-00-10', 'month zero'],
    ['2026-2-3', 'digits without padding'],
    ['2026-03-03T00:00:00Z', 'an instant instead of a date'],
    ['', 'nothing'],
  ])('rejects %s (%s)', (value) => {
    expect(calendarDateSchema.safeParse(value).success).toBe(false);
    expect(() => parseCalendarDate(value)).toThrow(RangeError);
  });

  it.each(['2028-02-29', '2000-02-29', '2026-12-31', '2026-01-01'])('accepts %s', (value) => {
    expect(calendarDateSchema.parse(value)).toBe(value);
  });

  it.each([
    ['2026-03-28', 1, '2026-03-29', 'across the spring clock change'],
    ['2026-10-24', 2, '2026-10-26', 'across the autumn clock change'],
    ['2026-12-31', 1, '2027-01-01', 'into a new year'],
    ['2028-02-28', 1, '2028-02-29', 'into a leap day'],
    ['2026-03-01', -1, '2026-02-28', 'backwards out of a month'],
  ])('when adding days to %s (+%i), gives %s %s', (date, days, expected) => {
    expect(addCalendarDays(date, days)).toBe(expected);
    expect(daysBetween(date, expected)).toBe(days);
  });

  it('when adding and then subtracting the same days, returns to the start', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -400, max: 400 }), (date, days) => {
        expect(addCalendarDays(addCalendarDays(date, days), -days)).toBe(date);
        expect(daysBetween(date, addCalendarDays(date, days))).toBe(days);
      }),
    );
  });
});

describe('Polish public holidays', () => {
  it.each([
    ['2026-01-01', 'New Year'],
    ['2027-01-01', 'New Year'],
    ['2026-01-06', 'Epiphany'],
    ['2026-04-05', 'Easter Sunday 2026'],
    ['2026-04-06', 'Easter Monday 2026'],
    ['2027-03-28', 'Easter Sunday 2027'],
    ['2027-03-29', 'Easter Monday 2027'],
    ['2025-04-21', 'Easter Monday 2025'],
    ['2024-04-01', 'Easter Monday 2024'],
    ['2026-05-01', 'Labour Day'],
    ['2026-05-03', 'Constitution Day'],
    ['2026-05-24', 'Pentecost Sunday 2026'],
    ['2026-06-04', 'Corpus Christi 2026'],
    ['2027-05-27', 'Corpus Christi 2027'],
    ['2025-06-19', 'Corpus Christi 2025'],
    ['2024-05-30', 'Corpus Christi 2024'],
    ['2026-08-15', 'Assumption'],
    ['2026-11-01', 'All Saints'],
    ['2026-11-11', 'Independence Day'],
    ['2025-12-24', 'Christmas Eve, a holiday from 2025 on'],
    ['2026-12-24', 'Christmas Eve 2026'],
    ['2026-12-25', 'Christmas Day'],
    ['2026-12-26', 'the second day of Christmas'],
    ['2026-03-08', 'an ordinary Sunday'],
  ])('when the date is %s, counts it as a public holiday (%s)', (date) => {
    expect(isPublicHoliday(date)).toBe(true);
    expect(isWorkingDay(date)).toBe(false);
  });

  it.each([
    ['2024-12-24', 'Christmas Eve before 2025'],
    ['2026-04-03', 'Good Friday'],
    ['2026-05-02', 'Flag Day, a Saturday in 2026'],
    ['2026-11-02', 'All Souls'],
    ['2026-12-31', 'New Year’s Eve'],
    ['2026-03-07', 'an ordinary Saturday'],
  ])('when the date is %s, does not count it as a public holiday (%s)', (date) => {
    expect(isPublicHoliday(date)).toBe(false);
  });

  it('when 24 December 2024 was a Tuesday, it was an ordinary working day', () => {
    expect(isWorkingDay('2024-12-24')).toBe(true);
  });

  it('treats Saturday as not a working day, though not a holiday (art. 115 KC names both)', () => {
    expect(isSaturday('2026-03-07')).toBe(true);
    expect(isPublicHoliday('2026-03-07')).toBe(false);
    expect(isWorkingDay('2026-03-07')).toBe(false);
  });

  it('agrees with date-holidays, an independent list of Polish public holidays, in every year from 2011 to 2200', () => {
    const poland = new Holidays('PL');
    for (let year = 2011; year <= 2200; year += 1) {
      const library = poland
        .getHolidays(year)
        .filter((holiday) => holiday.type === 'public')
        .map((holiday) => holiday.date.slice(0, 10));
      for (const date of library) expect([date, isPublicHoliday(date)]).toEqual([date, true]);
      let weekdayHolidays = 0;
      for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addCalendarDays(d, 1))
        if (isPublicHoliday(d) && dayOfWeek(d) !== 0) weekdayHolidays += 1;
      expect([year, weekdayHolidays]).toEqual([year, new Set(library.filter((date) => dayOfWeek(date) !== 0)).size]);
    }
  });

  it('agrees with the statute, Easter by the Gregorian computus, in every year from 2011 to 2200', () => {
    for (let year = 2011; year <= 2200; year += 1) {
      const listed = statutoryHolidays(year);
      for (const date of listed) expect([date, isPublicHoliday(date)]).toEqual([date, true]);
      // No other weekday is a holiday.
      const count = (from: string, to: string) => {
        let n = 0;
        for (let d = from; d <= to; d = addCalendarDays(d, 1)) if (isPublicHoliday(d) && dayOfWeek(d) !== 0) n += 1;
        return n;
      };
      const weekdayHolidays = new Set(listed.filter((date) => dayOfWeek(date) !== 0)).size;
      expect([year, count(`${year}-01-01`, `${year}-12-31`)]).toEqual([year, weekdayHolidays]);
    }
  });
});

describe('art. 115 KC: the next day that is neither a Saturday nor a holiday', () => {
  it.each([
    ['2026-12-24', '2026-12-28', 'when the due date falls on 24 December, moves it to the next working day'],
    ['2025-12-24', '2025-12-29', 'when 24 December is a Wednesday, moves it five days, over Christmas and the weekend'],
    ['2026-05-02', '2026-05-04', 'when the due date falls on a Saturday before 3 May (a Sunday), moves it to Monday'],
    ['2026-04-04', '2026-04-07', 'when the due date falls on Easter Saturday, moves it past Easter Monday'],
    ['2027-01-01', '2027-01-04', 'when New Year is a Friday, moves it to Monday'],
    ['2026-01-01', '2026-01-02', 'when New Year is a Thursday, moves it to Friday'],
    ['2026-06-04', '2026-06-05', 'when the due date falls on Corpus Christi, moves it to Friday'],
    ['2026-03-17', '2026-03-17', 'when the due date is a working day, keeps it'],
  ])('%s → %s: %s', (date, expected) => {
    expect(nextDayNotSaturdayOrHoliday(date)).toBe(expected);
  });

  it('always lands on a working day, at most five days later', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        const shifted = nextDayNotSaturdayOrHoliday(date);
        expect(isWorkingDay(shifted)).toBe(true);
        expect(daysBetween(date, shifted)).toBeGreaterThanOrEqual(0);
        expect(daysBetween(date, shifted)).toBeLessThanOrEqual(5);
      }),
    );
  });
});

describe('working days', () => {
  it.each([
    ['2026-03-06', 1, '2026-03-09', 'from a Friday, the next working day is Monday'],
    ['2026-03-07', 1, '2026-03-09', 'from a Saturday, the first working day after it is Monday'],
    ['2026-12-23', 1, '2026-12-28', 'from 23 December 2026, Christmas and the weekend are skipped'],
    ['2026-03-02', 5, '2026-03-09', 'five working days are one week'],
    ['2026-03-30', 5, '2026-04-07', 'Easter Monday does not count'],
    ['2026-03-17', 0, '2026-03-17', 'zero working days is the day itself'],
  ])('when adding working days to %s (+%i), gives %s: %s', (date, count, expected) => {
    expect(addWorkingDays(date, count)).toBe(expected);
  });

  it.each([
    ['2026-12-28', 1, '2026-12-23'],
    ['2026-12-28', 3, '2026-12-21'],
    ['2026-04-07', 1, '2026-04-03'],
    ['2026-01-07', 2, '2026-01-02'],
  ])('when subtracting working days from %s (−%i), gives %s', (date, count, expected) => {
    expect(subtractWorkingDays(date, count)).toBe(expected);
  });

  it('rejects a negative or fractional count', () => {
    expect(() => addWorkingDays('2026-03-02', -1)).toThrow(RangeError);
    expect(() => subtractWorkingDays('2026-03-02', 1.5)).toThrow(RangeError);
  });

  it('gives a working day strictly after the start, and subtracting from it returns to a working-day start', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 1, max: 60 }), (date, count) => {
        const later = addWorkingDays(date, count);
        expect(isWorkingDay(later)).toBe(true);
        expect(later > date).toBe(true);
        if (isWorkingDay(date)) expect(subtractWorkingDays(later, count)).toBe(date);
      }),
    );
  });
});

describe('the Warsaw calendar date of an instant', () => {
  it.each([
    ['2026-03-03T22:30:00Z', '2026-03-03', '23:30 CET on 3 March counts from 3 March, though UTC is the same day'],
    ['2026-03-03T23:00:00Z', '2026-03-04', 'midnight CET is already 4 March'],
    ['2026-07-01T22:30:00Z', '2026-07-02', '00:30 CEST on 2 July counts from 2 July, though UTC still says 1 July'],
    ['2026-07-01T21:59:59Z', '2026-07-01', 'one second before midnight CEST is still 1 July'],
    ['2026-03-29T00:30:00Z', '2026-03-29', '01:30 CET on the night clocks go forward'],
    ['2026-10-24T22:30:00Z', '2026-10-25', '00:30 CEST on the night clocks go back'],
    ['2026-12-31T23:00:00Z', '2027-01-01', 'midnight on New Year’s Eve opens the new year'],
  ])('%s is %s: %s', (instant, expected) => {
    expect(warsawCalendarDate(new Date(instant))).toBe(expected);
  });

  it('rejects an invalid instant', () => {
    expect(() => warsawCalendarDate(new Date('not a date'))).toThrow(RangeError);
  });

  it('lies between the Warsaw midnights that open and close that date', () => {
    const anyInstant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(anyInstant, (instant) => {
        const date = warsawCalendarDate(instant);
        expect(warsawInstant(date).getTime()).toBeLessThanOrEqual(instant.getTime());
        expect(endOfWarsawDay(date).getTime()).toBeGreaterThan(instant.getTime());
      }),
    );
  });
});

it('writes Easter of any year as a calendar date, years before 1000 with four digits', () => {
  expect(easterSunday(999)).toBe('0999-04-14');
  expect(parseCalendarDate(easterSunday(999))).toBe('0999-04-14');
});
