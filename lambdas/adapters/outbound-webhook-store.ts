import {
  DeleteCommand,
  GetCommand,
  isTransactionCanceled,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDocumentClient,
} from './aws-wire/dynamodb-api';
import { isServiceError } from './aws-wire/service-errors';
import type { DeadLetter } from '../core/outbound-webhooks';
import type { OutboundWebhookStore, StoredDelivery, StoredSubscription } from '../use-cases/outbound-webhooks';
import { keys } from './table-design';

// Subscriptions, deliveries and dead letters in the complaints table (keys in table-design.ts). A delivery's
// item is ~1–2 KB (the body it sends, up to 20 attempts): 2 WCU per attempt recorded, ≈ 3 per delivered event.

const conditionFailed = (error: unknown) =>
  isServiceError(error, 'ConditionalCheckFailedException') ||
  (isTransactionCanceled(error) && (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed'));

const OPEN_STATES = { ':pending': 'pending', ':retrying': 'retrying' };

function without<T extends Record<string, unknown>>(item: T | undefined): Omit<T, 'PK' | 'SK'> | undefined {
  if (!item) return undefined;
  const { PK: _pk, SK: _sk, ...rest } = item;
  return rest;
}

export function dynamoOutboundWebhookStore(client: DynamoDocumentClient, tableName: string): OutboundWebhookStore {
  async function queryAll(partition: string, prefix?: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: prefix ? 'PK = :pk AND begins_with(SK, :prefix)' : 'PK = :pk',
          ExpressionAttributeValues: { ':pk': partition, ...(prefix ? { ':prefix': prefix } : {}) },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  const deliveryKey = (key: { complaintId: string; sequence: number; deliveryId: string }) =>
    keys.webhookDelivery(key.complaintId, key.sequence, key.deliveryId);

  return {
    async createSubscription(subscription) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.webhookSubscription(subscription.id), ...subscription },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
        return 'created';
      } catch (error) {
        if (conditionFailed(error)) return 'exists';
        throw error;
      }
    },

    async subscription(id) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.webhookSubscription(id), ConsistentRead: true }));
      return without(Item) as StoredSubscription | undefined;
    },

    async subscriptions() {
      return (await queryAll(keys.webhookSubscription('').PK)).map((item) => without(item) as StoredSubscription);
    },

    async disableSubscription(id, reason, at) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.webhookSubscription(id),
            UpdateExpression: 'SET #status = :disabled, disabledReason = :reason, disabledAt = :at',
            ConditionExpression: '#status = :active',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':disabled': 'disabled', ':active': 'active', ':reason': reason, ':at': at },
          }),
        );
        return true;
      } catch (error) {
        if (conditionFailed(error)) return false;
        throw error;
      }
    },

    async deleteSubscription(id) {
      const { Attributes } = await client.send(
        new DeleteCommand({ TableName: tableName, Key: keys.webhookSubscription(id), ReturnValues: 'ALL_OLD' }),
      );
      return Attributes !== undefined;
    },

    async createDelivery(delivery) {
      try {
        await client.send(
          new PutCommand({ TableName: tableName, Item: { ...deliveryKey(delivery), ...delivery }, ConditionExpression: 'attribute_not_exists(PK)' }),
        );
        return true;
      } catch (error) {
        if (conditionFailed(error)) return false;
        throw error;
      }
    },

    async delivery(key) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: deliveryKey(key), ConsistentRead: true }));
      return without(Item) as StoredDelivery | undefined;
    },

    async deliveries(complaintId) {
      return (await queryAll(keys.complaint(complaintId).PK, 'DELIVERY#')).map((item) => without(item) as StoredDelivery);
    },

    async recordAttempt(key, record) {
      const update = {
        TableName: tableName,
        Key: deliveryKey(key),
        UpdateExpression:
          'SET #state = :state, attempts = :attempts, attemptCount = :count, roundAttempts = :round' +
          (record.nextAttemptAt ? ', nextAttemptAt = :next' : ' REMOVE nextAttemptAt'),
        // Only from where this attempt started: a retried step that finds its attempt recorded writes nothing.
        ConditionExpression: '#state IN (:pending, :retrying) AND roundAttempts = :previous',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':state': record.state,
          ':attempts': record.attempts,
          ':count': record.attemptCount,
          ':round': record.roundAttempts,
          ':previous': record.roundAttempts - 1,
          ...OPEN_STATES,
          ...(record.nextAttemptAt ? { ':next': record.nextAttemptAt } : {}),
        },
      };
      try {
        if (!record.deadLetter) await client.send(new UpdateCommand(update));
        else {
          await client.send(
            new TransactWriteCommand({
              TransactItems: [
                { Update: update },
                {
                  Put: {
                    TableName: tableName,
                    Item: { ...keys.webhookDeadLetter(record.deadLetter.id), ...record.deadLetter },
                    ConditionExpression: 'attribute_not_exists(PK)',
                  },
                },
              ],
            }),
          );
        }
        return true;
      } catch (error) {
        if (conditionFailed(error)) return false;
        throw error;
      }
    },

    async cancelDelivery(key, because) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: deliveryKey(key),
            UpdateExpression: 'SET #state = :cancelled, cancelledBecause = :because REMOVE nextAttemptAt',
            ConditionExpression: '#state IN (:pending, :retrying)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':cancelled': 'cancelled', ':because': because, ...OPEN_STATES },
          }),
        );
      } catch (error) {
        if (!conditionFailed(error)) throw error;
      }
    },

    async deadLetters({ limit, before }) {
      const partition = keys.webhookDeadLetter('').PK;
      const { Items = [], LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ScanIndexForward: false,
          Limit: limit,
          ConsistentRead: true,
          ExclusiveStartKey: before ? keys.webhookDeadLetter(before) : undefined,
        }),
      );
      return {
        deadLetters: Items.map((item) => without(item) as DeadLetter),
        ...(LastEvaluatedKey ? { before: String(LastEvaluatedKey.SK) } : {}),
      };
    },

    async deadLetter(id) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.webhookDeadLetter(id), ConsistentRead: true }));
      return without(Item) as DeadLetter | undefined;
    },

    async redrive(deadLetter, roundStartedAt) {
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Delete: { TableName: tableName, Key: keys.webhookDeadLetter(deadLetter.id), ConditionExpression: 'attribute_exists(PK)' } },
              {
                Update: {
                  TableName: tableName,
                  Key: deliveryKey(deadLetter),
                  UpdateExpression: 'SET #state = :pending, roundStartedAt = :start, roundAttempts = :zero, redrives = redrives + :one',
                  ConditionExpression: '#state = :parked',
                  ExpressionAttributeNames: { '#state': 'state' },
                  ExpressionAttributeValues: { ':pending': 'pending', ':parked': 'parked', ':start': roundStartedAt, ':zero': 0, ':one': 1 },
                },
              },
            ],
          }),
        );
        return true;
      } catch (error) {
        if (conditionFailed(error)) return false;
        throw error;
      }
    },
  };
}
