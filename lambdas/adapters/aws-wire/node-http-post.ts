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

/** POSTs `body` with `headers` (already signed) and answers once the whole answer has arrived. */
export function nodeHttpPost(url: URL, headers: Record<string, string>, body: string): Promise<WireResponse> {
  const { request, agent } = transportFor(url);
  const payload = Buffer.from(body, 'utf8');
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(payload.length) } }, (incoming) => {
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
    });
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
