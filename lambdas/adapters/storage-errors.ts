// DynamoDB throttling and passing network trouble, left over after the client's own three attempts
// (aws-wire/standard-retry.ts), are worth another try minutes later; the workflow's Retry backs off on this one
// name. Anything else (a condition failed, a validation error, a missing table) would fail again the same way
// and is left as it is. Errors are matched by name and shape (aws-wire/service-errors.ts), not by class.

const TRANSIENT_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  // No answer at all (a refused, reset or timed-out connection): aws-wire/service-errors.ts.
  'NetworkingError',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export class StorageTemporarilyUnavailable extends Error {
  override name = 'StorageTemporarilyUnavailable';
}

interface SdkErrorShape {
  name?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export function isTransientStorageError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const shape = error as Error & SdkErrorShape;
  if (TRANSIENT_NAMES.has(shape.name)) return true;
  if (shape.code && NETWORK_CODES.has(shape.code)) return true;
  if (shape.$fault === 'server' || shape.$retryable) return true;
  const status = shape.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

/** The error as the workflow should see it: transient storage trouble under its one retryable name. */
export function asWorkflowError(error: unknown): unknown {
  if (!isTransientStorageError(error)) return error;
  const original = error as Error;
  return new StorageTemporarilyUnavailable(`${original.name}: ${original.message}`, { cause: error });
}
