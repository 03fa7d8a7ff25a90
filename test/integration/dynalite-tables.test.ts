import type http from 'node:http';
import type { Call, DynaliteListener, Json } from '../../local/dynalite-in-process';
import { listenerCall } from '../support/dynalite-listener-call';
import { rememberDynaliteTables, rememberTables, tablesAnsweredFromMemory, type DynaliteStore } from '../../local/dynalite-tables';

// dynalite's stores remember their tables' descriptions for item operations until the table store is next
// written (local/dynalite-tables.ts). These tests send the same requests, through a table's life (created,
// written, given an index, deleted, created again with another key), to a dynalite that remembers and to one
// that does not (a second copy of the module), and hold the answers equal.

type Dynalite = (options: object) => http.Server;

describe('dynalite remembering its tables', () => {
  const servers: http.Server[] = [];
  let plain: Call;
  let remembering: Call;
  const start = (dynalite: Dynalite): Call => {
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    servers.push(server);
    return listenerCall(server.listeners('request')[0] as DynaliteListener);
  };

  beforeAll(() => {
    let unremembering!: Dynalite;
    jest.isolateModules(() => {
      unremembering = require('dynalite') as Dynalite; // eslint-disable-line @typescript-eslint/no-require-imports
    });
    plain = start(unremembering);
    rememberDynaliteTables(require.resolve('dynalite'));
    remembering = start(require('dynalite') as Dynalite); // eslint-disable-line @typescript-eslint/no-require-imports
  });
  afterAll(() => servers.forEach((server) => server.close()));

  /** Waits until DescribeTable says `status` (or, for 'gone', that the table is not found). */
  const settled = async (call: Call, status: string) => {
    for (;;) {
      const { status: code, body } = await call('DescribeTable', { TableName: 'Tab' });
      const now = code === 200 ? ((body.Table as Json).TableStatus as string) : 'gone';
      const indexes = code === 200 ? (((body.Table as Json).GlobalSecondaryIndexes ?? []) as Json[]) : [];
      if (now === status && indexes.every((index) => index.IndexStatus === 'ACTIVE')) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  const table = (type: 'S' | 'N') => ({
    TableName: 'Tab',
    AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: type }],
    KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  const steps: ([string, Json] | ['settled', string])[] = [
    ['PutItem', { TableName: 'Tab', Item: { PK: { S: 'a' } } }],
    ['CreateTable', table('S')],
    ['settled', 'ACTIVE'],
    ['PutItem', { TableName: 'Tab', Item: { PK: { S: 'a' }, x: { S: '1' } } }],
    ['GetItem', { TableName: 'Tab', Key: { PK: { S: 'a' } } }],
    ['Query', { TableName: 'Tab', IndexName: 'byX', KeyConditionExpression: 'x = :x', ExpressionAttributeValues: { ':x': { S: '1' } } }],
    [
      'UpdateTable',
      {
        TableName: 'Tab',
        AttributeDefinitions: [{ AttributeName: 'x', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          { Create: { IndexName: 'byX', KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } },
        ],
      },
    ],
    ['settled', 'ACTIVE'],
    ['PutItem', { TableName: 'Tab', Item: { PK: { S: 'b' }, x: { S: '1' } } }],
    ['PutItem', { TableName: 'Tab', Item: { PK: { S: 'c' }, x: { N: '1' } } }],
    ['Query', { TableName: 'Tab', IndexName: 'byX', KeyConditionExpression: 'x = :x', ExpressionAttributeValues: { ':x': { S: '1' } } }],
    ['BatchWriteItem', { RequestItems: { Tab: [{ PutRequest: { Item: { PK: { S: 'd' }, x: { S: '1' } } } }] } }],
    ['DeleteTable', { TableName: 'Tab' }],
    ['settled', 'gone'],
    ['GetItem', { TableName: 'Tab', Key: { PK: { S: 'a' } } }],
    ['CreateTable', table('N')],
    ['settled', 'ACTIVE'],
    ['PutItem', { TableName: 'Tab', Item: { PK: { S: 'a' } } }],
    ['PutItem', { TableName: 'Tab', Item: { PK: { N: '1' } } }],
    ['BatchGetItem', { RequestItems: { Tab: { Keys: [{ PK: { N: '1' } }, { PK: { N: '2' } }] } } }],
    [
      'UpdateItem',
      {
        TableName: 'Tab',
        Key: { PK: { N: '1' } },
        UpdateExpression: 'SET y = :y',
        ExpressionAttributeValues: { ':y': { S: 'z' } },
        ReturnValues: 'ALL_NEW',
      },
    ],
    ['DeleteItem', { TableName: 'Tab', Key: { PK: { N: '1' } }, ReturnValues: 'ALL_OLD' }],
  ];

  it('answers every item request through a table’s life as a dynalite that reads the table each time', async () => {
    const before = tablesAnsweredFromMemory();
    for (const [operation, body] of steps) {
      if (operation === 'settled') {
        await Promise.all([settled(plain, body as string), settled(remembering, body as string)]);
        continue;
      }
      const answers = [await plain(operation, structuredClone(body as Json)), await remembering(operation, structuredClone(body as Json))];
      // Times and table ids differ between any two dynalites; the rest must not.
      const comparable = (answer: { status: number; body: Json }) =>
        JSON.parse(
          JSON.stringify(answer)
            .replace(/"(\w*DateTime)":[0-9.]+/g, '"$1":0')
            .replace(/"TableId":"[^"]+"/g, '"TableId":""'),
        );
      expect({ operation, answer: comparable(answers[1]!) }).toEqual({ operation, answer: comparable(answers[0]!) });
    }
    expect(tablesAnsweredFromMemory()).toBeGreaterThan(before);
  });
});

describe('a remembering store', () => {
  /** A store whose reads and writes finish when the test says. */
  function slowStore() {
    const pending: (() => void)[] = [];
    let reads = 0;
    let description: Json = { TableName: 'Tab', version: 1 };
    const store: DynaliteStore = {
      getTable: (_name, checkStatus, callback) => {
        reads++;
        const seen = description;
        pending.push(() => ((typeof checkStatus === 'function' ? checkStatus : callback) as (e: unknown, t: Json) => void)(null, seen));
      },
      tableDb: {
        put: (...args: unknown[]) => {
          pending.push(() => {
            description = args[1] as Json;
            (args[2] as () => void)();
          });
        },
        del: undefined,
        batch: undefined,
      },
    };
    /** Finishes what is pending, in the order it began or, with `lastFirst`, the other way round. */
    const finish = (lastFirst = false) => (lastFirst ? pending.splice(0).reverse() : pending.splice(0)).forEach((done) => done());
    const get = () => new Promise<Json>((resolve) => store.getTable('Tab', (_error, table) => resolve(table!)));
    return { store, finish, get, reads: () => reads };
  }

  it.each([
    ['the write landing after the read answered', false],
    ['the read answering after the write landed', true],
  ])('does not remember a description read while the table store was being written: %s', async (_case, lastFirst) => {
    const { store, finish, get, reads } = slowStore();
    rememberTables(store);
    const first = get(); // sees version 1, whenever it answers
    store.tableDb.put!('Tab', { TableName: 'Tab', version: 2 }, () => undefined);
    finish(lastFirst);
    await first;
    const second = get();
    finish();
    expect({ second: await second, reads: reads() }).toEqual({ second: { TableName: 'Tab', version: 2 }, reads: 2 });
  });

  it('answers a read from memory until the next write, and reads the store after it', async () => {
    const { store, finish, get, reads } = slowStore();
    rememberTables(store);
    const first = get();
    finish();
    await first;
    const fromMemory = await get();
    store.tableDb.put!('Tab', { TableName: 'Tab', version: 3 }, () => undefined);
    finish();
    const afterWrite = get();
    finish();
    expect({ fromMemory, afterWrite: await afterWrite, reads: reads() }).toEqual({
      fromMemory: { TableName: 'Tab', version: 1 },
      afterWrite: { TableName: 'Tab', version: 3 },
      reads: 2,
    });
  });

  it('leaves a read that names no callback as its second argument (table management) to the store', async () => {
    const { store, finish, reads } = slowStore();
    rememberTables(store);
    for (let i = 0; i < 2; i++) {
      const read = new Promise((resolve) => store.getTable('Tab', false, resolve));
      finish();
      await read;
    }
    expect(reads()).toBe(2);
  });
});
