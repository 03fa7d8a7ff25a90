import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { PENDING, tableDesign } from '../lambdas/adapters/table-design';
import { handlerOf } from './handlers';

// dynalite has no Streams, so locally the sparse `pendingWorkflow` index is the outbox: each poll hands
// the complaints still marked there to the same workflowStarter handler that the stream feeds in AWS,
// shaped as stream records. A complaint whose start failed keeps its marker and is offered again after a
// growing pause; one stored before a crash is picked up by the next `npm start`.

const POLL_MS = 200;
const BATCH = 10;
const MAX_BACKOFF_MS = 30_000;

export interface Outbox {
  /** Resolves once no pending complaint is left to offer (those backing off after a failure aside). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export function startOutbox(options: { dynamo: DynamoDBClient; tableName: string; log?: (line: string) => void }): Outbox {
  const backoff = new Map<string, { failures: number; notBefore: number }>();
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  /** Offers one batch of pending complaints to the starter; answers how many it offered. */
  async function pollOnce(): Promise<number> {
    const index = tableDesign.indexes.pendingWorkflow;
    const { Items = [] } = await options.dynamo.send(
      new QueryCommand({
        TableName: options.tableName,
        IndexName: 'pendingWorkflow',
        KeyConditionExpression: '#pending = :pending',
        ExpressionAttributeNames: { '#pending': index.partitionKey },
        ExpressionAttributeValues: { ':pending': { S: PENDING } },
        Limit: BATCH * 5,
      }),
    );
    const now = Date.now();
    const due = Items.filter((item) => (backoff.get(item.id?.S ?? '')?.notBefore ?? 0) <= now).slice(0, BATCH);
    if (due.length === 0) return 0;
    const event: DynamoDBStreamEvent = {
      Records: due.map((image, i) => ({
        eventID: `${image.id?.S}-${now}`,
        eventName: 'INSERT',
        eventSource: 'aws:dynamodb',
        awsRegion: 'eu-central-1',
        dynamodb: { NewImage: image as never, SequenceNumber: String(now * 100 + i), StreamViewType: 'NEW_AND_OLD_IMAGES' },
      })),
    };
    const { batchItemFailures } = (await handlerOf('workflowStarter')(event)) as { batchItemFailures: { itemIdentifier: string }[] };
    const failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
    for (const record of event.Records) {
      const id = record.dynamodb?.NewImage?.id?.S ?? '';
      if (!failed.has(record.dynamodb?.SequenceNumber ?? '')) {
        backoff.delete(id);
        continue;
      }
      const failures = (backoff.get(id)?.failures ?? 0) + 1;
      backoff.set(id, { failures, notBefore: now + Math.min(MAX_BACKOFF_MS, POLL_MS * 2 ** failures) });
    }
    return due.length;
  }

  const tick = () => {
    if (stopped) return;
    running = pollOnce()
      .then(() => undefined)
      .catch((error: unknown) => options.log?.(`outbox poll failed: ${String(error)}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, POLL_MS);
      });
  };
  let timer = setTimeout(tick, 0);

  return {
    async drain() {
      await running;
      while ((await pollOnce()) > 0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
