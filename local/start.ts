import path from 'node:path';
import { startRuntime } from './runtime';
import { REPOSITORY_ROOT } from './handlers';
import { DataFolderInUse } from './data-lock';

// `npm start`: the whole product on this machine. PORT moves the API; DATA_DIR moves the data.

/** Each port the product listens on, and the variable that moves it. */
const PORTS = [
  { variable: 'PORT', service: 'the API', fallback: 3000 },
  { variable: 'SES_PORT', service: 'the mailbox (SES)', fallback: 8005 },
  { variable: 'DYNAMODB_PORT', service: 'DynamoDB (dynalite)', fallback: 8000 },
  { variable: 'STEPFUNCTIONS_PORT', service: 'Step Functions', fallback: 8083 },
  { variable: 'S3_PORT', service: 'S3 (attachments)', fallback: 4568 },
] as const;

/** SIGINT or SIGTERM ends everything within this long, whatever the workflows are doing. */
const STOP_WITHIN_MS = 4_500;

function port(variable: string, fallback: number): number {
  const value = Number(process.env[variable] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new Error(`${variable} must be a port number, not ${process.env[variable]}`);
  return value;
}

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(REPOSITORY_ROOT, '.data'));
  const [api, ses, dynamodb, stepFunctions, s3] = PORTS.map((entry) => port(entry.variable, entry.fallback)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const runtime = await startRuntime({
    dataDir,
    ports: { api, ses, dynamodb, stepFunctions, s3 },
    clockSpeed: Number(process.env.LOCAL_CLOCK_SPEED ?? 1),
    // Pages and API answer first while the workflows catch up, as in AWS (local/stepfunctions-thread.ts).
    workflowThread: true,
    log: (line) => console.log(`[local] ${line}`),
  });
  const urls = runtime.urls;
  console.log(
    [
      '',
      'Reklamacje is running locally.',
      `  Complaint form   ${urls.api}/   (English: ${urls.api}/en/; status page: ${urls.api}/complaints/status)`,
      `  API              ${urls.api}   (GET ${urls.api}/health, POST ${urls.api}/complaints)`,
      `  Mailbox          ${urls.mailbox}   (every e-mail sent; JSON at ${urls.mailbox}/store)`,
      `  DynamoDB         ${urls.dynamodb}   (dynalite in a worker thread, with transactions)`,
      `  Step Functions   ${urls.stepFunctions}   (local ASL interpreter; aws stepfunctions --endpoint-url ${urls.stepFunctions} ...)`,
      `  S3               ${urls.s3}   (the attachments bucket: s3rver behind a front that checks POST policies and SigV4)`,
      `  Data             ${dataDir}`,
      `  Staff API        ${urls.api}/admin/...   (SigV4; demo keys in config/staff.local.json, try: npx complaints list --as <staff id>)`,
      `  OpenAPI          ${urls.api}/openapi.json`,
      ...(Number(process.env.LOCAL_CLOCK_SPEED ?? 1) !== 1
        ? [`  Clock            ${process.env.LOCAL_CLOCK_SPEED}x real time, now ${runtime.clock.now().toISOString()}`]
        : []),
      'Press Ctrl+C to stop; data and workflows in flight are kept for the next start.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[local] ${signal}: stopping`);
    // Nothing is lost by cutting a step short: every step is idempotent and its workflow resumes at the
    // next start. So a step that does not finish in time does not hold the stop up.
    setTimeout(() => {
      console.log('[local] stopped before every step had finished; they resume at the next start');
      process.exit(0);
    }, STOP_WITHIN_MS).unref();
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`[local] stopping failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function explain(error: unknown): string {
  const failure = error as NodeJS.ErrnoException & { port?: number };
  if (failure.code === 'EADDRINUSE') {
    const busy = PORTS.find((entry) => port(entry.variable, entry.fallback) === failure.port);
    return busy
      ? `Port ${failure.port} for ${busy.service} is already in use (another npm start?). Stop whatever holds it, or choose another port with ${busy.variable}=...`
      : `Port ${failure.port} is already in use: ${failure.message}`;
  }
  if (error instanceof DataFolderInUse) return error.message;
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  console.error(explain(error));
  process.exit(1);
});
