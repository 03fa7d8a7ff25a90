import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validComplaint } from '../support/local-product';

// The product as a person starts it: `npm start` in a child process, reached only over HTTP.

const root = path.resolve(__dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'reklamacje-e2e-'));
let child: ChildProcess;
let output = '';
let api: string;
let mailbox: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Output so far:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** This process's environment without what in-process runtimes of other test files set in it. */
function environmentOfAFreshShell(): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  for (const name of Object.keys(inherited)) {
    if (/^(AWS_|LOCAL_CLOCK_|TABLE_NAME$|STATE_MACHINE_ARN$|SENDER_ADDRESS$|COMPANY_NAME$|STAFF_DIRECTORY$)/.test(name)) delete inherited[name];
  }
  return inherited;
}

beforeAll(async () => {
  const [port, ses, dynamodb, stepFunctions] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  api = `http://127.0.0.1:${port}`;
  mailbox = `http://127.0.0.1:${ses}`;
  child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: { ...environmentOfAFreshShell(), PORT: String(port), SES_PORT: String(ses), DYNAMODB_PORT: String(dynamodb), STEPFUNCTIONS_PORT: String(stepFunctions), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Generous: on a busy two-core CI machine tsx compiles the whole product before the server answers.
  await eventually(async () => ((await fetch(`${api}/health`)).ok ? true : undefined), 'GET /health', 90_000);
}, 120_000);

afterAll(async () => {
  if (child.pid && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
  // npm exits before the product it started has finished stopping (saving the mailbox, closing LevelDB):
  // wait until the API no longer answers, and let rm retry while the last files are written.
  await eventually(async () => ((await fetch(`${api}/health`).then(() => true, () => false)) ? undefined : true), 'the product to stop', 30_000);
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
});

it('prints a banner naming the API and the mailbox', () => {
  expect(output).toContain(api);
  expect(output).toContain(mailbox);
});

it('takes a complaint over HTTP and e-mails the customer its reference', async () => {
  const response = await fetch(`${api}/complaints`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'e2e-1' },
    body: JSON.stringify(validComplaint),
  });
  expect(response.status).toBe(201);
  const { reference, responseDueBy } = (await response.json()) as { reference: string; responseDueBy: string };

  const email = await eventually(async () => {
    const { emails } = (await (await fetch(`${mailbox}/store`)).json()) as {
      emails: { subject: string; destination: { to: string[] }; body: { text: string; html: string } }[];
    };
    return emails.find((sent) => sent.subject.includes(reference));
  }, `the acknowledgement of ${reference}`);
  expect(email.destination.to).toEqual([validComplaint.customer.email]);
  expect(email.body.text).toContain(reference);
  expect(email.body.html).toContain(reference);
  const [year] = responseDueBy.split('-');
  expect(email.body.text).toContain(year);
}, 30_000);
