import { createHash } from 'node:crypto';
import { BatchGetCommand, QueryCommand, type BatchGetCommandOutput, type DynamoDocumentClient } from './aws-wire/dynamodb-api';
import * as z from '../core/zod';
import { complaintSummarySchema, type ComplaintSummary } from '../core/complaint-summary';
import type { ComplaintLists, ListPage, ListRequest } from '../use-cases/ports';
import { InvalidCursor } from '../core/errors';
import { allComplaintsPartitions, departmentPartitions, keys, tableDesign, UNASSIGNED } from './table-design';

/** Which complaints a list holds: all, one department's, or those of one customer (by e-mail) or one order. */
// A filter is applied after DynamoDB reads a page, so a shard can come back short; read on (a bounded number
// of times per shard) to fill the page, and hand out the positions reached as the cursor.
const MAX_READS_PER_SHARD = 5;

type IndexName = keyof typeof tableDesign.indexes;
type StoredKey = Record<string, unknown>;

interface Plan {
  indexName: IndexName;
  partitions: string[];
  newestFirst: boolean;
  /** Inclusive upper bound on the index's sort key (a due-date index narrowed to a due window). */
  sortAtMost?: string;
}

/**
 * Complaints nobody routed yet are in no department index (table-design.ts `departmentIndexAttributes`): their
 * list is the list of all complaints, filtered on the department they show.
 */
function unroutedAsFiltered(request: ListRequest): ListRequest {
  if (request.scope.kind !== 'department' || request.scope.department !== UNASSIGNED) return request;
  return { ...request, scope: { kind: 'all' }, filter: { ...request.filter, departments: [UNASSIGNED] } };
}

function planOf(request: ListRequest): Plan {
  const urgent = request.order === 'urgent';
  const dueBound = urgent && request.filter.dueOnOrBefore ? `${request.filter.dueOnOrBefore}#\uffff` : undefined;
  switch (request.scope.kind) {
    case 'all':
      return {
        indexName: urgent ? 'allShardsByDue' : 'allShardsByReceived',
        partitions: allComplaintsPartitions(),
        newestFirst: !urgent,
        sortAtMost: dueBound,
      };
    case 'department':
      return {
        indexName: urgent ? 'departmentShardsByDue' : 'departmentShardsByReceived',
        partitions: departmentPartitions(request.scope.department),
        newestFirst: !urgent,
        sortAtMost: dueBound,
      };
    case 'customerEmail':
      return { indexName: 'customerEmailByReceived', partitions: [request.scope.email.toLowerCase()], newestFirst: true };
    case 'orderNumber':
      return { indexName: 'orderNumberByReceived', partitions: [request.scope.orderNumber], newestFirst: true };
  }
}

/** One shard of a list while a page is read: what was read and not yet shown, and how far it was read. */
interface Shard {
  index: number;
  partition: string;
  /** Where the next read starts (the position the page came in with, then the last key DynamoDB evaluated). */
  readFrom?: StoredKey;
  reads: number;
  /** DynamoDB said there is nothing after the last read. */
  exhausted: boolean;
  buffer: StoredKey[];
  /** The last row of this shard put on the page. */
  lastShown?: StoredKey;
}

export function dynamoComplaintLists(client: DynamoDocumentClient, tableName: string): ComplaintLists {
  return {
    async list(asked: ListRequest): Promise<ListPage> {
      const request = unroutedAsFiltered(asked);
      const plan = planOf(request);
      const index = tableDesign.indexes[plan.indexName];
      const cursor = decodeCursor(request.cursor, plan);
      const query = queryParts(request, plan);
      const shards: Shard[] = plan.partitions.map((partition, i) => {
        const position = cursor?.at[i];
        return {
          index: i,
          partition,
          readFrom: Array.isArray(position) ? storedKey(plan, partition, position) : undefined,
          reads: 0,
          exhausted: position === DONE,
          buffer: [],
        };
      });
      // Without filters a page needs about limit / shards rows from each; with them, as many as it can get.
      const chunk = query.filtered ? request.limit : Math.ceil(request.limit / shards.length) + 2;

      // A lookup index (a customer's, an order's) holds keys only: the rows come from the complaints themselves,
      // and the filter is applied to them here, since DynamoDB's filter sees only what the index holds.
      const keysOnly = index.projection.length === 0;
      const read = async (shard: Shard) => {
        const names: Record<string, string> = { '#pk': index.partitionKey, ...(keysOnly ? {} : query.names) };
        const values: Record<string, unknown> = { ':pk': shard.partition, ...(keysOnly ? {} : query.values) };
        let keyCondition = '#pk = :pk';
        if (plan.sortAtMost !== undefined) {
          names['#sk'] = index.sortKey;
          values[':skMax'] = plan.sortAtMost;
          keyCondition += ' AND #sk <= :skMax';
        }
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: plan.indexName,
            KeyConditionExpression: keyCondition,
            FilterExpression: keysOnly ? undefined : query.filter,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ScanIndexForward: !plan.newestFirst,
            Limit: chunk,
            ExclusiveStartKey: shard.readFrom,
          }),
        );
        shard.reads += 1;
        shard.buffer.push(...(keysOnly ? (await complaintRows(client, tableName, page.Items ?? [])).filter(matches(request)) : (page.Items ?? [])));
        shard.readFrom = page.LastEvaluatedKey;
        shard.exhausted = !page.LastEvaluatedKey;
      };
      const mayRead = (shard: Shard) => !shard.exhausted && shard.buffer.length === 0 && shard.reads < MAX_READS_PER_SHARD;

      // Merge the shards by the sort key, as one list would be ordered; within a shard DynamoDB's own order
      // stands (equal sort keys keep it), across shards equal sort keys go by shard number.
      const sortKey = index.sortKey;
      const before = (a: { sort: string; shard: number }, b: { sort: string; shard: number }) =>
        a.sort === b.sort ? a.shard < b.shard : plan.newestFirst ? a.sort > b.sort : a.sort < b.sort;
      const shown: StoredKey[] = [];
      while (shown.length < request.limit) {
        await Promise.all(shards.filter(mayRead).map(read));
        let best: Shard | undefined;
        for (const shard of shards) {
          const head = shard.buffer[0];
          if (!head) continue;
          if (!best || before({ sort: String(head[sortKey]), shard: shard.index }, { sort: String(best.buffer[0]![sortKey]), shard: best.index }))
            best = shard;
        }
        if (!best) break;
        // A shard read as far as this page may read it, with nothing left to show, may still hold rows that
        // come before the best one: those wait for the next page, and so does everything after them.
        const candidate = { sort: String(best.buffer[0]![sortKey]), shard: best.index };
        const blocked = shards.some(
          (shard) =>
            !shard.exhausted && shard.buffer.length === 0 && !before(candidate, { sort: String(shard.readFrom![sortKey]), shard: shard.index }),
        );
        if (blocked) break;
        const row = best.buffer.shift()!;
        best.lastShown = row;
        shown.push(row);
      }

      const at = shards.map((shard): Position => {
        if (shard.buffer.length > 0) {
          const from =
            shard.lastShown ??
            (Array.isArray(cursor?.at[shard.index]) ? storedKey(plan, shard.partition, cursor.at[shard.index] as [string, string]) : undefined);
          return from ? positionOf(from, sortKey) : START;
        }
        if (shard.exhausted) return DONE;
        return positionOf(shard.readFrom!, sortKey);
      });
      return {
        complaints: shown.map(summaryOfRow),
        cursor: at.every((position) => position === DONE) ? undefined : encodeCursor({ list: listIdentity(plan), at }),
      };
    },
  };
}

function queryParts(request: ListRequest, plan: Plan) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const filters: string[] = [];
  const { statuses, channel, sourcePlatform, dueOnOrBefore, departments } = request.filter;
  if (statuses?.length) {
    names['#status'] = 'status';
    filters.push(`#status IN (${statuses.map((status, i) => ((values[`:status${i}`] = status), `:status${i}`)).join(', ')})`);
  }
  if (channel) {
    names['#channel'] = 'channel';
    values[':channel'] = channel;
    filters.push('#channel = :channel');
  }
  if (sourcePlatform) {
    values[':platform'] = sourcePlatform;
    filters.push('sourcePlatform = :platform');
  }
  // On a due-date index the bound narrows the key range itself (planOf); elsewhere it filters.
  if (dueOnOrBefore && plan.sortAtMost === undefined) {
    values[':due'] = dueOnOrBefore;
    filters.push('responseDueBy <= :due');
  }
  if (departments) {
    filters.push(`listDepartment IN (${departments.map((department, i) => ((values[`:dept${i}`] = department), `:dept${i}`)).join(', ')})`);
  }
  return { names, values, filter: filters.length > 0 ? filters.join(' AND ') : undefined, filtered: filters.length > 0 };
}

/** The summary attributes of the complaints a keys-only index names, in the index's order (absent ones left out). */
async function complaintRows(client: DynamoDocumentClient, tableName: string, indexRows: StoredKey[]): Promise<StoredKey[]> {
  if (indexRows.length === 0) return [];
  const found = new Map<string, StoredKey>();
  const names = Object.fromEntries(LOOKUP_ROW_ATTRIBUTES.map((name, i) => [`#a${i}`, name]));
  let Keys: StoredKey[] | undefined = indexRows.map((row) => ({ PK: row.PK, SK: row.SK }));
  for (let attempt = 0; Keys && Keys.length > 0; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** Math.min(attempt, 6)));
    const answer: BatchGetCommandOutput = await client.send(
      new BatchGetCommand({
        RequestItems: { [tableName]: { Keys, ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names } },
      }),
    );
    for (const item of answer.Responses?.[tableName] ?? []) found.set(String(item.PK), item);
    Keys = answer.UnprocessedKeys?.[tableName]?.Keys;
  }
  return indexRows.flatMap((row) => {
    const complaint = found.get(String(row.PK));
    return complaint ? [{ ...complaint, ...row }] : [];
  });
}

const LOOKUP_ROW_ATTRIBUTES = [tableDesign.partitionKey, ...tableDesign.summaryAttributes];

/** The list filter of queryParts, for rows read from the complaints themselves. */
function matches(request: ListRequest): (row: StoredKey) => boolean {
  const { statuses, channel, sourcePlatform, dueOnOrBefore, departments } = request.filter;
  return (row) =>
    (!statuses?.length || statuses.includes(String(row.status))) &&
    (!channel || row.channel === channel) &&
    (!sourcePlatform || row.sourcePlatform === sourcePlatform) &&
    (!dueOnOrBefore || String(row.responseDueBy) <= dueOnOrBefore) &&
    (!departments || departments.includes(String(row.listDepartment)));
}

/** A list row as the API shows it, from the index's projection (adapters/table-design.ts). */
function summaryOfRow(row: StoredKey): ComplaintSummary {
  const department = row.listDepartment;
  return complaintSummarySchema.parse({
    id: row.id,
    reference: row.reference,
    status: row.status,
    channel: row.channel,
    policyId: row.policyId,
    department: department === undefined || department === UNASSIGNED ? null : department,
    ...(row.sourcePlatform !== undefined ? { sourcePlatform: row.sourcePlatform } : {}),
    receivedAt: row.receivedAt,
    responseDueBy: row.responseDueBy,
  });
}

// The cursor: for each shard of the list, where the next page starts reading. The other key attributes of the
// position follow from the list (the complaint's table keys from its id, the index partition from the shard),
// so the cursor stays short (≈ 700 characters for 8 shards) and cannot point outside its list.
const START = 0;
const DONE = 1;
const text = z.string().check(z.minLength(1), z.maxLength(200));
const positionSchema = z.union([z.literal(START), z.literal(DONE), z.tuple([text, text])]);
type Position = z.infer<typeof positionSchema>;
const cursorSchema = z.strictObject({ list: z.string(), at: z.array(positionSchema).check(z.minLength(1), z.maxLength(64)) });
type Cursor = z.infer<typeof cursorSchema>;

/** Names the list a cursor belongs to (its index and partitions), without carrying an e-mail address. */
function listIdentity(plan: Plan): string {
  return createHash('sha256')
    .update(`${plan.indexName}\n${plan.partitions.join('\n')}`)
    .digest('base64url')
    .slice(0, 16);
}

const COMPLAINT_PREFIX = keys.complaint('').PK;

function positionOf(key: StoredKey, sortKey: string): Position {
  return [String(key[sortKey]), String(key[tableDesign.partitionKey]).slice(COMPLAINT_PREFIX.length)];
}

function storedKey(plan: Plan, partition: string, [sort, id]: readonly [string, string]): StoredKey {
  const index = tableDesign.indexes[plan.indexName];
  return { ...keys.complaint(id), [index.partitionKey]: partition, [index.sortKey]: sort };
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** A cursor this list handed out, or a 400: forged, damaged or another list's cursors never reach DynamoDB. */
function decodeCursor(cursor: string | undefined, plan: Plan): Cursor | undefined {
  if (cursor === undefined) return undefined;
  let parsed: Cursor;
  try {
    parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidCursor('cursor');
  }
  if (parsed.list !== listIdentity(plan) || parsed.at.length !== plan.partitions.length) {
    throw new InvalidCursor('cursor', 'it belongs to another list');
  }
  // DynamoDB refuses a start key outside the key condition (a 500 if it got that far).
  const outside = parsed.at.some((position) => Array.isArray(position) && plan.sortAtMost !== undefined && position[0] > plan.sortAtMost);
  if (outside) throw new InvalidCursor('cursor', 'it belongs to another list');
  return parsed;
}
