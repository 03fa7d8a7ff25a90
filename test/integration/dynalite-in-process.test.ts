import { dynaliteApart, type Call, type DynaliteApart, type Json } from '../../local/dynalite-in-process';
import { listenerCall } from '../support/dynalite-listener-call';
import { plainTable } from '../support/plain-table';

// The transaction work calls dynalite's operations directly (dynaliteApart's `call`), where a client's request
// goes through dynalite's request listener. These tests send the same requests both ways, each to a dynalite of
// its own in the same state, and hold the answers equal: what dynalite accepts, refuses (its validations, its
// actions' conditions, a missing table) and answers, whichever way the request came.

const options = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };
const key = (SK: string) => ({ PK: { S: 'P' }, SK: { S: SK } });

const requests: [string, Json][] = [
  ['PutItem', { TableName: 'Tab', Item: { ...key('a'), n: { N: '1' }, tags: { SS: ['x', 'y'] } } }],
  ['PutItem', { TableName: 'Tab', Item: key('a'), ConditionExpression: 'attribute_not_exists(PK)' }],
  [
    'PutItem',
    { TableName: 'Tab', Item: key('b'), ConditionExpression: 'attribute_not_exists(PK)', ExpressionAttributeValues: { ':unused': { S: 'u' } } },
  ],
  ['PutItem', { TableName: 'Tab', Item: { PK: { N: '1' }, SK: { S: 'c' } } }],
  ['PutItem', { TableName: 5, Item: key('d') }],
  ['PutItem', { TableName: 'Missing', Item: key('d') }],
  [
    'UpdateItem',
    {
      TableName: 'Tab',
      Key: key('a'),
      UpdateExpression: 'ADD n :one SET #w = :w',
      ConditionExpression: 'n < :limit',
      ExpressionAttributeNames: { '#w': 'when' },
      ExpressionAttributeValues: { ':one': { N: '1' }, ':w': { S: '2026-12-01' }, ':limit': { N: '5' } },
      ReturnValues: 'ALL_NEW',
    },
  ],
  ['UpdateItem', { TableName: 'Tab', Key: key('a'), UpdateExpression: 'SET = :w', ExpressionAttributeValues: { ':w': { S: 'x' } } }],
  ['UpdateItem', { TableName: 'Tab', Key: key('a'), UpdateExpression: 'SET PK = :w', ExpressionAttributeValues: { ':w': { S: 'x' } } }],
  ['GetItem', { TableName: 'Tab', Key: key('a'), ConsistentRead: true }],
  ['GetItem', { TableName: 'Tab', Key: { PK: { S: 'P' } } }],
  [
    'BatchWriteItem',
    {
      RequestItems: {
        Tab: [
          { PutRequest: { Item: { ...key('e'), m: { M: { a: { L: [{ NULL: true }, { BOOL: false }] } } } } } },
          { DeleteRequest: { Key: key('b') } },
        ],
      },
    },
  ],
  ['BatchGetItem', { RequestItems: { Tab: { Keys: [key('a'), key('e'), key('zz')], ConsistentRead: true } } }],
  ['DeleteItem', { TableName: 'Tab', Key: key('e'), ReturnValues: 'ALL_OLD', ConditionExpression: 'attribute_exists(m)' }],
  ['DeleteItem', { TableName: 'Tab', Key: key('e'), ConditionExpression: 'attribute_exists(m)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }],
  ['Query', { TableName: 'Tab', KeyConditionExpression: 'PK = :p', ExpressionAttributeValues: { ':p': { S: 'P' } } }],
];

/** A BatchGetItem answers its items in whatever order its reads finish (in DynamoDB too): sorted, to compare. */
function inAnyOrder(answer: { status: number; body: Json }) {
  const responses = answer.body.Responses as Record<string, Json[]> | undefined;
  if (!responses) return answer;
  const sorted = Object.fromEntries(
    Object.entries(responses).map(([table, items]) => [table, [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))]),
  );
  return { ...answer, body: { ...answer.body, Responses: sorted } };
}

describe('dynalite called directly', () => {
  const direct = dynaliteApart(require.resolve('dynalite'), options);
  const wired = dynaliteApart(require.resolve('dynalite'), options);
  const ways: [string, DynaliteApart, Call][] = [
    ['direct', direct, direct.call],
    ['listener', wired, listenerCall(wired.dynalite)],
  ];

  beforeAll(async () => {
    for (const [, , call] of ways) {
      expect((await call('CreateTable', plainTable('Tab'))).status).toBe(200);
    }
  });
  afterAll(async () => {
    await Promise.all(ways.map(([, { server }]) => new Promise((resolve) => server.close(resolve))));
  });

  it.each(requests.map(([operation, input], i) => [i, operation, input] as const))(
    'answers request %i (%s) as dynalite answers it through its listener',
    async (_i, operation, input) => {
      const [directAnswer, listenerAnswer] = [await direct.call(operation, input), await ways[1]![2](operation, input)];
      expect(inAnyOrder(directAnswer)).toEqual(inAnyOrder(listenerAnswer));
    },
  );

  it('leaves the input it was given as it was', async () => {
    const input = { TableName: 'Tab', Item: { ...key('f'), gone: { NULL: true } }, ConditionExpression: 'attribute_not_exists(PK)', Unknown: 1 };
    const before = JSON.stringify(input);
    expect((await direct.call('PutItem', input)).status).toBe(200);
    expect(JSON.stringify(input)).toBe(before);
  });
});
