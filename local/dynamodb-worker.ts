import { createServer, type Server } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import type { DynaliteListener, Json } from './dynalite-in-process';
import { dynamoDbService } from './dynamodb-service';
import { requestLanes, type SharedInFlight } from './dynamodb-lanes';
import type { MeteredWrite, TransactionObserver } from './dynamodb-transactions';
import { transactionJournal, undoUnfinished } from './transaction-journal';

// The entry of dynalite's worker thread (started by dynamodb.ts through typescript-worker.ts).
// dynalite's own HTTP server is the one clients talk to, with dynamodb-service.ts as its request listener in
// place of dynalite's, which that service calls in memory; so closing it still closes dynalite's database.
// What must happen on the main thread (the event stream's journal, the bench's write meter) is asked of it
// by message. A second port, the background door, serves the workflows' thread after the foreground
// (dynamodb-lanes.ts).

export interface DynamoDbWorkerData {
  /** dynalite's module, resolved by the main thread (an evaluated worker has no file to resolve from). */
  dynalite: string;
  options: { path?: string; createTableMs: number; deleteTableMs: number; updateTableMs: number };
  port: number;
  journal?: string;
  observe: boolean;
  meter: boolean;
  /** The API's requests in flight on the main thread, which keep the background door waiting (dynamodb-lanes.ts). */
  apiInFlight?: SharedInFlight;
}

/** From the worker to the main thread. */
export type WorkerMessage =
  | { started: number; background: number }
  | { failed: string }
  | { closed: true }
  | { intent: number; items: { table: string; item: Json }[] }
  | { outcome: number; committed: boolean }
  | { meter: string; units: { table: number; index: number }; write: MeteredWrite };

/** From the main thread to the worker. */
export type MainMessage = { close: true } | { acknowledged: number; error?: string };

const data = workerData as DynamoDbWorkerData;
const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);

const waiting = new Map<number, { resolve(): void; reject(error: Error): void }>();
let intents = 0;
/** The main thread journals the intent and acknowledges; only then does the transaction apply. */
const observe: TransactionObserver = async (items) => {
  const intent = ++intents;
  await new Promise<void>((resolve, reject) => {
    waiting.set(intent, { resolve, reject });
    post({ intent, items });
  });
  return {
    committed: () => post({ outcome: intent, committed: true }),
    aborted: () => post({ outcome: intent, committed: false }),
  };
};

// eslint-disable-next-line @typescript-eslint/no-require-imports -- dynalite ships no types; its path comes from the main thread
const server = (require(data.dynalite) as (options: DynamoDbWorkerData['options']) => Server)(data.options);
const dynalite = server.listeners('request')[0] as DynaliteListener;
server.removeAllListeners('request');
const journal = transactionJournal(data.journal);
const service = dynamoDbService({
  dynalite,
  observe: data.observe ? observe : undefined,
  meter: data.meter ? (table, units, write) => post({ meter: table, units, write }) : undefined,
  journal,
});
const lanes = requestLanes({ elsewhere: data.apiInFlight });
server.on('request', lanes.foreground(service.handle));
const background = createServer(lanes.background(service.handle));

port.on('message', (message: MainMessage) => {
  if ('acknowledged' in message) {
    const intent = waiting.get(message.acknowledged);
    waiting.delete(message.acknowledged);
    if (message.error === undefined) intent?.resolve();
    else intent?.reject(new Error(`the event journal refused the transaction: ${message.error}`));
    return;
  }
  background.closeAllConnections();
  background.close();
  server.closeAllConnections();
  server.close(() => post({ closed: true }));
});

undoUnfinished(service.call, journal, data.journal).then(
  () => {
    server.once('error', (error) => post({ failed: String(error) }));
    const portOf = (listening: Server) => (listening.address() as { port: number }).port;
    server.listen(data.port, '127.0.0.1', () =>
      background.listen(0, '127.0.0.1', () => post({ started: portOf(server), background: portOf(background) })),
    );
  },
  (error: unknown) => post({ failed: `undoing unfinished transactions: ${String(error)}` }),
);
