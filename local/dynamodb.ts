import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  waitUntilTableExists,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { nonKeyAttributes, tableDesign, type IndexDesign } from '../lambdas/adapters/table-design';
import { EXECUTIONS_TABLE } from './stepfunctions-server';
import { startTransactionFront, type PutObserver, type WriteMeter } from './dynamodb-transactions';

/**
 * dynalite runs in a worker thread of its own, as DynamoDB is a service apart from the functions that call it.
 * On the main thread it shared one event loop with the API, the functions, the workflows and the outbox: with
 * workflows running, that thread was busy (a CPU profile of it: 3 % idle, a fifth of it dynalite), and an
 * intake request waited behind the workflows' table work at every step. Plain JavaScript, so that it loads
 * the same under tsx, jest and node.
 */
const DYNALITE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const server = require(workerData.dynalite)(workerData.options);
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
server.once('error', (error) => parentPort.postMessage({ error: String(error) }));
parentPort.on('message', () => {
  server.closeAllConnections();
  server.close(() => parentPort.postMessage({ closed: true }));
});
`;

async function startDynalite(options: { path?: string }): Promise<{ port: number; close(): Promise<void> }> {
  const worker = new Worker(DYNALITE_WORKER, {
    eval: true,
    workerData: { dynalite: require.resolve('dynalite'), options: { path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 } },
  });
  const next = () =>
    new Promise<{ port?: number; error?: string; closed?: boolean }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const started = await next();
  const close = async () => {
    const closed = next();
    worker.postMessage('close');
    await closed.catch(() => undefined);
    await worker.terminate();
  };
  if (started.port === undefined) {
    await worker.terminate();
    throw new Error(`dynalite did not start: ${started.error}`);
  }
  return { port: started.port, close };
}

export const COMPLAINTS_TABLE = 'complaints';

/** dynalite on LevelDB under `path` (in memory without one), with the product's tables created if absent. */
export async function startDynamoDb(options: {
  port: number;
  path?: string;
  observePuts?: PutObserver;
  meter?: WriteMeter;
}): Promise<{ url: string; client: DynamoDBClient; close(): Promise<void> }> {
  const backend = await startDynalite({ path: options.path });
  // dynalite behind a front that adds what it lacks (TransactWriteItems); clients only ever see the front.
  const front = await startTransactionFront({
    port: options.port,
    backend: `http://127.0.0.1:${backend.port}`,
    observePuts: options.observePuts,
    meter: options.meter,
    // Beside the database's folder, in the data folder: see transaction-journal.ts.
    journal: options.path && path.join(path.dirname(options.path), 'dynamodb-transactions.jsonl'),
  }).catch(async (error: unknown) => {
    await backend.close();
    throw error;
  });
  const url = front.url;
  const client = new DynamoDBClient({ endpoint: url, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await createIfAbsent(client, complaintsTable());
  await createIfAbsent(client, {
    TableName: EXECUTIONS_TABLE,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'name', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }],
  });
  return {
    url,
    client,
    async close() {
      client.destroy();
      await front.close();
      await backend.close();
    },
  };
}

/** The complaints table exactly as table-design.ts describes it (CDK reads the same description). */
export function complaintsTable(): CreateTableCommandInput {
  const attributes = new Set<string>([tableDesign.partitionKey, tableDesign.sortKey]);
  const GlobalSecondaryIndexes = (Object.entries(tableDesign.indexes) as [string, IndexDesign][]).map(([IndexName, index]) => {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
    const NonKeyAttributes = nonKeyAttributes(index);
    return {
      IndexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      // dynalite keeps only the projected attributes in an INCLUDE or KEYS_ONLY index, as DynamoDB does, so a
      // list or filter that needs an attribute the index lacks fails here too.
      Projection: NonKeyAttributes.length > 0 ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes } : { ProjectionType: 'KEYS_ONLY' as const },
    };
  });
  return {
    TableName: COMPLAINTS_TABLE,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: tableDesign.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableDesign.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes,
  };
}

async function createIfAbsent(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  // dynalite answers "not found" until it has marked a new table ACTIVE, which can lag on a busy machine.
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 0.05, maxDelay: 0.5 }, { TableName: input.TableName });
}
