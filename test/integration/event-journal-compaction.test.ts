import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoDbClient, startDynamoDb } from '../../local/dynamodb';
import { localEventStream, type EventStreamOptions } from '../../local/outbox';
import { eventPut } from '../support/event-put';

// The local stream's journal (events.jsonl) only grows, and the outbox reads it whole at every start; once every
// consumer is past enough of it, the outbox drops that part as it starts (local/outbox.ts, compactJournal). Across
// restarts of a data folder: nothing delivered twice, nothing skipped, and a consumer added later starts where the
// journal now begins.

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** One run of the product's stream on `dataDir`: the consumers named, `ids` filed, and what each consumer got. */
async function run(dataDir: string, consumerNames: string[], ids: string[], options: Pick<EventStreamOptions, 'compactAfter'> = {}) {
  const delivered: string[] = [];
  const stream = localEventStream(dataDir, {
    ...options,
    consumers: Object.fromEntries(
      consumerNames.map((name) => [name, { function: 'workflowStarter', events: ['complaint.received'], description: 'test' }]),
    ),
    deliver: async (consumer, event) => void delivered.push(`${consumer}:${event.detail.complaintId}`),
  });
  const dynamodb = await startDynamoDb({ port: 0, path: path.join(dataDir, 'dynamodb'), events: stream.table });
  const client = localDynamoDbClient(dynamodb.url);
  const outbox = stream.start();
  try {
    for (const id of ids)
      await client.send(new TransactWriteItemsCommand({ TransactItems: [eventPut(id, 1, 'complaint.received', 'attribute_not_exists(PK)')] }));
    await outbox.drain();
  } finally {
    await outbox.stop();
    client.destroy();
    await dynamodb.close();
  }
  return delivered.sort();
}

it('drops what every consumer has had at start, and goes on from the same positions', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'reklamacje-compaction-'));
  folders.push(dataDir);
  const journal = () => readFileSync(path.join(dataDir, 'events.jsonl'), 'utf8').trim().split('\n');
  const offsets = () => JSON.parse(readFileSync(path.join(dataDir, 'event-offsets.json'), 'utf8')) as Record<string, number>;

  expect(await run(dataDir, ['starter'], ['a', 'b', 'c'])).toEqual(['starter:a', 'starter:b', 'starter:c']);
  expect(journal()).toHaveLength(6); // an intent and an outcome each
  expect(offsets()).toEqual({ starter: 3 });

  // Every consumer is past 3 events, more than 2: they go as this run starts.
  expect(await run(dataDir, ['starter'], ['d'], { compactAfter: 2 })).toEqual(['starter:d']);
  expect(journal()[0]).toBe('{"base":3}');
  expect(journal()).toHaveLength(3); // the base, then d's intent and outcome
  expect(offsets()).toEqual({ starter: 4 });
  expect(existsSync(path.join(dataDir, 'events.jsonl.next'))).toBe(false);

  // Read again with its base: nothing delivered twice, the next event reaches every consumer, and one added now
  // starts where the journal does (d), as a new rule on an event bus sees no events from before it.
  expect(await run(dataDir, ['starter', 'late'], ['e'])).toEqual(['late:d', 'late:e', 'starter:e']);
  expect(offsets()).toEqual({ starter: 5, late: 5 });
}, 60_000);

it('keeps what a consumer has not had yet', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'reklamacje-compaction-'));
  folders.push(dataDir);
  await run(dataDir, ['starter'], ['a', 'b', 'c']);
  // `behind` never ran, so it starts at the journal's base (0): nothing can go.
  expect(await run(dataDir, ['starter', 'behind'], [], { compactAfter: 1 })).toEqual(['behind:a', 'behind:b', 'behind:c']);
  expect(readFileSync(path.join(dataDir, 'events.jsonl'), 'utf8').startsWith('{"base"')).toBe(false);
}, 60_000);
