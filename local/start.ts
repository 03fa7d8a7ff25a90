import path from 'node:path';
import { startRuntime } from './runtime';
import { REPOSITORY_ROOT } from './handlers';

// `npm start`: the whole product on this machine. PORT moves the API; DATA_DIR moves the data.
async function main(): Promise<void> {
  const dataDir = process.env.DATA_DIR ?? path.join(REPOSITORY_ROOT, '.data');
  const runtime = await startRuntime({
    dataDir,
    ports: {
      api: Number(process.env.PORT ?? 3000),
      ses: Number(process.env.SES_PORT ?? 8005),
      dynamodb: Number(process.env.DYNAMODB_PORT ?? 8000),
      stepFunctions: Number(process.env.STEPFUNCTIONS_PORT ?? 8083),
    },
    clockSpeed: Number(process.env.LOCAL_CLOCK_SPEED ?? 1),
    log: (line) => console.log(`[local] ${line}`),
  });
  const { api, mailbox, dynamodb, stepFunctions } = runtime.urls;
  console.log(
    [
      '',
      'Reklamacje is running locally.',
      `  API              ${api}   (GET ${api}/health, POST ${api}/complaints)`,
      `  Mailbox          ${mailbox}   (every e-mail sent; JSON at ${mailbox}/store)`,
      `  DynamoDB         ${dynamodb}   (dynalite)`,
      `  Step Functions   ${stepFunctions}   (local workflow engine)`,
      `  Data             ${dataDir}`,
      `  Staff API        ${api}/admin/...   (SigV4; demo keys in config/staff.local.json, try: npx complaints list --as <staff id>)`,
      `  OpenAPI          ${api}/openapi.json`,
      ...(Number(process.env.LOCAL_CLOCK_SPEED ?? 1) !== 1 ? [`  Clock            ${process.env.LOCAL_CLOCK_SPEED}x real time`] : []),
      'Press Ctrl+C to stop; data and workflows in flight are kept for the next start.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
