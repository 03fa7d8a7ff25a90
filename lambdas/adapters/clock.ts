// Time is an input (STYLE.md §11). In AWS this is the wall clock. The local runtime may run the product's
// clock faster (LOCAL_CLOCK_SPEED) so a person can watch a 14-day complaint get its reminders and deadline
// in minutes: at the real instant LOCAL_CLOCK_ORIGIN the product's clock shows LOCAL_CLOCK_SHOWS, and it
// runs LOCAL_CLOCK_SPEED times faster from there. Every handler reads the same "now".

export interface Clock {
  now(): Date;
  /** Real milliseconds until the product's clock shows `at` (0 if it already has). */
  realMillisUntil(at: Date): number;
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, not ${env[name]}`);
  return value;
}

export function clockFromEnvironment(env: NodeJS.ProcessEnv = process.env): Clock {
  const speed = number(env, 'LOCAL_CLOCK_SPEED', 1);
  if (speed <= 0) throw new Error(`LOCAL_CLOCK_SPEED must be positive, not ${speed}`);
  const origin = number(env, 'LOCAL_CLOCK_ORIGIN', Date.now());
  const shows = number(env, 'LOCAL_CLOCK_SHOWS', origin);
  const now = () => new Date(shows + (Date.now() - origin) * speed);
  return {
    now,
    realMillisUntil: (at) => Math.max(0, (at.getTime() - now().getTime()) / speed),
  };
}
