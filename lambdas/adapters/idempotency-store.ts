import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './table-design';

/**
 * What a request under an Idempotency-Key finds (IETF httpapi idempotency-key draft): nothing yet (it holds
 * the key now), a finished answer to replay, or another request still holding it. A holder that died leaves a
 * lease that expires, after which the next request takes over the same reserved identity.
 */
export type IdempotencyClaim<Reservation, Answer> =
  | { outcome: 'acquired'; reservation: Reservation }
  | { outcome: 'completed'; fingerprint: string; answer: Answer }
  | { outcome: 'in_progress'; fingerprint: string };

export interface IdempotencyStore<Reservation, Answer> {
  claim(key: string, fingerprint: string, reservation: Reservation, now: Date): Promise<IdempotencyClaim<Reservation, Answer>>;
  complete(key: string, answer: Answer, now: Date): Promise<void>;
}

// 24 h is the retention the draft suggests clients can rely on; the lease is far longer than any intake takes.
const RETENTION_SECONDS = 24 * 60 * 60;
const LEASE_MS = 30_000;

interface StoredRecord<Reservation, Answer> {
  fingerprint: string;
  reservation: Reservation;
  answer?: Answer;
  leaseUntil: number;
}

export function dynamoIdempotencyStore<Reservation, Answer>(
  client: DynamoDBDocumentClient,
  tableName: string,
  scope: string,
): IdempotencyStore<Reservation, Answer> {
  return {
    async claim(key, fingerprint, reservation, now) {
      const leaseUntil = now.getTime() + LEASE_MS;
      try {
        // Take the key if nobody has it, or if a holder's lease ran out before it finished.
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.idempotency(scope, key),
            UpdateExpression:
              'SET fingerprint = if_not_exists(fingerprint, :fingerprint), reservation = if_not_exists(reservation, :reservation), leaseUntil = :leaseUntil, expiresAt = if_not_exists(expiresAt, :expiresAt)',
            ConditionExpression:
              'attribute_not_exists(PK) OR (attribute_not_exists(answer) AND leaseUntil < :now AND fingerprint = :fingerprint)',
            ExpressionAttributeValues: {
              ':fingerprint': fingerprint,
              ':reservation': reservation,
              ':leaseUntil': leaseUntil,
              ':now': now.getTime(),
              ':expiresAt': Math.floor(now.getTime() / 1000) + RETENTION_SECONDS,
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { outcome: 'acquired', reservation: (Attributes as StoredRecord<Reservation, Answer>).reservation };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.idempotency(scope, key), ConsistentRead: true }),
      );
      const record = Item as StoredRecord<Reservation, Answer> | undefined;
      if (!record) return { outcome: 'in_progress', fingerprint };
      if (record.answer !== undefined) return { outcome: 'completed', fingerprint: record.fingerprint, answer: record.answer };
      return { outcome: 'in_progress', fingerprint: record.fingerprint };
    },

    async complete(key, answer) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.idempotency(scope, key),
          UpdateExpression: 'SET answer = :answer REMOVE leaseUntil',
          ExpressionAttributeValues: { ':answer': answer },
        }),
      );
    },
  };
}
