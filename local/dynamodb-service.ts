import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendInProcess, TARGET_PREFIX, type Answer, type Call, type DynaliteApart, type Json } from './dynalite-in-process';
import {
  ItemLocks,
  metered,
  Refused,
  TableShapes,
  transactionItemNames,
  transactWrite,
  type TransactionObserver,
  type WriteMeter,
} from './dynamodb-transactions';
import type { TransactionJournal } from './transaction-journal';
import { rememberDynaliteParses } from './dynalite-expressions';
import { rememberDynaliteTables } from './dynalite-tables';

// The DynamoDB API as clients see it, in dynalite's worker thread: what dynalite implements goes to its own
// request listener untouched; TransactWriteItems is carried out here (dynamodb-transactions.ts); and the
// single-item writes take their turn on their item (ItemLocks), so that none lands in the middle of a
// transaction holding it. The transaction work calls dynalite's operations directly (dynalite-in-process.ts).

// dynalite's stores remember their tables' descriptions (dynalite-tables.ts). Done as this module loads, because
// dynalite makes its store when its server is made: dynalite's worker imports this module before that.
rememberDynaliteTables(require.resolve('dynalite'));

/** The writes that take a turn on their item. BatchWriteItem does not (the product uses it for no item a transaction writes). */
const TAKES_TURNS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems']);
const JSON_TYPE = 'application/x-amz-json-1.0';

export interface DynamoDbService {
  /** The request listener for the one HTTP server clients talk to. */
  handle(request: IncomingMessage, response: ServerResponse): void;
  /** DynamoDB's API in memory, for work at start (undoing what a kill interrupted). */
  call: Call;
}

export function dynamoDbService(options: {
  dynalite: Pick<DynaliteApart, 'dynalite' | 'call'>;
  observe?: TransactionObserver;
  meter?: WriteMeter;
  journal?: TransactionJournal;
}): DynamoDbService {
  // dynalite's expression grammars answer repeated expressions from memory (dynalite-expressions.ts).
  rememberDynaliteParses(require.resolve('dynalite'));
  const { dynalite, call } = options.dynalite;
  const shapes = new TableShapes(call);
  const locks = new ItemLocks();

  /** The items a request writes, as lock names; none for a request too malformed to say (dynalite says why). */
  const itemsWritten = async (operation: string, body: Json): Promise<string[]> => {
    if (operation === 'TransactWriteItems') return transactionItemNames(shapes, body);
    if (operation === 'PutItem') return [await shapes.nameOf(String(body.TableName), body.Item as Json)];
    return [await shapes.nameOf(String(body.TableName), body.Key as Json)];
  };

  const answerTo = async (operation: string, request: IncomingMessage, payload: Buffer): Promise<Answer> => {
    let body: Json;
    try {
      body = JSON.parse(payload.toString('utf8') || '{}') as Json;
    } catch {
      return sendInProcess(dynalite, request.headers, payload); // dynalite answers SerializationException
    }
    const items = await itemsWritten(operation, body).catch(() => []);
    return locks.hold(items, async () => {
      if (operation === 'TransactWriteItems') {
        try {
          const answer = await transactWrite(call, shapes, body, options);
          return { status: 200, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(answer) };
        } catch (error) {
          if (!(error instanceof Refused)) throw error;
          return { status: error.status, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(error.body) };
        }
      }
      const send = () => sendInProcess(dynalite, request.headers, payload);
      if (!options.meter || items.length !== 1) return send();
      const key = await shapes.keyOf(String(body.TableName), (operation === 'PutItem' ? body.Item : body.Key) as Json);
      return metered(call, shapes, options.meter, [{ table: String(body.TableName), key }], false, send);
    });
  };

  return {
    call,
    handle(request, response) {
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      if (!TAKES_TURNS.has(operation)) {
        dynalite(request, response);
        return;
      }
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        answerTo(operation, request, Buffer.concat(chunks)).then(
          (answer) => {
            response.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
            response.end(answer.body);
          },
          (error: unknown) => {
            if (response.headersSent) return;
            response.writeHead(500, { 'content-type': JSON_TYPE });
            response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(error) }));
          },
        );
      });
    },
  };
}
