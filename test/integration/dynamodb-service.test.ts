import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand, PutItemCommand, TransactionCanceledException, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoDbClient } from '../../local/dynamodb';
import { dynaliteApart } from '../../local/dynalite-in-process';
import { dynamoDbService } from '../../local/dynamodb-service';
import type { TransactionObserver } from '../../local/dynamodb-transactions';
import { createPlainTable } from '../support/plain-table';

// What dynalite's worker thread serves, run here in the test's thread: dynalite's own server with the
// service as its request listener. The observer stands for the event journal (local/event-journal.ts): the
// service waits for its answer before applying a transaction, which lets these tests hold a transaction open at
// that point.

const TABLE = 'service';
const seen: string[] = [];
let hold: Promise<void> = Promise.resolve();
const observe: TransactionObserver = async (items) => {
  const names = items.map(({ item }) => (item.SK as { S: string }).S).join('+');
  seen.push(`intent ${names}: ${(await present(names.split('+'))).join(',')}`);
  await hold;
  return {
    committed: () => void present(names.split('+')).then((found) => seen.push(`committed ${names}: ${found.join(',')}`)),
    aborted: () => void present(names.split('+')).then((found) => seen.push(`aborted ${names}: ${found.join(',')}`)),
  };
};

let server: http.Server;
let client: DynamoDBClient;
let present: (sks: string[]) => Promise<string[]>;

beforeAll(async () => {
  const dynalite = dynaliteApart(require.resolve('dynalite'), { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server = dynalite.server;
  const service = dynamoDbService({ dynalite, observe });
  server.on('request', service.handle);
  present = async (sks) =>
    (
      await Promise.all(
        sks.map(async (SK) => {
          const { body } = await service.call('GetItem', { TableName: TABLE, Key: { PK: { S: 'P' }, SK: { S: SK } }, ConsistentRead: true });
          return body.Item ? [SK] : [];
        }),
      )
    ).flat();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = localDynamoDbClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  await createPlainTable(client, TABLE);
});
afterAll(async () => {
  client.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const key = (SK: string) => ({ PK: { S: 'P' }, SK: { S: SK } });
const create = (SK: string, extra: Record<string, { S: string }> = {}) => ({
  Put: { TableName: TABLE, Item: { ...key(SK), ...extra }, ConditionExpression: 'attribute_not_exists(PK)' },
});
const get = async (SK: string) => (await client.send(new GetItemCommand({ TableName: TABLE, Key: key(SK), ConsistentRead: true }))).Item;

it('journals the intent before a transaction applies, and its outcome after', async () => {
  await client.send(new TransactWriteItemsCommand({ TransactItems: [create('a1'), create('a2')] }));
  await expect(client.send(new TransactWriteItemsCommand({ TransactItems: [create('a3'), create('a1')] }))).rejects.toBeInstanceOf(
    TransactionCanceledException,
  );
  while (seen.length < 4) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(seen).toEqual(['intent a1+a2: ', 'committed a1+a2: a1,a2', 'intent a3+a1: a1', 'aborted a3+a1: a1']);
});

it('makes a plain write to an item a transaction holds wait until the transaction is over', async () => {
  let release!: () => void;
  hold = new Promise((resolve) => (release = resolve));
  const transaction = client.send(new TransactWriteItemsCommand({ TransactItems: [create('b1', { by: { S: 'transaction' } }), create('b2')] }));
  while (!seen.some((line) => line.startsWith('intent b1+b2'))) await new Promise((resolve) => setTimeout(resolve, 5));
  let plainDone = false;
  const plain = client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('b1'), by: { S: 'plain' } } })).then(() => (plainDone = true));
  // The plain write has had time to arrive; it must neither have answered nor have written the item.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(plainDone).toBe(false);
  expect(await get('b1')).toBeUndefined();
  release();
  // The transaction's create found the item absent, so the plain put did not land before it.
  await transaction;
  await plain;
  expect((await get('b1'))?.by).toEqual({ S: 'plain' });
  hold = Promise.resolve();
});

it('applies creates with an update of a counter that may or may not exist, and refuses them all when the counter is at its limit', async () => {
  const counted = (limit: number) => ({
    Update: {
      TableName: TABLE,
      Key: key('counter'),
      UpdateExpression: 'ADD attempts :one',
      ConditionExpression: 'attribute_not_exists(attempts) OR attempts < :limit',
      ExpressionAttributeValues: { ':one': { N: '1' }, ':limit': { N: String(limit) } },
    },
  });
  await client.send(new TransactWriteItemsCommand({ TransactItems: [create('c1'), create('c2'), counted(2)] }));
  await client.send(new TransactWriteItemsCommand({ TransactItems: [create('c3'), create('c4'), counted(2)] }));
  expect((await get('counter'))?.attempts).toEqual({ N: '2' });
  const refused = (await client
    .send(new TransactWriteItemsCommand({ TransactItems: [create('c5'), create('c6'), counted(2)] }))
    .catch((error: unknown) => error)) as TransactionCanceledException;
  expect(refused).toBeInstanceOf(TransactionCanceledException);
  expect(refused.CancellationReasons?.map((reason) => reason.Code)).toEqual(['None', 'None', 'ConditionalCheckFailed']);
  expect(await get('c5')).toBeUndefined();
  expect(await get('c6')).toBeUndefined();
  expect((await get('counter'))?.attempts).toEqual({ N: '2' });
  expect(await get('c1')).toBeDefined();
  expect(await get('c4')).toBeDefined();
});

it('puts back what a refused transaction changed when a create in it finds its item taken', async () => {
  await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key('d1'), n: { N: '1' } } }));
  await client.send(new PutItemCommand({ TableName: TABLE, Item: key('d3') }));
  const refused = (await client
    .send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Update: { TableName: TABLE, Key: key('d1'), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
          create('d2'),
          create('d3'),
        ],
      }),
    )
    .catch((error: unknown) => error)) as TransactionCanceledException;
  expect(refused.CancellationReasons?.map((reason) => reason.Code)).toEqual(['None', 'None', 'ConditionalCheckFailed']);
  expect((await get('d1'))?.n).toEqual({ N: '1' });
  expect(await get('d2')).toBeUndefined();
});
