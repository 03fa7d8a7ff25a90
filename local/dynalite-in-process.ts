import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import path from 'node:path';

// dynalite in the same thread, two ways. A client's request goes to dynalite's request listener with a request
// and a response held in memory (sendInProcess): dynalite reads its bytes and headers as over HTTP, and the
// answer goes back to the client as dynalite wrote it. The transaction work (dynamodb-service.ts) calls
// dynalite's operations themselves (DynaliteApart.call): its request checked by dynalite's own validations,
// then carried out by dynalite's own action, on the same store. That skips what only a wire needs, on each of a
// transaction's calls: the body written to JSON and read back twice, the signature's shape and the URL parsed,
// a random request id, and the answer's CRC32 (in JavaScript): ~0.2 ms of a complaint's intake on the bench.
// The listener needs little of each object: the request's headers, method, url and data/end events; the
// response's statusCode, setHeader and end (dynalite's sendData), plus the contentType it stores on it.

export type Json = Record<string, unknown>;
export type DynaliteListener = (request: IncomingMessage, response: ServerResponse) => void;
export type Call = (operation: string, body: Json) => Promise<{ status: number; body: Json }>;

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const TARGET_PREFIX = 'DynamoDB_20120810.';

export interface DynaliteOptions {
  /** The folder of its LevelDB; none for a table in memory. */
  path?: string;
  createTableMs: number;
  deleteTableMs: number;
  updateTableMs: number;
}

export interface DynaliteApart {
  /** To listen with another listener in place of dynalite's (dynamodb-service.ts); closing it closes dynalite's database. */
  server: Server;
  /** dynalite's request listener, for a client's request (sendInProcess). */
  dynalite: DynaliteListener;
  /** dynalite's operations on its store, called directly. */
  call: Call;
}

/** A dynalite failure that is an answer (a validation's or an action's), as dynalite's listener would send it. */
type Refusal = { statusCode: number; body: Json };
const isRefusal = (error: unknown): error is Refusal =>
  typeof error === 'object' && error !== null && typeof (error as Refusal).statusCode === 'number';

interface Operation {
  types: unknown;
  custom: unknown;
  act(store: unknown, data: Json, callback: (error: unknown, answer?: Json) => void): void;
}

/**
 * dynalite's HTTP server taken apart (DynaliteApart). `module` is dynalite's resolved path: the worker thread that
 * runs it has it from the main thread (dynamodb-worker.ts). dynalite keeps its store to itself, so it is caught as
 * dynalite makes it, through its db module's `create` (which dynalite-tables.ts may have wrapped already).
 */
export function dynaliteApart(module: string, options: DynaliteOptions): DynaliteApart {
  const dynaliteRequire = (file: string) => require(path.join(path.dirname(module), file)) as unknown; // eslint-disable-line @typescript-eslint/no-require-imports -- dynalite ships no types; its parts are found by path
  const db = dynaliteRequire('db/index.js') as { create: (options: unknown) => unknown };
  const create = db.create;
  let store: unknown;
  db.create = (storeOptions) => (store = create(storeOptions));
  let server: Server;
  try {
    server = (dynaliteRequire('index.js') as (dynaliteOptions: DynaliteOptions) => Server)(options);
  } finally {
    db.create = create;
  }
  const dynalite = server.listeners('request')[0] as DynaliteListener;
  server.removeAllListeners('request');

  // What dynalite's listener does once it has a request's JSON (its index.js): the types, the validations, the action.
  const validations = dynaliteRequire('validations/index.js') as {
    checkTypes(data: Json, types: unknown): Json;
    checkValidations(data: Json, types: unknown, custom: unknown, store: unknown): void;
  };
  const operations = new Map<string, Operation>();
  const operation = (name: string): Operation => {
    const file = `${name[0]!.toLowerCase()}${name.slice(1)}.js`;
    let known = operations.get(file);
    if (!known) {
      const { types, custom } = dynaliteRequire(`validations/${file}`) as Pick<Operation, 'types' | 'custom'>;
      known = { types, custom, act: dynaliteRequire(`actions/${file}`) as Operation['act'] };
      operations.set(file, known);
    }
    return known;
  };
  const call: Call = (name, body) =>
    new Promise((resolve, reject) => {
      const { types, custom, act } = operation(name);
      const answer = (error: unknown, output?: Json) => {
        if (isRefusal(error)) resolve({ status: error.statusCode, body: error.body });
        else if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve({ status: 200, body: output ?? {} });
      };
      let data: Json;
      try {
        // A copy, as the listener parses its own: dynalite's validations prune and annotate the request they check.
        data = validations.checkTypes(JSON.parse(JSON.stringify(body)) as Json, types);
        validations.checkValidations(data, types, custom, store);
      } catch (error) {
        answer(error);
        return;
      }
      act(store, data, answer);
    });
  return { server, dynalite, call };
}

/** One request to dynalite, in memory. */
export function sendInProcess(listener: DynaliteListener, headers: IncomingHttpHeaders, payload: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = Object.assign(new EventEmitter(), { headers, method: 'POST', url: '/' });
    const answerHeaders: Record<string, string> = {};
    const response = {
      statusCode: 200,
      contentType: 'application/x-amz-json-1.0',
      setHeader(name: string, value: unknown) {
        answerHeaders[name.toLowerCase()] = String(value);
      },
      end(body?: string) {
        resolve({ status: response.statusCode, headers: answerHeaders, body: body ?? '' });
      },
    };
    try {
      listener(request as unknown as IncomingMessage, response as unknown as ServerResponse);
      if (payload.length > 0) request.emit('data', payload);
      request.emit('end');
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
