import Holidays from 'date-holidays';
import { addCalendarDays, dayOfWeek, yearOf, type CalendarDate } from './calendar-date';

export { addCalendarDays, daysBetween, type CalendarDate } from './calendar-date';

// Public holidays: art. 1 of the ustawa z 18 stycznia 1951 o dniach wolnych od pracy. date-holidays is used
// because its Polish data (data/countries/PL.yaml) lists exactly the statutory days as type 'public':
// 1 and 6 January (the latter since 2011), Easter Sunday and Monday, 1 and 3 May, Pentecost Sunday, Corpus
// Christi, 15 August, 1 and 11 November, 24 December "since 2025" (not in 2024 and before), 25 and 26
// December; its 'optional' and 'observance' days (2 May, Good Friday…) are not days off and are ignored.
// test/unit/calendar.test.ts checks it against the statute, Easter by the Gregorian computus, 2011–2200.
// The library leaves out Sundays, which art. 1 pkt 1 makes holidays too; they are added here.
const poland = new Holidays('PL');
const holidaysByYear = new Map<number, ReadonlySet<CalendarDate>>();

function listedHolidays(year: number): ReadonlySet<CalendarDate> {
  let holidays = holidaysByYear.get(year);
  if (!holidays) {
    // `date` is the local (Warsaw) date as 'YYYY-MM-DD hh:mm:ss', independent of the process's time zone.
    holidays = new Set(poland.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
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
  for (let counted = 0; counted < count; ) {
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

const warsawDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Warsaw',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Europe/Warsaw calendar date of an instant: 2026-03-03T22:30Z (23:30 CET) is still 3 March. */
export function warsawCalendarDate(instant: Date): CalendarDate {
  if (Number.isNaN(instant.getTime())) throw new RangeError('warsawCalendarDate needs a valid instant');
  const parts = warsawDateFormat.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}
