import { DynamoDBClient, GetItemCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { COMPLAINTS_TABLE, startDynamoDb, localDynamoDbClient } from '../../local/dynamodb';

// The local DynamoDB's background door (local/dynamodb-lanes.ts), which the workflows' thread uses: the same
// table and the same service as the foreground's, transactions included, only served after the foreground.

let dynamodb: Awaited<ReturnType<typeof startDynamoDb>>;
let background: DynamoDBClient;

beforeAll(async () => {
  dynamodb = await startDynamoDb({ port: 0 });
  background = localDynamoDbClient(dynamodb.backgroundUrl);
});

afterAll(async () => {
  background.destroy();
  await dynamodb.close();
});

const key = (PK: string) => ({ PK: { S: PK }, SK: { S: 'LANES' } });

it('is another port onto the same table: what one door writes, the other reads', async () => {
  expect(dynamodb.backgroundUrl).not.toBe(dynamodb.url);
  await background.send(new PutItemCommand({ TableName: COMPLAINTS_TABLE, Item: { ...key('lanes-1'), note: { S: 'from the workflows' } } }));
  const { Item } = await dynamodb.client.send(new GetItemCommand({ TableName: COMPLAINTS_TABLE, Key: key('lanes-1'), ConsistentRead: true }));
  expect(Item?.note).toEqual({ S: 'from the workflows' });
});

it('carries out a transaction through the background door, its conditions included', async () => {
  const put = (PK: string) => ({ Put: { TableName: COMPLAINTS_TABLE, Item: key(PK), ConditionExpression: 'attribute_not_exists(PK)' } });
  await background.send(new TransactWriteItemsCommand({ TransactItems: [put('lanes-2'), put('lanes-3')] }));
  await expect(background.send(new TransactWriteItemsCommand({ TransactItems: [put('lanes-4'), put('lanes-2')] }))).rejects.toMatchObject({
    name: 'TransactionCanceledException',
  });
  const stored = await Promise.all(
    ['lanes-2', 'lanes-3', 'lanes-4'].map(
      async (PK) =>
        (await dynamodb.client.send(new GetItemCommand({ TableName: COMPLAINTS_TABLE, Key: key(PK), ConsistentRead: true }))).Item !== undefined,
    ),
  );
  expect(stored).toEqual([true, true, false]);
});

it('answers every request of both doors when they arrive together', async () => {
  const foregroundWrites = Array.from({ length: 30 }, (_, i) =>
    dynamodb.client.send(new PutItemCommand({ TableName: COMPLAINTS_TABLE, Item: key(`lanes-front-${i}`) })),
  );
  const backgroundWrites = Array.from({ length: 10 }, (_, i) =>
    background.send(new PutItemCommand({ TableName: COMPLAINTS_TABLE, Item: key(`lanes-back-${i}`) })),
  );
  const answers = await Promise.allSettled([...foregroundWrites, ...backgroundWrites]);
  expect(answers.filter(({ status }) => status === 'fulfilled')).toHaveLength(40);
});
