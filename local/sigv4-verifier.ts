import { createHash, createHmac, timingSafeEqual, type BinaryLike, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayEventRequestContextIAMAuthorizer } from 'aws-lambda';
import { Unauthenticated } from '../lambdas/core/errors';
import { parseArn, staffForAccessKey, type StaffDirectory, type StaffMember } from '../lambdas/core/staff';

// What API Gateway's IAM authorizer does in AWS, for the local server: check an AWS Signature Version 4
// against the staff directory's demo keys. The signature is recomputed by the AWS SDK's own signer
// (@smithy/signature-v4), so a request the CLI, an SDK or awscurl signs is accepted exactly when AWS would.

const ALGORITHM = 'AWS4-HMAC-SHA256';
const SERVICE = 'execute-api';
/** AWS refuses a signature dated more than 15 minutes from its clock, which bounds replays of a captured request. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const NOT_SIGNED = 'This route requires an AWS SigV4-signed request';
/** One message for an unknown key and a wrong signature, so a caller cannot probe which keys exist. */
const NOT_VALID = 'The request signature is not valid';

/** A secret no demo key has: an unknown key is checked against it so that it costs the same time as a known one. */
const DECOY_SECRET = 'decoy-secret-for-unknown-access-keys-0000';

export interface SignedRequest {
  method: string;
  /** The path as sent on the wire, percent-encoding intact (`URL.pathname`). */
  path: string;
  /** Decoded query parameters (`URL.searchParams`). */
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: Buffer;
}

/** Returns the staff member whose demo key signed the request; throws `Unauthenticated` otherwise. */
export async function verifySignedRequest(request: SignedRequest, directory: StaffDirectory, now: Date): Promise<StaffMember> {
  const headers = lowerCased(request.headers);
  if (Object.keys(request.query).some((name) => name.toLowerCase() === 'x-amz-signature' || name.toLowerCase() === 'x-amz-credential')) {
    throw new Unauthenticated('Pre-signed URLs are not accepted here; sign the Authorization header instead.');
  }
  const authorization = headers.authorization;
  if (!authorization?.startsWith(`${ALGORITHM} `)) throw new Unauthenticated(NOT_SIGNED);
  const { credential, signedHeaders, signature } = parseAuthorization(authorization);

  if (credential.service !== SERVICE) throw new Unauthenticated(`The credential scope must name the ${SERVICE} service.`);
  const signedAt = parseAmzDate(headers['x-amz-date']);
  if (!signedAt || !signedHeaders.includes('x-amz-date')) throw new Unauthenticated('The request must carry a signed X-Amz-Date header.');
  if (headers['x-amz-date']!.slice(0, 8) !== credential.date) {
    throw new Unauthenticated('The date of the credential scope is not the date of X-Amz-Date.');
  }
  if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_CLOCK_SKEW_MS) {
    throw new Unauthenticated('The signature is dated more than 15 minutes from the server clock; sign the request again.');
  }
  if (!signedHeaders.includes('host')) throw new Unauthenticated('The Host header must be signed.');
  const missing = signedHeaders.find((name) => headers[name] === undefined);
  if (missing) throw new Unauthenticated(`The signed header ${missing} is not in the request.`);
  assertPayloadHash(headers['x-amz-content-sha256'], request.body);

  // Checks after this point share one message: nothing tells an unknown key from a wrong secret.
  const staff = staffForAccessKey(directory, credential.accessKeyId);
  const expected = await signatureFor(request, headers, signedHeaders, credential, signedAt, staff?.localSecretAccessKey ?? DECOY_SECRET);
  const valid = timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(signature, 'hex'));
  if (!staff || !valid) throw new Unauthenticated(NOT_VALID);
  return staff;
}

/**
 * The `requestContext.authorizer.iam` object API Gateway hands the function after its IAM authorizer
 * accepted a request. In AWS `callerId` and `userId` are IAM's unique ids (AIDA…, AROA…:session); locally
 * there are none, so they carry the staff id. Handlers identify the caller by `userArn` only.
 */
export function iamAuthorizerContext(staff: StaffMember): APIGatewayEventRequestContextIAMAuthorizer['iam'] {
  return {
    accessKey: staff.localAccessKeyId ?? '',
    accountId: parseArn(staff.principalArn)?.account ?? '',
    callerId: staff.id,
    cognitoIdentity: null,
    // No AWS Organization behind the local runtime.
    principalOrgId: '',
    userArn: staff.principalArn,
    userId: staff.id,
  };
}

interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const SIGNATURE = /^[0-9a-f]{64}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

function parseAuthorization(authorization: string): { credential: Credential; signedHeaders: string[]; signature: string } {
  const fields = new Map<string, string>();
  for (const part of authorization.slice(ALGORITHM.length + 1).split(',')) {
    const separator = part.indexOf('=');
    if (separator > 0) fields.set(part.slice(0, separator).trim(), part.slice(separator + 1).trim());
  }
  const malformed = () => new Unauthenticated('The Authorization header is not a well-formed AWS SigV4 header.');
  const [accessKeyId, date, region, service, terminator, ...extra] = (fields.get('Credential') ?? '').split('/');
  const signedHeaders = (fields.get('SignedHeaders') ?? '').split(';');
  const signature = fields.get('Signature') ?? '';
  if (!accessKeyId || !date || !/^\d{8}$/.test(date) || !region || !/^[a-z0-9-]{1,32}$/.test(region) || !service) throw malformed();
  if (terminator !== 'aws4_request' || extra.length > 0) throw malformed();
  if (!signedHeaders.every((name) => HEADER_NAME.test(name)) || !SIGNATURE.test(signature)) throw malformed();
  return { credential: { accessKeyId, date, region, service }, signedHeaders, signature };
}

/** `20261123T101500Z` as a Date, or undefined if it is not one. */
function parseAmzDate(value: string | undefined): Date | undefined {
  const parts = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return date.getUTCDate() === day && date.getUTCHours() === hour ? date : undefined;
}

/**
 * A signed X-Amz-Content-SHA256 stands in for the body in the signature, so it must be the body's hash:
 * otherwise a changed body would pass under the old header. Unsigned and streaming payloads are refused.
 */
function assertPayloadHash(declared: string | undefined, body: Buffer): void {
  if (declared === undefined) return;
  if (!SIGNATURE.test(declared))
    throw new Unauthenticated('X-Amz-Content-SHA256 must be the hex SHA-256 of the body; unsigned payloads are not accepted.');
  if (declared !== createHash('sha256').update(body).digest('hex')) throw new Unauthenticated(NOT_VALID);
}

async function signatureFor(
  request: SignedRequest,
  headers: Record<string, string>,
  signedHeaders: string[],
  credential: Credential,
  signedAt: Date,
  secretAccessKey: string,
): Promise<string> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: credential.accessKeyId, secretAccessKey },
    region: credential.region,
    service: credential.service,
    sha256: NodeSha256,
    // Sign exactly the headers the caller signed: the signer must not add X-Amz-Content-SHA256 of its own.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method.toUpperCase(),
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: request.path,
      query: request.query,
      headers: Object.fromEntries(signedHeaders.map((name) => [name, headers[name]!])),
      body: request.body,
    },
    // A caller may sign headers the SDK never would (User-Agent…); take their word for which ones count.
    { signingDate: signedAt, signableHeaders: new Set(signedHeaders) },
  );
  return /Signature=([0-9a-f]{64})$/.exec(signed.headers.authorization ?? '')?.[1] ?? '0'.repeat(64);
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  const lowered: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lowered[name.toLowerCase()] = value;
  return lowered;
}

/** SHA-256 and HMAC-SHA256 from node:crypto in the shape the signer expects (what @smithy/hash-node wraps). */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): BinaryLike {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}
