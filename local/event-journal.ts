import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { ComplaintEventDetail } from '../lambdas/event-consumers';
import type { Call, Json } from './dynalite-in-process';
import type { TransactionObserver } from './dynamodb-transactions';
import { replaceFile } from './state-file';

// The local table stream's journal (events.jsonl in the data folder): the event items a transaction is about to
// write, as one line before it applies, then a line saying whether it committed. dynalite's worker writes it
// (dynamodb-worker.ts), in the transaction, so that a kill in between loses nothing and no transaction waits for
// another thread; the outbox (outbox.ts) reads it at start and is told of each commit after. Only the worker
// writes it: a transaction a kill left without an outcome is settled there too, before the worker serves anyone
// (settleUnfinished), so the file's order of outcomes is the order the outbox was told of them.

/** An event item of the table, as the consumers read it. */
export interface JournalEntry {
  table: string;
  key: { PK: string; SK: string };
  detail: ComplaintEventDetail;
}

type TransactionLine = { transaction: string; events: JournalEntry[] } | { transaction: string; outcome: 'committed' | 'aborted' };
/** A compacted journal's first line: how many committed events came before the file's own (compactJournal). */
type BaseLine = { base: number };
type JournalLine = TransactionLine | BaseLine;

/** The event items among a transaction's puts (marshalled, as the request carries them). */
function eventEntriesOf(items: { table: string; item: Json }[]): JournalEntry[] {
  const events: JournalEntry[] = [];
  for (const { table, item } of items) {
    // The key first: only event items are read whole (a complaint's transaction also puts the complaint and what
    // the customer sent, up to 10,000 characters).
    const sortKey = (item.SK as { S?: unknown } | undefined)?.S;
    if (typeof sortKey !== 'string' || !sortKey.startsWith('EVENT#')) continue;
    const plain = unmarshall(item as never) as Record<string, unknown>;
    events.push({
      table,
      key: { PK: String(plain.PK), SK: sortKey },
      detail: { complaintId: String(plain.complaintId), type: String(plain.type), sequence: Number(plain.sequence), at: String(plain.at) },
    });
  }
  return events;
}

/** Appends a line to the journal; without a file (an in-memory table) there is nothing to keep. */
export function journalLine(file: string | undefined, line: TransactionLine): void {
  if (file) appendFileSync(file, `${JSON.stringify(line)}\n`);
}

/**
 * The transaction observer of dynalite's worker: journals a transaction's event items before it applies and its
 * outcome after, and hands the committed events to `committed` (a message to the main thread's outbox).
 */
export function eventJournal(file: string | undefined, committed: (events: JournalEntry[]) => void): TransactionObserver {
  const nothing = { committed: () => undefined, aborted: () => undefined };
  return (items) => {
    const events = eventEntriesOf(items);
    if (events.length === 0) return Promise.resolve(nothing);
    const transaction = randomUUID();
    journalLine(file, { transaction, events });
    return Promise.resolve({
      committed() {
        try {
          journalLine(file, { transaction, outcome: 'committed' });
        } catch (error) {
          // The transaction applied, so it stays applied. Its intent stays open in the file, and the next start settles
          // it against the table (settleUnfinished), so its events are handed on then, in the file's order; handed on
          // now, they would take a place in the outbox's order that the file does not give them.
          process.emitWarning(`events of transaction ${transaction} are handed on at the next start: ${String(error)}`);
          return;
        }
        committed(events);
      },
      aborted: () => journalLine(file, { transaction, outcome: 'aborted' }),
    });
  };
}

/** What a journal holds (readJournal). */
export interface Journal {
  /** How many committed events a compaction dropped (compactJournal): the first of `committed` is the base-th. */
  base: number;
  /** The committed events, in commit order. */
  committed: JournalEntry[];
  /** The transactions journalled without an outcome (a kill in between), to be settled against the table. */
  unsettled: Map<string, JournalEntry[]>;
}

export function readJournal(file: string | undefined): Journal {
  const journal: Journal = { base: 0, committed: [], unsettled: new Map() };
  if (!file || !existsSync(file)) return journal;
  // A line cut short by a kill is a transaction journalled in part: it has no outcome and never applied.
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        return line ? [JSON.parse(line) as JournalLine] : [];
      } catch {
        return [];
      }
    });
  const { committed, unsettled } = journal;
  for (const line of lines) {
    if ('base' in line) journal.base = line.base;
    else if ('events' in line) unsettled.set(line.transaction, line.events);
    else {
      if (line.outcome === 'committed') committed.push(...(unsettled.get(line.transaction) ?? []));
      unsettled.delete(line.transaction);
    }
  }
  return journal;
}

/**
 * Drops from the journal the committed events before the `from`-th, which every consumer has had: the file is
 * replaced (atomically, by a rename) with a base line, the events kept as one committed transaction, and the
 * transactions without an outcome as they were (their outcome lines come later, as they are settled). Positions
 * stay what they were (`from` is the first event's), so the consumers' offsets need no change. Only while nothing
 * else writes the file: the outbox does it at start, before the stand-in starts.
 */
export function compactJournal(file: string, journal: Journal, from: number): Journal {
  const committed = journal.committed.slice(from - journal.base);
  const lines: JournalLine[] = [{ base: from }];
  if (committed.length > 0) {
    const transaction = `compacted-${from}`;
    lines.push({ transaction, events: committed }, { transaction, outcome: 'committed' });
  }
  for (const [transaction, events] of journal.unsettled) lines.push({ transaction, events });
  replaceFile(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  return { base: from, committed, unsettled: journal.unsettled };
}

/**
 * Settles each transaction journalled without an outcome (a kill in between: `unsettled`, as readJournal found them
 * in `file`, which the outbox has read already): committed if its event items are in the table as journalled,
 * aborted if not. Its outcome line is appended and the committed events handed to `committed`, as for a transaction
 * that ends now. Run at start, after the undo journal has undone what a kill interrupted (transaction-journal.ts)
 * and before any transaction: the outbox then hears of them in the file's order.
 */
export async function settleUnfinished(
  file: string | undefined,
  unsettled: Iterable<[string, JournalEntry[]]>,
  call: Call,
  committed: (events: JournalEntry[]) => void,
): Promise<void> {
  for (const [transaction, events] of unsettled) {
    const found = await Promise.all(
      events.map(async ({ table, key, detail }) => {
        const { status, body } = await call('GetItem', { TableName: table, Key: { PK: { S: key.PK }, SK: { S: key.SK } }, ConsistentRead: true });
        // No table: nothing of the transaction is stored.
        if (status === 400 && String(body.__type).endsWith('ResourceNotFoundException')) return false;
        if (status !== 200) throw new Error(`settling transaction ${transaction}: GetItem answered ${status} ${JSON.stringify(body)}`);
        if (!body.Item) return false;
        const item = unmarshall(body.Item as never) as Record<string, unknown>;
        return item.at === detail.at && item.type === detail.type;
      }),
    );
    const outcome = found.every(Boolean) ? 'committed' : 'aborted';
    journalLine(file, { transaction, outcome });
    if (outcome === 'committed') committed(events);
  }
}
