import http from 'node:http';

// Several clients of the local product, each from a loopback address of its own (Linux routes all of 127/8 to
// the loopback): the local server writes CloudFront-Viewer-Address from the connection, as CloudFront does
// (local/api-server.ts), so a test tells clients apart the way the product does in AWS, by where they connect from.

let last = 1;

/** A loopback address no other client of this process has used: 127.0.0.2, 127.0.0.3, … then 127.0.1.0, … */
export function newClientAddress(): string {
  last += 1;
  return `127.${(last >> 16) & 255}.${(last >> 8) & 255}.${last & 255}`;
}

/**
 * `fetch` from `localAddress`: the request as given (no redirect followed, as `redirect: 'manual'`), the answer
 * as a Response.
 */
export function fetchFrom(localAddress: string) {
  return (url: string | URL, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const request = http.request(url, { method: init.method ?? 'GET', headers: init.headers, localAddress }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('error', reject);
        answer.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(answer.headers)) {
            for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
          }
          const body = Buffer.concat(chunks);
          const status = answer.statusCode ?? 0;
          resolve(new Response([101, 204, 205, 304].includes(status) || body.length === 0 ? null : body, { status, headers }));
        });
      });
      request.on('error', reject);
      request.end(init.body);
    });
}
