import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

// DynamoDB applies a transaction all at once; the local stand-in (dynamodb-transactions.ts) writes its items one
// by one through dynalite, so a kill between two writes left half a transaction: a complaint's Idempotency-Key
// answer stored without the complaint, which the client's retry was then given (the chaos suite lost complaints
// that way). So before its first write a transaction journals how to undo it, and after its last that it is
// done; at the next start every transaction without its "done" line is undone before anyone is served. Its
// client never had an answer (the stand-in answers after "done"), and the retry starts from a clean slate.

type Json = Record<string, unknown>;
type Call = (operation: string, body: Json) => Promise<{ status: number; body: Json }>;

/**
 * How to undo one item: put back the image it had (`before`, null when it did not exist), or, for a put that
 * could only create (its old image is not read, to keep intake fast), delete it if it is still what was put.
 */
export type UndoStep = { table: string; key: Json } & ({ before: Json | null } | { created: Json });

export interface TransactionJournal {
  /** Journals how to undo a transaction before its first write; `done` once its writes (or its undo) are over. */
  begin(undo: UndoStep[]): { done(): void };
}

type JournalLine = { transaction: string; undo: UndoStep[] } | { transaction: string; done: true };

/** The journal is emptied when no transaction is open and it has grown past this. */
const COMPACT_OVER_BYTES = 1024 * 1024;

/** The journal in `file`; without one (an in-memory database) nothing survives a kill anyway, and nothing is kept. */
export function transactionJournal(file: string | undefined): TransactionJournal & { unfinished(): UndoStep[][] } {
  const open = new Set<string>();
  let written = 0;
  const append = (line: JournalLine) => {
    const text = `${JSON.stringify(line)}\n`;
    appendFileSync(file!, text);
    written += text.length;
  };
  return {
    unfinished() {
      if (!file || !existsSync(file)) return [];
      const pending = new Map<string, UndoStep[]>();
      for (const text of readFileSync(file, 'utf8').split('\n')) {
        let line: JournalLine;
        try {
          line = JSON.parse(text) as JournalLine;
        } catch {
          continue; // a line cut short by the kill: its transaction had not started writing
        }
        if ('undo' in line) pending.set(line.transaction, line.undo);
        else pending.delete(line.transaction);
      }
      return [...pending.values()];
    },
    begin(undo) {
      if (!file) return { done: () => undefined };
      const transaction = randomUUID();
      append({ transaction, undo });
      open.add(transaction);
      return {
        done() {
          append({ transaction, done: true });
          open.delete(transaction);
          if (open.size === 0 && written > COMPACT_OVER_BYTES) {
            writeFileSync(file, '');
            written = 0;
          }
        },
      };
    },
  };
}

/** Undoes a transaction's writes, whichever of them had happened. */
export async function undoTransaction(call: Call, steps: readonly UndoStep[]): Promise<void> {
  await Promise.all(
    steps.map(async (step) => {
      const { table: TableName, key: Key } = step;
      if ('created' in step) {
        const found = await call('GetItem', { TableName, Key, ConsistentRead: true });
        if (found.status !== 200) throw new Error(`undoing a transaction: GetItem answered ${found.status}`);
        if (!found.body.Item || canonical(found.body.Item) !== canonical(step.created)) return;
      }
      const answer =
        'before' in step && step.before ? await call('PutItem', { TableName, Item: step.before }) : await call('DeleteItem', { TableName, Key });
      if (answer.status !== 200) throw new Error(`undoing a transaction: ${answer.status} ${JSON.stringify(answer.body)}`);
    }),
  );
}

/** Undoes, at start, every transaction a kill interrupted; then empties the journal. */
export async function undoUnfinished(call: Call, journal: ReturnType<typeof transactionJournal>, file: string | undefined): Promise<number> {
  const unfinished = journal.unfinished();
  for (const steps of unfinished) await undoTransaction(call, steps);
  if (file && existsSync(file)) writeFileSync(file, '');
  return unfinished.length;
}

/** JSON with object keys in order, so that an item reads the same whatever order its attributes came back in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Json)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
