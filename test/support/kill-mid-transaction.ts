import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { complaintsTable, createIfAbsent, localDynamoDbClient } from '../../local/dynamodb';
import { dynamoDbService } from '../../local/dynamodb-service';
import { dynaliteApart } from '../../local/dynalite-in-process';
import { eventPut } from './event-put';
import { eventJournal } from '../../local/event-journal';

// Run by transaction-intent-kill.test.ts as a process of its own, killed (SIGKILL, nothing flushed or closed)
// at one point of a transaction that puts an event item: `after-intent`, once the event journal has the intent
// and before the transaction applies; `after-apply`, once it has applied and before the journal has its
// outcome. dynalite and the service run here as dynalite's worker runs them (local/dynamodb-worker.ts), with the
// worker's own journal observer, so that the kill can fall between two of its steps.
// Usage: tsx kill-mid-transaction.ts <data folder> <point> <complaint id>

const [dataDir, point, id] = process.argv.slice(2) as [string, 'after-intent' | 'after-apply', string];
const kill = () => process.kill(process.pid, 'SIGKILL');

async function main(): Promise<void> {
  const options = { path: path.join(dataDir, 'dynamodb'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };
  const dynalite = dynaliteApart(require.resolve('dynalite'), options);
  const { server } = dynalite;
  const journal = eventJournal(path.join(dataDir, 'events.jsonl'), () => undefined);
  const service = dynamoDbService({
    dynalite,
    observe: async (items) => {
      const outcome = await journal(items);
      if (point === 'after-intent') kill();
      return { committed: point === 'after-apply' ? kill : outcome.committed, aborted: outcome.aborted };
    },
  });
  server.on('request', service.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = localDynamoDbClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  await createIfAbsent(client, complaintsTable());
  await client.send(
    new TransactWriteItemsCommand({
      TransactItems: [eventPut(id, 1, 'complaint.received', 'attribute_not_exists(PK)')],
    }),
  );
  throw new Error('the transaction finished: the kill did not happen');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
