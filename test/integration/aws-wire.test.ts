import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoDbClient } from '../../local/dynamodb';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  BatchGetCommand,
  dynamoDocumentClient,
  GetCommand,
  isTransactionCanceled,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '../../lambdas/adapters/aws-wire/dynamodb-api';
import { GetSecretValueCommand, secretsManagerClient } from '../../lambdas/adapters/aws-wire/secrets-manager-api';
import { isServiceError, NetworkingError } from '../../lambdas/adapters/aws-wire/service-errors';
import { SendEmailCommand, sesClient } from '../../lambdas/adapters/aws-wire/sesv2-api';
import { SendTaskSuccessCommand, StartExecutionCommand, stepFunctionsClient } from '../../lambdas/adapters/aws-wire/sfn-api';
import { stepFunctionsWorkflowStarter, stepFunctionsWorkflowWaker } from '../../lambdas/adapters/workflow-client';
import { LOCAL_STATE_MACHINE_ARN } from '../../local/stepfunctions-server';
import type { Runtime } from '../../local/runtime';
import type { SesFault } from '../../local/ses';
import { mailbox, startLocalProduct } from '../support/local-product';

// The signed-fetch client (lambdas/adapters/aws-wire/) against the real local stand-ins the product runs on:
// dynalite (with transactions in its worker), aws-ses-v2-local, the local Step Functions server. Each operation the
// Lambdas use, its failures as AWS names them, and the retries, with nothing pretending to be a service.
// Secrets Manager has no stand-in: its wire shape is pinned against AWS's documented request and answer.

jest.setTimeout(30_000);

let runtime: Runtime;
let sesFault: SesFault | undefined;
let failStarts = 0;
let env: Record<string, string>;
const TABLE = 'aws-wire-conformance';
const fast = { sleep: async () => undefined };

beforeAll(async () => {
  runtime = await startLocalProduct({
    log: () => undefined,
    sesFault: () => sesFault,
    stepFunctionsFault: (operation) => {
      if (operation !== 'StartExecution' || failStarts <= 0) return undefined;
      failStarts -= 1;
      return { type: 'ServiceUnavailable', statusCode: 503 };
    },
  });
  env = {
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: runtime.urls.dynamodb,
    AWS_ENDPOINT_URL_SESV2: runtime.urls.mailbox,
    AWS_ENDPOINT_URL_SFN: runtime.urls.stepFunctions,
  };
  // The table is made with the SDK, as a tool: the Lambdas never create tables.
  const admin = localDynamoDbClient(runtime.urls.dynamodb);
  await admin.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['PK', 'SK', 'shelf'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byShelf',
          KeySchema: [
            { AttributeName: 'shelf', KeyType: 'HASH' },
            { AttributeName: 'SK', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }),
  );
  admin.destroy();
});
afterAll(async () => {
  await runtime.stop();
});

describe('DynamoDB (JSON 1.0) against dynalite and its transactions', () => {
  const dynamo = () => dynamoDocumentClient({ env, ...fast });

  it('puts and gets an item as plain JavaScript, leaving undefined values out', async () => {
    const client = dynamo();
    const item = {
      PK: 'ITEM#1',
      SK: 'A',
      count: 3,
      price: 12.5,
      flags: [true, false],
      nested: { name: 'Ćma', none: null, gone: undefined, list: ['a', 1] },
      gone: undefined,
    };
    await client.send(new PutCommand({ TableName: TABLE, Item: item }));
    const { Item } = await client.send(new GetCommand({ TableName: TABLE, Key: { PK: 'ITEM#1', SK: 'A' }, ConsistentRead: true }));
    expect(Item).toEqual({ PK: 'ITEM#1', SK: 'A', count: 3, price: 12.5, flags: [true, false], nested: { name: 'Ćma', none: null, list: ['a', 1] } });
    const projected = await client.send(
      new GetCommand({ TableName: TABLE, Key: { PK: 'ITEM#1', SK: 'A' }, ProjectionExpression: '#c', ExpressionAttributeNames: { '#c': 'count' } }),
    );
    expect(projected.Item).toEqual({ count: 3 });
    expect((await client.send(new GetCommand({ TableName: TABLE, Key: { PK: 'ITEM#none', SK: 'A' } }))).Item).toBeUndefined();
  });

  it('updates with an expression and answers the updated attributes', async () => {
    const client = dynamo();
    const update = () =>
      client.send(
        new UpdateCommand({
          TableName: TABLE,
          Key: { PK: 'COUNTER#1', SK: 'A' },
          UpdateExpression: 'ADD attempts :one SET expiresAt = :expiresAt',
          ExpressionAttributeValues: { ':one': 1, ':expiresAt': 1_800_000_000 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
    await update();
    expect((await update()).Attributes).toEqual({ attempts: 2, expiresAt: 1_800_000_000 });
  });

  it('names a failed condition ConditionalCheckFailedException, a client fault, and does not try it again', async () => {
    const client = dynamo();
    let requests = 0;
    client.intercept((request, next) => (requests++, next(request)));
    const put = () =>
      client.send(new PutCommand({ TableName: TABLE, Item: { PK: 'ONCE#1', SK: 'A' }, ConditionExpression: 'attribute_not_exists(PK)' }));
    await put();
    const error = await put().catch((caught: unknown) => caught);
    expect(isServiceError(error, 'ConditionalCheckFailedException')).toBe(true);
    expect(error).toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 400, attempts: 1 } });
    expect(requests).toBe(2);
  });

  it('names a validation error ValidationException and does not try it again', async () => {
    const client = dynamo();
    let requests = 0;
    client.intercept((request, next) => (requests++, next(request)));
    const error = await client
      .send(
        new UpdateCommand({
          TableName: TABLE,
          Key: { PK: 'X', SK: 'A' },
          UpdateExpression: 'SET a = :a',
          ExpressionAttributeValues: { ':a': 1, ':unused': 2 },
        }),
      )
      .catch((caught: unknown) => caught);
    expect(isServiceError(error, 'ValidationException')).toBe(true);
    expect(requests).toBe(1);
  });

  it('queries a key range newest first, a page at a time, and an index', async () => {
    const client = dynamo();
    for (const n of [1, 2, 3, 4, 5]) {
      await client.send(new PutCommand({ TableName: TABLE, Item: { PK: 'LIST#1', SK: `EVENT#${n}`, n, shelf: n % 2 ? 'odd' : 'even' } }));
    }
    const query = (ExclusiveStartKey?: Record<string, unknown>) =>
      client.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :events)',
          ExpressionAttributeValues: { ':pk': 'LIST#1', ':events': 'EVENT#' },
          ScanIndexForward: false,
          Limit: 3,
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
    const first = await query();
    expect(first.Items?.map((item) => item.n)).toEqual([5, 4, 3]);
    expect(first.LastEvaluatedKey).toEqual({ PK: 'LIST#1', SK: 'EVENT#3' });
    const second = await query(first.LastEvaluatedKey);
    expect(second.Items?.map((item) => item.n)).toEqual([2, 1]);
    expect(second.LastEvaluatedKey).toBeUndefined();

    const odd = await client.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: 'byShelf',
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'shelf' },
        ExpressionAttributeValues: { ':s': 'odd' },
      }),
    );
    expect(odd.Items?.map((item) => item.SK).sort()).toEqual(['EVENT#1', 'EVENT#3', 'EVENT#5']);
    expect(odd.Items?.[0]).not.toHaveProperty('n'); // keys only
  });

  it('reads a batch of keys, a missing one left out, with a projection', async () => {
    const client = dynamo();
    const { Responses, UnprocessedKeys } = await client.send(
      new BatchGetCommand({
        RequestItems: {
          [TABLE]: {
            Keys: [
              { PK: 'LIST#1', SK: 'EVENT#2' },
              { PK: 'LIST#1', SK: 'EVENT#4' },
              { PK: 'LIST#1', SK: 'EVENT#99' },
            ],
            ProjectionExpression: 'PK, SK, #n',
            ExpressionAttributeNames: { '#n': 'n' },
          },
        },
      }),
    );
    expect(Responses?.[TABLE]?.map((item) => item.n).sort()).toEqual([2, 4]);
    expect(Responses?.[TABLE]?.[0]).not.toHaveProperty('shelf');
    expect(UnprocessedKeys ?? {}).toEqual({});
  });

  it('writes a transaction whole', async () => {
    const client = dynamo();
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: TABLE, Item: { PK: 'TX#1', SK: 'A', v: 1 }, ConditionExpression: 'attribute_not_exists(PK)' } },
          { Put: { TableName: TABLE, Item: { PK: 'TX#1', SK: 'B', v: 1 } } },
        ],
      }),
    );
    const { Items } = await client.send(
      new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'TX#1' } }),
    );
    expect(Items).toHaveLength(2);
  });

  it('names a cancelled transaction TransactionCanceledException with one reason per item, and writes none of it', async () => {
    const client = dynamo();
    await client.send(new PutCommand({ TableName: TABLE, Item: { PK: 'TX#2', SK: 'TAKEN', v: 1 } }));
    const error = await client
      .send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: TABLE, Item: { PK: 'TX#2', SK: 'NEW', v: 1 }, ConditionExpression: 'attribute_not_exists(PK)' } },
            {
              Update: {
                TableName: TABLE,
                Key: { PK: 'TX#2', SK: 'TAKEN' },
                UpdateExpression: 'SET v = :two',
                ConditionExpression: 'v = :zero',
                ExpressionAttributeValues: { ':two': 2, ':zero': 0 },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      )
      .catch((caught: unknown) => caught);
    expect(isTransactionCanceled(error)).toBe(true);
    if (!isTransactionCanceled(error)) return;
    expect(error.CancellationReasons?.map((reason) => reason.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect(error.$metadata.attempts).toBe(1);
    // With ReturnValuesOnConditionCheckFailure the refused item comes back as it was, as plain JavaScript too.
    expect(error.CancellationReasons?.[1]?.Item).toEqual({ PK: 'TX#2', SK: 'TAKEN', v: 1 });
    expect((await client.send(new GetCommand({ TableName: TABLE, Key: { PK: 'TX#2', SK: 'NEW' }, ConsistentRead: true }))).Item).toBeUndefined();
  });

  it('tries a throttled request again and succeeds when DynamoDB lets it through', async () => {
    const client = dynamoDocumentClient({ env }); // the real backoff: 500 ms × 2^retry, full jitter
    let throttled = 0;
    client.intercept(async (request, next) => {
      if (throttled < 2) {
        throttled += 1;
        return new Response(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
            message: 'Rate of requests exceeds the allowed throughput.',
          }),
          { status: 400, headers: { 'content-type': 'application/x-amz-json-1.0' } },
        );
      }
      return next(request);
    });
    await client.send(new PutCommand({ TableName: TABLE, Item: { PK: 'THROTTLED#1', SK: 'A' } }));
    expect(throttled).toBe(2);
    // Written once, by the third attempt, read back with the SDK as a tool.
    const reader = localDynamoDbClient(runtime.urls.dynamodb);
    expect(
      (await reader.send(new GetItemCommand({ TableName: TABLE, Key: { PK: { S: 'THROTTLED#1' }, SK: { S: 'A' } }, ConsistentRead: true }))).Item,
    ).toBeDefined();
    reader.destroy();
  });

  it('names a request that got no answer NetworkingError, after three attempts', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = dynamoDocumentClient({ env: { ...env, AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}` }, ...fast });
    let requests = 0;
    client.intercept((request, next) => (requests++, next(request)));
    const error = await client.send(new GetCommand({ TableName: TABLE, Key: { PK: 'A', SK: 'A' } })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkingError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(requests).toBe(3);
  });
});

describe('SES v2 (REST-JSON) against aws-ses-v2-local', () => {
  const email = (subject: string) =>
    new SendEmailCommand({
      FromEmailAddress: 'reklamacje@sklep.example',
      Destination: { ToAddresses: ['anna@example.com'], CcAddresses: ['dzial@sklep.example'] },
      ConfigurationSetName: 'complaints',
      EmailTags: [
        { Name: 'complaint', Value: '01JD0000000000000000000000' },
        { Name: 'record', Value: 'acknowledgement' },
      ],
      Content: {
        Simple: {
          Subject: { Data: subject, Charset: 'UTF-8' },
          Body: { Text: { Data: 'Treść', Charset: 'UTF-8' }, Html: { Data: '<p>Treść</p>', Charset: 'UTF-8' } },
        },
      },
    });

  it('sends an e-mail with its copy, tags and configuration set, and answers its message id', async () => {
    const client = sesClient({ env });
    const sent: { path: string; body: unknown; contentType: string | null }[] = [];
    client.intercept(async (request, next) => {
      sent.push({
        path: new URL(request.url).pathname,
        body: JSON.parse(await request.clone().text()),
        contentType: request.headers.get('content-type'),
      });
      return next(request);
    });
    const subject = `Potwierdzenie ${Date.now()}`;
    const { MessageId } = await client.send(email(subject));
    expect(MessageId).toEqual(expect.any(String));
    const delivered = (await mailbox(runtime)).find((message) => message.subject === subject) as unknown as {
      messageId: string;
      destination: { to: string[]; cc: string[] };
      body: { text: string; html: string };
    };
    expect(delivered).toMatchObject({
      messageId: MessageId,
      destination: { to: ['anna@example.com'], cc: ['dzial@sklep.example'] },
      body: { text: 'Treść', html: '<p>Treść</p>' },
    });
    // What the stand-in does not keep, pinned on the wire: SES hands the tags back with every delivery event.
    expect(sent).toEqual([
      {
        path: '/v2/email/outbound-emails',
        contentType: 'application/json',
        body: expect.objectContaining({
          ConfigurationSetName: 'complaints',
          EmailTags: [
            { Name: 'complaint', Value: '01JD0000000000000000000000' },
            { Name: 'record', Value: 'acknowledgement' },
          ],
        }),
      },
    ]);
  });

  it('names SES’s refusal from its X-Amzn-ErrorType, retries throttling and a 503, and not a rejected message', async () => {
    const client = sesClient({ env, ...fast });
    let requests = 0;
    client.intercept((request, next) => (requests++, next(request)));
    const attempt = async (fault: SesFault) => {
      sesFault = fault;
      requests = 0;
      try {
        return await client.send(email('odrzucony')).catch((caught: unknown) => caught);
      } finally {
        sesFault = undefined;
      }
    };
    expect(await attempt({ type: 'TooManyRequestsException', statusCode: 429 })).toMatchObject({
      name: 'TooManyRequestsException',
      $fault: 'client',
    });
    expect(requests).toBe(3);
    expect(await attempt({ type: 'ServiceUnavailable', statusCode: 503 })).toMatchObject({ name: 'ServiceUnavailable', $fault: 'server' });
    expect(requests).toBe(3);
    expect(await attempt({ type: 'MessageRejected', statusCode: 400 })).toMatchObject({
      name: 'MessageRejected',
      $fault: 'client',
      $metadata: { attempts: 1 },
    });
    expect(requests).toBe(1);
  });
});

describe('Step Functions (JSON 1.0) against the local server', () => {
  const name = () => `wire-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

  it('starts an execution; the same name and input again is the same execution; other input is ExecutionAlreadyExists', async () => {
    const client = stepFunctionsClient({ env });
    const execution = name();
    const start = (input: string) => client.send(new StartExecutionCommand({ stateMachineArn: LOCAL_STATE_MACHINE_ARN, name: execution, input }));
    const first = await start('{"complaintId":"none"}');
    expect(first.executionArn).toMatch(new RegExp(`:execution:complaint-workflow:${execution}$`));
    expect(typeof first.startDate).toBe('number');
    expect((await start('{"complaintId":"none"}')).executionArn).toBe(first.executionArn);
    const error = await start('{"complaintId":"other"}').catch((caught: unknown) => caught);
    expect(isServiceError(error, 'ExecutionAlreadyExists')).toBe(true);
    expect(error).toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 400 } });
    // The starter adapter takes "already exists" as "already ours".
    await expect(stepFunctionsWorkflowStarter(client, LOCAL_STATE_MACHINE_ARN).start(execution)).resolves.toBeUndefined();
  });

  it('retries a 503 and starts the execution once', async () => {
    const client = stepFunctionsClient({ env, ...fast });
    failStarts = 2;
    const execution = name();
    await client.send(new StartExecutionCommand({ stateMachineArn: LOCAL_STATE_MACHINE_ARN, name: execution, input: '{}' }));
    expect(failStarts).toBe(0);
    expect(await runtime.stepFunctions.execution(execution)).toMatchObject({ name: execution });
  });

  it('names an unknown task token TaskDoesNotExist, which the waker ignores', async () => {
    const client = stepFunctionsClient({ env });
    const error = await client.send(new SendTaskSuccessCommand({ taskToken: 'no-such-token', output: '{}' })).catch((caught: unknown) => caught);
    expect(isServiceError(error, 'TaskDoesNotExist')).toBe(true);
    await expect(stepFunctionsWorkflowWaker(client).wake('no-such-token')).resolves.toBeUndefined();
  });
});

describe('Secrets Manager (JSON 1.1), as AWS documents GetSecretValue', () => {
  // No stand-in runs Secrets Manager locally (the local product reads CURSOR_KEY and a file instead), so the
  // request is checked against the API reference's example (target, content type, body), its signature is
  // recomputed with the AWS SDK's own signer, and the answer is the reference's example answer.
  let server: http.Server;
  let endpoint: string;
  const received: { target?: string; contentType?: string; body: unknown; signatureMatches: boolean }[] = [];

  beforeAll(async () => {
    const signer = new SignatureV4({
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      region: 'eu-central-1',
      service: 'secretsmanager',
      sha256: Hash.bind(null, 'sha256'),
      applyChecksum: false,
    });
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        void (async () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const headers = Object.fromEntries(Object.entries(request.headers).map(([key, value]) => [key, String(value)]));
          const authorization = headers.authorization ?? '';
          // The headers the client says it signed (fetch adds others on the wire: accept, user-agent...).
          const names = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
          const signed = Object.fromEntries(names.map((header) => [header, headers[header] ?? '']));
          const date = headers['x-amz-date']!;
          const signingDate = new Date(
            `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
          );
          const expected = await signer.sign(
            { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', path: request.url!, query: {}, headers: signed, body },
            { signingDate },
          );
          received.push({
            target: headers['x-amz-target'],
            contentType: headers['content-type'],
            body: JSON.parse(body),
            signatureMatches: expected.headers.authorization === authorization,
          });
          const { SecretId } = JSON.parse(body) as { SecretId: string };
          if (SecretId.endsWith('missing')) {
            response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' });
            response.end(JSON.stringify({ __type: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." }));
            return;
          }
          response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          response.end(
            JSON.stringify({
              ARN: SecretId,
              CreatedDate: 1.523477145713e9,
              Name: 'MyTestDatabaseSecret',
              SecretString: '{"cursorKey":"k"}',
              VersionId: 'EXAMPLE1-90ab-cdef-fedc-ba987SECRET1',
              VersionStages: ['AWSPREVIOUS'],
            }),
          );
        })();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('reads a secret’s string with a signed secretsmanager.GetSecretValue request', async () => {
    const client = secretsManagerClient({ env: { ...env, AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint } });
    const arn = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:cursor-key-a1b2c3';
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    expect(SecretString).toBe('{"cursorKey":"k"}');
    expect(received.at(-1)).toEqual({
      target: 'secretsmanager.GetSecretValue',
      contentType: 'application/x-amz-json-1.1',
      body: { SecretId: arn },
      signatureMatches: true,
    });
  });

  it('names a missing secret ResourceNotFoundException', async () => {
    const client = secretsManagerClient({ env: { ...env, AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint } });
    const error = await client.send(new GetSecretValueCommand({ SecretId: 'missing' })).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
      $metadata: { httpStatusCode: 400, requestId: 'req-1', attempts: 1 },
    });
  });
});
