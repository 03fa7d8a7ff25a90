import { endOfWarsawDay, warsawInstant } from '../../lambdas/core/calendar/warsaw-time';

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
