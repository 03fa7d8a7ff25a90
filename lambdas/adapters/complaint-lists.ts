import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { complaintSchema, type Complaint } from '../core/complaint';
import { MalformedRequest } from '../core/errors';
import { tableDesign } from './table-design';

export type ListIndex = Exclude<keyof typeof tableDesign.indexes, 'pendingWorkflow'>;

export interface ListRequest {
  index: ListIndex;
  partition: string;
  /** Inclusive bounds on the index's sort key. */
  sortAtMost?: string;
  newestFirst: boolean;
  filter: {
    statuses?: readonly string[];
    channel?: string;
    sourcePlatform?: string;
    dueOnOrBefore?: string;
    departments?: readonly string[];
  };
  limit: number;
  cursor?: string;
}

export interface ListPage {
  complaints: Complaint[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  cursor?: string;
}

// A filter is applied after DynamoDB reads a page, so a page can come back short; read on (a bounded number
// of times) to fill it, and hand out the position reached as the cursor.
const MAX_READS_PER_PAGE = 10;

export function dynamoComplaintLists(client: DynamoDBDocumentClient, tableName: string) {
  return {
    async list(request: ListRequest): Promise<ListPage> {
      const index = tableDesign.indexes[request.index];
      const names: Record<string, string> = { '#pk': index.partitionKey };
      const values: Record<string, unknown> = { ':pk': request.partition };
      let keyCondition = '#pk = :pk';
      if (request.sortAtMost !== undefined) {
        names['#sk'] = index.sortKey;
        keyCondition += ' AND #sk <= :skMax';
        values[':skMax'] = request.sortAtMost;
      }
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
      if (dueOnOrBefore) {
        values[':due'] = dueOnOrBefore;
        filters.push('responseDueBy <= :due');
      }
      if (departments) {
        filters.push(`listDepartment IN (${departments.map((department, i) => ((values[`:dept${i}`] = department), `:dept${i}`)).join(', ')})`);
      }

      const complaints: Complaint[] = [];
      let startKey = decodeCursor(request.cursor);
      // A cursor from another list (another department, another order) must not steer this query.
      const expectedKeys = [tableDesign.partitionKey, tableDesign.sortKey, index.partitionKey, index.sortKey].sort().join();
      if (startKey && (startKey[index.partitionKey] !== request.partition || [...new Set(Object.keys(startKey))].sort().join() !== [...new Set(expectedKeys.split(','))].sort().join())) {
        throw new MalformedRequest('The cursor belongs to another list.');
      }
      for (let read = 0; read < MAX_READS_PER_PAGE; read += 1) {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: request.index,
            KeyConditionExpression: keyCondition,
            FilterExpression: filters.length > 0 ? filters.join(' AND ') : undefined,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ScanIndexForward: !request.newestFirst,
            Limit: request.limit - complaints.length,
            ExclusiveStartKey: startKey,
          }),
        );
        complaints.push(...(page.Items ?? []).map((item) => complaintSchema.parse(item)));
        startKey = page.LastEvaluatedKey;
        if (!startKey || complaints.length >= request.limit) break;
      }
      return { complaints, cursor: startKey ? encodeCursor(startKey) : undefined };
    },
  };
}

export type ComplaintLists = ReturnType<typeof dynamoComplaintLists>;

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (key && typeof key === 'object' && !Array.isArray(key) && Object.values(key).every((value) => typeof value === 'string')) {
      return key as Record<string, string>;
    }
  } catch {
    // fall through to the error below
  }
  throw new MalformedRequest('The cursor is not one this API handed out.');
}
