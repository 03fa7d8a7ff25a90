import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validComplaint } from '../support/local-product';
import { eventually, freePorts, npmStart, stopProduct } from '../support/npm-start';

// Stopping and starting `npm start` as a person (or a crash) does it: signals, kills, a second start.

jest.setTimeout(240_000);
const folders: string[] = [];
const dataFolder = () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'reklamacje-start-'));
  folders.push(folder);
  return folder;
};
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
});

const file = (api: string) =>
  fetch(`${api}/complaints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(validComplaint) }).then(
    async (response) => ({ status: response.status, ...((await response.json()) as { reference: string }) }),
  );

const mailboxSubjects = async (mailbox: string) =>
  ((await (await fetch(`${mailbox}/store`)).json()) as { emails: { subject: string }[] }).emails.map((email) => email.subject);

it('ends everything it started within 5 seconds of SIGTERM, with a workflow waiting', async () => {
  const ports = await freePorts();
  const product = await npmStart({ dataDir: dataFolder(), ports });
  const { reference } = await file(product.api);
  await eventually(
    async () => ((await mailboxSubjects(product.mailbox)).some((subject) => subject.includes(reference)) ? true : undefined),
    'the acknowledgement',
  );
  const signalled = Date.now();
  product.signal('SIGTERM');
  await product.exited;
  // Every port is free again: nothing the product started is left listening.
  await eventually(
    async () => {
      const answers = await Promise.all(
        Object.values(ports).map((port) =>
          fetch(`http://127.0.0.1:${port}/`).then(
            () => true,
            () => false,
          ),
        ),
      );
      return answers.some(Boolean) ? undefined : true;
    },
    'every port to close',
    10_000,
  );
  expect(Date.now() - signalled).toBeLessThan(5_000);
});

it('keeps every e-mail the mailbox accepted when killed (SIGKILL), and shows it after the restart', async () => {
  const dataDir = dataFolder();
  const ports = await freePorts();
  const first = await npmStart({ dataDir, ports });
  const { reference } = await file(first.api);
  await eventually(
    async () => ((await mailboxSubjects(first.mailbox)).some((subject) => subject.includes(reference)) ? true : undefined),
    'the acknowledgement',
  );
  const accepted = (await mailboxSubjects(first.mailbox)).length;
  first.signal('SIGKILL');
  await first.gone();
  expect(readFileSync(path.join(dataDir, 'mailbox.jsonl'), 'utf8').trim().split('\n').length).toBeGreaterThanOrEqual(accepted);

  const second = await npmStart({ dataDir, ports });
  expect((await mailboxSubjects(second.mailbox)).length).toBeGreaterThanOrEqual(accepted);
  expect((await mailboxSubjects(second.mailbox)).filter((subject) => subject.includes(reference)).length).toBeGreaterThanOrEqual(1);
  await stopProduct(second);
});

it('refuses a second start on the same data folder, and one on a busy port, saying which variable to change', async () => {
  const dataDir = dataFolder();
  const ports = await freePorts();
  const running = await npmStart({ dataDir, ports });

  const sameFolder = await npmStart({ dataDir, ports: await freePorts(), waitUntilReady: false });
  expect(await sameFolder.exited).toBe(1);
  expect(sameFolder.output()).toContain(`The data folder ${dataDir} is in use by another npm start`);
  expect(sameFolder.output()).toContain('DATA_DIR=');

  const busyPort = await npmStart({ dataDir: dataFolder(), ports: { ...(await freePorts()), PORT: ports.PORT }, waitUntilReady: false });
  expect(await busyPort.exited).toBe(1);
  expect(busyPort.output()).toContain(`Port ${ports.PORT} for the API is already in use`);
  expect(busyPort.output()).toContain('PORT=...');
  expect(busyPort.output()).not.toContain('EADDRINUSE');

  // The refused starts left the running one alone.
  expect((await fetch(`${running.api}/health`)).ok).toBe(true);
  await stopProduct(running);
});

it('continues a fast product clock where it stopped instead of going back to real time', async () => {
  const dataDir = dataFolder();
  const ports = await freePorts();
  const env = { LOCAL_CLOCK_SPEED: '1440' };
  const first = await npmStart({ dataDir, ports, env });
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // about three product hours
  await stopProduct(first);
  const stoppedAt = (JSON.parse(readFileSync(path.join(dataDir, 'product-clock.json'), 'utf8')) as { productTime: number }).productTime;
  expect(stoppedAt - Date.now()).toBeGreaterThan(3600_000);

  const second = await npmStart({ dataDir, ports, env });
  const shown = /now (\S+Z)/.exec(second.output())?.[1];
  expect(Date.parse(shown!)).toBeGreaterThanOrEqual(stoppedAt);
  await stopProduct(second);
  expect(existsSync(path.join(dataDir, 'npm-start.pid'))).toBe(false);
});
