import { createHash, createHmac } from 'node:crypto';
import type { AwsCredentials } from './aws-environment';

// Signature Version 4 for the JSON APIs the product calls (docs.aws.amazon.com/IAM/latest/UserGuide/
// reference_sigv4-create-signed-request.html), with node:crypto: synchronous, ~20 µs a request, where
// WebCrypto's async digests took ~1 ms each on a busy two-core machine, in the path of every intake. Only what
// these calls need: POST, no query string, a body given whole. Pinned by AWS's published test suite and by the
// AWS SDK's own signer (test/unit/aws-wire.test.ts).

/** Headers a proxy may change on the way: signing them would only make valid requests fail (as the SDKs do). */
const UNSIGNED = new Set(['authorization', 'content-type', 'content-length', 'user-agent', 'expect', 'x-amzn-trace-id', 'connection']);

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** 20150830T123600Z */
export const amzDate = (date: Date) => date.toISOString().replace(/[:-]|\.\d{3}/g, '');

export interface SignedPost {
  url: URL;
  /** The request's own headers (lower-case names); host, x-amz-date and the session token are added. */
  headers: Record<string, string>;
  body: string;
  credentials: AwsCredentials;
  region: string;
  service: string;
  now: Date;
}

/**
 * The headers to send: the request's, plus x-amz-date, x-amz-security-token (temporary credentials) and
 * authorization. Signing keys are derived once per day, region and service (`keys` is the caller's cache).
 */
export function signPost(request: SignedPost, keys: Map<string, Buffer>): Record<string, string> {
  const datetime = amzDate(request.now);
  const day = datetime.slice(0, 8);
  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value])),
    'x-amz-date': datetime,
    ...(request.credentials.sessionToken ? { 'x-amz-security-token': request.credentials.sessionToken } : {}),
  };
  const signable: Record<string, string> = { ...headers, host: request.url.host };
  const names = Object.keys(signable)
    .filter((name) => !UNSIGNED.has(name))
    .sort();
  const canonicalHeaders = names.map((name) => `${name}:${signable[name]!.trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = ['POST', canonicalPath(request.url.pathname), '', canonicalHeaders, signedHeaders, sha256Hex(request.body)].join('\n');
  const scope = `${day}/${request.region}/${request.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', datetime, scope, sha256Hex(canonicalRequest)].join('\n');
  const cacheKey = `${request.credentials.accessKeyId}|${scope}`;
  let key = keys.get(cacheKey);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${request.credentials.secretAccessKey}`, day), request.region), request.service), 'aws4_request');
    keys.clear(); // one key in use at a time: yesterday's is never needed again
    keys.set(cacheKey, key);
  }
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${request.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/** Each segment URI-encoded twice, as SigV4 asks of every service but S3; the product's paths need no escaping. */
function canonicalPath(path: string): string {
  const encode = (segment: string) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return path
    .split('/')
    .map((segment) => encode(encode(decodeURIComponent(segment))))
    .join('/');
}
