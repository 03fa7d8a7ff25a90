import net from 'node:net';
import { startApiServer, type ApiServer } from '../../local/api-server';

// What Node's own HTTP parser refuses, sent byte for byte over a raw socket: the local server answers it with
// problem+json where the socket can still take an answer, as it answers everything else, and a client that
// hangs up mid-body is nobody's error.

interface RawAnswer {
  status?: number;
  headers: Record<string, string>;
  problem?: { type: string; title: string; status: number; detail: string };
  /** The client's own socket error (e.g. ECONNRESET), if any. */
  clientError?: string;
}

/** Writes `bytes`, optionally half-closes or resets, and reads whatever comes back until the server closes. */
function exchange(server: ApiServer, bytes: string, after: 'wait' | 'half-close' | 'reset' = 'wait'): Promise<RawAnswer> {
  const { port } = new URL(server.url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      socket.write(bytes);
      if (after === 'half-close') socket.end();
      if (after === 'reset') setTimeout(() => socket.resetAndDestroy(), 50);
    });
    const chunks: Buffer[] = [];
    let clientError: string | undefined;
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => (clientError = error.code ?? error.message));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.filter(Boolean).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1];
      resolve({
        status: status ? Number(status) : undefined,
        headers,
        problem: body ? (JSON.parse(body) as RawAnswer['problem']) : undefined,
        clientError,
      });
    });
  });
}

function expectProblem(answer: RawAnswer, status: number, type: RegExp) {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(answer.headers.connection).toBe('close');
  expect(answer.problem).toMatchObject({ status, type: expect.stringMatching(type), title: expect.any(String), detail: expect.any(String) });
}

describe('the local HTTP server, to requests its HTTP parser refuses', () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer({ port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers headers over the limit with 431 problem+json', async () => {
    const answer = await exchange(server, `GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectProblem(answer, 431, /request-header-fields-too-large$/);
  });

  it('answers a broken chunked body with 400 problem+json naming what was wrong', async () => {
    const answer = await exchange(
      server,
      'POST /complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{"a\r\nzz\r\n',
    );
    expectProblem(answer, 400, /malformed-request$/);
    expect(answer.problem?.detail).toMatch(/chunk/i);
  });

  it('answers a body shorter than its Content-Length (the client closed its side) with 400 problem+json', async () => {
    const answer = await exchange(
      server,
      'POST /complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":',
      'half-close',
    );
    expectProblem(answer, 400, /malformed-request$/);
    expect(answer.problem?.title).toMatch(/before its body was complete/);
  });

  it('answers a request line that is not HTTP with 400 problem+json', async () => {
    expectProblem(await exchange(server, 'NOT HTTP AT ALL\r\n\r\n'), 400, /malformed-request$/);
  });

  it('closes quietly on a client that hangs up mid-body: no error in the logs, and it serves the next request', async () => {
    const written: string[] = [];
    const capture = (chunk: unknown) => (written.push(String(chunk)), true);
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const answer = await exchange(
        server,
        'POST /complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"customer":',
        'reset',
      );
      expect(answer.status).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      consoleError.mockRestore();
    }
    expect(consoleError).not.toHaveBeenCalled();
    expect(written.filter((line) => /"level":"error"|Error|ECONNRESET/.test(line))).toEqual([]);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});
