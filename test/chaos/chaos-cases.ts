import type { CaseResult } from './chaos-report';
import { startFaultyProduct, sesOutage, throttledSteps } from './fault-cases';
import { hostileInputs } from './hostile-inputs';
import { killDuringAcknowledgement, killDuringIntake, type KillCaseOptions } from './kill-cases';
import { idempotencyRace } from './race-case';

// The chaos suite of issue 13, in two sizes: `full` for `npm run chaos`, `fast` for the part `npm test` runs
// (test/e2e/chaos.e2e.test.ts). The same cases, through the same code; only the load differs.

export interface ChaosSizes {
  killDuringIntake: KillCaseOptions;
  killDuringAcknowledgement: KillCaseOptions;
  sesOutage: { complaints: number; downForMs: number };
  throttledSteps: { complaints: number; rate: number };
  raceWays: number;
}

export const CHAOS_SIZES = {
  full: {
    killDuringIntake: { clients: 20, perClient: 5 },
    killDuringAcknowledgement: { clients: 20, perClient: 3 },
    // 1.5 s at 1440× is 36 product minutes: SES's backoff has reached its 30-minute steps by then.
    sesOutage: { complaints: 30, downForMs: 1_500 },
    throttledSteps: { complaints: 30, rate: 0.4 },
    raceWays: 50,
  },
  fast: {
    killDuringIntake: { clients: 12, perClient: 1 },
    killDuringAcknowledgement: { clients: 10, perClient: 2 },
    sesOutage: { complaints: 5, downForMs: 600 },
    throttledSteps: { complaints: 5, rate: 0.4 },
    raceWays: 50,
  },
} satisfies Record<string, ChaosSizes>;

/** A case that threw: reported as a failed row rather than ending the suite. */
async function guarded(name: string, run: () => Promise<CaseResult>): Promise<CaseResult> {
  try {
    return await run();
  } catch (error) {
    return {
      name,
      tried: 0,
      lost: 0,
      duplicated: 0,
      serverErrors: 0,
      failures: [`the case could not run: ${error instanceof Error ? error.stack : String(error)}`],
    };
  }
}

/**
 * Drops the handlers' JSON log lines from this process's stdout while `work` runs: the in-process product logs
 * every step it takes (thousands of lines under fault injection), which would bury the table.
 */
async function withoutHandlerLogs<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array, ...rest: never[]) => (String(chunk).startsWith('{"level":') ? true : write(chunk, ...rest));
  try {
    return await work();
  } finally {
    process.stdout.write = write;
  }
}

/** Every case, one after another; `report` hears of each as it ends. */
export async function runChaosCases(sizes: ChaosSizes, report: (result: CaseResult) => void): Promise<void> {
  await withoutHandlerLogs(async () => {
    const product = await startFaultyProduct();
    try {
      report(await guarded('hostile inputs', () => hostileInputs(product.urls)));
      report(await guarded(`${sizes.raceWays}-way Idempotency-Key race`, () => idempotencyRace(product.urls, sizes.raceWays)));
      report(await guarded('SES down, then up', () => sesOutage(product, sizes.sesOutage)));
      report(await guarded('DynamoDB throttling in steps', () => throttledSteps(product, sizes.throttledSteps)));
    } finally {
      await product.stop();
    }
  });
  report(await guarded('SIGKILL during intake', () => killDuringIntake(sizes.killDuringIntake)));
  report(await guarded('SIGKILL during acknowledgement', () => killDuringAcknowledgement(sizes.killDuringAcknowledgement)));
}
