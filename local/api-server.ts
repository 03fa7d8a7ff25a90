import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, MethodNotAllowed, NotFound, PayloadTooLarge } from '../lambdas/core/errors';
import { ORIGIN_VERIFY_HEADER } from '../lambdas/http/client-address';
import { matchRoute } from '../lambdas/http/routes';
import { problemResponse } from '../lambdas/http/problem';
import { handlerOf } from './handlers';
import { staticFile } from './static-site';
import { countInFlight, type SharedInFlight } from './dynamodb-lanes';
import { iamAuthorizerContext, verifySignedRequest } from './sigv4-verifier';
import type { StaffDirectory } from '../lambdas/core/staff';
import { readConfigFile } from '../lambdas/adapters/config-files';

export interface BodyLimits {
  /** API Gateway's own limit on a request body (HTTP APIs, 10 MB): the local server refuses what AWS would. */
  maxBytes: number;
  /**
   * Past the limit, the rest of the body is read and thrown away before the connection is closed: a socket
   * closed with unread bytes makes TCP send a reset, and a client still sending then loses the 413 it was
   * already sent. Draining is bounded so a client cannot keep the server busy: after this many more bytes,
   * or this long, the connection is cut.
   */
  drainBytes: number;
  drainMs: number;
}

const DEFAULT_BODY_LIMITS: BodyLimits = { maxBytes: 10 * 1024 * 1024, drainBytes: 64 * 1024 * 1024, drainMs: 10_000 };
const TEXT_MEDIA = /^(text\/|application\/(json|x-www-form-urlencoded|xml|[\w.+-]+\+json))/i;
// ignoreBOM keeps a leading byte-order mark in the text, as the bytes had it (a webhook's signature covers it).
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes as text when they are valid UTF-8, else undefined: decoded once, the check and the text at once. */
function utf8Text(bytes: Buffer): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the route table the way API Gateway (HTTP API, payload format 2.0) does: the same event shape, the
 * same handlers. What API Gateway would answer itself (no route, body too large) is answered here.
 */
export async function startApiServer(options: {
  port: number;
  host?: string;
  bodyLimits?: Partial<BodyLimits>;
  /** Counts the requests in flight, for the local DynamoDB's background door (local/dynamodb-lanes.ts). */
  inFlight?: SharedInFlight;
}): Promise<ApiServer> {
  const limits = { ...DEFAULT_BODY_LIMITS, ...options.bodyLimits };
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  // The response in progress on each connection, so that a parser error answers only where nothing was sent yet.
  const inProgress = new WeakMap<Duplex, http.ServerResponse>();
  const server = http.createServer((request, response) => {
    if (options.inFlight) countInFlight(options.inFlight, response);
    inProgress.set(request.socket, response);
    response.once('close', () => inProgress.delete(request.socket));
    track(serve(request, response, limits));
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerParserError(error, socket, inProgress.get(socket)));
  // A client that asks first (Expect: 100-continue) is refused before it sends a byte of a body too large.
  server.on('checkContinue', (request: http.IncomingMessage, response: http.ServerResponse) => {
    if (declaredLength(request) > limits.maxBytes) {
      track(refuseTooLarge(request, response, tooLarge(limits), Promise.resolve()));
      return;
    }
    response.writeContinue();
    server.emit('request', request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    async close() {
      // Stop taking requests, let the ones being handled finish their writes, then drop idle connections.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      await closed;
    },
  };
}

/** What Node's HTTP parser refused, as problem details (the parser's own answers have an empty body). */
class UnreadableRequest extends DomainError {
  override name = 'UnreadableRequest';
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    detail: string,
  ) {
    super(detail);
  }
}

function parserRefusal(error: NodeJS.ErrnoException & { reason?: string }): UnreadableRequest {
  switch (error.code ?? '') {
    case 'HPE_HEADER_OVERFLOW':
      return new UnreadableRequest(
        431,
        'request-header-fields-too-large',
        'The request headers are too large',
        `The request line and headers are limited to ${http.maxHeaderSize} bytes in all.`,
      );
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new UnreadableRequest(413, 'payload-too-large', 'The request body is too large', 'The chunk extensions are too large.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new UnreadableRequest(408, 'request-timeout', 'The request took too long to arrive', 'Send the whole request at once.');
    case 'HPE_INVALID_EOF_STATE':
      return new UnreadableRequest(
        400,
        'malformed-request',
        'The request ended before its body was complete',
        'The connection was closed before the body its Content-Length or chunked coding announced had arrived.',
      );
    default:
      return new UnreadableRequest(
        400,
        'malformed-request',
        'The request is not valid HTTP/1.1',
        `${error.reason ?? 'The request could not be parsed'} (${error.code ?? 'parse error'}).`,
      );
  }
}

/**
 * Node's parser refused the request (headers too large, broken chunked coding, a body shorter than its
 * Content-Length) or the client went away. Where the socket can still take an answer and none was started,
 * the answer is problem+json like every other; a client that hung up (ECONNRESET) has no one left to answer
 * and is no fault of the server's, so it is closed without a word in the logs.
 */
function answerParserError(error: NodeJS.ErrnoException, socket: Duplex, response: http.ServerResponse | undefined): void {
  if (error.code === 'ECONNRESET' || !socket.writable || response?.headersSent) {
    socket.destroy();
    return;
  }
  const refusal = parserRefusal(error);
  const answer = problemResponse(refusal) as APIGatewayProxyStructuredResultV2;
  const body = Buffer.from(answer.body ?? '', 'utf8');
  const head = [
    `HTTP/1.1 ${refusal.status} ${http.STATUS_CODES[refusal.status] ?? ''}`,
    ...Object.entries(answer.headers ?? {}).map(([name, value]) => `${name}: ${String(value)}`),
    `content-length: ${body.length}`,
    'connection: close',
  ];
  socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
  // The parser is gone: whatever else the client sends is not read. A client that does not close its side
  // within a second is cut off.
  setTimeout(() => socket.destroy(), 1000).unref();
}

async function serve(request: http.IncomingMessage, response: http.ServerResponse, limits: BodyLimits): Promise<void> {
  const read = await readRequestBody(request, limits).catch((error: unknown) => ({ failed: error }));
  if ('failed' in read) {
    // The client went away mid-body; there is no one left to answer.
    response.destroy();
    return;
  }
  if ('refused' in read) return refuseTooLarge(request, response, read.refused, read.drained);
  const result = await handle(request, read.body).catch((error: unknown) => problemResponse(error) as APIGatewayProxyStructuredResultV2);
  send(response, result);
}

async function handle(request: http.IncomingMessage, body: Buffer): Promise<APIGatewayProxyStructuredResultV2> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  // The customer's static pages share the API's origin, as behind CloudFront (lib/web.ts).
  const page = staticFile(method, url.pathname);
  if (page) return page;
  const { match, allowed } = matchRoute(method, url.pathname);
  if (!match) {
    if (allowed.length > 0) {
      const answer = problemResponse(new MethodNotAllowed(`${url.pathname} answers ${allowed.join(', ')}`), url.pathname);
      return {
        ...(answer as APIGatewayProxyStructuredResultV2),
        headers: { ...(answer as APIGatewayProxyStructuredResultV2).headers, allow: allowed.join(', ') },
      };
    }
    return problemResponse(new NotFound(`No route for ${method} ${url.pathname}`), url.pathname) as APIGatewayProxyStructuredResultV2;
  }
  const event = toEvent(request, url, match.route.method, match.route.path, match.pathParameters, body);
  if (match.route.authorization === 'iam') {
    // What API Gateway's IAM authorizer does in AWS: refuse what is not validly signed, then hand the
    // handler the caller's identity.
    const staff = await verifySignedRequest(
      { method: event.requestContext.http.method, path: url.pathname, query: queryOf(url), headers: event.headers as Record<string, string>, body },
      staffDirectory(),
      new Date(),
    );
    (event.requestContext as unknown as { authorizer: unknown }).authorizer = { iam: iamAuthorizerContext(staff) };
  }
  const result = await handlerOf(match.route.function)(event);
  return normalise(result);
}

let directory: StaffDirectory | undefined;
function staffDirectory(): StaffDirectory {
  // The same file the staff functions read (config/staff.local.json locally), through the same adapter.
  directory ??= readConfigFile('staffDirectory');
  return directory;
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const existing = query[name];
    query[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return query;
}

const tooLarge = (limits: BodyLimits) => new PayloadTooLarge(`Request bodies are limited to ${limits.maxBytes} bytes.`);

function declaredLength(request: http.IncomingMessage): number {
  const length = Number(request.headers['content-length'] ?? 0);
  return Number.isFinite(length) ? length : 0;
}

type BodyRead = { body: Buffer } | { refused: PayloadTooLarge; drained: Promise<void> };

/** The whole body, or, past the limit (declared or counted, chunked or not), a refusal while the rest drains. */
function readRequestBody(request: http.IncomingMessage, limits: BodyLimits): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    if (declaredLength(request) > limits.maxBytes) {
      resolve({ refused: tooLarge(limits), drained: drain(request, limits) });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limits.maxBytes) {
        chunks.push(chunk);
        return;
      }
      request.off('data', collect);
      chunks.length = 0;
      resolve({ refused: tooLarge(limits), drained: drain(request, limits) });
    };
    request.on('data', collect);
    request.on('end', () => resolve({ body: Buffer.concat(chunks) }));
    request.on('error', reject);
  });
}

/** Reads and discards the rest of a refused body; settles when it ended, the client left, or a bound was hit. */
function drain(request: http.IncomingMessage, limits: BodyLimits): Promise<void> {
  return new Promise((resolve) => {
    let discarded = 0;
    const done = () => {
      clearTimeout(timer);
      request.off('data', discard);
      resolve();
    };
    const discard = (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > limits.drainBytes) done();
    };
    const timer = setTimeout(done, limits.drainMs);
    request.on('data', discard);
    request.once('end', done);
    request.once('close', done);
    request.once('error', done);
  });
}

/**
 * Answers 413 at once, so a client that reads while it sends stops early, but ends the response (and so
 * closes the connection) only once the body is drained: a close with unread bytes would reset the connection.
 */
async function refuseTooLarge(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  refusal: PayloadTooLarge,
  drained: Promise<void>,
): Promise<void> {
  const answer = problemResponse(refusal, new URL(request.url ?? '/', 'http://localhost').pathname) as APIGatewayProxyStructuredResultV2;
  const body = Buffer.from(answer.body ?? '', 'utf8');
  response.writeHead(413, { ...(answer.headers as Record<string, string>), 'content-length': String(body.length), connection: 'close' });
  response.write(body);
  await drained;
  response.end();
}

function toEvent(
  request: http.IncomingMessage,
  url: URL,
  method: string,
  path: string,
  pathParameters: Record<string, string>,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  // The local server is also the CloudFront in front of the API: it adds the origin header CloudFront adds
  // (lib/web.ts), replacing one a caller sent, and, as CloudFront does, writes CloudFront-Viewer-Address from the
  // connection itself, replacing one a caller sent: believed behind CloudFront, it must be CloudFront's. (Tests
  // that need several clients connect from several loopback addresses: test/support/client-fetch.ts.)
  if (process.env.ORIGIN_VERIFY) {
    headers[ORIGIN_VERIFY_HEADER] = process.env.ORIGIN_VERIFY;
    headers['cloudfront-viewer-address'] = viewerAddress(request.socket);
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  // A text body goes to the handler as text only when it is valid UTF-8; otherwise as the bytes sent
  // (base64), so that the handler refuses it rather than reading it with replacement characters.
  const text = body.length > 0 && TEXT_MEDIA.test(headers['content-type'] ?? '') ? utf8Text(body) : undefined;
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    cookies: headers.cookie?.split(/;\s*/),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length > 0 ? (text ?? body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && text === undefined,
  };
}

/** API Gateway's reading of a handler's answer: a plain object or string without statusCode is a 200 JSON body. */
function normalise(result: unknown): APIGatewayProxyStructuredResultV2 {
  if (result && typeof result === 'object' && 'statusCode' in result) return result as APIGatewayProxyStructuredResultV2;
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: typeof result === 'string' ? result : JSON.stringify(result) };
}

// API Gateway answers with the whole body and its Content-Length, never chunked: it has the Lambda's answer
// in full before it sends a byte. writeHead sends the head as it is, so the length goes into it here.
function send(response: http.ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[] | number> = { ...(result.headers as Record<string, string>) };
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  // A text body is written as it is (Node encodes it once, into the socket's buffer), a base64 one as its bytes.
  const bytes = result.body !== undefined && result.isBase64Encoded ? Buffer.from(result.body, 'base64') : undefined;
  headers['content-length'] = bytes?.length ?? (result.body === undefined ? 0 : Buffer.byteLength(result.body, 'utf8'));
  response.writeHead(result.statusCode ?? 200, headers);
  if (bytes) response.end(bytes);
  else if (result.body === undefined) response.end();
  else response.end(result.body, 'utf8');
}

/** CloudFront-Viewer-Address as CloudFront writes it: the viewer's IP, a colon, its port (an IPv6 address unbracketed). */
function viewerAddress(socket: { remoteAddress?: string; remotePort?: number }): string {
  const address = (socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return `${address}:${socket.remotePort ?? 0}`;
}
