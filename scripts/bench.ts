import { execFileSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { startRuntime } from '../local/runtime';
import { COMPLAINTS_TABLE, localDynamoDbClient } from '../local/dynamodb';
import { indexAttributes } from '../lambdas/adapters/table-design';
import { bundleSizes } from './bundle-sizes';
import { coldInitNodeVersion, coldInits, EMPTY } from './cold-init';
import { validComplaint } from '../test/support/local-product';

// `npm run bench`: one run on the local stand-ins, printed as a table. Figures, never assertions: the
// ratio of intake latency to a bare PutItem on the same dynalite is the one we track over time.
// `npm run bench -- --functions` prints only the Lambda rows (bundle sizes and cold init), in a minute
// instead of several: no stand-ins are started.

const LATENCY_SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const SUSTAINED_COMPLAINTS = Number(process.env.BENCH_COMPLAINTS ?? 500);
const CONCURRENCY = 8;
/** Rounds of intake and the bare PutItem taken in turn, LATENCY_SAMPLES / ROUNDS requests each. */
const ROUNDS = 6;

const complaint = validComplaint;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timed(run: () => Promise<unknown>, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples;
}

// The bench's customers post with node:http on kept-alive connections: Node's fetch costs the client several
// times the CPU, and the client shares a core with what it measures.
const customers = new http.Agent({ keepAlive: true });
const body = Buffer.from(JSON.stringify(complaint));

/**
 * One complaint. A kept-alive connection left idle as long as the server's keep-alive timeout (5 s, Node's default:
 * the workflows catching up after the burst take about that) may be closed by the server just as this sends on it;
 * the request then never reached a handler (Node's http server reads nothing more from a socket it is closing), and
 * is sent again on a new connection, as Node's documentation of `request.reusedSocket` advises.
 */
function post(api: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const request = http.request(
      `${api}/complaints`,
      { method: 'POST', agent: customers, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          response.statusCode === 201 ? resolve() : reject(new Error(`intake answered ${response.statusCode}: ${Buffer.concat(chunks).toString()}`)),
        );
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (request.reusedSocket && error.code === 'ECONNRESET') void post(api).then(resolve, reject);
      else reject(error);
    });
    request.end(body);
  });
}

async function main(): Promise<void> {
  const rows: [string, string][] = [];
  if (!process.argv.includes('--functions')) await benchRuntime(rows);
  await benchFunctions(rows);

  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${'measure'.padEnd(width)} | value\n${'-'.repeat(width)}-|------`);
  for (const [label, value] of rows) console.log(`${label.padEnd(width)} | ${value}`);
}

async function benchRuntime(rows: [string, string][]): Promise<void> {
  // The functions log at WARN, as an operator sets a function's application log level in AWS: the table is
  // this script's output, where every complaint's info lines (about five) would be thousands of lines before
  // it. The local runtime passes the variable on to the workflows' thread.
  process.env.AWS_LAMBDA_LOG_LEVEL ??= 'WARN';
  // Every complaint comes from 127.0.0.1; Step Functions on its own thread, as `npm start` runs it.
  const runtime = await startRuntime({ intakeLimitPerClient: 100_000, workflowThread: true });
  const { api } = runtime.urls;
  const dynamo = localDynamoDbClient(runtime.urls.dynamodb);

  await timed(() => post(api), 20); // warm-up: module loading, connections
  await runtime.settled();

  // The first samples after start are taken while V8 still optimizes the intake path (the API's, dynalite's and
  // the workflows' code too): each later round of them is faster. The PutItem and the paused intake at the end
  // are measured on a warm stand-in, so the intake set beside the PutItem comes after this first set, printed apart.
  const first = await timed(() => post(api), LATENCY_SAMPLES);
  await runtime.settled();
  // Intake and the bare PutItem in alternating rounds, pooled: this machine's speed drifts within a run by more
  // than the ratio's margin (a round's PutItem p50 went from 0.83 to 1.92 ms in one run, and a round's ratio from
  // 1.2 to 2.9), and rounds taken in turn let the drift fall on both alike.
  let n = 0;
  const item = { PK: { S: '' }, SK: { S: 'BENCH' }, body: { S: JSON.stringify(complaint) } };
  const bare = () => dynamo.send(new PutItemCommand({ TableName: COMPLAINTS_TABLE, Item: { ...item, PK: { S: `BENCH#${n++}` } } }));
  const intake: number[] = [];
  const put: number[] = [];
  const roundRatios: number[] = [];
  const perRound = Math.ceil(LATENCY_SAMPLES / ROUNDS);
  for (let round = 0; round < ROUNDS; round += 1) {
    const intakeRound = await timed(() => post(api), perRound);
    await runtime.settled();
    const putRound = await timed(bare, perRound);
    intake.push(...intakeRound);
    put.push(...putRound);
    roundRatios.push(percentile(intakeRound, 50) / percentile(putRound, 50));
  }
  rows.push([
    `intake POST /complaints p50 / p99 (ms; ${LATENCY_SAMPLES} after the first, workflows running)`,
    `${percentile(intake, 50).toFixed(2)} / ${percentile(intake, 99).toFixed(2)}`,
  ]);
  rows.push([`  the first ${LATENCY_SAMPLES} after start (ms)`, `${percentile(first, 50).toFixed(2)} / ${percentile(first, 99).toFixed(2)}`]);
  rows.push([
    `bare DynamoDB PutItem p50 / p99 (ms; ${LATENCY_SAMPLES}, in ${ROUNDS} rounds taken in turn with intake's)`,
    `${percentile(put, 50).toFixed(2)} / ${percentile(put, 99).toFixed(2)}`,
  ]);
  rows.push([
    'intake / PutItem ratio at p50 / p99',
    `${(percentile(intake, 50) / percentile(put, 50)).toFixed(1)} / ${(percentile(intake, 99) / percentile(put, 99)).toFixed(1)}`,
  ]);
  rows.push(["  one round's ratio at p50, lowest / highest", `${Math.min(...roundRatios).toFixed(1)} / ${Math.max(...roundRatios).toFixed(1)}`]);
  // The bare item has no list-index attributes; a new complaint item has five, which dynalite maintains in JavaScript.
  const shaped = (i: number): Record<string, { S: string }> => ({
    PK: { S: `BENCH#SHAPED#${i}` },
    SK: { S: 'BENCH' },
    ...Object.fromEntries(
      Object.entries(indexAttributes({ id: `bench-${i}`, responseDueBy: '2026-12-14', customer: { email: 'anna@example.com' } })).map(
        ([name, value]) => [name, { S: value }],
      ),
    ),
    receivedAt: { S: new Date().toISOString() },
    status: { S: 'received' },
    body: { S: JSON.stringify(complaint) },
  });
  const shapedPut = await timed(() => dynamo.send(new PutItemCommand({ TableName: COMPLAINTS_TABLE, Item: shaped(n++) })), LATENCY_SAMPLES);
  rows.push([
    'PutItem of a complaint-shaped item (its index keys) p50 / p99 (ms)',
    `${percentile(shapedPut, 50).toFixed(2)} / ${percentile(shapedPut, 99).toFixed(2)}`,
  ]);

  const before = await countComplaints(dynamo);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < SUSTAINED_COMPLAINTS) {
        next += 1;
        await post(api);
      }
    }),
  );
  const burstEnded = performance.now();
  const seconds = (burstEnded - start) / 1000;
  // The workflows take the CPU and the table work intake leaves (stepfunctions-thread.ts, dynamodb-lanes.ts):
  // how long they take to catch up afterwards is the other half of the figure.
  await runtime.settled();
  const caughtUp = (performance.now() - burstEnded) / 1000;
  const stored = (await countComplaints(dynamo)) - before;
  const acknowledged = await countAcknowledged(dynamo);
  const total = await countComplaints(dynamo);
  rows.push([`sustained intake, ${SUSTAINED_COMPLAINTS} complaints x${CONCURRENCY} (complaints/s)`, (SUSTAINED_COMPLAINTS / seconds).toFixed(0)]);
  rows.push(['  stored / sent', `${stored} / ${SUSTAINED_COMPLAINTS}`]);
  rows.push(['  workflows caught up after the burst (s; each at its first wait)', caughtUp.toFixed(1)]);
  rows.push(['  acknowledged / stored (all runs)', `${acknowledged} / ${total}`]);
  // Intake alone: the same requests with the workflows paused (the local outbox stopped), one at a time.
  await runtime.outbox.stop();
  const alone = await timed(() => post(api), Math.ceil(LATENCY_SAMPLES / 3));
  rows.push([
    'intake p50 / p99 with the workflows paused (ms); ÷ bare PutItem at p50',
    `${percentile(alone, 50).toFixed(2)} / ${percentile(alone, 99).toFixed(2)}; ${(percentile(alone, 50) / percentile(put, 50)).toFixed(1)}`,
  ]);

  const lifecycle = JSON.parse(
    execFileSync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, 'bench-lifecycle.ts')], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!,
  ) as { happy: number; noAnswer: number; happyUnits: Units; silentUnits: Units };
  rows.push(['state transitions, answered after 3 reminders (Step Functions, per complaint)', String(lifecycle.happy)]);
  rows.push(['state transitions, never answered: 3 reminders, deemed accepted', String(lifecycle.noAnswer)]);
  const writeUnits = (units: Units) => `${units.total} (table ${units.table}, indexes ${units.index})`;
  rows.push(['DynamoDB write units, answered after 3 reminders (per complaint)', writeUnits(lifecycle.happyUnits)]);
  rows.push(['DynamoDB write units, never answered (per complaint)', writeUnits(lifecycle.silentUnits)]);

  dynamo.destroy();
  customers.destroy();
  await runtime.stop();
}

/** Bundle sizes and cold init; after the runtime has stopped, so that the stand-ins take no CPU from the fresh processes. */
async function benchFunctions(rows: [string, string][]): Promise<void> {
  for (const bundle of await bundleSizes()) rows.push([`bundle ${bundle.name} (KiB, minified)`, (bundle.bytes / 1024).toFixed(1)]);
  const inits = await coldInits();
  const empty = inits.find(({ name }) => name === EMPTY)!;
  rows.push([`cold init, ${EMPTY} (ms, median; Node ${coldInitNodeVersion()} start to module loaded)`, empty.medianMs.toFixed(1)]);
  for (const init of inits.filter(({ name }) => name !== EMPTY)) {
    rows.push([`cold init ${init.name} (ms, median / x empty handler)`, `${init.medianMs.toFixed(1)} / ${init.ratio.toFixed(2)}`]);
  }
}

interface Units {
  table: number;
  index: number;
  total: number;
}

async function scanComplaints(dynamo: DynamoDBClient) {
  const items: Record<string, { S?: string }>[] = [];
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: COMPLAINTS_TABLE, ExclusiveStartKey }));
    items.push(...((page.Items ?? []) as never[]));
    ExclusiveStartKey = page.LastEvaluatedKey as never;
  } while (ExclusiveStartKey);
  return items.filter((entry) => entry.SK?.S === 'COMPLAINT');
}

const countComplaints = async (dynamo: DynamoDBClient) => (await scanComplaints(dynamo)).length;
const countAcknowledged = async (dynamo: DynamoDBClient) =>
  (await scanComplaints(dynamo)).filter((entry) => (entry as Record<string, unknown>).acknowledgement !== undefined).length;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
