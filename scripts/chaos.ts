import { chaosTable, passed, type CaseResult } from '../test/chaos/chaos-report';
import { CHAOS_SIZES, runChaosCases } from '../test/chaos/chaos-cases';

// `npm run chaos`: issue 13's proof, bounded (about three minutes on a two-core machine, five at most). Prints
// the table of cases tried, lost, duplicated, 5xx and acknowledged once; exits 1 when any case failed.
// `npm test` runs a smaller set of the same cases (test/e2e/chaos.e2e.test.ts).

/** The suite is bounded: past this, it reports what it has and fails. */
const SUITE_LIMIT_MS = 5 * 60_000;

async function main(): Promise<void> {
  const results: CaseResult[] = [];
  const limit = setTimeout(() => {
    console.log(`${chaosTable(results)}\n\nThe chaos suite ran over ${SUITE_LIMIT_MS / 60_000} minutes and was stopped.`);
    process.exit(1);
  }, SUITE_LIMIT_MS);
  limit.unref();
  const started = Date.now();
  await runChaosCases(CHAOS_SIZES.full, (result) => {
    results.push(result);
    console.error(`[chaos] ${result.name}: ${passed(result) ? 'pass' : 'FAIL'} (${Math.round((Date.now() - started) / 1000)} s)`);
  });
  console.log(chaosTable(results));
  process.exit(results.every(passed) ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
