import { PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { COMPLAINTS_TABLE, startDynamoDb, type MeteredWrite } from '../../local/dynamodb';

// The bench's write meter: dynalite's worker counts each write's units and tells the main thread, where the
// meter startDynamoDb was given adds them up.

const metered: { table: string; units: { table: number; index: number }; write: MeteredWrite }[] = [];
let dynamodb: Awaited<ReturnType<typeof startDynamoDb>>;

beforeAll(async () => {
  dynamodb = await startDynamoDb({ port: 0, meter: (table, units, write) => metered.push({ table, units, write }) });
});
afterAll(() => dynamodb.close());

const until = async (probe: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

it('meters a plain write at 1 unit per started KB and each item of a transaction at 2', async () => {
  const item = (PK: string) => ({ PK: { S: PK }, SK: { S: 'METER' }, body: { S: 'x'.repeat(1500) } });
  await dynamodb.client.send(new PutItemCommand({ TableName: COMPLAINTS_TABLE, Item: item('plain') }));
  await dynamodb.client.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: COMPLAINTS_TABLE, Item: item('first'), ConditionExpression: 'attribute_not_exists(PK)' } },
        { Put: { TableName: COMPLAINTS_TABLE, Item: item('second'), ConditionExpression: 'attribute_not_exists(PK)' } },
      ],
    }),
  );
  // Table creation at start is no write; the three writes above are all there is, told by message.
  await until(() => metered.length === 3);
  expect(metered.map(({ table, units, write }) => [table, units.table, write.transactional, (write.key.PK as { S: string }).S])).toEqual([
    [COMPLAINTS_TABLE, 2, false, 'plain'],
    [COMPLAINTS_TABLE, 4, true, 'first'],
    [COMPLAINTS_TABLE, 4, true, 'second'],
  ]);
});
