import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

// The product as a person starts it: `npm start` in a child process (its own process group, so a signal
// reaches npm, tsx and node alike), reached only over HTTP.

const root = path.resolve(__dirname, '../..');

/**
 * Ports below the range the kernel hands out itself (32768-60999 on Linux, 49152 and up on macOS): a port that
 * the system chose and this function freed again went back to that pool, and while the product started (seconds
 * of compiling) a connection or a port-0 server of another test file could take it ("Port 44711 for the API is
 * already in use", seen in CI). Here only another caller of this function could, and it picks at random.
 */
const FIRST_PORT = 20_000;
const PORTS = 12_768;

export async function freePort(): Promise<number> {
  for (;;) {
    const port = FIRST_PORT + Math.floor(Math.random() * PORTS);
    const free = await new Promise<boolean>((resolve, reject) => {
      const server = createServer();
      server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(false) : reject(error)));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000, output = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Output so far:\n${output()}`);
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

export interface Ports {
  PORT: number;
  SES_PORT: number;
  DYNAMODB_PORT: number;
  STEPFUNCTIONS_PORT: number;
  S3_PORT: number;
}

export async function freePorts(): Promise<Ports> {
  const picked = new Set<number>();
  while (picked.size < 5) picked.add(await freePort());
  const [api, ses, dynamodb, stepFunctions, s3] = [...picked] as [number, number, number, number, number];
  return { PORT: api, SES_PORT: ses, DYNAMODB_PORT: dynamodb, STEPFUNCTIONS_PORT: stepFunctions, S3_PORT: s3 };
}

export interface StartedProduct {
  api: string;
  mailbox: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code once npm has exited. */
  exited: Promise<number | null>;
  /** Signals the whole process group. */
  signal(signal: NodeJS.Signals): void;
  /** Resolves once every process of the group has ended (npm exits before the product it started). */
  gone(): Promise<void>;
}

/** Runs `npm start`; with `waitUntilReady`, resolves once GET /health answers. */
export async function npmStart(options: {
  dataDir: string;
  ports: Ports;
  env?: Record<string, string>;
  waitUntilReady?: boolean;
}): Promise<StartedProduct> {
  let output = '';
  const ports = Object.fromEntries(Object.entries(options.ports).map(([name, port]) => [name, String(port)]));
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: { ...environmentOfAFreshShell(), ...ports, DATA_DIR: options.dataDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const product: StartedProduct = {
    api: `http://127.0.0.1:${options.ports.PORT}`,
    mailbox: `http://127.0.0.1:${options.ports.SES_PORT}`,
    child,
    output: () => output,
    exited,
    signal(signal) {
      if (!child.pid || child.exitCode !== null) return;
      try {
        process.kill(-child.pid, signal);
      } catch (error) {
        // The group can be gone before npm's exit is reported (after a SIGKILL): nothing is left to signal.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    },
    gone: () =>
      eventually(
        async () => {
          try {
            process.kill(-child.pid!, 0);
            return undefined;
          } catch {
            return true;
          }
        },
        'every process of npm start to end',
        30_000,
      ).then(() => undefined),
  };
  if (options.waitUntilReady ?? true) {
    // Generous: on a busy two-core CI machine tsx compiles the whole product before the server answers.
    await eventually(async () => ((await fetch(`${product.api}/health`)).ok ? true : undefined), 'GET /health', 90_000, product.output);
  }
  return product;
}

/** Stops a started product and waits until its API no longer answers (npm exits before the product has). */
export async function stopProduct(product: StartedProduct): Promise<void> {
  product.signal('SIGTERM');
  await product.exited;
  // npm itself can exit before the product's own process has finished stopping (it frees the data folder last).
  await product.gone();
  await eventually(
    async () =>
      (await fetch(`${product.api}/health`).then(
        () => true,
        () => false,
      ))
        ? undefined
        : true,
    'the product to stop',
    30_000,
  );
}
