import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import sesServer from 'aws-ses-v2-local';
import { getStoreReadonly, saveEmail, type Email } from 'aws-ses-v2-local/dist/store';

// aws-ses-v2-local keeps its mailbox in memory; we save it under the data folder (and load it back on start)
// so that the mailbox a person reads survives `npm start` being restarted, like the complaints do.
const SAVE_EVERY_MS = 500;

export async function startSes(options: { port: number; dataDir?: string }): Promise<{ url: string; close(): Promise<void> }> {
  const file = options.dataDir ? path.join(options.dataDir, 'mailbox.json') : undefined;
  if (file && existsSync(file) && getStoreReadonly().emails.length === 0) {
    for (const email of JSON.parse(readFileSync(file, 'utf8')) as Email[]) saveEmail(email);
  }
  const server: Server = await sesServer({ host: '127.0.0.1', port: options.port });
  let saved = getStoreReadonly().emails.length;
  const save = () => {
    const emails = getStoreReadonly().emails;
    if (!file || emails.length === saved) return;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(emails));
    saved = emails.length;
  };
  const timer = setInterval(save, SAVE_EVERY_MS);
  timer.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    async close() {
      clearInterval(timer);
      save();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
