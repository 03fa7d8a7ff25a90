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
}

export interface AdminApiOptions {
  baseUrl: string;
  region: string;
  credentials: Credentials;
  fetch?: typeof fetch;
}

export function adminApi(options: AdminApiOptions): AdminApi {
  const fetchImpl = options.fetch ?? fetch;
  return {
    async send<T>(request: ApiRequest): Promise<T> {
      const url = new URL(request.path.replace(/^\//, ''), options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
      for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.append(name, value);
      const body = request.body === undefined ? undefined : JSON.stringify(request.body);
      const headers: Record<string, string> = { ...request.headers };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const signed = await signedHeaders({ method: request.method, url, headers, body }, options);

      let response: Response;
      try {
        response = await fetchImpl(url, { method: request.method, headers: signed, body });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new ApiUnreachable(`Cannot reach the API at ${options.baseUrl}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
      }
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON (a proxy's HTML page, say): kept as text for the error message.
      }
      if (!response.ok) throw new ApiError(response.status, parsed);
      return parsed as T;
    },
  };
}
