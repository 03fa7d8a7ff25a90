import { createHash, createHmac } from 'node:crypto';

// AWS Signature Version 4 for S3, written against node:crypto alone (no SDK client in the Lambda bundles): a
// browser's presigned POST (a signed policy), a presigned GET link, and a header-signed request for the few S3
// calls the functions make themselves. Pinned by AWS's published examples (test/unit/s3-signing.test.ts):
// the POST policy of "Example: Browser-Based Upload using HTTP POST", and the GET examples of "Authenticating
// Requests: Using Query Parameters" and "Examples: Signature Calculations" (examplebucket, 2013-05-24).

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Where a bucket is reached: virtual-hosted in AWS, path-style on a local stand-in (AWS_ENDPOINT_URL_S3). */
export interface S3Location {
  bucket: string;
  region: string;
  /** `https://<bucket>.s3.<region>.amazonaws.com`, or the stand-in's address. */
  baseUrl: string;
  pathStyle: boolean;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

export function s3Location(bucket: string, region: string, endpoint?: string): S3Location {
  if (endpoint) return { bucket, region, baseUrl: endpoint.replace(/\/+$/, ''), pathStyle: true };
  return { bucket, region, baseUrl: `https://${bucket}.s3.${region}.amazonaws.com`, pathStyle: false };
}

/** The credentials Lambda gives the function's role (and the local runtime its demo pair), read when used. */
export function credentialsFromEnvironment(env: NodeJS.ProcessEnv = process.env): AwsCredentials {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  if (!accessKeyId || !secretAccessKey) throw new Error('Missing AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY for signing S3 requests');
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** `20151229T000000Z` */
export const amzDate = (now: Date) =>
  now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');

function signingKey(secretAccessKey: string, day: string, region: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), 's3'), 'aws4_request');
}

/** The signature of a base64 POST policy: the policy itself is the string to sign. */
export function signPolicy(base64Policy: string, secretAccessKey: string, day: string, region: string): string {
  return createHmac('sha256', signingKey(secretAccessKey, day, region))
    .update(base64Policy, 'utf8')
    .digest('hex');
}

/** RFC 3986 encoding as SigV4 wants it: every byte but unreserved characters, `/` kept in paths. */
function uriEncode(value: string, keepSlash = false): string {
  const encoded = encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

function objectUrl(location: S3Location, key: string): URL {
  const path = location.pathStyle ? `/${location.bucket}/${uriEncode(key, true)}` : `/${uriEncode(key, true)}`;
  return new URL(`${location.baseUrl}${path}`);
}

export type PolicyCondition = Record<string, string> | ['eq' | 'starts-with', string, string] | ['content-length-range', number, number];

export interface PresignedPost {
  url: string;
  /** The form fields, in order; the file goes last, as `file`. */
  fields: Record<string, string>;
}

/**
 * A presigned POST for one object: `fields` are sent as they are and each is pinned by an exact condition;
 * `conditions` add more (a content-length-range). Expires `expiresInSeconds` after `now`.
 */
export function presignPost(
  location: S3Location,
  credentials: AwsCredentials,
  now: Date,
  request: { key: string; fields: Record<string, string>; conditions?: readonly PolicyCondition[]; expiresInSeconds: number },
): PresignedPost {
  const date = amzDate(now);
  const credential = `${credentials.accessKeyId}/${date.slice(0, 8)}/${location.region}/s3/aws4_request`;
  const signed: Record<string, string> = {
    key: request.key,
    ...request.fields,
    'x-amz-algorithm': ALGORITHM,
    'x-amz-credential': credential,
    'x-amz-date': date,
    ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
  };
  const policy = {
    expiration: new Date(now.getTime() + request.expiresInSeconds * 1000).toISOString(),
    conditions: [{ bucket: location.bucket }, ...Object.entries(signed).map(([name, value]) => ({ [name]: value })), ...(request.conditions ?? [])],
  };
  const base64Policy = Buffer.from(JSON.stringify(policy), 'utf8').toString('base64');
  const url = location.pathStyle ? `${location.baseUrl}/${location.bucket}` : `${location.baseUrl}/`;
  return {
    url,
    fields: {
      ...signed,
      policy: base64Policy,
      'x-amz-signature': signPolicy(base64Policy, credentials.secretAccessKey, date.slice(0, 8), location.region),
    },
  };
}

function canonicalQuery(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function signature(credentials: AwsCredentials, location: S3Location, date: string, canonicalRequest: string): string {
  const scope = `${date.slice(0, 8)}/${location.region}/s3/aws4_request`;
  const stringToSign = [ALGORITHM, date, scope, sha256Hex(canonicalRequest)].join('\n');
  return createHmac('sha256', signingKey(credentials.secretAccessKey, date.slice(0, 8), location.region))
    .update(stringToSign, 'utf8')
    .digest('hex');
}

/**
 * A presigned GET link to one object, good for `expiresInSeconds` (at most 7 days). `responseHeaders` are S3's
 * `response-*` overrides (e.g. `response-content-disposition`), signed with the rest.
 */
export function presignGet(
  location: S3Location,
  credentials: AwsCredentials,
  now: Date,
  key: string,
  expiresInSeconds: number,
  responseHeaders: Record<string, string> = {},
): string {
  const url = objectUrl(location, key);
  const date = amzDate(now);
  const query: Record<string, string> = {
    'X-Amz-Algorithm': ALGORITHM,
    'X-Amz-Credential': `${credentials.accessKeyId}/${date.slice(0, 8)}/${location.region}/s3/aws4_request`,
    'X-Amz-Date': date,
    'X-Amz-Expires': String(expiresInSeconds),
    'X-Amz-SignedHeaders': 'host',
    ...(credentials.sessionToken ? { 'X-Amz-Security-Token': credentials.sessionToken } : {}),
    ...responseHeaders,
  };
  const canonicalRequest = ['GET', url.pathname, canonicalQuery(query), `host:${url.host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  return `${url.origin}${url.pathname}?${canonicalQuery({ ...query, 'X-Amz-Signature': signature(credentials, location, date, canonicalRequest) })}`;
}

/**
 * A request with an empty body signed in its Authorization header (GetObject with a Range, CopyObject): the
 * URL and headers to send with fetch.
 */
export function signRequest(
  location: S3Location,
  credentials: AwsCredentials,
  now: Date,
  request: { method: 'GET' | 'PUT' | 'HEAD' | 'DELETE'; key: string; headers?: Record<string, string> },
): { url: string; headers: Record<string, string> } {
  const url = objectUrl(location, request.key);
  const date = amzDate(now);
  const headers: Record<string, string> = {
    host: url.host,
    'x-amz-content-sha256': EMPTY_SHA256,
    'x-amz-date': date,
    ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
    ...Object.fromEntries(Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value.trim()])),
  };
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method,
    url.pathname,
    '',
    ...names.map((name) => `${name}:${headers[name]}`),
    '',
    signedHeaders,
    EMPTY_SHA256,
  ].join('\n');
  const credential = `${credentials.accessKeyId}/${date.slice(0, 8)}/${location.region}/s3/aws4_request`;
  const { host: _host, ...sent } = headers;
  return {
    url: url.toString(),
    headers: {
      ...sent,
      authorization: `${ALGORITHM} Credential=${credential},SignedHeaders=${signedHeaders},Signature=${signature(credentials, location, date, canonicalRequest)}`,
    },
  };
}
