import { addCalendarDays } from './calendar-date';

// Deadlines are calendar dates in Europe/Warsaw; timers need instants. These convert between the two
// without a time-zone library: Intl knows Warsaw's offset (CET +1, CEST +2) for any instant.

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Warsaw', timeZoneName: 'longOffset' });

/** Warsaw's offset from UTC in minutes at an instant (60 in winter, 120 in summer). */
function warsawOffsetMinutes(instant: Date): number {
  const name = offsetFormat.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
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
