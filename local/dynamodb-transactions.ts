import http from 'node:http';
import { itemSize, writeUnits, type IndexShape } from './write-units';
import { transactionJournal, undoTransaction, undoUnfinished, type TransactionJournal, type UndoStep } from './transaction-journal';

// dynalite does not implement TransactWriteItems, which the product's writes rely on (a change, its history
// entry and its event are stored together or not at all). This front sits on the DynamoDB port, passes every
// other call through to dynalite unchanged, and carries out a transaction the way DynamoDB promises it:
// all-or-nothing, isolated from other writes to its items (they wait while it runs), every condition checked, and a
// refusal answered as TransactionCanceledException with one CancellationReason per item.
// How: each item's old image is read, the operations are applied one by one as dynalite's own conditional
// writes, and on the first refusal the items already written are put back. A process killed in the middle of
// that would leave a transaction half-applied, which never happens in AWS: with a data folder, how to undo each
// transaction is journalled before it writes, and the next start undoes any a kill interrupted
// (transaction-journal.ts).

type Json = Record<string, unknown>;
type Call = (operation: string, body: Json) => Promise<{ status: number; body: Json }>;

const TARGET_PREFIX = 'DynamoDB_20120810.';
const MAX_ITEMS = 100;

/**
 * Writes to the same item take turns; a transaction holds all its items at once. Each operation installs
 * itself behind the current holders of its items in one synchronous step, so waits only ever point to
 * earlier operations and cannot form a cycle. Reads take no turn (as in DynamoDB, a read sees each item
 * either before or after a write to it).
 */
class ItemLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async hold<T>(items: readonly string[], work: () => Promise<T>): Promise<T> {
    const keys = [...new Set(items)];
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const earlier = keys.map((key) => this.tails.get(key) ?? Promise.resolve());
    for (const key of keys) this.tails.set(key, mine);
    await Promise.all(earlier);
    try {
      return await work();
    } finally {
      release();
      for (const key of keys) if (this.tails.get(key) === mine) this.tails.delete(key);
    }
  }
}

interface TransactItem {
  Put?: Json & { TableName: string; Item: Json };
  Update?: Json & { TableName: string; Key: Json };
  Delete?: Json & { TableName: string; Key: Json };
  ConditionCheck?: Json & { TableName: string; Key: Json; ConditionExpression: string };
}

class Refused extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body.message));
  }
}

const validation = (message: string) => new Refused(400, { __type: 'com.amazon.coral.validate#ValidationException', message });

async function keySchemaOf(call: Call, table: string, cache: Map<string, string[]>): Promise<string[]> {
  return (await tableShapeOf(call, table, cache)).keys;
}

const shapes = new WeakMap<Map<string, string[]>, Map<string, { keys: string[]; indexes: IndexShape[] }>>();

/** The table's key attributes and its global secondary indexes, asked once. */
async function tableShapeOf(call: Call, table: string, cache: Map<string, string[]>): Promise<{ keys: string[]; indexes: IndexShape[] }> {
  let byTable = shapes.get(cache);
  if (!byTable) shapes.set(cache, (byTable = new Map()));
  let shape = byTable.get(table);
  if (!shape) {
    const { status, body } = await call('DescribeTable', { TableName: table });
    if (status !== 200) throw new Refused(status, body);
    const description = body.Table as {
      KeySchema: { AttributeName: string }[];
      GlobalSecondaryIndexes?: {
        IndexName: string;
        KeySchema: { AttributeName: string }[];
        Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
      }[];
    };
    shape = {
      keys: description.KeySchema.map((key) => key.AttributeName),
      indexes: (description.GlobalSecondaryIndexes ?? []).map((index) => ({
        name: index.IndexName,
        keys: index.KeySchema.map((key) => key.AttributeName),
        projection:
          index.Projection.ProjectionType === 'INCLUDE'
            ? (index.Projection.NonKeyAttributes ?? [])
            : (index.Projection.ProjectionType as 'ALL' | 'KEYS_ONLY'),
      })),
    };
    byTable.set(table, shape);
    cache.set(table, shape.keys);
  }
  return shape;
}

/** Told of the write units each write consumed (bench only: it costs a read before and after each write). */
export type WriteMeter = (table: string, units: { table: number; index: number }, write: MeteredWrite) => void;

/** One metered write, for a breakdown: which item, how large before and after, and what each index took. */
export interface MeteredWrite {
  key: Json;
  transactional: boolean;
  bytes: { before: number; after: number };
  byIndex: Record<string, number>;
}

async function imageOf(call: Call, table: string, key: Json): Promise<Json | undefined> {
  const { status, body } = await call('GetItem', { TableName: table, Key: key, ConsistentRead: true });
  return status === 200 ? (body.Item as Json | undefined) : undefined;
}

async function metered<T>(
  call: Call,
  cache: Map<string, string[]>,
  meter: WriteMeter,
  writes: { table: string; key: Json; before?: Json | null }[],
  transactional: boolean,
  write: () => Promise<T>,
): Promise<T> {
  const befores = await Promise.all(
    writes.map(async (target) => (target.before !== undefined ? (target.before ?? undefined) : imageOf(call, target.table, target.key))),
  );
  const result = await write();
  for (const [i, target] of writes.entries()) {
    const shape = await tableShapeOf(call, target.table, cache);
    const after = await imageOf(call, target.table, target.key);
    const before = befores[i] as Parameters<typeof itemSize>[0] | undefined;
    const image = after as Parameters<typeof itemSize>[0] | undefined;
    const { byIndex, ...consumed } = writeUnits(before, image, shape.keys, shape.indexes, transactional);
    meter(target.table, consumed, {
      key: target.key,
      transactional,
      bytes: { before: before ? itemSize(before) : 0, after: image ? itemSize(image) : 0 },
      byIndex,
    });
  }
  return result;
}

/**
 * Told of the items a transaction is about to put, before it applies them, and then of how it ended: the
 * local stream's journal (local/outbox.ts) writes the intent first, so a kill in between loses nothing.
 */
export type PutObserver = (items: { table: string; item: Json }[]) => { committed(): void; aborted(): void };

export async function transactWrite(
  call: Call,
  request: { TransactItems?: TransactItem[]; ReturnConsumedCapacity?: string },
  keySchemas: Map<string, string[]>,
  observe?: PutObserver,
  meter?: WriteMeter,
  journal?: TransactionJournal,
): Promise<Json> {
  const items = request.TransactItems ?? [];
  if (items.length === 0 || items.length > MAX_ITEMS) throw validation(`Member must have length less than or equal to ${MAX_ITEMS} and at least 1`);
  const targets = await Promise.all(
    items.map(async (item) => {
      const [kind, operation] = Object.entries(item)[0] as [keyof TransactItem, Json & { TableName: string }];
      const keyNames = await keySchemaOf(call, operation.TableName, keySchemas);
      const key = kind === 'Put' ? Object.fromEntries(keyNames.map((name) => [name, (operation.Item as Json)[name]])) : (operation.Key as Json);
      return { kind, operation, key };
    }),
  );
  const identities = targets.map((target) => `${target.operation.TableName}|${JSON.stringify(target.key)}`);
  if (new Set(identities).size !== identities.length) throw validation('Transaction request cannot include multiple operations on one item');

  const outcome = observe?.(
    targets.filter((target) => target.kind === 'Put').map((target) => ({ table: target.operation.TableName, item: target.operation.Item as Json })),
  );
  try {
    const run = () => apply(call, targets, journal);
    await (meter
      ? metered(
          call,
          keySchemas,
          meter,
          targets.filter((target) => target.kind !== 'ConditionCheck').map((target) => ({ table: target.operation.TableName, key: target.key })),
          true,
          run,
        )
      : run());
    outcome?.committed();
    return {};
  } catch (error) {
    outcome?.aborted();
    throw error;
  }
}

type Target = { kind: keyof TransactItem; operation: Json & { TableName: string }; key: Json };

/** A put that may only create its item: no condition but `attribute_not_exists` on a key attribute. */
const onlyCreates = (target: Target) =>
  target.kind === 'Put' && /^attribute_not_exists\((PK|#\w+)\)$/.test(String(target.operation.ConditionExpression ?? '').trim());

const cancelled = (reasons: Json[]) =>
  new Refused(400, {
    __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((reason) => reason.Code).join(', ')}]`,
    CancellationReasons: reasons,
  });

/**
 * Puts that may only create their items (a new complaint with its reference, first event and key) need
 * neither old images nor one write each: whether any item exists is one read, and writing them all one
 * batch. The transaction holds its items (ItemLocks), so the check still holds when they are written.
 */
async function applyCreates(call: Call, targets: Target[], journal?: TransactionJournal): Promise<void> {
  const byTable = new Map<string, Json[]>();
  for (const target of targets) byTable.set(target.operation.TableName, [...(byTable.get(target.operation.TableName) ?? []), target.key]);
  const found = await call('BatchGetItem', {
    RequestItems: Object.fromEntries([...byTable].map(([table, Keys]) => [table, { Keys, ConsistentRead: true }])),
  });
  if (found.status !== 200) throw new Refused(found.status, found.body);
  const existing = new Set(
    Object.entries((found.body.Responses ?? {}) as Record<string, Json[]>).flatMap(([table, items]) =>
      items.map(
        (item) =>
          `${table}|${JSON.stringify(targets.find((target) => target.operation.TableName === table && Object.entries(target.key).every(([name, value]) => JSON.stringify(item[name]) === JSON.stringify(value)))?.key)}`,
      ),
    ),
  );
  const taken = targets.map((target) => existing.has(`${target.operation.TableName}|${JSON.stringify(target.key)}`));
  if (taken.some(Boolean)) {
    throw cancelled(
      taken.map((isTaken) => (isTaken ? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } : { Code: 'None' })),
    );
  }
  // None of the items exists (checked above): undoing the transaction is deleting whichever were written.
  const undo: UndoStep[] = targets.map((target) => ({ table: target.operation.TableName, key: target.key, before: null }));
  const entry = journal?.begin(undo);
  let requests: Record<string, Json[]> = {};
  for (const target of targets) (requests[target.operation.TableName] ??= []).push({ PutRequest: { Item: target.operation.Item } });
  try {
    for (let attempt = 0; Object.keys(requests).length > 0; attempt++) {
      if (attempt > 10)
        throw new Refused(500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'dynalite left items unwritten' });
      const written = await call('BatchWriteItem', { RequestItems: requests });
      if (written.status !== 200) throw new Refused(written.status, written.body);
      requests = (written.body.UnprocessedItems ?? {}) as Record<string, Json[]>;
    }
  } catch (error) {
    await undoTransaction(call, undo);
    entry?.done();
    throw error;
  }
  entry?.done();
}

async function apply(call: Call, targets: Target[], journal?: TransactionJournal): Promise<void> {
  if (targets.length <= 25 && targets.every(onlyCreates)) return applyCreates(call, targets, journal);
  // Old images, to put back what a refused transaction changed; a put that may only create had none.
  const before = await Promise.all(
    targets.map(async (target) => {
      if (onlyCreates(target)) return undefined;
      const { status, body } = await call('GetItem', { TableName: target.operation.TableName, Key: target.key, ConsistentRead: true });
      if (status !== 200) throw new Refused(status, body);
      return body.Item as Json | undefined;
    }),
  );
  const entry = journal?.begin(
    targets.map((target, i) => {
      const { TableName: table } = target.operation;
      return onlyCreates(target)
        ? { table, key: target.key, created: target.operation.Item as Json }
        : { table, key: target.key, before: before[i] ?? null };
    }),
  );
  const passThrough = (operation: Json) => {
    const { ReturnValuesOnConditionCheckFailure: _returnValues, ...rest } = operation;
    return rest;
  };
  // The items are distinct (checked above) and held by this transaction: apply them at once.
  const answers = await Promise.all(
    targets.map(({ kind, operation, key }) =>
      kind === 'Put'
        ? call('PutItem', passThrough(operation))
        : kind === 'Update'
          ? call('UpdateItem', passThrough(operation))
          : kind === 'Delete'
            ? call('DeleteItem', passThrough(operation))
            : // A condition on its own: an update that changes nothing but is refused when the condition fails.
              call('UpdateItem', {
                ...passThrough(operation),
                Key: key,
                UpdateExpression: 'REMOVE #transactionCheckNothing',
                ExpressionAttributeNames: {
                  ...((operation.ExpressionAttributeNames as Json) ?? {}),
                  '#transactionCheckNothing': '__transaction_check__',
                },
              }),
    ),
  );
  const refused = answers.some((answer) => answer.status !== 200);
  // Put back every item a write changed (all of them if the transaction was refused); a ConditionCheck that
  // passed on a missing item left its key behind, which goes either way.
  await Promise.all(
    targets.map(async (target, i) => {
      if (answers[i]!.status !== 200) return undefined;
      const leftKey = target.kind === 'ConditionCheck' && !before[i];
      if (!refused && !leftKey) return undefined;
      const { TableName } = target.operation;
      return before[i] ? call('PutItem', { TableName, Item: before[i] }) : call('DeleteItem', { TableName, Key: target.key });
    }),
  );
  entry?.done();
  if (!refused) return;
  const isConditionFailure = (answer: { body: Json }) => String(answer.body.__type ?? '').endsWith('ConditionalCheckFailedException');
  const other = answers.find((answer) => answer.status !== 200 && !isConditionFailure(answer));
  if (other) throw new Refused(other.status, other.body);
  const reasons = targets.map((target, i) =>
    answers[i]!.status === 200
      ? { Code: 'None' }
      : {
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          ...(target.operation.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && before[i] ? { Item: before[i] } : {}),
        },
  );
  throw cancelled(reasons);
}

/** Serves DynamoDB's API on `port`: transactions here, everything else by dynalite at `backend`. */
export async function startTransactionFront(options: {
  port: number;
  backend: string;
  observePuts?: PutObserver;
  meter?: WriteMeter;
  /** Where transactions are journalled so that a kill cannot leave one half-applied; none for an in-memory database. */
  journal?: string;
}): Promise<{ url: string; close(): Promise<void> }> {
  const locks = new ItemLocks();
  /** The items a request writes, as lock names (table and key). */
  const itemsWritten = async (operation: string, body: Json): Promise<string[]> => {
    const name = (table: string, key: Json) => `${table}|${JSON.stringify(key)}`;
    const keyOf = async (table: string, item: Json) =>
      Object.fromEntries((await keySchemaOf(call, table, keySchemas)).map((attribute) => [attribute, item[attribute]]));
    if (operation === 'TransactWriteItems') {
      return Promise.all(
        ((body.TransactItems ?? []) as TransactItem[]).map(async (entry) => {
          const [kind, target] = Object.entries(entry)[0] as [keyof TransactItem, Json & { TableName: string }];
          return name(target.TableName, kind === 'Put' ? await keyOf(target.TableName, target.Item as Json) : (target.Key as Json));
        }),
      );
    }
    if (operation === 'PutItem') return [name(String(body.TableName), await keyOf(String(body.TableName), body.Item as Json))];
    if (operation === 'UpdateItem' || operation === 'DeleteItem') return [name(String(body.TableName), body.Key as Json)];
    return [];
  };
  const keySchemas = new Map<string, string[]>();
  const agent = new http.Agent({ keepAlive: true });

  const forward = (headers: http.IncomingHttpHeaders, method: string, payload: Buffer) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const outgoing = http.request(
        options.backend,
        { method, headers: { ...headers, 'content-length': String(payload.length) }, agent },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => resolve({ status: answer.statusCode ?? 500, headers: answer.headers, body: Buffer.concat(chunks) }));
          answer.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });

  const call: Call = async (operation, body) => {
    const payload = Buffer.from(JSON.stringify(body));
    // dynalite wants a signature's shape (it checks none): the front's own calls carry a placeholder one.
    const headers = {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `${TARGET_PREFIX}${operation}`,
      'x-amz-date': '20260101T000000Z',
      authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/eu-central-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
    };
    const answer = await forward(headers, 'POST', payload);
    return { status: answer.status, body: JSON.parse(answer.body.toString('utf8') || '{}') as Json };
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const payload = Buffer.concat(chunks);
      const target = String(request.headers['x-amz-target'] ?? '');
      const reply = (status: number, headers: http.OutgoingHttpHeaders, body: Buffer | string) => {
        response.writeHead(status, headers);
        response.end(body);
      };
      const operation = target.replace(TARGET_PREFIX, '');
      const work = (async () => {
        const body = JSON.parse(payload.toString('utf8') || '{}') as Json;
        const items = await itemsWritten(operation, body).catch(() => []); // a malformed request: dynalite says why
        await locks.hold(items, async () => {
          if (operation === 'TransactWriteItems') {
            try {
              const answer = await transactWrite(call, body, keySchemas, options.observePuts, options.meter, journal);
              reply(200, { 'content-type': 'application/x-amz-json-1.0' }, JSON.stringify(answer));
            } catch (error) {
              if (!(error instanceof Refused)) throw error;
              reply(error.status, { 'content-type': 'application/x-amz-json-1.0' }, JSON.stringify(error.body));
            }
            return;
          }
          const send = () => forward(request.headers, request.method ?? 'POST', payload);
          const answer =
            options.meter && items.length === 1
              ? await metered(
                  call,
                  keySchemas,
                  options.meter,
                  [{ table: String(body.TableName), key: JSON.parse(items[0]!.slice(items[0]!.indexOf('|') + 1)) as Json }],
                  false,
                  send,
                )
              : await send();
          const { 'transfer-encoding': _chunked, connection: _connection, ...headers } = answer.headers;
          reply(answer.status, { ...headers, 'content-length': String(answer.body.length) }, answer.body);
        });
      })();
      work.catch((error: unknown) => {
        if (!response.headersSent)
          reply(
            500,
            { 'content-type': 'application/x-amz-json-1.0' },
            JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(error) }),
          );
      });
    });
  });
  const journal = transactionJournal(options.journal);
  await undoUnfinished(call, journal, options.journal);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
