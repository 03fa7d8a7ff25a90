import { DynamoDBClient, GetItemCommand, PutItemCommand, TransactionCanceledException, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoDb, localDynamoDbClient } from '../../local/dynamodb';
import { createPlainTable } from '../support/plain-table';

// TransactWriteItems as DynamoDB documents it (API reference, TransactWriteItems), pinned on the local
// stand-in, which adds it in front of dynalite: all or nothing, conditions on every item, one cancellation
// reason per item, no two operations on one item, and isolation from other writers.

let dynamodb: Awaited<ReturnType<typeof startDynamoDb>>;
let client: DynamoDBClient;
const TABLE = 'transactions-conformance';

beforeAll(async () => {
  dynamodb = await startDynamoDb({ port: 0 });
  client = localDynamoDbClient(dynamodb.url);
  await createPlainTable(client, TABLE);
});
afterAll(async () => {
  client.destroy();
  await dynamodb.close();
});

const key = (pk: string, sk = 'A') => ({ PK: { S: pk }, SK: { S: sk } });
const get = async (pk: string, sk = 'A') =>
  (await client.send(new GetItemCommand({ TableName: TABLE, Key: key(pk, sk), ConsistentRead: true }))).Item;
const put = (pk: string, sk: string, extra: Record<string, unknown> = {}) => ({
  Put: { TableName: TABLE, Item: { ...key(pk, sk), ...extra } as never },
});

it('writes every item of a transaction', async () => {
  await client.send(new TransactWriteItemsCommand({ TransactItems: [put('t1', 'A'), put('t1', 'B'), put('t1', 'C')] }));
  expect(await get('t1', 'A')).toBeDefined();
  expect(await get('t1', 'C')).toBeDefined();
});

it('refuses an update and a put of the same item in one transaction, and leaves the item as it was', async () => {
  await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('t2', 'A'), n: { N: '1' } } }));
  const attempt = client.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        { Update: { TableName: TABLE, Key: key('t2', 'A'), UpdateExpression: 'SET n = :two', ExpressionAttributeValues: { ':two': { N: '2' } } } },
        put('t2', 'B'),
        { Put: { TableName: TABLE, Item: key('t2', 'A'), ConditionExpression: 'attribute_not_exists(PK)' } },
      ],
    }),
  );
  await expect(attempt).rejects.toMatchObject({ name: 'ValidationException' });
  expect(await get('t2', 'B')).toBeUndefined();
  expect(await get('t2', 'A')).toEqual({ ...key('t2', 'A'), n: { N: '1' } });
});

it('cancels with one reason per item, ConditionalCheckFailed where the condition failed', async () => {
  await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('t3', 'A'), state: { S: 'old' } } }));
  const attempt = client.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        put('t3', 'B'),
        {
          Update: {
            TableName: TABLE,
            Key: key('t3', 'A'),
            UpdateExpression: 'SET #s = :new',
            ConditionExpression: '#s = :expected',
            ExpressionAttributeNames: { '#s': 'state' },
            ExpressionAttributeValues: { ':new': { S: 'new' }, ':expected': { S: 'other' } },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        put('t3', 'C'),
      ],
    }),
  );
  const error = (await attempt.catch((caught: unknown) => caught)) as TransactionCanceledException;
  expect(error).toBeInstanceOf(TransactionCanceledException);
  expect(error.CancellationReasons?.map((reason) => reason.Code)).toEqual(['None', 'ConditionalCheckFailed', 'None']);
  expect(error.CancellationReasons?.[1]?.Item).toEqual({ ...key('t3', 'A'), state: { S: 'old' } });
  expect(await get('t3', 'B')).toBeUndefined();
  expect(await get('t3', 'C')).toBeUndefined();
  expect((await get('t3', 'A'))?.state).toEqual({ S: 'old' });
});

it('checks a ConditionCheck without writing anything, even on an item that does not exist', async () => {
  await client.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        { ConditionCheck: { TableName: TABLE, Key: key('t4', 'missing'), ConditionExpression: 'attribute_not_exists(PK)' } },
        put('t4', 'B'),
      ],
    }),
  );
  expect(await get('t4', 'missing')).toBeUndefined();
  expect(await get('t4', 'B')).toBeDefined();
  const refused = client.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        { ConditionCheck: { TableName: TABLE, Key: key('t4', 'missing'), ConditionExpression: 'attribute_exists(PK)' } },
        put('t4', 'C'),
      ],
    }),
  );
  await expect(refused).rejects.toBeInstanceOf(TransactionCanceledException);
  expect(await get('t4', 'missing')).toBeUndefined();
  expect(await get('t4', 'C')).toBeUndefined();
});

it('refuses two operations on one item (ValidationException) and writes nothing', async () => {
  const refused = client.send(
    new TransactWriteItemsCommand({ TransactItems: [put('t5', 'A'), { Delete: { TableName: TABLE, Key: key('t5', 'A') } }] }),
  );
  await expect(refused).rejects.toMatchObject({ name: 'ValidationException' });
  expect(await get('t5', 'A')).toBeUndefined();
});

// Creates are written together locally (one batch); each must still be validated as DynamoDB validates a put.
it.each([
  ['an unused expression value', { ConditionExpression: 'attribute_not_exists(PK)', ExpressionAttributeValues: { ':unused': { S: 'x' } } }, /unused/],
  ['an unused expression name', { ConditionExpression: 'attribute_not_exists(PK)', ExpressionAttributeNames: { '#unused': 'other' } }, /unused/],
  [
    'a name used beside one that is not',
    { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'PK', '#unused': 'other' } },
    /unused/,
  ],
])('refuses creates of which one carries %s (ValidationException) and writes none of them', async (_, condition, message) => {
  const refused = client.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: TABLE, Item: key('t9', 'A'), ConditionExpression: 'attribute_not_exists(PK)' } },
        { Put: { TableName: TABLE, Item: key('t9', 'B'), ...condition } },
      ],
    }),
  );
  await expect(refused).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(message) });
  expect(await get('t9', 'A')).toBeUndefined();
  expect(await get('t9', 'B')).toBeUndefined();
});

it('writes creates whose condition names the key through an expression name', async () => {
  await client.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        {
          Put: {
            TableName: TABLE,
            Item: key('t10', 'A'),
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': 'PK' },
          },
        },
        { Put: { TableName: TABLE, Item: key('t10', 'B'), ConditionExpression: 'attribute_not_exists(PK)' } },
      ],
    }),
  );
  expect(await get('t10', 'A')).toBeDefined();
  expect(await get('t10', 'B')).toBeDefined();
});

it('isolates concurrent transactions: of 20 claiming the same item, exactly one wins', async () => {
  const claims = Array.from({ length: 20 }, (_, i) =>
    client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: TABLE, Item: { ...key('t6', 'claim'), owner: { S: String(i) } }, ConditionExpression: 'attribute_not_exists(PK)' } },
            put('t6', `owner-${i}`),
          ],
        }),
      )
      .then(
        () => i,
        () => undefined,
      ),
  );
  const winners = (await Promise.all(claims)).filter((winner) => winner !== undefined);
  expect(winners).toHaveLength(1);
  expect((await get('t6', 'claim'))?.owner).toEqual({ S: String(winners[0]) });
  for (let i = 0; i < 20; i++) expect(await get('t6', `owner-${i}`)).toEqual(i === winners[0] ? key('t6', `owner-${i}`) : undefined);
});

it('creates items that may only be created all together, or none when one of them exists', async () => {
  const create = (pk: string, sk: string) => ({
    Put: { TableName: TABLE, Item: key(pk, sk) as never, ConditionExpression: 'attribute_not_exists(PK)' },
  });
  await client.send(new TransactWriteItemsCommand({ TransactItems: [create('t7', 'A'), create('t7', 'B')] }));
  expect(await get('t7', 'A')).toBeDefined();
  const refused = client.send(new TransactWriteItemsCommand({ TransactItems: [create('t7', 'C'), create('t7', 'B'), create('t7', 'D')] }));
  const error = (await refused.catch((caught: unknown) => caught)) as TransactionCanceledException;
  expect(error.CancellationReasons?.map((reason) => reason.Code)).toEqual(['None', 'ConditionalCheckFailed', 'None']);
  expect(await get('t7', 'C')).toBeUndefined();
  expect(await get('t7', 'D')).toBeUndefined();
});
