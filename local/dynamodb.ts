import type { Server } from 'node:http';
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

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

export const COMPLAINTS_TABLE = 'complaints';

/** dynalite on LevelDB under `path` (in memory without one), with the product's tables created if absent. */
export async function startDynamoDb(options: {
  port: number;
  path?: string;
  observePuts?: PutObserver;
  meter?: WriteMeter;
}): Promise<{ url: string; client: DynamoDBClient; close(): Promise<void> }> {
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // dynalite behind a front that adds what it lacks (TransactWriteItems); clients only ever see the front.
  const front = await startTransactionFront({
    port: options.port,
    backend: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    observePuts: options.observePuts,
    meter: options.meter,
  }).catch(async (error: unknown) => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
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
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
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
