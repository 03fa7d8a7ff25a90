import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { functions } from '../lambdas/functions';
import { esbuildOptionsFor } from '../lib/bundling';

// Cold initialization of every function beside an empty handler, bundled alike (lib/bundling.ts): what
// Lambda's init phase pays, a fresh Node process loading the bundle, with the house's --enable-source-maps
// and the source map beside it. Measured inside the process from its time origin to the bundle loaded, so
// Node's own start is in both figures and the ratio is what the bundle adds. The handler is not invoked:
// ports are built on first use, as in Lambda. `npx tsx scripts/cold-init.ts`; `npm run bench` includes it.

const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 15);
export const EMPTY = 'empty handler';

/**
 * The Node that loads the bundles: the one running this script, or BENCH_COLD_NODE, e.g. a Node of Lambda's major
 * (NODE_MAJOR, lib/bundling.ts) where the machine's is older. The majors differ in what they do at load: Node 20
 * reads and parses the source map there, Node 24 only when a stack trace needs it.
 */
const NODE = process.env.BENCH_COLD_NODE ?? process.execPath;

/** The version of the Node that loads the bundles, as `node --version` prints it. */
export function coldInitNodeVersion(): string {
  return spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

/**
 * The process a bundle loads in: what Lambda's runtime has loaded before it loads a handler, then the bundle. The
 * runtime's Runtime API client requires `node:http`, and with it `net` and `stream`, at module scope
 * (aws/aws-lambda-nodejs-runtime-interface-client, src/client/rapid-client.ts), so a function does not pay for
 * those. It is a file, not `node -e`: eval mode loads `node:crypto` and `node:stream` for itself, which made the
 * empty handler pay for the `node:crypto` that every function signing an AWS call loads and Lambda does not.
 */
const probe = `require('node:http');
require(process.argv[2]);
process.stdout.write(String(require('node:perf_hooks').performance.now()));
`;

// Only what a function reads at module scope, with Lambda's names; nothing of this shell leaks in.
const lambdaEnvironment = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_SESSION_TOKEN: 'local',
  TABLE_NAME: 'complaints',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-central-1:000000000000:stateMachine:complaint-workflow',
  SENDER_ADDRESS: 'reklamacje@example.com',
};

export interface ColdInit {
  name: string;
  /** Median milliseconds from process start to the bundle loaded. */
  medianMs: number;
  /** `medianMs` over the empty handler's. */
  ratio: number;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function coldInits(runs = RUNS): Promise<ColdInit[]> {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'reklamacje-cold-init-'));
  try {
    const probeFile = path.join(outdir, 'probe.js');
    writeFileSync(probeFile, probe);
    const bundles = new Map<string, string>();
    const emptyFile = path.join(outdir, 'empty', 'index.js');
    await build({
      ...esbuildOptionsFor('lambdas/handlers/health.handler.ts', emptyFile),
      entryPoints: undefined,
      stdin: { contents: 'export const handler = async () => ({});', loader: 'ts', sourcefile: 'empty.handler.ts' },
    });
    bundles.set(EMPTY, emptyFile);
    for (const [name, spec] of Object.entries(functions)) {
      const file = path.join(outdir, name, 'index.js');
      await build(esbuildOptionsFor(spec.entry, file));
      bundles.set(name, file);
    }

    // Round by round, every bundle once per round, so that a busy moment of the machine falls on all alike.
    const samples = new Map<string, number[]>([...bundles.keys()].map((name) => [name, []]));
    for (let round = 0; round < runs; round += 1) {
      for (const [name, file] of bundles) {
        const child = spawnSync(NODE, ['--enable-source-maps', probeFile, file], { env: lambdaEnvironment, encoding: 'utf8' });
        if (child.status !== 0) throw new Error(`${name} did not load: ${child.stderr}`);
        samples.get(name)!.push(Number(child.stdout));
      }
    }
    const empty = median(samples.get(EMPTY)!);
    return [...samples].map(([name, times]) => ({ name, medianMs: median(times), ratio: median(times) / empty }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const results = await coldInits();
  const width = Math.max(...results.map(({ name }) => name.length));
  console.log(`Node ${coldInitNodeVersion()}\n${'function'.padEnd(width)} | cold init (ms, median of ${RUNS}) | x empty`);
  for (const { name, medianMs, ratio } of results) {
    console.log(`${name.padEnd(width)} | ${medianMs.toFixed(1).padStart(29)} | ${ratio.toFixed(2)}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
