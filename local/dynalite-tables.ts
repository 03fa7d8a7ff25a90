import path from 'node:path';

// Every item operation dynalite carries out (GetItem, PutItem, UpdateItem, Query, each put of a BatchWriteItem...)
// starts with store.getTable, which reads the table's description from its LevelDB and decodes it from JSON:
// for the complaints table, ~4 KB with six indexes, some 25 times per complaint under the product's load (the
// "level-transcoder decode" of the worker's profile). The description changes only when dynalite writes it
// (CreateTable, UpdateTable, DeleteTable and their status changes), always through store.tableDb; so here the
// decoded description is kept per table and forgotten whenever the table store is written.
//
// Only item operations are answered from memory: they ask getTable(name, callback) and read the description
// without changing it (in dynalite's actions and db/index.js, only updateTable and deleteTable assign to it,
// and they ask getTable(name, false, callback), which always reads the store). A read that overlaps a write is
// not remembered, so a description read before a write cannot outlive it.

type Json = Record<string, unknown>;
type Callback = (error: unknown, table?: Json) => void;
type GetTable = (name: string, checkStatus: boolean | Callback, callback?: Callback) => void;
type TableDb = Record<'put' | 'del' | 'batch', ((...args: unknown[]) => unknown) | undefined>;

export interface DynaliteStore {
  getTable: GetTable;
  tableDb: TableDb;
}

const REMEMBERING = Symbol('remembers table descriptions');
/** How many getTable calls remembering stores have answered from memory (in this thread), for tests. */
let answeredFromMemory = 0;
export const tablesAnsweredFromMemory = (): number => answeredFromMemory;

/** Makes `store` remember its tables' descriptions for item operations, until its table store is next written. */
export function rememberTables(store: DynaliteStore): void {
  const tables = new Map<string, Json>();
  /** Bumped by every write to the table store; a read remembers only if none began or was under way meanwhile. */
  let writes = 0;
  let writing = 0;

  const { tableDb } = store;
  for (const method of ['put', 'del', 'batch'] as const) {
    const write = tableDb[method];
    if (!write) continue;
    tableDb[method] = function (this: unknown, ...args: unknown[]) {
      tables.clear();
      writes++;
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        writing++;
        args[last] = (...results: unknown[]) => {
          writing--;
          writes++;
          tables.clear();
          return (callback as (...results: unknown[]) => unknown)(...results);
        };
      }
      return write.apply(this, args);
    };
  }

  const getTable = store.getTable;
  store.getTable = function (this: unknown, name, checkStatus, callback) {
    if (typeof checkStatus !== 'function') return getTable.call(this, name, checkStatus, callback);
    const answer = checkStatus;
    const known = tables.get(name);
    if (known) {
      answeredFromMemory++;
      process.nextTick(answer, null, known);
      return;
    }
    const writesBefore = writes;
    const quiet = writing === 0;
    getTable.call(this, name, (error, table) => {
      if (!error && table && quiet && writing === 0 && writes === writesBefore) tables.set(name, table);
      answer(error, table);
    });
  };
}

/**
 * Makes every store the dynalite at `dynaliteMain` (its index.js) creates from now on remember its tables:
 * dynalite() calls its db module's `create` when a server is made, so this must come before. Once per module.
 */
export function rememberDynaliteTables(dynaliteMain: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- dynalite ships no types; its db module is found by path
  const db = require(path.join(path.dirname(dynaliteMain), 'db', 'index.js')) as {
    create: ((options: unknown) => DynaliteStore) & { [REMEMBERING]?: true };
  };
  if (db.create[REMEMBERING]) return;
  const create = db.create;
  db.create = Object.assign(
    (options: unknown) => {
      const store = create(options);
      rememberTables(store);
      return store;
    },
    { [REMEMBERING]: true as const },
  );
}
