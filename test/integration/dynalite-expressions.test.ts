import type http from 'node:http';
import { plainTable } from '../support/plain-table';
import path from 'node:path';
import type { Call, DynaliteListener, Json } from '../../local/dynalite-in-process';
import { listenerCall } from '../support/dynalite-listener-call';
import { rememberDynaliteParses, rememberingParse, type ParseContext } from '../../local/dynalite-expressions';

// dynalite's expression grammars answer repeated expressions from memory (local/dynalite-expressions.ts). These
// tests hold the remembered answers against dynalite's own: the grammars' trees, and whole requests sent to a
// dynalite that remembers and to one that does not (a second copy of the module), answer for answer.

type Grammar = { parse: (expression: string, options: { context: ParseContext }) => unknown };
const dynaliteDir = path.dirname(require.resolve('dynalite'));
const grammar = (name: string) => require(path.join(dynaliteDir, 'db', `${name}.js`)) as Grammar; // eslint-disable-line @typescript-eslint/no-require-imports
// eslint-disable-next-line @typescript-eslint/no-require-imports -- dynalite's comparison, as its validations pass it
const { compare } = require(path.join(dynaliteDir, 'db', 'index.js')) as { compare: unknown };

const contextOf = (names: Record<string, string> | undefined, values: Record<string, Json> | undefined): ParseContext => ({
  attrNames: names,
  attrVals: values,
  unusedAttrNames: Object.fromEntries(Object.keys(names ?? {}).map((name) => [name, true])),
  unusedAttrVals: Object.fromEntries(Object.keys(values ?? {}).map((value) => [value, true])),
  isReserved: (name: string) => ['STATUS', 'NAME'].includes(name.toUpperCase()),
  compare,
});

/** Outcome of one parse: the tree (or the error thrown) and what is left on the unused lists. */
function outcome(parse: Grammar['parse'], expression: string, context: ParseContext) {
  let answer: unknown;
  try {
    answer = parse(expression, { context });
  } catch (error) {
    answer = `threw ${(error as Error).message}`;
  }
  return { answer, unusedNames: context.unusedAttrNames, unusedValues: context.unusedAttrVals };
}

describe('a remembering grammar', () => {
  const cases: [string, string, Record<string, string> | undefined, Record<string, Json>, Record<string, Json>][] = [
    ['conditionParser', 'attribute_not_exists(PK)', undefined, {}, {}],
    ['conditionParser', 'attribute_not_exists(attempts) OR attempts < :limit', undefined, { ':limit': { N: '10' } }, { ':limit': { N: '0' } }],
    [
      'conditionParser',
      '#s IN (:a, :b) AND size(x.y[1]) > :n',
      { '#s': 'state' },
      { ':a': { S: 'x' }, ':b': { S: 'y' }, ':n': { N: '1' } },
      { ':a': { S: 'p' }, ':b': { S: 'q' }, ':n': { N: '7' } },
    ],
    [
      'conditionParser',
      'PK = :pk AND begins_with(SK, :p)',
      undefined,
      { ':pk': { S: 'A' }, ':p': { S: 'B' } },
      { ':pk': { S: 'C' }, ':p': { S: 'D' } },
    ],
    ['conditionParser', 'begins_with(SK, :p)', undefined, { ':p': { S: 'B' } }, { ':p': { N: '1' } }],
    ['conditionParser', 'x BETWEEN :lo AND :hi', undefined, { ':lo': { N: '1' }, ':hi': { N: '2' } }, { ':lo': { N: '3' }, ':hi': { N: '2' } }],
    ['conditionParser', 'attribute_type(x, :t)', undefined, { ':t': { S: 'S' } }, { ':t': { S: 'XX' } }],
    ['conditionParser', 'x = :undefined', undefined, { ':v': { S: 'a' } }, { ':v': { S: 'b' } }],
    ['conditionParser', 'attribute_not_exists(PK', undefined, {}, {}],
    ['conditionParser', 'status = :v', undefined, { ':v': { S: 'a' } }, { ':v': { S: 'b' } }],
    [
      'updateParser',
      'ADD attempts :one SET expiresAt = :at, #s = if_not_exists(#s, :v)',
      { '#s': 'state' },
      { ':one': { N: '1' }, ':at': { N: '5' }, ':v': { M: { a: { S: 'b' } } } },
      { ':one': { N: '2' }, ':at': { N: '6' }, ':v': { M: { c: { L: [] } } } },
    ],
    ['updateParser', 'SET l = list_append(l, :v)', undefined, { ':v': { L: [{ S: 'a' }] } }, { ':v': { L: [] } }],
    ['updateParser', 'SET a = :v, a = :v', undefined, { ':v': { S: 'a' } }, { ':v': { S: 'b' } }],
    ['projectionParser', '#r0, a.b[2]', { '#r0': 'version' }, {}, {}],
  ];

  it.each(cases)('%s %s: answers a second request as dynalite does, with that request’s own values', (name, expression, names, first, second) => {
    const original = grammar(name).parse;
    const remembering = rememberingParse(original);
    expect(outcome(remembering, expression, contextOf(names, first))).toEqual(outcome(original, expression, contextOf(names, first)));
    const secondContext = contextOf(names, second);
    const remembered = outcome(remembering, expression, secondContext);
    expect(remembered).toEqual(outcome(original, expression, contextOf(names, second)));
    // The values in the tree are the request's own objects, as dynalite's parse leaves them.
    const placed = new Set<unknown>();
    const walk = (node: unknown) => {
      if (!node || typeof node !== 'object') return;
      if (Object.values(second).includes(node as Json)) placed.add(node);
      else Object.values(node).forEach(walk);
    };
    walk(remembered.answer);
    const plainPlaced = new Set<unknown>();
    const plainSecond = contextOf(names, second);
    const walkPlain = (node: unknown) => {
      if (!node || typeof node !== 'object') return;
      if (Object.values(plainSecond.attrVals ?? {}).includes(node as Json)) plainPlaced.add(node);
      else Object.values(node).forEach(walkPlain);
    };
    walkPlain(outcome(original, expression, plainSecond).answer);
    expect(placed.size).toBe(plainPlaced.size);
  });

  it('remembers trees only, and only for expressions whose outcome reads no value', () => {
    const remembering = rememberingParse(grammar('conditionParser').parse);
    for (const expression of ['a = :v', 'a = :v', 'x BETWEEN :v AND :v', 'attribute_type(x, :v)', 'a = :nope', 'a = ']) {
      outcome(remembering, expression, contextOf(undefined, { ':v': { S: 'S' } }));
    }
    expect({ entries: remembering.entries(), fromMemory: remembering.answeredFromMemory() }).toEqual({ entries: 1, fromMemory: 1 });
  });

  it('gives each request its own tree: changing one leaves the next answer as dynalite gives it', () => {
    const original = grammar('conditionParser').parse;
    const remembering = rememberingParse(original);
    const first = outcome(remembering, 'a = :v AND b.c[0] = :w', contextOf(undefined, { ':v': { S: '1' }, ':w': { N: '2' } })).answer as Json;
    (first.expression as Json).type = 'changed';
    (first.nestedPaths as Json).d = true;
    expect(outcome(remembering, 'a = :v AND b.c[0] = :w', contextOf(undefined, { ':v': { S: '3' }, ':w': { N: '4' } }))).toEqual(
      outcome(original, 'a = :v AND b.c[0] = :w', contextOf(undefined, { ':v': { S: '3' }, ':w': { N: '4' } })),
    );
  });

  it('strikes off what the expression uses even when another expression of the request struck it off first', () => {
    const remembering = rememberingParse(grammar('conditionParser').parse);
    const values = () => ({ ':v': { S: 'a' }, ':w': { S: 'b' } });
    const firstRequest = contextOf(undefined, values());
    delete firstRequest.unusedAttrVals![':v']; // as an UpdateExpression using :v would have
    outcome(remembering, 's <> :v', firstRequest);
    const secondRequest = contextOf(undefined, values());
    expect(outcome(remembering, 's <> :v', secondRequest).unusedValues).toEqual({ ':w': true });
  });

  it('drops the oldest expression past its bound', () => {
    const remembering = rememberingParse(grammar('projectionParser').parse, 2);
    for (const expression of ['a', 'b', 'c', 'a']) outcome(remembering, expression, contextOf(undefined, undefined));
    expect({ entries: remembering.entries(), fromMemory: remembering.answeredFromMemory() }).toEqual({ entries: 2, fromMemory: 0 });
  });
});

describe('dynalite with remembering grammars', () => {
  const servers: http.Server[] = [];
  let remembering: Call;
  let plain: Call;

  const start = async (dynalite: (options: object) => http.Server): Promise<Call> => {
    const server = dynalite({ createTableMs: 0 });
    servers.push(server);
    const call = listenerCall(server.listeners('request')[0] as DynaliteListener);
    await call('CreateTable', plainTable('Tab'));
    while (((await call('DescribeTable', { TableName: 'Tab' })).body.Table as Json).TableStatus !== 'ACTIVE')
      await new Promise((resolve) => setTimeout(resolve, 5));
    return call;
  };

  beforeAll(async () => {
    let unremembering!: (options: object) => http.Server;
    jest.isolateModules(() => {
      unremembering = require('dynalite') as typeof unremembering; // eslint-disable-line @typescript-eslint/no-require-imports
    });
    plain = await start(unremembering);
    rememberDynaliteParses(require.resolve('dynalite'));
    remembering = await start(require('dynalite') as typeof unremembering); // eslint-disable-line @typescript-eslint/no-require-imports
  });
  afterAll(() => servers.forEach((server) => server.close()));

  const key = (PK: string, SK = 'S') => ({ PK: { S: PK }, SK: { S: SK } });
  const requests: [string, Json][] = [
    ['PutItem', { TableName: 'Tab', Item: { ...key('a'), n: { N: '1' } }, ConditionExpression: 'attribute_not_exists(PK)' }],
    ['PutItem', { TableName: 'Tab', Item: { ...key('a'), n: { N: '2' } }, ConditionExpression: 'attribute_not_exists(PK)' }],
    ['PutItem', { TableName: 'Tab', Item: { ...key('b'), n: { N: '1' } }, ConditionExpression: 'attribute_not_exists(PK)' }],
    ...[5, 1, 0].map((limit, i): [string, Json] => [
      'UpdateItem',
      {
        TableName: 'Tab',
        Key: key('c'),
        UpdateExpression: 'ADD attempts :one SET s = :s',
        ConditionExpression: 'attribute_not_exists(attempts) OR attempts < :limit',
        ExpressionAttributeValues: { ':one': { N: '1' }, ':s': { S: `v${i}` }, ':limit': { N: String(limit) } },
        ReturnValues: 'ALL_NEW',
      },
    ]),
    [
      'UpdateItem',
      {
        TableName: 'Tab',
        Key: key('c'),
        UpdateExpression: 'ADD attempts :one SET s = :s',
        ExpressionAttributeValues: { ':one': { S: '1' }, ':s': { S: 'x' } },
      },
    ],
    ...['s', 't', 'PK'].map((name): [string, Json] => [
      'UpdateItem',
      {
        TableName: 'Tab',
        Key: key('d'),
        UpdateExpression: 'SET #a = :v',
        ExpressionAttributeNames: { '#a': name },
        ExpressionAttributeValues: { ':v': { S: name } },
        ReturnValues: 'ALL_NEW',
      },
    ]),
    ...[{ S: 'S' }, { N: '1' }, { S: 'T' }].map((p): [string, Json] => [
      'Query',
      { TableName: 'Tab', KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)', ExpressionAttributeValues: { ':pk': { S: 'a' }, ':p': p } },
    ]),
    ...[
      ['1', '2'],
      ['3', '2'],
    ].map(([lo, hi]): [string, Json] => [
      'Query',
      {
        TableName: 'Tab',
        KeyConditionExpression: 'PK = :pk',
        FilterExpression: 'n BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':pk': { S: 'a' }, ':lo': { N: lo }, ':hi': { N: hi } },
      },
    ]),
    ...['N', 'XX'].map((type): [string, Json] => [
      'Query',
      {
        TableName: 'Tab',
        KeyConditionExpression: 'PK = :pk',
        FilterExpression: 'attribute_type(n, :t)',
        ExpressionAttributeValues: { ':pk': { S: 'a' }, ':t': { S: type } },
      },
    ]),
    ['PutItem', { TableName: 'Tab', Item: key('e'), ConditionExpression: 'attribute_exists(PK)', ExpressionAttributeValues: { ':x': { S: 'x' } } }],
    ['PutItem', { TableName: 'Tab', Item: key('e'), ConditionExpression: 'attribute_not_exists(PK' }],
    ['PutItem', { TableName: 'Tab', Item: key('e'), ConditionExpression: 'attribute_not_exists(PK' }],
    ['PutItem', { TableName: 'Tab', Item: key('e'), ConditionExpression: 'attribute_not_exists(#zz)' }],
    ['UpdateItem', { TableName: 'Tab', Key: key('e'), UpdateExpression: 'SET status = :v', ExpressionAttributeValues: { ':v': { S: 'a' } } }],
    ...[
      ['SET s = :v, t = :w', 's <> :v'],
      ['SET t = :w', 's <> :v'],
      ['SET t = :w', 's <> :w'],
    ].map(([update, condition]): [string, Json] => [
      'UpdateItem',
      {
        TableName: 'Tab',
        Key: key('f'),
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeValues: { ':v': { S: 'a' }, ':w': { S: 'b' } },
      },
    ]),
    ...['n', 'nope', 'n'].map((name): [string, Json] => [
      'GetItem',
      { TableName: 'Tab', Key: key('a'), ProjectionExpression: '#r0', ExpressionAttributeNames: { '#r0': name }, ConsistentRead: true },
    ]),
  ];

  it('answers every request as a dynalite that parses each expression anew', async () => {
    for (const [operation, body] of requests) {
      const answers = [await plain(operation, structuredClone(body)), await remembering(operation, structuredClone(body))];
      expect({ operation, body, answer: answers[1] }).toEqual({ operation, body, answer: answers[0] });
    }
    const fromMemory = ['conditionParser', 'updateParser', 'projectionParser'].map((name) =>
      (grammar(name).parse as unknown as { answeredFromMemory(): number }).answeredFromMemory(),
    );
    expect(fromMemory.every((count) => count > 0)).toBe(true);
  });
});
