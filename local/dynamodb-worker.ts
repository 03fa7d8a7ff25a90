import { createServer, type Server } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { dynaliteApart, type DynaliteOptions } from './dynalite-in-process';
import { dynamoDbService } from './dynamodb-service';
import { requestLanes, type SharedInFlight } from './dynamodb-lanes';
import type { MeteredWrite } from './dynamodb-transactions';
import { eventJournal, settleUnfinished, type JournalEntry } from './event-journal';
import { transactionJournal, undoUnfinished } from './transaction-journal';

// The entry of dynalite's worker thread (started by dynamodb.ts through typescript-worker.ts).
// dynalite's own HTTP server is the one clients talk to, with dynamodb-service.ts as its request listener in
// place of dynalite's, which that service calls in memory; so closing it still closes dynalite's database.
// The worker journals each transaction's event items itself (event-journal.ts) and tells the main thread's
// outbox of those committed, as it tells the bench's write meter, by message: nothing here waits for the main
// thread, which is the API's. A second port, the background door, serves the workflows' thread after the foreground
// (dynamodb-lanes.ts).

export interface DynamoDbWorkerData {
  /** dynalite's module, resolved by the main thread (an evaluated worker has no file to resolve from). */
  dynalite: string;
  options: DynaliteOptions;
  port: number;
  journal?: string;
  /** Whether to journal the transactions' event items and post the committed ones. */
  events: boolean;
  /** The event journal's file (event-journal.ts); none for an in-memory table. */
  eventJournal?: string;
  /** What the event journal holds without an outcome, as the outbox read it (TableEvents). */
  unsettledEvents: [string, JournalEntry[]][];
  meter: boolean;
  /** The API's requests in flight on the main thread, which keep the background door waiting (dynamodb-lanes.ts). */
  apiInFlight?: SharedInFlight;
}

/** From the worker to the main thread. */
export type WorkerMessage =
  | { started: number; background: number }
  | { failed: string }
  | { closed: true }
  | { events: JournalEntry[] }
  | { meter: string; units: { table: number; index: number }; write: MeteredWrite };

/** From the main thread to the worker. */
export type MainMessage = { close: true };

const data = workerData as DynamoDbWorkerData;
const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);

const dynalite = dynaliteApart(data.dynalite, data.options);
const { server } = dynalite;
const journal = transactionJournal(data.journal);
const service = dynamoDbService({
  dynalite,
  observe: data.events ? eventJournal(data.eventJournal, (events) => post({ events })) : undefined,
  meter: data.meter ? (table, units, write) => post({ meter: table, units, write }) : undefined,
  journal,
});
const lanes = requestLanes({ elsewhere: data.apiInFlight });
server.on('request', lanes.foreground(service.handle));
const background = createServer(lanes.background(service.handle));

// The main thread's one message (MainMessage): close.
port.on('message', () => {
  background.closeAllConnections();
  background.close();
  server.closeAllConnections();
  server.close(() => post({ closed: true }));
});

// What a kill interrupted is put right before anyone is served: half-applied transactions undone, then the event
// journal's open intents settled against the table (event-journal.ts).
undoUnfinished(service.call, journal, data.journal)
  .then(() => (data.events ? settleUnfinished(data.eventJournal, data.unsettledEvents, service.call, (events) => post({ events })) : undefined))
  .then(
    () => {
      server.once('error', (error) => post({ failed: String(error) }));
      const portOf = (listening: Server) => (listening.address() as { port: number }).port;
      server.listen(data.port, '127.0.0.1', () =>
        background.listen(0, '127.0.0.1', () => post({ started: portOf(server), background: portOf(background) })),
      );
    },
    (error: unknown) => post({ failed: `putting right what the last run left unfinished: ${String(error)}` }),
  );
