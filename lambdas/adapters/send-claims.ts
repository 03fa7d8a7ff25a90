import { GetCommand, PutCommand, UpdateCommand, type DynamoDocumentClient } from './aws-wire/dynamodb-api';
import { isServiceError } from './aws-wire/service-errors';
import type { SendClaim, SendClaims, StoredSendClaim } from '../use-cases/ports';
import { keys } from './table-design';

// The send-once claims (lambdas/use-cases/send-once.ts): one small item per e-mail beside its complaint
// (COMPLAINT#id / SEND#<key>, ~250 B, 1 WCU), written once before the e-mail is sent. It is the one write that
// path adds per e-mail; everything else here happens only after a failure, or is a read. Claims are kept
// 30 days (DynamoDB TTL), far past any retry or redrive of the step that sends the e-mail.

const CLAIM_KEPT_SECONDS = 30 * 24 * 3600;

const isConditionFailure = (error: unknown) => isServiceError(error, 'ConditionalCheckFailedException');

function storedClaim(item: Record<string, unknown> | undefined): StoredSendClaim | undefined {
  if (!item) return undefined;
  return {
    complaintId: String(item.PK).slice('COMPLAINT#'.length),
    key: String(item.SK).slice('SEND#'.length),
    attempt: String(item.attempt),
    email: String(item.email),
    record: String(item.record),
    claimedAtMs: Number(item.claimedAtMs),
    ...(item.released === true ? { released: true } : {}),
    ...(typeof item.sentMessageId === 'string' ? { sent: { messageId: item.sentMessageId, sentAt: String(item.sentAt) } } : {}),
  };
}

/** `reminders.3` as a projection of the record, with the names it needs. */
function recordProjection(record: string) {
  const segments = record.split('.');
  return {
    expression: segments.map((_, i) => `#r${i}`).join('.'),
    names: Object.fromEntries(segments.map((segment, i) => [`#r${i}`, segment])),
  };
}

export function dynamoSendClaims(client: DynamoDocumentClient, tableName: string): SendClaims {
  const read = async (complaintId: string, key: string) =>
    storedClaim((await client.send(new GetCommand({ TableName: tableName, Key: keys.sendClaim(complaintId, key), ConsistentRead: true }))).Item);

  /**
   * Whether the complaint records the e-mail: as this message, or (a reminder, whose record keeps no message id)
   * at a path only one e-mail ever takes.
   */
  const recorded = async (complaintId: string, record: string, messageId: string) => {
    const projection = recordProjection(record);
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: keys.complaint(complaintId),
        ConsistentRead: true,
        ProjectionExpression: projection.expression,
        ExpressionAttributeNames: projection.names,
      }),
    );
    let value: unknown = Item;
    for (const segment of record.split('.')) value = (value as Record<string, unknown> | undefined)?.[segment];
    const recordedId = (value as { messageId?: unknown } | undefined)?.messageId;
    return value !== undefined && (recordedId === undefined || recordedId === messageId);
  };

  /** Changes the claim only while it is still this attempt's and SES's evidence is not on it. */
  const updateOwn = async (claim: { complaintId: string; key: string; attempt: string }, set: string, values: Record<string, unknown>) => {
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.sendClaim(claim.complaintId, claim.key),
          UpdateExpression: `SET ${set}`,
          ConditionExpression: 'attempt = :own AND attribute_not_exists(sentMessageId)',
          ExpressionAttributeValues: { ...values, ':own': claim.attempt },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };

  return {
    async claim(claim) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...keys.sendClaim(claim.complaintId, claim.key),
              attempt: claim.attempt,
              email: claim.email,
              record: claim.record,
              claimedAtMs: claim.claimedAtMs,
              expiresAt: Math.floor(claim.claimedAtMs / 1000) + CLAIM_KEPT_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
        return undefined;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return read(claim.complaintId, claim.key);
      }
    },

    read,

    takeOver(earlier, next: SendClaim) {
      // The e-mail's name too: a slot shared by e-mails of several names (send-once.ts) passes to the new one.
      return updateOwn(earlier, 'attempt = :attempt, claimedAtMs = :at, released = :no, email = :email', {
        ':attempt': next.attempt,
        ':at': next.claimedAtMs,
        ':no': false,
        ':email': next.email,
      });
    },

    async release(claim) {
      await updateOwn(claim, 'released = :yes', { ':yes': true });
    },

    async keepSendEvidence(evidence) {
      // The record first when the e-mail names it (its `sendRecord` tag): by the time SES's event comes it is
      // usually there, and then the claim need not be read.
      if (evidence.record !== undefined && (await recorded(evidence.complaintId, evidence.record, evidence.messageId))) return false;
      const claim = await read(evidence.complaintId, evidence.key);
      // Another attempt's claim now (this one's e-mail went out late, and the record will show the later one).
      if (!claim || claim.attempt !== evidence.attempt || claim.sent) return false;
      if (claim.record !== evidence.record && (await recorded(evidence.complaintId, claim.record, evidence.messageId))) return false;
      return updateOwn(claim, 'sentMessageId = :messageId, sentAt = :at', { ':messageId': evidence.messageId, ':at': evidence.at });
    },
  };
}
