import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import S3rver from 's3rver';
import { DUMMY_ACCOUNT } from 's3rver/lib/models/account';
import { MAX_ATTACHMENT_BYTES } from '../lambdas/core/attachments';
import { checkPostPolicy, type PolicyRefusal } from './s3-post-policy';

// S3 on this machine: s3rver (objects on disk, GET with Range, CopyObject, browser POST uploads, CORS) behind a
// front that checks what s3rver does not and S3 does: the POST policy of a browser upload (local/s3-post-policy.ts),
// the SigV4 signature of every other request (recomputed with the AWS SDK's own signer, @smithy/signature-v4, so
// the product's hand-written signer is checked against an independent one), and that nothing unsigned reads a
// private bucket. The product reaches it through AWS_ENDPOINT_URL_S3, path-style.

export const ATTACHMENTS_BUCKET = 'reklamacje-attachments';

export interface S3StandIn {
  url: string;
  bucket: string;
  close(): Promise<void>;
}

export interface S3Options {
  port: number;
  /** Objects are kept under <dataDir>/s3; in a temporary folder, removed on close, without one. */
  dataDir?: string;
  /** The one origin allowed to upload from a browser (CORS), as the bucket's CORS rule allows the site's. */
  allowedOrigin: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
}

/** Browser POSTs up to the 10 MB a file may have, plus the form's fields; more is refused before it is read. */
const MAX_REQUEST_BYTES = MAX_ATTACHMENT_BYTES + 64 * 1024;
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export async function startS3(options: S3Options): Promise<S3StandIn> {
  const temporary = options.dataDir === undefined;
  const directory = options.dataDir ? path.join(options.dataDir, 's3') : mkdtempSync(path.join(tmpdir(), 'reklamacje-s3-'));
  mkdirSync(directory, { recursive: true });
  DUMMY_ACCOUNT.createKeyPair(options.credentials.accessKeyId, options.credentials.secretAccessKey);
  const cors = [
    '<CORSConfiguration><CORSRule>',
    `<AllowedOrigin>${options.allowedOrigin}</AllowedOrigin>`,
    '<AllowedMethod>POST</AllowedMethod><AllowedHeader>*</AllowedHeader><MaxAgeSeconds>3000</MaxAgeSeconds>',
    '</CORSRule></CORSConfiguration>',
  ].join('');
  const inner = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: ATTACHMENTS_BUCKET, configs: [cors] }],
  });
  const innerAddress = await inner.run();

  // The writes and copies of one object in flight, in order (see handle).
  const turns = new Map<string, Promise<unknown>>();
  const inTurn = async (object: string | undefined, work: () => Promise<void>): Promise<void> => {
    if (object === undefined) return work();
    const previous = turns.get(object) ?? Promise.resolve();
    const mine = previous.then(work, work);
    turns.set(object, mine);
    try {
      await mine;
    } finally {
      if (turns.get(object) === mine) turns.delete(object);
    }
  };
  const secretFor = (accessKeyId: string) => (accessKeyId === options.credentials.accessKeyId ? options.credentials.secretAccessKey : undefined);
  const front = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) refuse(response, request, { status: 500, code: 'InternalError', message: String(error) });
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > MAX_REQUEST_BYTES) {
      refuse(response, request, { status: 400, code: 'EntityTooLarge', message: 'Your proposed upload exceeds the maximum allowed size' });
      request.destroy();
      return;
    }
    const body = await readAll(request);
    const url = new URL(request.url ?? '/', 'http://s3.local');
    if (request.method === 'OPTIONS') return forward(request, body, response);
    const browserPost = request.method === 'POST' && (request.headers['content-type'] ?? '').startsWith('multipart/form-data');
    const upload = browserPost ? await checkBrowserPost(request, url, body) : { refusal: await checkSignedRequest(request, url) };
    if (upload.refusal) return refuse(response, request, upload.refusal);
    const copySource = request.method === 'PUT' ? request.headers['x-amz-copy-source'] : undefined;
    // An upload and a copy from the same object take turns, so that a copy's ETag check and the copy are one
    // step, as they are in S3.
    const object = typeof copySource === 'string' ? `/${decodeURIComponent(copySource).replace(/^\//, '')}` : upload.objectPath;
    await inTurn(object, async () => {
      const changed = typeof copySource === 'string' ? await copySourceChanged(request, copySource) : undefined;
      if (changed) return refuse(response, request, changed);
      await forward(request, body, response);
    });
  }

  async function checkBrowserPost(request: IncomingMessage, url: URL, body: Buffer): Promise<{ refusal?: PolicyRefusal; objectPath?: string }> {
    if (url.pathname.replace(/\/$/, '') !== `/${ATTACHMENTS_BUCKET}`)
      return { refusal: { status: 404, code: 'NoSuchBucket', message: 'The specified bucket does not exist' } };
    const form = await new Response(body, { headers: { 'content-type': request.headers['content-type']! } }).formData();
    const fields = new Map<string, string>();
    let fileSize = -1;
    for (const [name, value] of form) {
      if (typeof value === 'string') fields.set(name.toLowerCase() === 'key' ? 'key' : name.toLowerCase(), value);
      else if (name === 'file') fileSize = value.size;
    }
    if (fileSize < 0) return { refusal: { status: 400, code: 'InvalidArgument', message: 'POST requires exactly one file upload per request.' } };
    return {
      refusal: checkPostPolicy(fields, fileSize, ATTACHMENTS_BUCKET, new Date(), secretFor, options.region),
      objectPath: `/${ATTACHMENTS_BUCKET}/${fields.get('key') ?? ''}`,
    };
  }

  /**
   * CopyObject's `x-amz-copy-source-if-match`, which s3rver ignores: S3 copies only if the source's ETag is the
   * one given, else answers 412 PreconditionFailed (CopyObject, "Request Syntax" and "Errors"). A missing source
   * is left to s3rver's own NoSuchKey.
   */
  async function copySourceChanged(request: IncomingMessage, copySource: string): Promise<PolicyRefusal | undefined> {
    const expected = request.headers['x-amz-copy-source-if-match'];
    if (typeof expected !== 'string') return undefined;
    const source = await fetch(`http://${innerAddress.address}:${innerAddress.port}/${copySource.replace(/^\//, '')}`, { method: 'HEAD' });
    if (source.status === 404) return undefined;
    const unquoted = (etag: string) => etag.trim().replace(/^"|"$/g, '');
    if (unquoted(source.headers.get('etag') ?? '') === unquoted(expected)) return undefined;
    return { status: 412, code: 'PreconditionFailed', message: 'At least one of the pre-conditions you specified did not hold' };
  }

  async function checkSignedRequest(request: IncomingMessage, url: URL): Promise<PolicyRefusal | undefined> {
    const denied = (message: string): PolicyRefusal => ({ status: 403, code: 'AccessDenied', message });
    const mismatch: PolicyRefusal = {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided.',
    };
    const query = Object.fromEntries(url.searchParams);
    const authorization = request.headers.authorization;
    const presigned = query['X-Amz-Signature'];
    if (!authorization && !presigned) return denied('Access Denied');
    const credentialText = authorization ? (/Credential=([^,]+)/.exec(authorization)?.[1] ?? '') : (query['X-Amz-Credential'] ?? '');
    const [accessKeyId = '', day, region, service] = credentialText.split('/');
    const secret = secretFor(accessKeyId);
    if (!secret) return { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
    if (region !== options.region || service !== 's3') return denied('The credential scope does not match');
    const dateText = authorization ? String(request.headers['x-amz-date'] ?? '') : (query['X-Amz-Date'] ?? '');
    const signedAt = parseAmzDate(dateText);
    if (!signedAt || dateText.slice(0, 8) !== day) return denied('X-Amz-Date is missing or does not match the credential');
    const signer = new SignatureV4({
      credentials: { accessKeyId, secretAccessKey: secret },
      region: options.region,
      service: 's3',
      sha256: NodeSha256,
      uriEscapePath: false,
      applyChecksum: false,
    });
    const hostname = String(request.headers.host ?? '');
    if (authorization) {
      if (Math.abs(Date.now() - signedAt.getTime()) > MAX_CLOCK_SKEW_MS)
        return { status: 403, code: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.' };
      const signedHeaders = (/SignedHeaders=([^,]+)/.exec(authorization)?.[1] ?? '').split(';');
      const given = /Signature=([0-9a-f]{64})/.exec(authorization)?.[1] ?? '';
      const headers = Object.fromEntries(signedHeaders.map((name) => [name, String(request.headers[name] ?? '')]));
      const signed = await signer.sign(
        { method: request.method ?? 'GET', protocol: 'http:', hostname, path: url.pathname, query, headers },
        { signingDate: signedAt, signableHeaders: new Set(signedHeaders) },
      );
      const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? '';
      return sameText(expected, given) ? undefined : mismatch;
    }
    const expires = Number(query['X-Amz-Expires']);
    if (!(signedAt.getTime() + expires * 1000 > Date.now())) return denied('Request has expired');
    // The signer adds the X-Amz-* parameters itself; the rest (response-* overrides) are signed as they are.
    const rest = Object.fromEntries(Object.entries(query).filter(([name]) => !name.startsWith('X-Amz-')));
    const signed = await signer.presign(
      // A presigned S3 URL signs no payload: UNSIGNED-PAYLOAD stands in the canonical request, as the SDK's S3
      // presigner sets it (the AWS documentation's example checks out only so).
      {
        method: request.method ?? 'GET',
        protocol: 'http:',
        hostname,
        path: url.pathname,
        query: rest,
        headers: { host: hostname, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      },
      {
        signingDate: signedAt,
        expiresIn: expires,
        unhoistableHeaders: new Set(['x-amz-content-sha256']),
        unsignableHeaders: new Set(['x-amz-content-sha256']),
      },
    );
    return sameText(String(signed.query?.['X-Amz-Signature'] ?? ''), presigned!) ? undefined : mismatch;
  }

  function forward(request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> {
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(
        { host: innerAddress.address, port: innerAddress.port, method: request.method, path: request.url, headers: request.headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
          answer.on('end', () => resolve());
          answer.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  /** S3's XML error; with the CORS header when the site asked, so that the page can read why. */
  function refuse(response: ServerResponse, request: IncomingMessage, refusal: PolicyRefusal): void {
    const origin = request.headers.origin;
    response.writeHead(refusal.status, {
      'content-type': 'application/xml',
      ...(origin === options.allowedOrigin ? { 'access-control-allow-origin': origin } : {}),
      connection: 'close',
    });
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${escapeXml(refusal.message)}</Message></Error>`,
    );
  }

  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = front.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    bucket: ATTACHMENTS_BUCKET,
    async close() {
      await new Promise<void>((resolve) => {
        front.close(() => resolve());
        front.closeAllConnections();
      });
      await inner.close();
      if (temporary) rmSync(directory, { recursive: true, force: true });
    },
  };
}

function readAll(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) request.destroy(new Error('request too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function parseAmzDate(value: string): Date | undefined {
  const parts = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number) as [number, number, number, number, number, number];
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

function sameText(a: string, b: string): boolean {
  const [left, right] = [Buffer.from(a), Buffer.from(b)];
  return left.length === right.length && timingSafeEqual(left, right);
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** SHA-256 and HMAC-SHA256 from node:crypto in the shape the SDK's signer expects. */
export class NodeSha256 {
  private hash;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}
