import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';

// dynalite's request listener, driven in the same thread with a request and a response held in memory: the
// transaction work (dynamodb-service.ts) reads and writes through dynalite's own validation and actions,
// answered exactly as a client over HTTP would be, without a socket, a port or another event loop in between.
// Its listener needs little of each object: the request's headers, method, url and data/end events; the
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

/**
 * dynalite's HTTP server with dynalite's request listener taken off it: the listener, to be called in memory
 * (sendInProcess), and the server, to listen with another listener in its place (dynamodb-service.ts). Closing the
 * server still closes dynalite's database. `module` is dynalite's resolved path: the worker thread that runs it has
 * it from the main thread (dynamodb-worker.ts).
 */
export function dynaliteApart(module: string, options: DynaliteOptions): { server: Server; dynalite: DynaliteListener } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- dynalite ships no types
  const server = (require(module) as (dynaliteOptions: DynaliteOptions) => Server)(options);
  const dynalite = server.listeners('request')[0] as DynaliteListener;
  server.removeAllListeners('request');
  return { server, dynalite };
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

// dynalite wants a signature's shape (it checks none): calls made here carry a placeholder one.
const signed = (operation: string): IncomingHttpHeaders => ({
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': `${TARGET_PREFIX}${operation}`,
  'x-amz-date': '20260101T000000Z',
  authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/eu-central-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
});

/** DynamoDB's API as a function: an operation and its input, answered with dynalite's status and output. */
export function inProcessCall(listener: DynaliteListener): Call {
  return async (operation, body) => {
    const answer = await sendInProcess(listener, signed(operation), Buffer.from(JSON.stringify(body)));
    return { status: answer.status, body: JSON.parse(answer.body || '{}') as Json };
  };
}
