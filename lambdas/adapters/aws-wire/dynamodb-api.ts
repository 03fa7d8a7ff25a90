import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { jsonProtocolClient, JsonCommand, type JsonClient } from './aws-json-protocol';
import type { TransportOptions } from './signed-transport';
import { isServiceError, type AwsServiceError } from './service-errors';

// DynamoDB's JSON 1.0 API (X-Amz-Target: DynamoDB_20120810.<Operation>) for the operations the Lambdas use,
// with the document client's conversions: items, keys and expression values go in as plain JavaScript and come
// back as plain JavaScript, marshalled by @aws-sdk/util-dynamodb (undefined values left out, numbers as
// numbers) exactly as lib-dynamodb did. Commands have lib-dynamodb's names and input shapes.

/** An item, a key or expression values as plain JavaScript. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- lib-dynamodb's NativeAttributeValue is `any` too: a stored item is checked by its schema where it is read
export type DocumentItem = Record<string, any>;
type Names = Record<string, string>;

interface Conditional {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Names;
  ExpressionAttributeValues?: DocumentItem;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

interface Capacity {
  ReturnConsumedCapacity?: 'INDEXES' | 'TOTAL' | 'NONE';
}

interface CapacityOutput {
  ConsumedCapacity?: unknown;
}

export interface GetCommandInput extends Capacity {
  TableName: string;
  Key: DocumentItem;
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Names;
}
export interface GetCommandOutput extends CapacityOutput {
  Item?: DocumentItem;
}

export interface PutCommandInput extends Conditional, Capacity {
  TableName: string;
  Item: DocumentItem;
  ReturnValues?: 'NONE' | 'ALL_OLD';
}
export interface PutCommandOutput extends CapacityOutput {
  Attributes?: DocumentItem;
}

export interface UpdateCommandInput extends Conditional, Capacity {
  TableName: string;
  Key: DocumentItem;
  UpdateExpression: string;
  ReturnValues?: 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';
}
export interface UpdateCommandOutput extends CapacityOutput {
  Attributes?: DocumentItem;
}

export interface QueryCommandInput extends Capacity {
  TableName: string;
  IndexName?: string;
  KeyConditionExpression: string;
  FilterExpression?: string;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Names;
  ExpressionAttributeValues?: DocumentItem;
  ScanIndexForward?: boolean;
  Limit?: number;
  ConsistentRead?: boolean;
  ExclusiveStartKey?: DocumentItem;
  Select?: 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | 'SPECIFIC_ATTRIBUTES' | 'COUNT';
}
export interface QueryCommandOutput extends CapacityOutput {
  Items?: DocumentItem[];
  LastEvaluatedKey?: DocumentItem;
  Count?: number;
  ScannedCount?: number;
}

interface KeysAndAttributes {
  Keys: DocumentItem[];
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Names;
  ConsistentRead?: boolean;
}
export interface BatchGetCommandInput extends Capacity {
  RequestItems: Record<string, KeysAndAttributes>;
}
export interface BatchGetCommandOutput extends CapacityOutput {
  Responses?: Record<string, DocumentItem[]>;
  /** What DynamoDB did not read this time (throttling, the 16 MB limit): ask again, after a pause. */
  UnprocessedKeys?: Record<string, KeysAndAttributes>;
}

export interface TransactWriteItem {
  Put?: Conditional & { TableName: string; Item: DocumentItem };
  Update?: Conditional & { TableName: string; Key: DocumentItem; UpdateExpression: string };
  Delete?: Conditional & { TableName: string; Key: DocumentItem };
  ConditionCheck?: Conditional & { TableName: string; Key: DocumentItem; ConditionExpression: string };
}
export interface TransactWriteCommandInput extends Capacity {
  TransactItems: TransactWriteItem[];
  ClientRequestToken?: string;
}
export type TransactWriteCommandOutput = CapacityOutput;

/** One per item of a cancelled transaction, in the items' order: `None`, `ConditionalCheckFailed`, `TransactionConflict`... */
export interface CancellationReason {
  Code?: string;
  Message?: string;
  /** The item as it was, with ReturnValuesOnConditionCheckFailure: ALL_OLD. */
  Item?: DocumentItem;
}

/** A TransactWriteItems that DynamoDB refused as a whole, with one reason per item. */
export type TransactionCanceled = AwsServiceError & { CancellationReasons?: CancellationReason[] };

export function isTransactionCanceled(error: unknown): error is TransactionCanceled {
  return isServiceError(error, 'TransactionCanceledException');
}

// As lib-dynamodb's document client was configured here: undefined values are left out, not an error.
const toWire = (item: DocumentItem) => marshall(item, { removeUndefinedValues: true });
const fromWire = (item: unknown) => unmarshall(item as Parameters<typeof unmarshall>[0]);
const optional = <T, R>(value: T | undefined, convert: (value: T) => R) => (value === undefined ? undefined : convert(value));
const conditional = <T extends Conditional>(input: T) => ({ ...input, ExpressionAttributeValues: optional(input.ExpressionAttributeValues, toWire) });
const mapValues = <T, R>(record: Record<string, T> | undefined, convert: (value: T) => R) =>
  optional(record, (defined) => Object.fromEntries(Object.entries(defined).map(([key, value]) => [key, convert(value)])));

export class GetCommand extends JsonCommand<GetCommandInput, GetCommandOutput> {
  readonly operation = 'GetItem';
  override toWire() {
    return { ...this.input, Key: toWire(this.input.Key) };
  }
  override fromWire(body: Record<string, unknown>): GetCommandOutput {
    return { ...body, Item: optional(body.Item, fromWire) };
  }
}

export class PutCommand extends JsonCommand<PutCommandInput, PutCommandOutput> {
  readonly operation = 'PutItem';
  override toWire() {
    return { ...conditional(this.input), Item: toWire(this.input.Item) };
  }
  override fromWire(body: Record<string, unknown>): PutCommandOutput {
    return { ...body, Attributes: optional(body.Attributes, fromWire) };
  }
}

export class UpdateCommand extends JsonCommand<UpdateCommandInput, UpdateCommandOutput> {
  readonly operation = 'UpdateItem';
  override toWire() {
    return { ...conditional(this.input), Key: toWire(this.input.Key) };
  }
  override fromWire(body: Record<string, unknown>): UpdateCommandOutput {
    return { ...body, Attributes: optional(body.Attributes, fromWire) };
  }
}

export interface DeleteCommandInput extends Conditional, Capacity {
  TableName: string;
  Key: DocumentItem;
  ReturnValues?: 'NONE' | 'ALL_OLD';
}
export interface DeleteCommandOutput extends CapacityOutput {
  Attributes?: DocumentItem;
}

export class DeleteCommand extends JsonCommand<DeleteCommandInput, DeleteCommandOutput> {
  readonly operation = 'DeleteItem';
  override toWire() {
    return { ...conditional(this.input), Key: toWire(this.input.Key) };
  }
  override fromWire(body: Record<string, unknown>): DeleteCommandOutput {
    return { ...body, Attributes: optional(body.Attributes, fromWire) };
  }
}

export class QueryCommand extends JsonCommand<QueryCommandInput, QueryCommandOutput> {
  readonly operation = 'Query';
  override toWire() {
    const { ExpressionAttributeValues, ExclusiveStartKey } = this.input;
    return {
      ...this.input,
      ExpressionAttributeValues: optional(ExpressionAttributeValues, toWire),
      ExclusiveStartKey: optional(ExclusiveStartKey, toWire),
    };
  }
  override fromWire(body: Record<string, unknown>): QueryCommandOutput {
    return {
      ...body,
      Items: optional(body.Items as unknown[] | undefined, (items) => items.map(fromWire)),
      LastEvaluatedKey: optional(body.LastEvaluatedKey, fromWire),
    };
  }
}

export class BatchGetCommand extends JsonCommand<BatchGetCommandInput, BatchGetCommandOutput> {
  readonly operation = 'BatchGetItem';
  override toWire() {
    return { ...this.input, RequestItems: mapValues(this.input.RequestItems, (request) => ({ ...request, Keys: request.Keys.map(toWire) })) };
  }
  override fromWire(body: Record<string, unknown>): BatchGetCommandOutput {
    return {
      ...body,
      Responses: mapValues(body.Responses as Record<string, unknown[]> | undefined, (items) => items.map(fromWire)),
      UnprocessedKeys: mapValues(body.UnprocessedKeys as Record<string, KeysAndAttributes> | undefined, (request) => ({
        ...request,
        Keys: request.Keys.map(fromWire),
      })),
    };
  }
}

export class TransactWriteCommand extends JsonCommand<TransactWriteCommandInput, TransactWriteCommandOutput> {
  readonly operation = 'TransactWriteItems';
  override toWire() {
    return {
      ...this.input,
      TransactItems: this.input.TransactItems.map(({ Put, Update, Delete, ConditionCheck }) => ({
        Put: optional(Put, (put) => ({ ...conditional(put), Item: toWire(put.Item) })),
        Update: optional(Update, (update) => ({ ...conditional(update), Key: toWire(update.Key) })),
        Delete: optional(Delete, (remove) => ({ ...conditional(remove), Key: toWire(remove.Key) })),
        ConditionCheck: optional(ConditionCheck, (check) => ({ ...conditional(check), Key: toWire(check.Key) })),
      })),
    };
  }
}

type DocumentCommand<Output> = JsonCommand<unknown, Output>;

export interface DynamoDocumentClient {
  send<Output>(command: DocumentCommand<Output>): Promise<Output>;
  intercept: JsonClient['intercept'];
}

export function dynamoDocumentClient(options?: TransportOptions): DynamoDocumentClient {
  const client = jsonProtocolClient(
    { endpointId: 'DYNAMODB', endpointPrefix: 'dynamodb', signingName: 'dynamodb' },
    { version: '1.0', targetPrefix: 'DynamoDB_20120810' },
    options,
  );
  return {
    async send(command) {
      try {
        return await client.send(command);
      } catch (error) {
        throw withPlainItems(error);
      }
    },
    intercept: client.intercept,
  };
}

/** The items an error returns (a failed condition's old item, a cancelled transaction's) as plain JavaScript too. */
function withPlainItems(error: unknown): unknown {
  if (!isServiceError(error)) return error;
  const fields = error as AwsServiceError & { Item?: unknown; CancellationReasons?: { Item?: unknown }[] };
  if (fields.Item !== undefined) fields.Item = fromWire(fields.Item);
  if (Array.isArray(fields.CancellationReasons)) {
    fields.CancellationReasons = fields.CancellationReasons.map((reason) =>
      reason.Item === undefined ? reason : { ...reason, Item: fromWire(reason.Item) },
    );
  }
  return error;
}
