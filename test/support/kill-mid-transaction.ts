import path from 'node:path';
import { TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { COMPLAINTS_TABLE, startDynamoDb } from '../../local/dynamodb';
import { localEventStream } from '../../local/outbox';

// Run by transaction-intent-kill.test.ts as a process of its own, killed (SIGKILL, nothing flushed or closed)
// at one point of a transaction that puts an event item: `after-intent`, once the main thread has journalled
// the intent and before dynalite's worker applies it; `after-apply`, once the worker has applied it and before
// the main thread journals the outcome. Usage: tsx kill-mid-transaction.ts <data folder> <point> <complaint id>

const [dataDir, point, id] = process.argv.slice(2) as [string, 'after-intent' | 'after-apply', string];
const kill = () => process.kill(process.pid, 'SIGKILL');

async function main(): Promise<void> {
  const stream = localEventStream(dataDir);
  const dynamodb = await startDynamoDb({
    port: 0,
    path: path.join(dataDir, 'dynamodb'),
    observePuts: (items) => {
      const outcome = stream.observePuts(items);
      if (point === 'after-intent') kill();
      return { committed: point === 'after-apply' ? kill : outcome.committed, aborted: outcome.aborted };
    },
  });
  await dynamodb.client.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        {
          Put: {
            TableName: COMPLAINTS_TABLE,
            Item: {
              PK: { S: `COMPLAINT#${id}` },
              SK: { S: 'EVENT#0000000001' },
              complaintId: { S: id },
              sequence: { N: '1' },
              type: { S: 'complaint.received' },
              at: { S: '2026-11-30T10:00:00.000Z' },
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ],
    }),
  );
  throw new Error('the transaction finished: the kill did not happen');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
