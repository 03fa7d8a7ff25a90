import { UpdateCommand, type DynamoDocumentClient } from './aws-wire/dynamodb-api';
import type { AttemptCounter } from '../use-cases/look-up-status';
import { keys } from './table-design';

/**
 * One item per key and window, counted up with an atomic ADD (one write unit each). The item expires an hour
 * after its window ends (DynamoDB TTL; dynalite keeps it, which changes nothing since a new window is a new key).
 * Figures: a status lookup writes two counters; at the public routes' throttle (25/s) that is 50 WCU/s spread
 * over as many partition keys as there are references and clients, far from 1,000 writes/s on any one key.
 */
export function dynamoAttemptCounter(client: DynamoDocumentClient, tableName: string): AttemptCounter {
  return {
    async countAttempt(key, window) {
      const { Attributes } = await client.send(new UpdateCommand({ ...attemptCount(tableName, key, window), ReturnValues: 'UPDATED_NEW' }));
      return Number(Attributes?.attempts ?? 1);
    },
  };
}

/** The update that counts one attempt under `key` in `window`: on its own, or as a part of a transaction. */
export function attemptCount(tableName: string, key: string, window: { start: Date; seconds: number }) {
  const start = Math.floor(window.start.getTime() / 1000);
  return {
    TableName: tableName,
    Key: keys.attempts(key, start),
    UpdateExpression: 'ADD attempts :one SET expiresAt = :expiresAt',
    ExpressionAttributeValues: { ':one': 1, ':expiresAt': start + window.seconds + 3600 } as Record<string, unknown>,
  };
}
