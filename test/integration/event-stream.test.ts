import { DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';
import { startDynamoDb, localDynamoDbClient } from '../../local/dynamodb';
import { localEventStream, type Outbox } from '../../local/outbox';
import { eventPut } from '../support/event-put';
import type { JournalEntry } from '../../local/event-journal';
import type { ComplaintEventDetail } from '../../lambdas/event-consumers';

// The local stand-in for stream → pipe → event bus → one rule per consumer: every event item a transaction
// writes reaches every consumer that wants its type, each consumer at its own pace.

const received: Record<string, string[]> = { reports: [], webhooks: [] };
let failWebhooks = true;
const stream = localEventStream(undefined, {
  consumers: {
    reports: { function: 'workflowStarter', events: ['complaint.received', 'complaint.assigned'], description: 'test' },
    webhooks: { function: 'workflowStarter', events: ['complaint.assigned'], description: 'test' },
  },
  deliver: async (consumer: string, event: EventBridgeEvent<string, ComplaintEventDetail>) => {
    if (consumer === 'webhooks' && failWebhooks) throw Object.assign(new Error('subscriber down'), { name: 'SubscriberDown' });
    received[consumer]!.push(`${event.detail.complaintId}:${event.detail.sequence}:${event['detail-type']}`);
  },
});
let dynamodb: Awaited<ReturnType<typeof startDynamoDb>>;
let client: DynamoDBClient;
let outbox: Outbox;

beforeAll(async () => {
  dynamodb = await startDynamoDb({ port: 0, events: stream.table });
  client = localDynamoDbClient(dynamodb.url);
  outbox = stream.start();
});
afterAll(async () => {
  await outbox.stop();
  client.destroy();
  await dynamodb.close();
});

const until = async (probe: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

it('delivers each event to the consumers that want its type, in order; a failing consumer holds up only itself', async () => {
  await client.send(new TransactWriteItemsCommand({ TransactItems: [eventPut('c1', 1, 'complaint.received')] }));
  await client.send(new TransactWriteItemsCommand({ TransactItems: [eventPut('c1', 2, 'complaint.assigned')] }));
  await until(() => received.reports!.length === 2);
  expect(received.reports).toEqual(['c1:1:complaint.received', 'c1:2:complaint.assigned']);
  expect(received.webhooks).toEqual([]); // still failing, retrying with a growing pause

  failWebhooks = false;
  await until(() => received.webhooks!.length === 1);
  expect(received.webhooks).toEqual(['c1:2:complaint.assigned']);
});

it('passes over the event of a transaction that was refused', async () => {
  const refused = client.send(
    new TransactWriteItemsCommand({
      TransactItems: [eventPut('c2', 1, 'complaint.received'), eventPut('c1', 1, 'complaint.received', 'attribute_not_exists(PK)')],
    }),
  );
  await expect(refused).rejects.toMatchObject({ name: 'TransactionCanceledException' });
  await client.send(new TransactWriteItemsCommand({ TransactItems: [eventPut('c3', 1, 'complaint.received')] }));
  await until(() => received.reports!.includes('c3:1:complaint.received'));
  expect(received.reports!.some((entry) => entry.startsWith('c2:'))).toBe(false);
});

it('lets go of the events every consumer has had, and still gives each consumer every event once, in order', async () => {
  const got: Record<string, number[]> = { fast: [], slow: [] };
  let slowDown = true;
  const apart = localEventStream(undefined, {
    consumers: {
      fast: { function: 'workflowStarter', events: ['complaint.received'], description: 'test' },
      slow: { function: 'workflowStarter', events: ['complaint.received'], description: 'test' },
    },
    releaseAfter: 3,
    deliver: async (consumer, event) => {
      if (consumer === 'slow' && slowDown) throw new Error('not yet');
      got[consumer]!.push(event.detail.sequence);
    },
  });
  const entry = (sequence: number): JournalEntry => ({
    table: 'complaints',
    key: { PK: 'COMPLAINT#c9', SK: `EVENT#${sequence}` },
    detail: { type: 'complaint.received', complaintId: 'c9', sequence, at: new Date(0).toISOString() },
  });
  const running = apart.start();
  try {
    for (let sequence = 1; sequence <= 10; sequence += 1) apart.table.committed([entry(sequence)]);
    await until(() => got.fast!.length === 10);
    expect(running.held()).toBe(10); // the slow consumer has had none of them

    slowDown = false;
    await until(() => got.slow!.length === 10);
    for (let sequence = 11; sequence <= 14; sequence += 1) apart.table.committed([entry(sequence)]);
    await until(() => got.fast!.length === 14 && got.slow!.length === 14);
    const every = Array.from({ length: 14 }, (_, i) => i + 1);
    expect(got).toEqual({ fast: every, slow: every });
    expect(running.held()).toBeLessThan(3);
  } finally {
    await running.stop();
  }
});
