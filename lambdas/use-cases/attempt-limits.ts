import { createHash } from 'node:crypto';
import { TooManyAttempts } from '../core/errors';
import type { AttemptCounter } from './look-up-status';

/** One limit: at most `limit` attempts under `key` per window. */
export interface AttemptLimit {
  key: string;
  limit: number;
}

/**
 * Counts this attempt under every key in the fixed window `now` falls in, and refuses it (TooManyAttempts, with
 * the seconds until the window ends) when any count is over its limit. Fixed windows: one counter item per key
 * and window, one atomic ADD each (adapters/attempt-counter.ts).
 */
export async function countAndLimit(attempts: AttemptCounter, now: Date, windowSeconds: number, limits: readonly AttemptLimit[]): Promise<void> {
  const window = attemptWindow(now, windowSeconds);
  const retryAfter = secondsLeftIn(window, now);
  const counts = await Promise.all(limits.map((limit) => attempts.countAttempt(limit.key, window)));
  if (counts.some((count, index) => count > limits[index]!.limit)) throw new TooManyAttempts(retryAfter);
}

/** A client's address is kept only as a digest in the counter's key. */
export const clientKey = (purpose: string, client: string) => `${purpose}#client#${createHash('sha256').update(client).digest('base64url')}`;

/** The fixed window of `windowSeconds` that `now` falls in. */
export function attemptWindow(now: Date, windowSeconds: number): { start: Date; seconds: number } {
  const windowMs = windowSeconds * 1000;
  return { start: new Date(Math.floor(now.getTime() / windowMs) * windowMs), seconds: windowSeconds };
}

/** Seconds until the window ends (at least 1): how long a refused attempt waits (Retry-After). */
export function secondsLeftIn(window: { start: Date; seconds: number }, now: Date): number {
  return Math.max(1, Math.ceil((window.start.getTime() + window.seconds * 1000 - now.getTime()) / 1000));
}
