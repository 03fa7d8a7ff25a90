import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import sesServer from 'aws-ses-v2-local';
import type * as storeTypes from 'aws-ses-v2-local/dist/store';

// aws-ses-v2-local keeps its mailbox in memory. So that the mailbox a person reads survives `npm start`
// stopping, even killed, every e-mail is appended to a file under the data folder before SES answers the
// sender: the stand-in's own store is wrapped, so what it accepted is on disk by the time it says so.

const MAILBOX_FILE = 'mailbox.jsonl';
/** The mailbox as the first versions saved it, read once so an older data folder keeps its e-mails. */
const LEGACY_MAILBOX_FILE = 'mailbox.json';

// The module object itself (not an import's copy of it), since the server calls `store.saveEmail` through it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const store = require('aws-ses-v2-local/dist/store') as { -readonly [K in keyof typeof storeTypes]: (typeof storeTypes)[K] };
let appendTo: string | undefined;
const originalSave = store.saveEmail;
store.saveEmail = (email: storeTypes.Email) => {
  if (appendTo) appendFileSync(appendTo, `${JSON.stringify(email)}\n`);
  originalSave(email);
};

function savedEmails(dataDir: string): storeTypes.Email[] {
  const lines = existsSync(path.join(dataDir, MAILBOX_FILE)) ? readFileSync(path.join(dataDir, MAILBOX_FILE), 'utf8').split('\n') : [];
  // A line cut short by a kill in the middle of a write is the one e-mail SES had not yet confirmed.
  const emails = lines.flatMap((line) => {
    try {
      return line ? [JSON.parse(line) as storeTypes.Email] : [];
    } catch {
      return [];
    }
  });
  const legacy = path.join(dataDir, LEGACY_MAILBOX_FILE);
  return existsSync(legacy) ? [...(JSON.parse(readFileSync(legacy, 'utf8')) as storeTypes.Email[]), ...emails] : emails;
}

/** An error the stand-in answers instead of accepting an e-mail, as SES v2's REST API answers one. */
export interface SesFault {
  type: string;
  statusCode: number;
}

export async function startSes(options: {
  port: number;
  dataDir?: string;
  /** Fault injection for tests (SES throttling or an outage): asked for every send, answered instead of it. */
  fault?: () => SesFault | undefined;
}): Promise<{ url: string; close(): Promise<void> }> {
  if (options.dataDir && store.getStoreReadonly().emails.length === 0) {
    mkdirSync(options.dataDir, { recursive: true });
    for (const email of savedEmails(options.dataDir)) originalSave(email);
  }
  appendTo = options.dataDir ? path.join(options.dataDir, MAILBOX_FILE) : undefined;
  const server: Server = await sesServer({ host: '127.0.0.1', port: options.port });
  if (options.fault) answerFaultsFirst(server, options.fault);
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      appendTo = undefined;
    },
  };
}

/**
 * Puts the fault check in front of aws-ses-v2-local's own request listener, which then sees only what passes.
 * Only the SES API's sends (POST) are refused: the mailbox view (GET /store) stays readable, as a person's is.
 */
function answerFaultsFirst(server: Server, fault: () => SesFault | undefined): void {
  const standIn = server.listeners('request') as ((...args: unknown[]) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const refusal = request.method === 'POST' ? fault() : undefined;
    if (!refusal) {
      for (const listener of standIn) listener.call(server, request, response);
      return;
    }
    request.resume();
    response.writeHead(refusal.statusCode, { 'content-type': 'application/json', 'x-amzn-errortype': refusal.type });
    response.end(JSON.stringify({ message: `Injected fault: ${refusal.type}` }));
  });
}
