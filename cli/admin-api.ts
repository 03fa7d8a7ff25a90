import { signedHeaders, type Credentials } from './signing';

// The staff API as the CLI reaches it: one signed JSON request per call; an error answer becomes ApiError.

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
  method: 'GET' | 'POST';
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
}

export function adminApi(options: AdminApiOptions): AdminApi {
  const fetchImpl = options.fetch ?? fetch;
  async function request(request: ApiRequest): Promise<Response> {
    const url = new URL(request.path.replace(/^\//, ''), options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.append(name, value);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = { ...request.headers };
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
