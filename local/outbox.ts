import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { COMPLAINT_EVENT_SOURCE, eventConsumers, type ComplaintEventDetail, type EventConsumer } from '../lambdas/event-consumers';
import { handlerOf } from './handlers';
import { replaceFile } from './state-file';
import { compactJournal, readJournal } from './event-journal';
import type { TableEvents } from './dynamodb';

// The local stand-in for the table's stream, the pipe and the event bus (lib/event-stream.ts): dynalite's
// worker appends the event items a transaction is about to write to a journal (events.jsonl in the data folder)
// before it applies, followed by a line saying whether it committed (event-journal.ts), and tells this outbox of
// the committed ones. Each consumer of lambdas/event-consumers.ts reads the committed events at its own pace,
// from its own offset (event-offsets.json). A transaction whose outcome line a kill prevented is settled at the
// next start by the worker, against the table, before it serves anyone (event-journal.ts), and told of like any
// other: so the outbox must be made before the stand-in starts, which its `table` makes the order anyway. A
// consumer that fails retries alone, with a growing pause, and the others go on; after a restart each continues
// where it was. At start, what every consumer is well past is dropped from the journal (compactJournal), whose
// positions, and so the offsets, stay as they were; while running, memory lets go of what every consumer has had.

const BASE_BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 30_000;
const IDLE_POLL_MS = 100;
/** ~10 events a complaint: a thousand complaints' worth, a few MB of journal, read at each start. */
const COMPACT_AFTER_EVENTS = 10_000;
/** Events every consumer has had are let go from memory in chunks of this many, so that a long run holds only the unread. */
const RELEASE_AFTER_EVENTS = 1_000;

export interface Outbox {
  /** Resolves once every consumer has handled what the journal holds (those pausing after a failure aside). */
  drain(): Promise<void>;
  stop(): Promise<void>;
  /** How many committed events memory holds: from the slowest consumer's on, and up to a chunk it has had. */
  held(): number;
}

export interface LocalEventStream {
  /** For the DynamoDB stand-in (startDynamoDb's `events`): the journal it writes and what it tells of commits. */
  table: TableEvents;
  /** Starts delivering to the consumers (once the handlers can be loaded). */
  start(log?: (line: string) => void): Outbox;
}

export interface EventStreamOptions {
  /** The consumers to deliver to; lambdas/event-consumers.ts unless a test names others. */
  consumers?: Record<string, EventConsumer>;
  /** How an event reaches a consumer; by default its function's handler, as EventBridge would invoke it. */
  deliver?: (consumer: string, event: EventBridgeEvent<string, ComplaintEventDetail>) => Promise<unknown>;
  /** How many events every consumer must be past before the journal drops them at start (COMPACT_AFTER_EVENTS). */
  compactAfter?: number;
  /** How many events every consumer must have had before memory lets them go (RELEASE_AFTER_EVENTS). */
  releaseAfter?: number;
}

export function localEventStream(dataDir?: string, options: EventStreamOptions = {}): LocalEventStream {
  const consumers: Record<string, EventConsumer> = options.consumers ?? eventConsumers;
  const deliver =
    options.deliver ?? ((name: string, event: EventBridgeEvent<string, ComplaintEventDetail>) => handlerOf(consumers[name]!.function)(event));
  const journalFile = dataDir && path.join(dataDir, 'events.jsonl');
  const offsetsFile = dataDir && path.join(dataDir, 'event-offsets.json');
  const offsets: Record<string, number> =
    offsetsFile && existsSync(offsetsFile) ? (JSON.parse(readFileSync(offsetsFile, 'utf8')) as Record<string, number>) : {};
  const saveOffsets = () => offsetsFile && replaceFile(offsetsFile, JSON.stringify(offsets));
  /** A consumer's position in a journal starting at `base`; one that never ran (a consumer added since) starts there. */
  const positionOf = (name: string, base: number) => Math.max(offsets[name] ?? base, base);
  const read = readJournal(journalFile);
  // The journal only grows, and it is read whole at every start: once every consumer is past enough of it, that
  // part goes. Now, while nothing else writes the file (the stand-in starts after the outbox is made).
  const consumed = Math.min(read.base + read.committed.length, ...Object.keys(consumers).map((name) => positionOf(name, read.base)));
  const compacting = journalFile && consumed - read.base >= (options.compactAfter ?? COMPACT_AFTER_EVENTS);
  /** Committed events from the base on, in commit order: what the consumers read. Those of transactions a kill
   * left without an outcome follow when the worker has settled them. */
  const { base, committed: journal, unsettled } = compacting ? compactJournal(journalFile, read, consumed) : read;
  const offsetOf = (name: string) => positionOf(name, base);
  /** The position of `journal[0]`: those before it every consumer has had, and memory no longer holds. */
  let held = base;
  const release = () => {
    const lowest = Math.min(...Object.keys(consumers).map(offsetOf));
    if (lowest - held < (options.releaseAfter ?? RELEASE_AFTER_EVENTS)) return;
    journal.splice(0, lowest - held);
    held = lowest;
  };

  return {
    table: { journal: journalFile, unsettled: [...unsettled], committed: (events) => journal.push(...events) },

    start(log) {
      let stopped = false;
      const state = new Map<string, { pausedUntil: number; running: Promise<void> }>();

      const deliverNext = async (name: string, consumer: EventConsumer): Promise<boolean> => {
        const offset = offsetOf(name);
        if (offset >= held + journal.length) return false;
        const entry = journal[offset - held]!;
        if (consumer.events.includes(entry.detail.type)) {
          const event: EventBridgeEvent<string, ComplaintEventDetail> = {
            version: '0',
            id: randomUUID(),
            'detail-type': entry.detail.type,
            source: COMPLAINT_EVENT_SOURCE,
            account: '000000000000',
            time: entry.detail.at,
            region: 'eu-central-1',
            resources: [],
            detail: entry.detail,
          };
          await deliver(name, event);
        }
        offsets[name] = offset + 1;
        saveOffsets();
        release();
        return true;
      };

      const loop = async (name: string, consumer: EventConsumer) => {
        let failures = 0;
        while (!stopped) {
          try {
            const delivered = await deliverNext(name, consumer);
            failures = 0;
            if (!delivered) await pause(IDLE_POLL_MS);
          } catch (error) {
            failures += 1;
            const wait = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** failures);
            log?.(
              `event consumer ${name} failed (${failures} in a row), retrying in ${wait} ms: ${error instanceof Error ? error.name : String(error)}`,
            );
            state.get(name)!.pausedUntil = Date.now() + wait;
            await pause(wait);
          }
        }
      };
      const pauses = new Set<() => void>();
      /** A pause that stop() cuts short. */
      const pause = (ms: number) =>
        new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            pauses.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, ms);
          pauses.add(wake);
        });

      for (const [name, consumer] of Object.entries(consumers)) {
        const entry = { pausedUntil: 0, running: Promise.resolve() };
        state.set(name, entry);
        entry.running = loop(name, consumer);
      }

      return {
        async drain() {
          for (;;) {
            const behind = [...state.entries()].filter(([name, entry]) => offsetOf(name) < held + journal.length && entry.pausedUntil <= Date.now());
            if (behind.length === 0) return;
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        },
        held: () => journal.length,
        async stop() {
          stopped = true;
          for (const wake of [...pauses]) wake();
          // A delivery in progress finishes (its consumer is idempotent, so one cut short is also safe).
          await Promise.allSettled([...state.values()].map((entry) => entry.running));
        },
      };
    },
  };
}
