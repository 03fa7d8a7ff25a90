import type http from 'node:http';
import type https from 'node:https';

// How a signed request goes out when nothing intercepts it: node:http(s) with a keep-alive agent, the body
// read whole. Node's fetch (undici) cost ~2.2 ms of CPU per request on the two-core dev machine against
// ~0.5 ms for node:http to the same server; a complaint's intake makes two such calls and its workflow
// dozens, so fetch was the largest single cost of a request's CPU after the stand-ins themselves.
// Requests that are intercepted (a test's faults, the local runtime's IAM check) go out the same way.

/** What the transport reads of an answer: the part of fetch's Response it uses. */
export interface WireResponse {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

let httpAgent: http.Agent | undefined;
let httpsAgent: https.Agent | undefined;

/**
 * One agent per protocol, made at first use; node:http(s) load then, not at the bundle's load: they are ~5-12 ms
 * of a cold start, which the first AWS call pays instead (the request needs them either way), and node:https
 * (and TLS) only where the endpoint is https.
 */
function transportFor(url: URL): { request: typeof http.request; agent: http.Agent } {
  if (url.protocol === 'http:') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (above)
    const plain = require('node:http') as typeof http;
    return { request: plain.request, agent: (httpAgent ??= new plain.Agent({ keepAlive: true })) };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (above)
  const secure = require('node:https') as typeof https;
  return { request: secure.request, agent: (httpsAgent ??= new secure.Agent({ keepAlive: true })) };
}

/**
 * POSTs `body` with `headers` (already signed) and answers once the whole answer has arrived. A kept-alive
 * connection the server closed while it sat idle fails the next request written to it before any answer
 * (ECONNRESET, or "socket hang up" when the close came first). The request is then sent once more on a
 * connection of its own, as Node's documentation advises (`request.reusedSocket`), rather than spending one of
 * the retry strategy's attempts: many requests leaving together after a quiet spell can each meet a dead
 * connection of the pool, and three attempts were not always enough (seen locally, where one thread runs every
 * workflow step; in Lambda, after a sandbox was frozen).
 */
export function nodeHttpPost(url: URL, headers: Record<string, string>, body: string): Promise<WireResponse> {
  const payload = Buffer.from(body, 'utf8');
  return post(url, headers, payload, true).catch((error: unknown) => {
    if (!(error instanceof StaleConnection)) throw error;
    return post(url, headers, payload, false);
  });
}

/** The request met a kept-alive connection the server had closed, and nothing of an answer came. */
class StaleConnection extends Error {
  override readonly name = 'StaleConnection';
}

function post(url: URL, headers: Record<string, string>, payload: Buffer, keepAlive: boolean): Promise<WireResponse> {
  const { request, agent } = transportFor(url);
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = request(
      url,
      { method: 'POST', agent: keepAlive ? agent : false, headers: { ...headers, 'content-length': String(payload.length) } },
      (incoming) => {
        answered = true;
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = incoming.statusCode ?? 0;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            headers: {
              get: (name) => {
                const value = incoming.headers[name.toLowerCase()];
                return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
              },
            },
            text: () => Promise.resolve(text),
          });
        });
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      const stale = !answered && outgoing.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
      reject(stale ? new StaleConnection(error.message, { cause: error }) : error);
    });
    outgoing.end(payload);
  });
}
