import { addCalendarDays, dayOfWeek, yearOf, type CalendarDate } from './calendar-date';

export { addCalendarDays, daysBetween, type CalendarDate } from './calendar-date';
// The Warsaw date of an instant, with the deadline rules that start from it.
export { warsawCalendarDate } from './warsaw-time';

// Public holidays: art. 1 of the ustawa z 18 stycznia 1951 o dniach wolnych od pracy. Computed here rather
// than with date-holidays: the library is correct for Poland (test/unit/calendar.test.ts checks our list
// against it for 2011–2200) but adds about 1.45 MB minified to every Lambda bundle that counts a deadline,
// for a list the statute gives in nine fixed dates and four around Easter.

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): CalendarDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const h = (19 * a + b - Math.floor(b / 4) - Math.floor((b - Math.floor((b + 8) / 25) + 1) / 3) + 15) % 30;
  const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The first day the holiday list below is right for, and checked against date-holidays: Epiphany was restored in 2011. */
export const CALENDAR_FROM: CalendarDate = '2011-01-01';

const holidaysByYear = new Map<number, ReadonlySet<CalendarDate>>();

/** The holidays art. 1 lists for `year`, other than Sundays (which are all holidays, art. 1 pkt 1). */
function listedHolidays(year: number): ReadonlySet<CalendarDate> {
  let holidays = holidaysByYear.get(year);
  if (!holidays) {
    const fixed = ['01-01', '05-01', '05-03', '08-15', '11-01', '11-11', '12-25', '12-26'];
    if (year >= 2011) fixed.push('01-06'); // Epiphany, restored from 2011
    if (year >= 2025) fixed.push('12-24'); // Christmas Eve, from 2025
    const easter = easterSunday(year);
    holidays = new Set([
      ...fixed.map((monthDay) => `${year}-${monthDay}`),
      easter,
      addCalendarDays(easter, 1), // Easter Monday
      addCalendarDays(easter, 49), // Pentecost Sunday
      addCalendarDays(easter, 60), // Corpus Christi
    ]);
    holidaysByYear.set(year, holidays);
  }
  return holidays;
}

export function isSunday(date: CalendarDate): boolean {
  return dayOfWeek(date) === 0;
}

export function isSaturday(date: CalendarDate): boolean {
  return dayOfWeek(date) === 6;
}

/** A day off by statute ("dzień ustawowo wolny od pracy"): every Sunday and the listed holidays. */
export function isPublicHoliday(date: CalendarDate): boolean {
  return isSunday(date) || listedHolidays(yearOf(date)).has(date);
}

/** Neither a Saturday nor a public holiday: the days art. 115 KC lets a term end on, and business days count. */
export function isWorkingDay(date: CalendarDate): boolean {
  return !isSaturday(date) && !isPublicHoliday(date);
}

/**
 * Art. 115 KC: a term whose end falls on a public holiday or a Saturday ends on the next day that is neither.
 * `date` itself when it is already such a day.
 */
export function nextDayNotSaturdayOrHoliday(date: CalendarDate): CalendarDate {
  let day = date;
  while (!isWorkingDay(day)) day = addCalendarDays(day, 1);
  return day;
}

function stepWorkingDays(date: CalendarDate, count: number, direction: 1 | -1): CalendarDate {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, not ${count}`);
  let day = date;
  for (let counted = 0; counted < count;) {
    day = addCalendarDays(day, direction);
    if (isWorkingDay(day)) counted += 1;
  }
  return day;
}

/** The `count`-th working day after `date`; `date` itself is not counted (art. 111 §2 KC). */
export function addWorkingDays(date: CalendarDate, count: number): CalendarDate {
  return stepWorkingDays(date, count, 1);
}

/** The `count`-th working day before `date`. */
export function subtractWorkingDays(date: CalendarDate, count: number): CalendarDate {
  return stepWorkingDays(date, count, -1);
}
