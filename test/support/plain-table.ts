import { CreateTableCommand, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** A table of string keys PK and SK and nothing else: what the stand-in's conformance tests write to. */
export const plainTable = (tableName: string) =>
  ({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'PK', AttributeType: 'S' },
      { AttributeName: 'SK', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ],
  }) satisfies CreateTableCommandInput;

export async function createPlainTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(plainTable(tableName)));
}
