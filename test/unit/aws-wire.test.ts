// The signed-fetch client's own rules, without a network: signatures against AWS's published SigV4 test suite
// and against the SDK's own signer, where a request goes (AWS_ENDPOINT_URL_<SERVICE>), which answers are
// retried and how often, and how an error answer is named. The protocols against the real stand-ins are in
// test/integration/aws-wire.test.ts.
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import { awsTargetOf, type AwsService } from '../../lambdas/adapters/aws-wire/aws-environment';
import { AwsServiceError, isServiceError, NetworkingError } from '../../lambdas/adapters/aws-wire/service-errors';
import { signedTransport, type TransportOptions } from '../../lambdas/adapters/aws-wire/signed-transport';
import { backoffMs, retryKindOf, RetryQuota } from '../../lambdas/adapters/aws-wire/standard-retry';
import { dynamoDocumentClient, GetCommand } from '../../lambdas/adapters/aws-wire/dynamodb-api';
import { InvalidConfiguration } from '../../lambdas/core/errors';

// AWS's SigV4 test suite (docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html): its example
// credentials, region, service name and time.
const SUITE_SERVICE: AwsService = { endpointId: 'SUITE', endpointPrefix: 'example', signingName: 'service' };
const SUITE_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  AWS_ENDPOINT_URL_SUITE: 'https://example.amazonaws.com',
};
const SUITE_TIME = new Date('2015-08-30T12:36:00Z');

const DYNAMODB: AwsService = { endpointId: 'DYNAMODB', endpointPrefix: 'dynamodb', signingName: 'dynamodb' };
const LOCAL_ENV = { AWS_REGION: 'eu-central-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL: 'http://127.0.0.1:1' };

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/x-amz-json-1.0', ...headers } });
const dynamoError = (status: number, type: string, message = type) => json(status, { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });

/** A transport whose every attempt is answered by `answer` (called with the attempt's number), with no real waiting. */
function scripted(answer: (attempt: number, request: Request) => Response | Promise<Response>, options: TransportOptions = {}) {
  const requests: Request[] = [];
  const waits: number[] = [];
  const transport = signedTransport(DYNAMODB, {
    env: LOCAL_ENV,
    fetch: async (request) => {
      requests.push(request);
      return answer(requests.length, request);
    },
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
  const send = () => transport.send({ path: '/', headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem' }, body: '{}' });
  return { transport, requests, waits, send };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

describe('signing (SigV4 by aws4fetch, as the transport calls it)', () => {
  it("signs AWS's post-vanilla test request to the published signature", async () => {
    const seen: Request[] = [];
    const transport = signedTransport(SUITE_SERVICE, {
      env: SUITE_ENV,
      now: () => SUITE_TIME,
      fetch: async (request) => (seen.push(request), new Response('{}')),
    });
    await transport.send({ path: '/', headers: {}, body: '' });
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.headers.get('x-amz-date')).toBe('20150830T123600Z');
    expect(seen[0]!.headers.get('authorization')).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ' +
        'Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    );
  });

  it("signs a DynamoDB request exactly as the AWS SDK's own signer does, session token included", async () => {
    const seen: Request[] = [];
    const env = { ...LOCAL_ENV, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token/with+chars=' };
    const client = dynamoDocumentClient({ env, now: () => SUITE_TIME, fetch: async (request) => (seen.push(request), json(200, {})) });
    await client.send(new GetCommand({ TableName: 'complaints', Key: { PK: 'COMPLAINT#01', SK: 'COMPLAINT' }, ConsistentRead: true }));
    const sent = seen[0]!;
    const body = await sent.clone().text();
    expect(JSON.parse(body)).toEqual({ TableName: 'complaints', Key: { PK: { S: 'COMPLAINT#01' }, SK: { S: 'COMPLAINT' } }, ConsistentRead: true });
    const url = new URL(sent.url);
    const signer = new SignatureV4({
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token/with+chars=' },
      region: 'eu-central-1',
      service: 'dynamodb',
      sha256: Hash.bind(null, 'sha256'),
      applyChecksum: false,
    });
    // The same headers as sent, less the signature and content-type (which neither signer signs: AWS does not require it).
    const { authorization: _authorization, 'content-type': _contentType, ...headers } = Object.fromEntries(sent.headers);
    const expected = await signer.sign(
      {
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        query: {},
        headers: { ...headers, host: url.host },
        body,
      },
      { signingDate: SUITE_TIME },
    );
    expect(sent.headers.get('authorization')).toBe(expected.headers.authorization);
    expect(sent.headers.get('x-amz-security-token')).toBe('token/with+chars=');
    expect(sent.headers.get('x-amz-target')).toBe('DynamoDB_20120810.GetItem');
    expect(sent.headers.get('content-type')).toBe('application/x-amz-json-1.0');
  });
});

describe('where a request goes and as whom (the SDK variables)', () => {
  const base = { AWS_REGION: 'eu-central-1', AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'secret' };

  it.each([
    ['the public regional endpoint by default', base, 'https://dynamodb.eu-central-1.amazonaws.com'],
    ['the China partition’s domain in a cn- region', { ...base, AWS_REGION: 'cn-north-1' }, 'https://dynamodb.cn-north-1.amazonaws.com.cn'],
    ['AWS_ENDPOINT_URL for every service', { ...base, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566/' }, 'http://127.0.0.1:4566'],
    [
      'AWS_ENDPOINT_URL_<SERVICE> before AWS_ENDPOINT_URL',
      { ...base, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' },
      'http://127.0.0.1:8000',
    ],
    [
      'neither with AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
      { ...base, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
      'https://dynamodb.eu-central-1.amazonaws.com',
    ],
  ])('%s', (_case, env, endpoint) => {
    expect(awsTargetOf(DYNAMODB, env).endpoint).toBe(endpoint);
  });

  it('takes the credentials and the session token from the environment', () => {
    expect(awsTargetOf(DYNAMODB, { ...base, AWS_SESSION_TOKEN: 'token' }).credentials).toEqual({
      accessKeyId: 'id',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
  });

  it.each(['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])('fails naming %s when it is missing', (name) => {
    const env: Record<string, string | undefined> = { ...base, [name]: undefined };
    expect(() => awsTargetOf(DYNAMODB, env)).toThrow(InvalidConfiguration);
    expect(() => awsTargetOf(DYNAMODB, env)).toThrow(name);
  });
});

describe('retries as the SDK standard mode', () => {
  it('tries a throttled request again, up to 3 attempts in all, and answers the attempt that succeeds', async () => {
    const { send, requests, waits } = scripted((attempt) =>
      attempt < 3 ? dynamoError(400, 'ProvisionedThroughputExceededException') : json(200, { Item: {} }),
    );
    await expect(send()).resolves.toEqual({ Item: {} });
    expect(requests).toHaveLength(3);
    // Full jitter over 500 ms × 2^retry after throttling (random() = 0.5 here).
    expect(waits).toEqual([250, 500]);
    // Each attempt is signed afresh.
    expect(requests.every((request) => request.headers.get('authorization')?.startsWith('AWS4-HMAC-SHA256 Credential=local/'))).toBe(true);
  });

  it('gives up after the third attempt with the last error and says how many attempts were made', async () => {
    const { send, requests, waits } = scripted(() => dynamoError(500, 'InternalServerError', 'try later'));
    const error = await failure(send());
    expect(requests).toHaveLength(3);
    expect(waits).toEqual([50, 100]); // 100 ms base for a server error
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error).toMatchObject({
      name: 'InternalServerError',
      message: 'try later',
      $fault: 'server',
      $metadata: { httpStatusCode: 500, attempts: 3 },
    });
  });

  it.each([
    ['a failed condition', () => dynamoError(400, 'ConditionalCheckFailedException', 'The conditional request failed')],
    [
      'a validation error',
      () => json(400, { __type: 'com.amazon.coral.validate#ValidationException', message: 'One or more parameter values were invalid' }),
    ],
    [
      'a cancelled transaction',
      () => json(400, { __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException', CancellationReasons: [] }),
    ],
    ['a missing table', () => dynamoError(400, 'ResourceNotFoundException')],
  ])('never tries %s again', async (_case, answer) => {
    const { send, requests } = scripted(answer);
    const error = await failure(send());
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 400, attempts: 1 } });
  });

  it('tries again when no answer came, and names the failure NetworkingError with its code', async () => {
    const refused = () =>
      Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }));
    const { send, requests } = scripted(refused);
    const error = await failure(send());
    expect(requests).toHaveLength(3);
    expect(error).toBeInstanceOf(NetworkingError);
    expect(error).toMatchObject({ name: 'NetworkingError', code: 'ECONNREFUSED' });
  });

  it('stops retrying when the process’s retry quota is spent, and earns it back with successes', () => {
    const quota = new RetryQuota();
    let retries = 0;
    while (quota.take('transient') !== undefined) retries++;
    expect(retries).toBe(100); // 500 tokens at 5 a retry
    quota.succeeded(0);
    expect(quota.available).toBe(1);
    quota.succeeded(10);
    expect(quota.available).toBe(11);
    expect(quota.take('timeout')).toBe(10);
  });

  it('classifies errors as the SDK does', () => {
    const error = (name: string, status: number) => new AwsServiceError(name, name, { httpStatusCode: status, attempts: 1 });
    expect(retryKindOf(error('TooManyRequestsException', 429))).toBe('throttling');
    expect(retryKindOf(error('Whatever', 429))).toBe('throttling');
    expect(retryKindOf(error('ThrottlingException', 400))).toBe('throttling');
    expect(retryKindOf(error('ServiceUnavailable', 503))).toBe('transient');
    expect(retryKindOf(error('RequestTimeout', 400))).toBe('timeout');
    expect(retryKindOf(error('MessageRejected', 400))).toBeUndefined();
    expect(retryKindOf(new Error('a bug'))).toBeUndefined();
  });

  it('backs off with full jitter under a ceiling that doubles and stops at 20 s', () => {
    expect(backoffMs('transient', 1, () => 0.999)).toBe(99);
    expect(backoffMs('transient', 2, () => 0.999)).toBe(199);
    expect(backoffMs('throttling', 2, () => 0.999)).toBe(999);
    expect(backoffMs('throttling', 10, () => 0.999)).toBe(19_980);
    expect(backoffMs('throttling', 10, () => 0)).toBe(0);
  });
});

describe('naming an error answer (x-amzn-ErrorType, then code, then __type)', () => {
  it.each([
    [
      'a JSON 1.0 __type with its namespace',
      json(400, { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'm' }),
      'ConditionalCheckFailedException',
    ],
    ['a bare __type (Step Functions)', json(400, { __type: 'ExecutionAlreadyExists', message: 'm' }), 'ExecutionAlreadyExists'],
    [
      'a REST-JSON header with its URI',
      json(400, { message: 'm' }, { 'x-amzn-errortype': 'MessageRejected:http://internal.amazon.com/coral/com.amazonaws.sesv2/' }),
      'MessageRejected',
    ],
    ['a body code', json(400, { code: 'AccountSuspendedException', message: 'm' }), 'AccountSuspendedException'],
    ['an answer that names nothing', new Response('<html>Bad gateway</html>', { status: 400 }), 'Http400'],
  ])('%s', async (_case, response, name) => {
    const { send } = scripted(() => response);
    const error = await failure(send());
    expect(isServiceError(error, name)).toBe(true);
  });

  it('keeps the message under either spelling, the request id and the error’s own members', async () => {
    const { send } = scripted(() =>
      json(
        400,
        {
          __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
          Message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
          CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }],
        },
        { 'x-amzn-requestid': 'REQ123' },
      ),
    );
    const error = await failure(send());
    expect(error).toMatchObject({
      name: 'TransactionCanceledException',
      message: expect.stringContaining('[None, ConditionalCheckFailed]'),
      $metadata: { requestId: 'REQ123' },
      CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }],
    });
  });
});
