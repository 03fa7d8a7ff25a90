import * as z from '../zod';

// A calendar date is the string 'YYYY-MM-DD': the same in every time zone, sortable as text, stored as is.
// Arithmetic goes through UTC midnight, where every day has 24 hours, so no date slips by one across a
// daylight-saving switch or on a machine whose local zone is not UTC.

const MS_PER_DAY = 86_400_000;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(value: string): boolean {
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

export const calendarDateSchema = z
  .string()
  .check(z.regex(isoDate, 'must be a calendar date YYYY-MM-DD'), z.refine(isRealDate, 'is not a real calendar date'));

export type CalendarDate = z.infer<typeof calendarDateSchema>;

export function isCalendarDate(value: unknown): value is CalendarDate {
  return typeof value === 'string' && isoDate.test(value) && isRealDate(value);
}

/** Throws a RangeError for anything but a real 'YYYY-MM-DD' date (e.g. 2026-02-30). */
export function parseCalendarDate(value: string): CalendarDate {
  if (!isCalendarDate(value)) throw new RangeError(`"${value}" is not a calendar date YYYY-MM-DD`);
  return value;
}

/** Milliseconds of the date's UTC midnight: the one internal representation arithmetic uses. */
function utcMs(date: CalendarDate): number {
  return Date.parse(`${parseCalendarDate(date)}T00:00:00Z`);
}

/** The date's UTC midnight: formatted or read in UTC, it shows the same calendar day on any server, whatever its zone. */
export function utcMidnight(date: CalendarDate): Date {
  return new Date(utcMs(date));
}

function fromUtcMs(ms: number): CalendarDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addCalendarDays(date: CalendarDate, days: number): CalendarDate {
  if (!Number.isInteger(days)) throw new RangeError(`days must be a whole number, not ${days}`);
  return fromUtcMs(utcMs(date) + days * MS_PER_DAY);
}

/**
 * The end of a term of `months` months from `date` (art. 112 KC): the day of the last month whose number is the
 * start's, or that month's last day when it has no such day (31 January + 1 month = 28 or 29 February).
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  if (!Number.isInteger(months)) throw new RangeError(`months must be a whole number, not ${months}`);
  const [year, month, day] = parseCalendarDate(date).split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return fromUtcMs(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(day, lastDay)));
}

/** Whole days from `from` to `to`: positive when `to` is later, 0 for the same date. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((utcMs(to) - utcMs(from)) / MS_PER_DAY);
}

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
export function dayOfWeek(date: CalendarDate): number {
  return utcMidnight(date).getUTCDay();
}

export function yearOf(date: CalendarDate): number {
  return Number(parseCalendarDate(date).slice(0, 4));
}
