import http from 'node:http';
import net from 'node:net';
import { startApiServer, type ApiServer } from '../../local/api-server';

// What the local server answers itself, before any handler, over real HTTP: a body far over API Gateway's
// 10 MB limit gets a 413 problem+json and a cleanly closed connection, never a reset, however it is sent.

const MB = 1024 * 1024;
const FIFTY_MB = 50 * MB;

interface Outcome {
  status?: number;
  contentType?: string;
  problem?: { status: number; type: string; title: string };
  /** The client's own error while sending or reading, e.g. ECONNRESET; undefined when all went well. */
  clientError?: string;
  /** Whether the server asked for the body of an Expect: 100-continue request. */
  continued: boolean;
  /** Milliseconds from the request until the server closed the connection (only waited for with `waitForClose`). */
  closedAfterMs?: number;
}

/**
 * POSTs `total` bytes in 1 MB chunks, honouring backpressure. With `declare`, a Content-Length header;
 * otherwise chunked transfer coding.
 */
function post(url: string, total: number, options: { declare: boolean; expectContinue?: boolean; waitForClose?: boolean }): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = Date.now();
    const outcome: Outcome = { continued: false };
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.declare) headers['content-length'] = String(total);
    if (options.expectContinue) headers.expect = '100-continue';
    const request = http.request(`${url}/complaints`, { method: 'POST', headers, agent: false });
    let settled = false;
    let answered = false;
    let closed = false;
    const finish = () => {
      if (settled || (options.waitForClose && !closed)) return;
      settled = true;
      resolve(outcome);
    };
    request.on('socket', (socket) =>
      socket.on('close', () => {
        closed = true;
        outcome.closedAfterMs = Date.now() - started;
        if (answered || outcome.clientError) finish();
      }),
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      outcome.clientError = error.code ?? error.message;
      finish();
    });
    request.on('response', (response) => {
      outcome.status = response.statusCode;
      outcome.contentType = response.headers['content-type'];
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        outcome.problem = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        answered = true;
        // Let a reset that would follow the answer surface as the client's error before we judge.
        setTimeout(finish, 50);
      });
      response.on('error', (error: NodeJS.ErrnoException) => {
        outcome.clientError = error.code ?? error.message;
        finish();
      });
    });
    const chunk = Buffer.alloc(MB, 0x20);
    let sent = 0;
    const sendMore = () => {
      while (sent < total && !request.destroyed) {
        const size = Math.min(chunk.length, total - sent);
        sent += size;
        if (!request.write(size === chunk.length ? chunk : chunk.subarray(0, size))) {
          request.once('drain', sendMore);
          return;
        }
      }
      if (!request.destroyed) request.end();
    };
    if (options.expectContinue) {
      request.on('continue', () => {
        outcome.continued = true;
        sendMore();
      });
      request.flushHeaders();
    } else sendMore();
  });
}

function expectTooLarge(outcome: Outcome) {
  expect(outcome).toMatchObject({ status: 413, contentType: 'application/problem+json', problem: { status: 413 } });
  expect(outcome.problem?.type).toMatch(/payload-too-large$/);
  expect(outcome.clientError).toBeUndefined();
}

describe('the local HTTP server, to a body far over the limit', () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer({ port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers 413 problem+json to 50 MB with a Content-Length, and the client sees no reset', async () => {
    expectTooLarge(await post(server.url, FIFTY_MB, { declare: true }));
  });

  it('answers 413 problem+json to 50 MB sent chunked, without a Content-Length', async () => {
    expectTooLarge(await post(server.url, FIFTY_MB, { declare: false }));
  });

  it('answers 413 to a client that asks first (Expect: 100-continue), before it sends a byte of the body', async () => {
    const outcome = await post(server.url, FIFTY_MB, { declare: true, expectContinue: true });
    expectTooLarge(outcome);
    expect(outcome.continued).toBe(false);
  });

  it('answers 413 to fetch sending 50 MB', async () => {
    const response = await fetch(`${server.url}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(FIFTY_MB, 0x20),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as { status: number }).status).toBe(413);
  });

  it('still serves the next request', async () => {
    await post(server.url, FIFTY_MB, { declare: false });
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
  });
});

describe('the local HTTP server, draining a refused body within bounds', () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer({ port: 0, bodyLimits: { maxBytes: 1024, drainBytes: 2 * MB, drainMs: 300 } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers 413 at once, then closes the connection of a client that stops sending mid-body once the drain time is up', async () => {
    // A raw socket, since an HTTP client closes by itself once it has read an answer marked Connection: close.
    const { port } = new URL(server.url);
    const started = Date.now();
    const { received, closedAfterMs } = await new Promise<{ received: string; closedAfterMs: number }>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /complaints HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${10 * MB}\r\n\r\n`);
        socket.write(Buffer.alloc(MB, 0x20));
      });
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', reject);
      socket.on('close', () => resolve({ received: Buffer.concat(chunks).toString('utf8'), closedAfterMs: Date.now() - started }));
    });
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toContain('application/problem+json');
    expect(closedAfterMs).toBeGreaterThanOrEqual(250);
    expect(closedAfterMs).toBeLessThan(5_000);
  });

  it('answers 413 and cuts the connection of a client that sends more than the drain bound', async () => {
    const outcome = await post(server.url, 40 * MB, { declare: false, waitForClose: true });
    expect(outcome.status).toBe(413);
    expect(outcome.problem?.status).toBe(413);
    expect(outcome.closedAfterMs).toBeDefined();
  });
});

describe("the local HTTP server's answers, as API Gateway sends them", () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer({ port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  /** The answer's head and body as they came over the wire. */
  function get(path: string): Promise<{ status?: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      http
        .get(`${server.url}${path}`, { agent: false }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
          response.on('error', reject);
        })
        .on('error', reject);
    });
  }

  // API Gateway has a Lambda's answer in full before it sends it: a Content-Length, no chunked transfer coding.
  it.each([
    ['a JSON answer', '/health'],
    ['a page in Polish', '/complaints/status?lang=pl'],
    ['a problem+json answer', '/no-such-path'],
  ])('sends %s with a Content-Length of its bytes, not chunked', async (_, path) => {
    const { headers, body } = await get(path);
    expect(headers['transfer-encoding']).toBeUndefined();
    expect(body.length).toBeGreaterThan(0);
    expect(headers['content-length']).toBe(String(body.length));
  });

  it('sends the Polish page with more bytes than characters, so the length counts bytes', async () => {
    const { body } = await get('/complaints/status?lang=pl');
    expect(body.length).toBeGreaterThan(body.toString('utf8').length);
  });
});
