import { itemSize, writeUnits, type IndexShape } from './write-units';
import { undoTransaction, type TransactionJournal, type UndoStep } from './transaction-journal';
import type { Call, Json } from './dynalite-in-process';

// dynalite does not implement TransactWriteItems, which the product's writes rely on (a change, its history
// entry and its event are stored together or not at all). dynamodb-service.ts carries a transaction out here,
// the way DynamoDB promises it: all-or-nothing, isolated from other writes to its items (they wait while it
// runs, ItemLocks), every condition checked, and a refusal answered as TransactionCanceledException with one
// CancellationReason per item.
// How: the items' old images are read, the operations are applied as dynalite's own conditional writes, and on
// a refusal the items already written are put back. A process killed in the middle of that would leave a
// transaction half-applied, which never happens in AWS: with a data folder, how to undo each transaction is
// journalled before it writes, and the next start undoes any a kill interrupted (transaction-journal.ts).
// Every call here is one of dynalite's operations called directly (dynalite-in-process.ts), in dynalite's worker
// thread: no HTTP round trip, no JSON in between.

const MAX_ITEMS = 100;
/** BatchWriteItem's limit: more creates than this go one by one. */
const MAX_BATCH_WRITE = 25;

/**
 * Writes to the same item take turns; a transaction holds all its items at once. Each operation installs
 * itself behind the current holders of its items in one synchronous step, so waits only ever point to
 * earlier operations and cannot form a cycle. Reads take no turn (as in DynamoDB, a read sees each item
 * either before or after a write to it).
 */
export class ItemLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async hold<T>(items: readonly string[], work: () => Promise<T>): Promise<T> {
    const keys = [...new Set(items)];
    if (keys.length === 0) return work();
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

export class Refused extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body.message));
  }
}

const validation = (message: string) => new Refused(400, { __type: 'com.amazon.coral.validate#ValidationException', message });

const cancelled = (reasons: Json[]) =>
  new Refused(400, {
    __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((reason) => reason.Code).join(', ')}]`,
    CancellationReasons: reasons,
  });

/** Each table's key attributes and global secondary indexes, asked of dynalite once per table. */
export class TableShapes {
  private readonly shapes = new Map<string, { keys: string[]; indexes: IndexShape[] }>();

  constructor(private readonly call: Call) {}

  async of(table: string): Promise<{ keys: string[]; indexes: IndexShape[] }> {
    const known = this.shapes.get(table);
    if (known) return known;
    const { status, body } = await this.call('DescribeTable', { TableName: table });
    if (status !== 200) throw new Refused(status, body);
    const description = body.Table as {
      KeySchema: { AttributeName: string }[];
      GlobalSecondaryIndexes?: {
        IndexName: string;
        KeySchema: { AttributeName: string }[];
        Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
      }[];
    };
    const shape = {
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
    this.shapes.set(table, shape);
    return shape;
  }

  /** The item's key, its attributes in the table's key order whatever order they came in. */
  async keyOf(table: string, item: Json): Promise<Json> {
    return Object.fromEntries((await this.of(table)).keys.map((name) => [name, item[name]]));
  }

  /** One name per item, for ItemLocks and for telling items apart. */
  async nameOf(table: string, keyOrItem: Json): Promise<string> {
    return `${table}|${JSON.stringify(await this.keyOf(table, keyOrItem))}`;
  }
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

export async function metered<T>(
  call: Call,
  shapes: TableShapes,
  meter: WriteMeter,
  writes: { table: string; key: Json }[],
  transactional: boolean,
  write: () => Promise<T>,
): Promise<T> {
  const befores = await Promise.all(writes.map((target) => imageOf(call, target.table, target.key)));
  const result = await write();
  for (const [i, target] of writes.entries()) {
    const shape = await shapes.of(target.table);
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
 * local stream's journal (local/event-journal.ts) writes the intent first, so a kill in between loses nothing.
 * A promise, which the transaction awaits before it applies: tests hold a transaction open there
 * (test/integration/dynamodb-service.test.ts). `committed` is told once the transaction has applied, and does not
 * throw: the transaction stands whatever befalls its outcome's line.
 */
export type TransactionObserver = (items: { table: string; item: Json }[]) => Promise<{ committed(): void; aborted(): void }>;

interface TransactItem {
  Put?: Json & { TableName: string; Item: Json };
  Update?: Json & { TableName: string; Key: Json };
  Delete?: Json & { TableName: string; Key: Json };
  ConditionCheck?: Json & { TableName: string; Key: Json; ConditionExpression: string };
}

type Target = { kind: keyof TransactItem; operation: Json & { TableName: string }; key: Json; name: string };

/** The names (table and key) of the items a TransactWriteItems request writes, for ItemLocks. */
export async function transactionItemNames(shapes: TableShapes, request: Json): Promise<string[]> {
  return Promise.all(
    ((request.TransactItems ?? []) as TransactItem[]).map((entry) => {
      const [kind, target] = Object.entries(entry)[0] as [keyof TransactItem, Json & { TableName: string }];
      return shapes.nameOf(target.TableName, kind === 'Put' ? (target.Item as Json) : (target.Key as Json));
    }),
  );
}

export async function transactWrite(
  call: Call,
  shapes: TableShapes,
  request: { TransactItems?: TransactItem[] },
  options: { observe?: TransactionObserver; meter?: WriteMeter; journal?: TransactionJournal } = {},
): Promise<Json> {
  const items = request.TransactItems ?? [];
  if (items.length === 0 || items.length > MAX_ITEMS) throw validation(`Member must have length less than or equal to ${MAX_ITEMS} and at least 1`);
  const targets: Target[] = await Promise.all(
    items.map(async (item) => {
      const [kind, operation] = Object.entries(item)[0] as [keyof TransactItem, Json & { TableName: string }];
      const key = await shapes.keyOf(operation.TableName, kind === 'Put' ? (operation.Item as Json) : (operation.Key as Json));
      return { kind, operation, key, name: `${operation.TableName}|${JSON.stringify(key)}` };
    }),
  );
  if (new Set(targets.map((target) => target.name)).size !== targets.length)
    throw validation('Transaction request cannot include multiple operations on one item');

  const puts = targets.filter((target) => target.kind === 'Put');
  // The intent is journalled before anything is applied: see TransactionObserver.
  const outcome =
    options.observe && puts.length > 0
      ? await options.observe(puts.map((target) => ({ table: target.operation.TableName, item: target.operation.Item as Json })))
      : undefined;
  const run = () => apply(call, targets, options.journal);
  try {
    const { meter } = options;
    await (meter
      ? metered(
          call,
          shapes,
          meter,
          targets.filter((target) => target.kind !== 'ConditionCheck').map((target) => ({ table: target.operation.TableName, key: target.key })),
          true,
          run,
        )
      : run());
  } catch (error) {
    outcome?.aborted();
    throw error;
  }
  // Applied, so answered as applied and never journalled as aborted, even if the outcome cannot be journalled.
  outcome?.committed();
  return {};
}

/**
 * A put that may only create its item: no condition but `attribute_not_exists` on a key attribute, and no
 * expression name or value beside the one it uses. A batch skips dynalite's validation of a put's expression
 * attributes, so a put with any other (an unused value, say, which DynamoDB refuses) goes alone, to be refused
 * as DynamoDB refuses it.
 */
function onlyCreates({ kind, operation, key }: Target): boolean {
  if (kind !== 'Put' || operation.ExpressionAttributeValues !== undefined) return false;
  const checked = /^attribute_not_exists\((PK|#\w+)\)$/.exec(String(operation.ConditionExpression ?? '').trim())?.[1];
  if (checked === undefined) return false;
  const names = operation.ExpressionAttributeNames as Record<string, string> | undefined;
  if (checked === 'PK') return names === undefined;
  return names !== undefined && Object.keys(names).length === 1 && names[checked] !== undefined && names[checked] in key;
}

/** The items' current images (undefined: absent), in one consistent BatchGetItem. */
async function imagesOf(call: Call, targets: Target[]): Promise<(Json | undefined)[]> {
  const requestItems: Record<string, { Keys: Json[]; ConsistentRead: true }> = {};
  for (const target of targets) (requestItems[target.operation.TableName] ??= { Keys: [], ConsistentRead: true }).Keys.push(target.key);
  const found = await call('BatchGetItem', { RequestItems: requestItems });
  if (found.status !== 200) throw new Refused(found.status, found.body);
  const images = new Map<string, Json>();
  for (const target of targets) {
    const table = target.operation.TableName;
    const names = Object.keys(target.key);
    const image = ((found.body.Responses as Record<string, Json[]> | undefined)?.[table] ?? []).find((item) =>
      names.every((name) => JSON.stringify(item[name]) === JSON.stringify(target.key[name])),
    );
    if (image) images.set(target.name, image);
  }
  // dynalite leaves keys unprocessed only past 16 MB of answer: those are read one by one.
  const unprocessed = new Set(
    Object.entries((found.body.UnprocessedKeys ?? {}) as Record<string, { Keys: Json[] }>).flatMap(([table, { Keys }]) =>
      Keys.map((key) => `${table}|${JSON.stringify(key)}`),
    ),
  );
  return Promise.all(
    targets.map(async (target) => {
      if (!unprocessed.has(target.name)) return images.get(target.name);
      const { status, body } = await call('GetItem', { TableName: target.operation.TableName, Key: target.key, ConsistentRead: true });
      if (status !== 200) throw new Refused(status, body);
      return body.Item as Json | undefined;
    }),
  );
}

type Answered = { status: number; body: Json };

/** One operation as dynalite's own conditional write; ReturnValuesOnConditionCheckFailure is the transaction's to answer. */
function write(call: Call, { kind, operation, key }: Target): Promise<Answered> {
  const { ReturnValuesOnConditionCheckFailure: _returnValues, ...input } = operation;
  if (kind === 'Put') return call('PutItem', input);
  if (kind === 'Update') return call('UpdateItem', input);
  if (kind === 'Delete') return call('DeleteItem', input);
  // A condition on its own: an update that changes nothing but is refused when the condition fails.
  return call('UpdateItem', {
    ...input,
    Key: key,
    UpdateExpression: 'REMOVE #transactionCheckNothing',
    ExpressionAttributeNames: { ...(input.ExpressionAttributeNames ?? {}), '#transactionCheckNothing': '__transaction_check__' },
  });
}

/** Puts that may only create, written together: one BatchWriteItem per 25 instead of a PutItem each. */
async function writeCreates(call: Call, creates: Target[]): Promise<Answered> {
  let requests: Record<string, Json[]> = {};
  for (const target of creates) (requests[target.operation.TableName] ??= []).push({ PutRequest: { Item: target.operation.Item } });
  for (let attempt = 0; Object.keys(requests).length > 0; attempt++) {
    if (attempt > 10)
      return { status: 500, body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'dynalite left items unwritten' } };
    const written = await call('BatchWriteItem', { RequestItems: requests });
    if (written.status !== 200) return written;
    requests = (written.body.UnprocessedItems ?? {}) as Record<string, Json[]>;
  }
  return { status: 200, body: {} };
}

async function apply(call: Call, targets: Target[], journal?: TransactionJournal): Promise<void> {
  // Old images, to put back what a refused transaction changed, and to see at once whether a create is refused.
  const before = await imagesOf(call, targets);
  /** Putting the i-th target's item back as it was. */
  const restore = (target: Target, i: number): UndoStep => ({ table: target.operation.TableName, key: target.key, before: before[i] ?? null });
  const everything = targets.map(restore);
  const entry = journal?.begin(everything);
  // The items are distinct (checked before) and held by this transaction (ItemLocks), so nobody else writes
  // them meanwhile: the creates seen absent stay absent, and go in one batch, while the other operations
  // (a counter's update, say) run beside it. A create whose item exists goes alone, to be refused for itself.
  const batched = targets.filter((target, i) => onlyCreates(target) && !before[i]);
  const batch = batched.length > 1 && batched.length <= MAX_BATCH_WRITE ? batched : [];
  const alone = targets.filter((target) => !batch.includes(target));
  const [batchAnswer, ...answers] = await Promise.all([
    batch.length > 0 ? writeCreates(call, batch) : Promise.resolve({ status: 200, body: {} }),
    ...alone.map((target) => write(call, target)),
  ]);
  const answerOf = (target: Target): Answered => (batch.includes(target) ? batchAnswer : answers[alone.indexOf(target)]!);
  const refused = targets.some((target) => answerOf(target).status !== 200);
  // Put back every item a write changed (all of them if the transaction was refused); a ConditionCheck that
  // passed on a missing item left its key behind, which goes either way. A batch refused as a whole may have
  // written some of its items: those are all put back (they were absent, and nobody else wrote them).
  const undo: UndoStep[] = targets.flatMap((target, i) => {
    const answered = answerOf(target).status === 200;
    const leftKey = target.kind === 'ConditionCheck' && !before[i];
    if (batch.includes(target) ? !refused : !answered || (!refused && !leftKey)) return [];
    return [restore(target, i)];
  });
  if (undo.length > 0) await undoTransaction(call, undo);
  try {
    entry?.done();
  } catch (error) {
    // Its "done" line could not be journalled (a full disk, say), so the next start will undo this transaction:
    // one that applied is undone now as that start would (every item put back), while its items are still held,
    // and refused with the journal's error. Were it answered as applied, the next start would take back what its
    // client was told is stored.
    if (refused) process.emitWarning(`a refused transaction's end could not be journalled: ${String(error)}`);
    else {
      await undoTransaction(call, everything);
      throw error;
    }
  }
  if (!refused) return;
  const isConditionFailure = (answer: Answered) => String(answer.body.__type ?? '').endsWith('ConditionalCheckFailedException');
  const other = targets.map(answerOf).find((answer) => answer.status !== 200 && !isConditionFailure(answer));
  if (other) throw new Refused(other.status, other.body);
  throw cancelled(
    targets.map((target, i) =>
      answerOf(target).status === 200
        ? { Code: 'None' }
        : {
            Code: 'ConditionalCheckFailed',
            Message: 'The conditional request failed',
            ...(target.operation.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && before[i] ? { Item: before[i] } : {}),
          },
    ),
  );
}
