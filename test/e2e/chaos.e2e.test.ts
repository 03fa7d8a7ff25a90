import { chaosTable, type CaseResult } from '../chaos/chaos-report';
import { CHAOS_SIZES } from '../chaos/chaos-cases';
import { startFaultyProduct, sesOutage, throttledSteps, type FaultyProduct } from '../chaos/fault-cases';
import { hostileInputs } from '../chaos/hostile-inputs';
import { killDuringIntake } from '../chaos/kill-cases';
import { idempotencyRace } from '../chaos/race-case';

// The fast part of the chaos suite (issue 13): the cases of `npm run chaos`, through the same code, with less
// load and without the second SIGKILL. Each case lists what did not hold; an empty list is a pass.

const sizes = CHAOS_SIZES.fast;
const results: CaseResult[] = [];
let product: FaultyProduct;

beforeAll(async () => {
  product = await startFaultyProduct();
}, 60_000);

afterAll(async () => {
  await product?.stop();
  console.log(chaosTable(results));
});

const run = async (work: () => Promise<CaseResult>) => {
  const result = await work();
  results.push(result);
  return result.failures;
};

it('answers every hostile input with its precise 4xx as problem+json, and changes nothing', async () => {
  expect(await run(() => hostileInputs(product.urls))).toEqual([]);
}, 60_000);

it(`gives ${sizes.raceWays} requests racing on one Idempotency-Key one complaint and one answer`, async () => {
  expect(await run(() => idempotencyRace(product.urls, sizes.raceWays))).toEqual([]);
}, 60_000);

it('acknowledges every complaint exactly once after SES was down for a while', async () => {
  expect(await run(() => sesOutage(product, sizes.sesOutage))).toEqual([]);
}, 60_000);

it('finishes every step through DynamoDB throttling, acknowledging each complaint once', async () => {
  expect(await run(() => throttledSteps(product, sizes.throttledSteps))).toEqual([]);
}, 90_000);

// Acknowledgements: exactly one each, also for one whose first copy SES accepted just before the kill (its
// step completes the record from SES's Send event instead of sending again, send-once.ts).
it('loses and duplicates nothing when npm start is killed (SIGKILL) during intake and started again, and acknowledges each once', async () => {
  expect(await run(() => killDuringIntake(sizes.killDuringIntake))).toEqual([]);
}, 150_000);
