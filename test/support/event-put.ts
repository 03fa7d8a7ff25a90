import { COMPLAINTS_TABLE } from '../../local/dynamodb';

/** A transaction's part that puts a complaint's event item, as the product writes one: what the local stream carries. */
export const eventPut = (id: string, sequence: number, type: string, condition?: string) => ({
  Put: {
    TableName: COMPLAINTS_TABLE,
    Item: {
      PK: { S: `COMPLAINT#${id}` },
      SK: { S: `EVENT#${String(sequence).padStart(10, '0')}` },
      complaintId: { S: id },
      sequence: { N: String(sequence) },
      type: { S: type },
      at: { S: '2026-11-30T10:00:00.000Z' },
    },
    ...(condition ? { ConditionExpression: condition } : {}),
  },
});
