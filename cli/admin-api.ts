import { randomUUID } from 'node:crypto';
import { signedHeaders, type Credentials } from './signing';

// The staff API as the CLI reaches it: one signed JSON request per call; an error answer becomes ApiError.
// One AdminApi serves one command: its POSTs carry that command's Idempotency-Key, so the CLI's own retries
// (and a person re-running nothing) can never store a change twice.

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    /** The problem+json (or other JSON) body, or the text when the body was not JSON. */
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

/** The API could not be reached at all (refused, DNS, TLS): nothing was changed. */
export class ApiUnreachable extends Error {
  override readonly name = 'ApiUnreachable';
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface AdminApi {
  send<T>(request: ApiRequest): Promise<T>;
  /** A file the API answers with (a printed letter): its bytes, unparsed. */
  download(request: ApiRequest): Promise<{ bytes: Uint8Array; contentType: string }>;
}

export interface AdminApiOptions {
  baseUrl: string;
  region: string;
  credentials: Credentials;
  fetch?: typeof fetch;
  /** The command's Idempotency-Key for its POSTs; a fresh random one by default. */
  idempotencyKey?: string;
  /** How the CLI waits between attempts (tests pass one that does not). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Attempts per call. A request that found the API unreachable, a 5xx (Lambda or SES briefly failing) or a
 * 409 IdempotencyKeyInUse or EmailBeingSent (this command's own earlier attempt still running) is sent again, under the same
 * key: the server then replays the answer of an attempt that was stored. Three attempts over ~1 s, or what
 * Retry-After asks (at most 5 s), is as long as a person at a terminal should wait before being told.
 */
const ATTEMPTS = 3;
const BACKOFF_MS = [250, 1000];
const MAX_RETRY_AFTER_MS = 5_000;
const RETRIED_STATUSES = new Set([500, 502, 503, 504]);

export function adminApi(options: AdminApiOptions): AdminApi {
  const fetchImpl = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const commandKey = options.idempotencyKey ?? randomUUID();

  /** Sends the call, again on a failure that a retry under the same key makes safe; the last answer or error. */
  async function request(call: ApiRequest): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await attemptOnce(call);
      } catch (error) {
        if (!(error instanceof ApiUnreachable) || attempt >= ATTEMPTS) throw error;
        await sleep(BACKOFF_MS[attempt - 1]!);
        continue;
      }
      if (attempt >= ATTEMPTS || !(await retryable(response))) return response;
      await response.body?.cancel().catch(() => undefined);
      await sleep(retryDelay(response, attempt));
    }
  }

  async function attemptOnce(request: ApiRequest): Promise<Response> {
    const url = new URL(request.path.replace(/^\//, ''), options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.append(name, value);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = { ...(request.method === 'POST' ? { 'idempotency-key': commandKey } : {}), ...request.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const signed = await signedHeaders({ method: request.method, url, headers, body }, options);
    try {
      return await fetchImpl(url, { method: request.method, headers: signed, body });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiUnreachable(`Cannot reach the API at ${options.baseUrl}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
  }
  async function failure(response: Response): Promise<ApiError> {
    const text = await response.text();
    try {
      return new ApiError(response.status, text ? JSON.parse(text) : undefined);
    } catch {
      // Not JSON (a proxy's HTML page, say): kept as text for the error message.
      return new ApiError(response.status, text);
    }
  }
  return {
    async send<T>(call: ApiRequest): Promise<T> {
      const response = await request(call);
      if (!response.ok) throw await failure(response);
      const text = await response.text();
      try {
        return (text ? JSON.parse(text) : undefined) as T;
      } catch {
        return text as T;
      }
    },
    async download(call: ApiRequest) {
      const response = await request(call);
      if (!response.ok) throw await failure(response);
      return { bytes: new Uint8Array(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? '' };
    },
  };
}

async function retryable(response: Response): Promise<boolean> {
  if (RETRIED_STATUSES.has(response.status)) return true;
  if (response.status !== 409) return false;
  // Only the 409s of this command's own earlier attempt (its key, or the e-mail it may be sending) and of a
  // complaint too busy to take the change just then: a version conflict needs a person to reload the complaint.
  const problem = (await response
    .clone()
    .json()
    .catch(() => undefined)) as { type?: string } | undefined;
  return (
    typeof problem?.type === 'string' &&
    ['/idempotency-key-in-use', '/email-being-sent', '/complaint-busy'].some((type) => problem.type!.endsWith(type))
  );
}

function retryDelay(response: Response, attempt: number): number {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : BACKOFF_MS[attempt - 1]!;
}
