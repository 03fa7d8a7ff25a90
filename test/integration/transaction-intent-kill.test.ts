import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { COMPLAINTS_TABLE, startDynamoDb } from '../../local/dynamodb';
import { localEventStream } from '../../local/outbox';

// dynalite's worker journals a transaction's event intent, applies the transaction, and journals its outcome
// (local/event-journal.ts). A kill between two of those steps leaves an intent without an outcome, which the next
// start settles by looking at the table, before the stand-in serves anyone: the event is delivered exactly when the
// transaction's items are there.

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

async function killedAt(point: 'after-intent' | 'after-apply') {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'reklamacje-intent-'));
  folders.push(dataDir);
  const id = `killed-${point}`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../support/kill-mid-transaction.ts'), dataDir, point, id], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.signal).toBe('SIGKILL');
  const journalled = readFileSync(path.join(dataDir, 'events.jsonl'), 'utf8').trim().split('\n');
  const delivered: string[] = [];
  const stream = localEventStream(dataDir, {
    consumers: { probe: { function: 'workflowStarter', events: ['complaint.received'], description: 'test' } },
    deliver: async (_consumer, event) => void delivered.push(event.detail.complaintId),
  });
  const dynamodb = await startDynamoDb({ port: 0, path: path.join(dataDir, 'dynamodb'), events: stream.table });
  // Settled by the stand-in as it starts, before it serves anyone and before the outbox runs.
  const [, outcome] = readFileSync(path.join(dataDir, 'events.jsonl'), 'utf8').trim().split('\n');
  const outbox = stream.start();
  await outbox.drain();
  const { Item } = await dynamodb.client.send(
    new GetItemCommand({ TableName: COMPLAINTS_TABLE, Key: { PK: { S: `COMPLAINT#${id}` }, SK: { S: 'EVENT#0000000001' } }, ConsistentRead: true }),
  );
  await outbox.stop();
  await dynamodb.close();
  return { journalled, outcome: outcome && (JSON.parse(outcome) as { outcome: string }).outcome, delivered, stored: Item !== undefined };
}

it('settles as aborted a transaction killed after its intent was journalled and before it applied', async () => {
  const { journalled, outcome, delivered, stored } = await killedAt('after-intent');
  expect(journalled).toHaveLength(1); // the intent, and no outcome
  expect(outcome).toBe('aborted');
  expect(stored).toBe(false);
  expect(delivered).toEqual([]);
}, 60_000); // a process of its own, which tsx compiles first: seconds on a busy machine

it('settles as committed a transaction killed after it applied and before its outcome was journalled', async () => {
  const { journalled, outcome, delivered, stored } = await killedAt('after-apply');
  expect(journalled).toHaveLength(1);
  expect(outcome).toBe('committed');
  expect(stored).toBe(true);
  expect(delivered).toEqual(['killed-after-apply']);
}, 60_000);
