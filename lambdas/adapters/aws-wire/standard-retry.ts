import { AwsServiceError, NetworkingError } from './service-errors';

// The AWS SDKs' "standard" retry mode, which the Lambdas used until they spoke to AWS through signed-transport.ts:
// at most 3 attempts; a wait of full jitter, random(0, base × 2^retry) capped at 20 s, with base 100 ms, or
// 500 ms after throttling (the service asked us to slow down); a retry quota shared by the process (500
// tokens, a retry costs 5, one after a timeout or a lost connection 10, a success gives back what its retries
// took or 1), so that in an outage a warm Lambda soon stops tripling its calls and fails fast instead.
// Retried: throttling, 5xx answers, timeouts and requests that got no answer. Never retried: everything else,
// a failed condition and a validation error above all, which would only fail the same way again.

export const MAX_ATTEMPTS = 3;
const BASE_DELAY_MS = 100;
const THROTTLING_BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

const INITIAL_QUOTA = 500;
const RETRY_COST = 5;
const TIMEOUT_RETRY_COST = 10;
const NO_RETRY_INCREMENT = 1;

/** The SDK's THROTTLING_ERROR_CODES. */
const THROTTLING = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);
/** The SDK's TRANSIENT_ERROR_CODES and TRANSIENT_ERROR_STATUS_CODES. */
const TRANSIENT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);

export type RetryKind = 'throttling' | 'transient' | 'timeout';

/** Why an attempt's error is worth another attempt, or undefined when it is not. */
export function retryKindOf(error: unknown): RetryKind | undefined {
  if (error instanceof NetworkingError) return 'timeout';
  if (!(error instanceof AwsServiceError)) return undefined;
  const status = error.$metadata.httpStatusCode;
  if (status === 429 || THROTTLING.has(error.name)) return 'throttling';
  if (TRANSIENT.has(error.name)) return 'timeout';
  if (TRANSIENT_STATUS.has(status) || error.$fault === 'server') return 'transient';
  return undefined;
}

/** The wait before retry number `retry` (1 for the first): full jitter over an exponential ceiling. */
export function backoffMs(kind: RetryKind, retry: number, random: () => number = Math.random): number {
  const base = kind === 'throttling' ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
  return Math.floor(random() * Math.min(MAX_DELAY_MS, base * 2 ** (retry - 1)));
}

/** The retry quota of one process (the SDK keeps one per client; each service here has one client per process). */
export class RetryQuota {
  private tokens = INITIAL_QUOTA;

  /** Takes the cost of one retry and answers it; undefined when the quota is spent and the error should be thrown now. */
  take(kind: RetryKind): number | undefined {
    const cost = kind === 'timeout' ? TIMEOUT_RETRY_COST : RETRY_COST;
    if (this.tokens < cost) return undefined;
    this.tokens -= cost;
    return cost;
  }

  /** A request succeeded after retries that cost `spent` (0 when it was not retried). */
  succeeded(spent: number): void {
    this.tokens = Math.min(INITIAL_QUOTA, this.tokens + (spent > 0 ? spent : NO_RETRY_INCREMENT));
  }

  get available(): number {
    return this.tokens;
  }
}
