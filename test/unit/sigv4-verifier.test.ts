import { readFileSync } from 'node:fs';
import path from 'node:path';
// The hash the AWS SDK for JavaScript itself signs with on Node (its runtime config binds it to sha256), so
// these requests are signed exactly as the SDK and the CLI sign them, independently of the verifier's hash.
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import { Unauthenticated } from '../../lambdas/core/errors';
import { loadStaffDirectory } from '../../lambdas/http/staff-identity';
import { iamAuthorizerContext, verifySignedRequest, type SignedRequest } from '../../local/sigv4-verifier';

const directory = loadStaffDirectory(JSON.parse(readFileSync(path.resolve(__dirname, '../../config/staff.local.json'), 'utf8')));
const agent = directory.staff.find((staff) => staff.id === 'jan.returns')!;
const credentials = { accessKeyId: agent.localAccessKeyId!, secretAccessKey: agent.localSecretAccessKey! };

const NOW = new Date('2026-11-23T10:00:00Z');
const HOST = '127.0.0.1:3000';
const minutes = (count: number) => count * 60 * 1000;

interface Outgoing {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
}

interface SigningOptions {
  signingDate?: Date;
  service?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** The SDK adds a signed X-Amz-Content-SHA256 by default; without it the server hashes the body itself. */
  applyChecksum?: boolean;
}

/** Signs as the SDK does and returns what the local server would hand the verifier. */
async function signed(outgoing: Outgoing, options: SigningOptions = {}): Promise<SignedRequest> {
  const signer = new SignatureV4({
    credentials: options.credentials ?? credentials,
    region: 'eu-central-1',
    service: options.service ?? 'execute-api',
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: options.applyChecksum,
  });
  const request = await signer.sign(
    {
      method: outgoing.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 3000,
      path: outgoing.path,
      query: outgoing.query ?? {},
      headers: { host: HOST, ...outgoing.headers },
      body: outgoing.body,
    },
    { signingDate: options.signingDate ?? NOW },
  );
  return {
    method: outgoing.method,
    path: outgoing.path,
    query: outgoing.query ?? {},
    // Node hands the server lower-case header names.
    headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value])),
    body: Buffer.from(outgoing.body ?? '', 'utf8'),
  };
}

const listing: Outgoing = { method: 'GET', path: '/admin/complaints', query: { department: 'returns', status: 'received', limit: '25' } };
const decision: Outgoing = {
  method: 'POST',
  path: '/admin/complaints/01JD0000000000000000000000/decision',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ outcome: 'accepted', remedy: 'replacement', version: 3 }),
};

/** The error a verification fails with (the test fails if it succeeds). */
async function refusal(request: SignedRequest, now = NOW): Promise<Unauthenticated> {
  try {
    await verifySignedRequest(request, directory, now);
  } catch (error) {
    expect(error).toBeInstanceOf(Unauthenticated);
    expect((error as Unauthenticated).status).toBe(401);
    return error as Unauthenticated;
  }
  throw new Error('the request was accepted');
}

const INVALID = 'The request signature is not valid';

describe('verifying SigV4-signed staff requests', () => {
  it('accepts a GET with a query string signed by the SDK signer and names the staff member', async () => {
    const staff = await verifySignedRequest(await signed(listing), directory, NOW);
    expect(staff.id).toBe('jan.returns');
  });

  it('accepts a POST with a JSON body and its signed X-Amz-Content-SHA256', async () => {
    const request = await signed(decision);
    expect(request.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    await expect(verifySignedRequest(request, directory, NOW)).resolves.toMatchObject({ id: 'jan.returns' });
  });

  it('accepts a POST signed without X-Amz-Content-SHA256, hashing the body itself', async () => {
    const request = await signed(decision, { applyChecksum: false });
    expect(request.headers['x-amz-content-sha256']).toBeUndefined();
    await expect(verifySignedRequest(request, directory, NOW)).resolves.toMatchObject({ id: 'jan.returns' });
  });

  it('accepts a path with an encoded segment and a repeated query parameter', async () => {
    const request = await signed({
      method: 'GET',
      path: '/admin/complaints/RK%2012345',
      query: { status: ['received', 'assigned'], q: 'zwrot pieniędzy & więcej' },
    });
    await expect(verifySignedRequest(request, directory, NOW)).resolves.toMatchObject({ id: 'jan.returns' });
  });

  it('accepts each demo key of the local directory', async () => {
    for (const staff of directory.staff) {
      const request = await signed(listing, { credentials: { accessKeyId: staff.localAccessKeyId!, secretAccessKey: staff.localSecretAccessKey! } });
      await expect(verifySignedRequest(request, directory, NOW)).resolves.toBe(staff);
    }
  });

  it('ignores headers that were not signed, as proxies add them', async () => {
    const request = await signed(listing);
    request.headers['user-agent'] = 'curl/8.5.0';
    request.headers['x-forwarded-for'] = '10.0.0.1';
    await expect(verifySignedRequest(request, directory, NOW)).resolves.toMatchObject({ id: 'jan.returns' });
  });

  it('accepts a signature up to 15 minutes old or ahead of the server clock', async () => {
    await expect(
      verifySignedRequest(await signed(listing, { signingDate: new Date(NOW.getTime() - minutes(14)) }), directory, NOW),
    ).resolves.toBeDefined();
    await expect(
      verifySignedRequest(await signed(listing, { signingDate: new Date(NOW.getTime() + minutes(14)) }), directory, NOW),
    ).resolves.toBeDefined();
  });

  it('refuses an unsigned request', async () => {
    const { authorization: _authorization, ...headers } = (await signed(listing)).headers;
    const error = await refusal({ ...(await signed(listing)), headers });
    expect(error.message).toBe('This route requires an AWS SigV4-signed request');
    expect((await refusal({ ...(await signed(listing)), headers: { ...headers, authorization: 'Bearer abc' } })).message).toBe(
      'This route requires an AWS SigV4-signed request',
    );
  });

  it('refuses a pre-signed URL, saying to sign the Authorization header', async () => {
    const request = await signed(listing);
    const error = await refusal({ ...request, query: { ...request.query, 'X-Amz-Signature': 'a'.repeat(64) } });
    expect(error.message).toMatch(/Pre-signed URLs are not accepted/);
  });

  it('refuses a malformed Authorization header', async () => {
    const request = await signed(listing);
    request.headers.authorization = request.headers.authorization!.replace(/Signature=[0-9a-f]+/, 'Signature=xyz');
    expect((await refusal(request)).message).toMatch(/not a well-formed/);
  });

  it('refuses a tampered body, whether or not the body hash was signed', async () => {
    for (const applyChecksum of [true, false]) {
      const request = await signed(decision, { applyChecksum });
      request.body = Buffer.from(decision.body!.replace('accepted', 'rejected'), 'utf8');
      expect((await refusal(request)).message).toBe(INVALID);
    }
  });

  it('refuses a body hash header that does not match the body even when the header was not signed', async () => {
    const request = await signed(decision, { applyChecksum: false });
    request.headers['x-amz-content-sha256'] = '0'.repeat(64);
    expect((await refusal(request)).message).toBe(INVALID);
  });

  it('refuses an unsigned payload', async () => {
    const request = await signed({ ...decision, headers: { ...decision.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect((await refusal(request)).message).toMatch(/unsigned payloads are not accepted/);
  });

  it('refuses a tampered path', async () => {
    const request = await signed(decision);
    expect((await refusal({ ...request, path: '/admin/complaints/01JD0000000000000000000001/decision' })).message).toBe(INVALID);
  });

  it('refuses a tampered query: a changed value, an added or a removed parameter', async () => {
    const request = await signed(listing);
    expect((await refusal({ ...request, query: { ...request.query, department: 'payments' } })).message).toBe(INVALID);
    expect((await refusal({ ...request, query: { ...request.query, overdue: 'true' } })).message).toBe(INVALID);
    const { limit: _limit, ...fewer } = request.query;
    expect((await refusal({ ...request, query: fewer })).message).toBe(INVALID);
  });

  it('refuses a tampered signed header', async () => {
    const request = await signed(decision);
    request.headers['content-type'] = 'text/plain';
    expect((await refusal(request)).message).toBe(INVALID);
  });

  it('refuses a tampered method', async () => {
    const request = await signed(listing);
    expect((await refusal({ ...request, method: 'DELETE' })).message).toBe(INVALID);
  });

  it('refuses a request replayed after the window: X-Amz-Date 16 minutes old', async () => {
    const request = await signed(listing, { signingDate: new Date(NOW.getTime() - minutes(16)) });
    expect((await refusal(request)).message).toMatch(/more than 15 minutes/);
  });

  it('refuses a signature dated 16 minutes ahead of the server clock', async () => {
    const request = await signed(listing, { signingDate: new Date(NOW.getTime() + minutes(16)) });
    expect((await refusal(request)).message).toMatch(/more than 15 minutes/);
  });

  it('refuses a moved X-Amz-Date, which the signature covers', async () => {
    const request = await signed(listing, { signingDate: new Date(NOW.getTime() - minutes(16)) });
    request.headers['x-amz-date'] = '20261123T100000Z';
    expect((await refusal(request)).message).toBe(INVALID);
  });

  it('refuses an unknown access key and a wrong secret with the same message', async () => {
    const unknownKey = await refusal(
      await signed(listing, { credentials: { accessKeyId: 'AKIALOCALNONEEXAMPLE', secretAccessKey: credentials.secretAccessKey } }),
    );
    const wrongSecret = await refusal(
      await signed(listing, { credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: 'x'.repeat(40) } }),
    );
    expect(unknownKey.message).toBe(INVALID);
    expect(wrongSecret.message).toBe(INVALID);
  });

  it('refuses a key of one staff member used with the secret of another', async () => {
    const other = directory.staff.find((staff) => staff.id === 'anna.admin')!;
    const request = await signed(listing, { credentials: { accessKeyId: other.localAccessKeyId!, secretAccessKey: credentials.secretAccessKey } });
    expect((await refusal(request)).message).toBe(INVALID);
  });

  it('refuses a signature scoped to another service than execute-api', async () => {
    const request = await signed(listing, { service: 'lambda' });
    expect((await refusal(request)).message).toBe('The credential scope must name the execute-api service.');
  });
});

describe('the IAM authorizer context handed to the admin handler', () => {
  it('has the shape API Gateway gives: the principal ARN, its account and the access key', () => {
    expect(iamAuthorizerContext(agent)).toEqual({
      accessKey: 'AKIALOCALRETNEXAMPLE',
      accountId: '000000000000',
      callerId: 'jan.returns',
      cognitoIdentity: null,
      principalOrgId: '',
      userArn: 'arn:aws:iam::000000000000:user/jan.returns',
      userId: 'jan.returns',
    });
  });
});
