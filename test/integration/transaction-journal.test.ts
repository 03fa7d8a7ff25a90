import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetItemCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { COMPLAINTS_TABLE, startDynamoDb, localDynamoDbClient } from '../../local/dynamodb';
import { transactionJournal, type TransactionJournal } from '../../local/transaction-journal';
import { dynaliteApart, type Json } from '../../local/dynalite-in-process';
import { TableShapes, transactWrite } from '../../local/dynamodb-transactions';
import { plainTable } from '../support/plain-table';

// DynamoDB applies a transaction all at once; the local front writes its items one by one. A kill between
// two writes must not leave half a transaction behind (the chaos suite lost complaints that way): the next
// start undoes every transaction the journal shows begun and not done.

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

async function database(dataDir: string) {
  const dynamodb = await startDynamoDb({ port: 0, path: path.join(dataDir, 'dynamodb') });
  const client = localDynamoDbClient(dynamodb.url);
  return {
    client,
    get: async (PK: string) => (await client.send(new GetItemCommand({ TableName: COMPLAINTS_TABLE, Key: { PK: { S: PK }, SK: { S: 'X' } } }))).Item,
    put: (Item: Record<string, { S: string }>) => client.send(new PutItemCommand({ TableName: COMPLAINTS_TABLE, Item })),
    async close() {
      client.destroy();
      await dynamodb.close();
    },
  };
}

const item = (PK: string, value: string) => ({ PK: { S: PK }, SK: { S: 'X' }, value: { S: value } });
const key = (PK: string) => ({ PK: { S: PK }, SK: { S: 'X' } });

it('undoes at the next start a transaction a kill interrupted between its writes, and nothing else', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'reklamacje-journal-'));
  folders.push(dataDir);
  const first = await database(dataDir);
  await first.put(item('CHANGED', 'before'));
  await first.put(item('SOMEONE-ELSES', 'theirs'));
  // What a kill leaves: the journal says how to undo the transaction, and only some of its writes happened.
  transactionJournal(path.join(dataDir, 'dynamodb-transactions.jsonl')).begin([
    { table: COMPLAINTS_TABLE, key: key('NEW'), before: null },
    { table: COMPLAINTS_TABLE, key: key('CHANGED'), before: item('CHANGED', 'before') },
    { table: COMPLAINTS_TABLE, key: key('CREATED'), created: item('CREATED', 'ours') },
    { table: COMPLAINTS_TABLE, key: key('SOMEONE-ELSES'), created: item('SOMEONE-ELSES', 'ours') },
    { table: COMPLAINTS_TABLE, key: key('NOT-YET-WRITTEN'), before: null },
  ]);
  await first.put(item('NEW', 'half'));
  await first.put(item('CHANGED', 'half'));
  await first.put(item('CREATED', 'ours'));
  await first.close();

  const second = await database(dataDir);
  expect(await second.get('NEW')).toBeUndefined();
  expect((await second.get('CHANGED'))?.value?.S).toBe('before');
  expect(await second.get('CREATED')).toBeUndefined();
  // A put that could only create, refused because the item was there: the item is not the transaction's.
  expect((await second.get('SOMEONE-ELSES'))?.value?.S).toBe('theirs');
  expect(await second.get('NOT-YET-WRITTEN')).toBeUndefined();

  // A transaction that finished stays, across a restart.
  await second.client.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: COMPLAINTS_TABLE, Item: item('DONE-1', 'kept'), ConditionExpression: 'attribute_not_exists(PK)' } },
        { Put: { TableName: COMPLAINTS_TABLE, Item: item('DONE-2', 'kept'), ConditionExpression: 'attribute_not_exists(PK)' } },
      ],
    }),
  );
  await second.close();
  const third = await database(dataDir);
  expect((await third.get('DONE-1'))?.value?.S).toBe('kept');
  expect((await third.get('DONE-2'))?.value?.S).toBe('kept');
  expect((await third.get('CHANGED'))?.value?.S).toBe('before');
  await third.close();
});

describe('a transaction whose end cannot be journalled', () => {
  const dynalite = dynaliteApart(require.resolve('dynalite'), { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const plainKey = (SK: string) => ({ PK: { S: 'P' }, SK: { S: SK } });
  const valueOf = async (SK: string) =>
    ((await dynalite.call('GetItem', { TableName: 'Tab', Key: plainKey(SK), ConsistentRead: true })).body.Item as Json | undefined)?.value;
  // The undo line was written; the "done" line cannot be (a full disk, say).
  const fullDisk: TransactionJournal = {
    begin: () => ({
      done: () => {
        throw new Error('ENOSPC: no space left on device, write');
      },
    }),
  };
  const transaction = (condition: string) => ({
    TransactItems: [
      { Put: { TableName: 'Tab', Item: { ...plainKey('NEW'), value: { S: 'ours' } }, ConditionExpression: 'attribute_not_exists(PK)' } },
      {
        Update: {
          TableName: 'Tab',
          Key: plainKey('CHANGED'),
          UpdateExpression: 'SET #value = :after',
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#value': 'value' },
          ExpressionAttributeValues: { ':after': { S: 'after' }, ':before': { S: 'before' } },
        },
      },
    ],
  });

  beforeAll(async () => {
    await dynalite.call('CreateTable', plainTable('Tab'));
    while (((await dynalite.call('DescribeTable', { TableName: 'Tab' })).body.Table as Json).TableStatus !== 'ACTIVE')
      await new Promise((resolve) => setTimeout(resolve, 5));
  });
  beforeEach(async () => {
    await dynalite.call('DeleteItem', { TableName: 'Tab', Key: plainKey('NEW') });
    await dynalite.call('PutItem', { TableName: 'Tab', Item: { ...plainKey('CHANGED'), value: { S: 'before' } } });
  });
  afterAll(async () => {
    await new Promise((resolve) => dynalite.server.close(resolve));
  });

  it('is undone and refused with the journal’s error when it applied, since the next start would undo it', async () => {
    await expect(
      transactWrite(dynalite.call, new TableShapes(dynalite.call), transaction('#value = :before'), { journal: fullDisk }),
    ).rejects.toThrow('ENOSPC');
    expect(await valueOf('NEW')).toBeUndefined();
    expect(await valueOf('CHANGED')).toEqual({ S: 'before' });
  });

  it('is refused as it would be when a condition failed, with a warning', async () => {
    const warning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      await expect(
        transactWrite(dynalite.call, new TableShapes(dynalite.call), transaction('#value <> :before'), { journal: fullDisk }),
      ).rejects.toMatchObject({ body: { __type: expect.stringContaining('TransactionCanceledException') } });
      expect(warning).toHaveBeenCalledWith(expect.stringContaining('ENOSPC'));
    } finally {
      warning.mockRestore();
    }
    expect(await valueOf('NEW')).toBeUndefined();
    expect(await valueOf('CHANGED')).toEqual({ S: 'before' });
  });
});
