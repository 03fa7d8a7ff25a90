import { addCalendarDays, isCalendarDate, type CalendarDate } from './calendar-date';

// Deadlines are calendar dates in Europe/Warsaw; timers need instants. These convert between the two
// without a time-zone library.
//
// Warsaw's offset is worked out from the EU's summer-time rule (Directive 2000/84/EC, art. 2–3, the rule Poland
// has kept since 1996): CEST (UTC+2) from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday
// of October, CET (UTC+1) otherwise. Arithmetic rather than Intl because the first Intl formatter a process
// makes loads ICU's zone and locale data, ~30 ms, which was the largest single part of intake's cold start
// (issue 10, item 7); test/unit/warsaw-time.test.ts pins this rule to Intl's tz database around every switch
// from 1996 to 2100. Before 1996 Warsaw kept other rules, so earlier instants still ask Intl. Should the EU
// end the clock change, the tz database and that test will say so.

const EU_RULE_FROM = Date.UTC(1996, 0, 1);

/** 01:00 UTC on the last Sunday of `month` (0-based) in `year`: when EU clocks change. */
function lastSundayAtOneUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

let offsetFormat: Intl.DateTimeFormat | undefined;

/** Warsaw's offset before 1996, from the tz database (made only when such an instant is asked for). */
function tzDatabaseOffsetMinutes(instant: Date): number {
  offsetFormat ??= new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Warsaw', timeZoneName: 'longOffset' });
  const name = offsetFormat.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/** Warsaw's offset from UTC in minutes at an instant (60 in winter, 120 in summer). */
export function warsawOffsetMinutes(instant: Date): number {
  const time = instant.getTime();
  if (time < EU_RULE_FROM) return tzDatabaseOffsetMinutes(instant);
  const year = instant.getUTCFullYear();
  return time >= lastSundayAtOneUtc(year, 2) && time < lastSundayAtOneUtc(year, 9) ? 120 : 60;
}

/** The Europe/Warsaw calendar date of an instant: 2026-03-03T22:30Z (23:30 CET) is still 3 March. */
export function warsawCalendarDate(instant: Date): CalendarDate {
  if (Number.isNaN(instant.getTime())) throw new RangeError('warsawCalendarDate needs a valid instant');
  const wall = new Date(instant.getTime() + warsawOffsetMinutes(instant) * 60_000);
  return `${String(wall.getUTCFullYear()).padStart(4, '0')}-${String(wall.getUTCMonth() + 1).padStart(2, '0')}-${String(wall.getUTCDate()).padStart(2, '0')}`;
}

/** The instant when the Warsaw wall clock shows `time` (HH:MM) on `date` (YYYY-MM-DD). */
export function warsawInstant(date: string, time = '00:00'): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  // The offset at the guessed instant is right except within the hour of a switch; a second pass settles it.
  let instant = wall - warsawOffsetMinutes(new Date(wall)) * 60_000;
  instant = wall - warsawOffsetMinutes(new Date(instant)) * 60_000;
  return new Date(instant);
}

/** The first instant after the whole of `date` in Warsaw: a term ending on `date` has passed from here. */
export function endOfWarsawDay(date: string): Date {
  return warsawInstant(addCalendarDays(date, 1));
}

const WALL_CLOCK = /^(\d{4}-\d{2}-\d{2})[ T]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/**
 * The instant a Warsaw wall-clock reading names ("2026-11-20 14:05:00", as Shoper and WooCommerce's shop-local
 * dates write it), or undefined when it names none: only a real calendar date (not 30 February, which Date.parse
 * rolls over to 2 March) and a real time (not 25:99) are read; seconds are kept.
 */
export function warsawWallClockInstant(value: string): Date | undefined {
  const match = WALL_CLOCK.exec(value);
  if (!match || !isCalendarDate(match[1])) return undefined;
  return new Date(warsawInstant(match[1], `${match[2]}:${match[3]}`).getTime() + Number(match[4] ?? 0) * 1000);
}
