import type { WireResponse } from './node-http-post';

// The errors an AWS call ends with, shaped as the SDK's were, so that callers match on names: `name` is the
// service's error type (ConditionalCheckFailedException, MessageRejected, ExecutionAlreadyExists...), with
// `$fault`, `$metadata.httpStatusCode` and the error's own members (a cancelled transaction's
// `CancellationReasons`) beside it. A request that got no answer at all is a NetworkingError instead.

export interface ServiceErrorMetadata {
  httpStatusCode: number;
  requestId?: string;
  /** How many attempts were made (1 when the error was not retried). */
  attempts: number;
}

/** AWS answered with an error. */
export class AwsServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: ServiceErrorMetadata;

  /** `members`: the error's own fields from the response body (DynamoDB's `CancellationReasons`, say), set on it as the SDK sets them. */
  constructor(name: string, message: string, metadata: ServiceErrorMetadata, members: Record<string, unknown> = {}) {
    super(message);
    Object.assign(this, Object.fromEntries(Object.entries(members).filter(([member]) => !RESERVED.has(member))));
    this.name = name;
    this.$metadata = metadata;
    // What the SDK falls back to for an error its model does not list; the modelled ones agree (4xx client, 5xx server).
    this.$fault = metadata.httpStatusCode >= 500 ? 'server' : 'client';
  }
}

const RESERVED = new Set(['name', 'message', 'stack', 'cause', '$fault', '$metadata']);

/** No answer from AWS: the connection was refused, reset or timed out, or the name did not resolve. */
export class NetworkingError extends Error {
  override readonly name = 'NetworkingError';
  /** The system's or undici's error code, e.g. ECONNRESET, UND_ERR_SOCKET. */
  readonly code: string;

  constructor(cause: unknown) {
    const code = networkCodeOf(cause);
    super(`No answer from AWS (${code}): ${String((cause as { message?: unknown } | undefined)?.message ?? cause)}`, { cause });
    this.code = code;
  }
}

// Duck-typed: fetch's errors come from Node's own realm, where `instanceof Error` of another realm (a jest
// sandbox) does not hold.
function networkCodeOf(error: unknown): string {
  // fetch rejects with TypeError('fetch failed') whose cause is the socket's error.
  let current = error as { code?: unknown; cause?: unknown; name?: unknown } | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    if (typeof current.code === 'string') return current.code;
    current = current.cause as typeof current;
  }
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : 'UNKNOWN';
}

/** An error AWS answered with, of that name when one is given. */
export function isServiceError(error: unknown, name?: string): error is AwsServiceError {
  return error instanceof AwsServiceError && (name === undefined || error.name === name);
}

/**
 * The error a response stands for. The type is, as the SDK reads it for the JSON and REST-JSON protocols, the
 * X-Amzn-ErrorType header, else the body's `code`, else its `__type`, each cleaned of a namespace
 * (`com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException`) and of a trailing `:<uri>`.
 */
export async function serviceErrorOf(response: WireResponse, attempts: number): Promise<AwsServiceError> {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // not JSON (a proxy's HTML page, say): the status alone names it
  }
  const { __type, code, message, Message, ...members } = body;
  const type = response.headers.get('x-amzn-errortype') ?? stringOrUndefined(code) ?? stringOrUndefined(__type);
  const name = type ? (type.split(':')[0]!.split('#').pop() ?? type) : `Http${response.status}`;
  const requestId = response.headers.get('x-amzn-requestid') ?? response.headers.get('x-amz-request-id') ?? undefined;
  return new AwsServiceError(
    name,
    stringOrUndefined(message) ?? stringOrUndefined(Message) ?? (text.slice(0, 200) || `HTTP ${response.status}`),
    { httpStatusCode: response.status, attempts, ...(requestId ? { requestId } : {}) },
    members,
  );
}

const stringOrUndefined = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
