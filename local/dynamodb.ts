import path from 'node:path';
import { typeScriptWorker } from './typescript-worker';
import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  waitUntilTableExists,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { nonKeyAttributes, tableDesign, type IndexDesign } from '../lambdas/adapters/table-design';
import type { MeteredWrite, WriteMeter } from './dynamodb-transactions';
import type { DynamoDbWorkerData, MainMessage, WorkerMessage } from './dynamodb-worker';
import type { SharedInFlight } from './dynamodb-lanes';
import type { JournalEntry } from './event-journal';

export type { WriteMeter, MeteredWrite };

/**
 * The table's stream, locally: dynalite's worker journals each transaction's event items in `journal` before it
 * applies them and its outcome after (event-journal.ts), and `committed` hears of the events each committed one
 * wrote, in commit order (the outbox, local/outbox.ts).
 */
export interface TableEvents {
  journal?: string;
  /** The transactions `journal` holds without an outcome (a kill in between): settled before the worker serves anyone. */
  unsettled: [transaction: string, events: JournalEntry[]][];
  committed(events: JournalEntry[]): void;
}

/**
 * dynalite runs in a worker thread of its own, as DynamoDB is a service apart from the functions that call it.
 * On the main thread it shared one event loop with the API, the functions, the workflows and the outbox: with
 * workflows running, that thread was busy (a CPU profile of it: 3 % idle, a fifth of it dynalite), and an
 * intake request waited behind the workflows' table work at every step. The worker also serves the port and
 * carries out transactions (dynamodb-worker.ts), so a transaction is one HTTP round trip, as a PutItem is. It
 * also journals the transactions' events, and only tells the main thread of those committed (and, for the bench,
 * of write units), never waiting for it: the main thread is the API's.
 * The worker is TypeScript, loaded as the runtime's other workers are (typescript-worker.ts).
 */
async function startWorker(
  data: DynamoDbWorkerData,
  events?: TableEvents,
  meter?: WriteMeter,
): Promise<{ port: number; backgroundPort: number; close(): Promise<void> }> {
  const worker = typeScriptWorker('dynamodb-worker.ts', data);
  let started!: (ports: { port: number; backgroundPort: number }) => void;
  let failed!: (error: Error) => void;
  let closed: () => void = () => undefined;
  let exited = false;
  worker.once('exit', () => (exited = true));
  const starting = new Promise<{ port: number; backgroundPort: number }>((resolve, reject) => ((started = resolve), (failed = reject)));
  const send = (message: MainMessage) => worker.postMessage(message);
  worker.on('message', (message: WorkerMessage) => {
    if ('events' in message) events!.committed(message.events);
    else if ('meter' in message) meter!(message.meter, message.units, message.write);
    else if ('started' in message) started({ port: message.started, backgroundPort: message.background });
    else if ('failed' in message) failed(new Error(`dynalite did not start: ${message.failed}`));
    else closed();
  });
  worker.once('error', (error) => failed(error));
  const ports = await starting.catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  return {
    ...ports,
    async close() {
      if (exited) return;
      await new Promise<void>((resolve) => {
        closed = resolve;
        worker.once('exit', () => resolve());
        send({ close: true });
      });
      await worker.terminate();
    },
  };
}

export const COMPLAINTS_TABLE = 'complaints';

/** dynalite on LevelDB under `path` (in memory without one), with the product's table created if absent. */
export async function startDynamoDb(options: {
  port: number;
  path?: string;
  events?: TableEvents;
  meter?: WriteMeter;
  /** The API's requests in flight, counted by the API server: the background door waits while there are any. */
  apiInFlight?: SharedInFlight;
}): Promise<{
  url: string;
  /** The background door, served after everything that came through `url` (dynamodb-lanes.ts): the workflows' thread's. */
  backgroundUrl: string;
  client: DynamoDBClient;
  close(): Promise<void>;
}> {
  const worker = await startWorker(
    {
      dynalite: require.resolve('dynalite'),
      options: { path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 },
      port: options.port,
      // Beside the database's folder, in the data folder: see transaction-journal.ts.
      journal: options.path && path.join(path.dirname(options.path), 'dynamodb-transactions.jsonl'),
      events: options.events !== undefined,
      eventJournal: options.events?.journal,
      unsettledEvents: options.events?.unsettled ?? [],
      meter: options.meter !== undefined,
      apiInFlight: options.apiInFlight,
    },
    options.events,
    options.meter,
  );
  const url = `http://127.0.0.1:${worker.port}`;
  const client = localDynamoDbClient(url);
  try {
    // Only the product's table: the local Step Functions keeps its executions in a journal of its own (an older
    // version's table of them is read once where a data folder has it, stepfunctions-server.ts).
    await createIfAbsent(client, complaintsTable());
  } catch (error) {
    client.destroy();
    await worker.close();
    throw error;
  }
  return {
    url,
    backgroundUrl: `http://127.0.0.1:${worker.backgroundPort}`,
    client,
    async close() {
      client.destroy();
      await worker.close();
    },
  };
}

/** A client of the local stand-in at `endpoint`: dynalite checks the shape of a signature, not its key. */
export function localDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
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

/** Creates a table unless it exists, and waits until dynalite has it ACTIVE. */
export async function createIfAbsent(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  // dynalite answers "not found" until it has marked a new table ACTIVE, which can lag on a busy machine.
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 0.05, maxDelay: 0.5 }, { TableName: input.TableName });
}
