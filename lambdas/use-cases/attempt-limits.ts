import { createHash } from 'node:crypto';
import { TooManyAttempts } from '../core/customer-status';
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
  const windowMs = windowSeconds * 1000;
  const start = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const window = { start, seconds: windowSeconds };
  const retryAfter = Math.max(1, Math.ceil((start.getTime() + windowMs - now.getTime()) / 1000));
  const counts = await Promise.all(limits.map((limit) => attempts.countAttempt(limit.key, window)));
  if (counts.some((count, index) => count > limits[index]!.limit)) throw new TooManyAttempts(retryAfter);
}

/** A client's address is kept only as a digest in the counter's key. */
export const clientKey = (purpose: string, client: string) => `${purpose}#client#${createHash('sha256').update(client).digest('base64url')}`;
