import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
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

export async function startSes(options: { port: number; dataDir?: string }): Promise<{ url: string; close(): Promise<void> }> {
  if (options.dataDir && store.getStoreReadonly().emails.length === 0) {
    mkdirSync(options.dataDir, { recursive: true });
    for (const email of savedEmails(options.dataDir)) originalSave(email);
  }
  appendTo = options.dataDir ? path.join(options.dataDir, MAILBOX_FILE) : undefined;
  const server: Server = await sesServer({ host: '127.0.0.1', port: options.port });
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      appendTo = undefined;
    },
  };
}
