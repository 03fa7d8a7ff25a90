import type { Worker } from 'node:worker_threads';
import { API_IN_FLIGHT, sharedInFlight, STARVED_AFTER_MS, WAITING_ON_WORKFLOWS } from '../../local/dynamodb-lanes';
import { typeScriptWorker } from '../../local/typescript-worker';
import { countCallsToWorkflows } from '../../local/yield-to-api';
import { stepFunctions } from '../../lambdas/adapters/sfn-client';
import { SendTaskSuccessCommand } from '../../lambdas/adapters/aws-wire/sfn-api';

// The workflows' thread steps aside while the API has a request in flight (local/yield-to-api.ts), here a worker
// thread that counts the milliseconds it runs, and a counter the test sets as the API server would.

const shared = sharedInFlight();
const ticks = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
let worker: Worker;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const set = (slot: number, value: number) => {
  Atomics.store(shared, slot, value);
  Atomics.notify(shared, API_IN_FLIGHT);
};
/** Resolves once the worker has run another `count` milliseconds; fails after 10 s. */
async function runs(count = 5): Promise<void> {
  const from = Atomics.load(ticks, 0);
  for (const deadline = Date.now() + 10_000; Atomics.load(ticks, 0) < from + count; await sleep(5)) {
    if (Date.now() > deadline) throw new Error('the worker did not run');
  }
}

beforeAll(async () => {
  worker = typeScriptWorker('../test/support/yield-probe.ts', { shared, ticks });
  await runs();
}, 30_000);
afterAll(() => worker.terminate());
afterEach(() => {
  set(WAITING_ON_WORKFLOWS, 0);
  set(API_IN_FLIGHT, 0);
});

it('steps aside while an API request is in flight, and runs again once it is answered, without being woken', async () => {
  set(API_IN_FLIGHT, 1);
  const from = Atomics.load(ticks, 0);
  await sleep(STARVED_AFTER_MS * 3);
  // Unhindered it runs ~300 times in that while; stepping aside, once or twice per STARVED_AFTER_MS.
  expect(Atomics.load(ticks, 0) - from).toBeLessThan(30);
  Atomics.sub(shared, API_IN_FLIGHT, 1); // as the API server's countInFlight does: no notify
  await runs(20);
});

it('runs while the API waits on it, though a request is in flight', async () => {
  set(API_IN_FLIGHT, 1);
  set(WAITING_ON_WORKFLOWS, 1);
  await runs(20);
});

it('still runs now and then while the API stays busy', async () => {
  set(API_IN_FLIGHT, 1);
  const from = Atomics.load(ticks, 0);
  await sleep(STARVED_AFTER_MS * 5);
  expect(Atomics.load(ticks, 0) - from).toBeGreaterThanOrEqual(2);
});

it("counts the API's calls to Step Functions while they are in flight", async () => {
  Object.assign(process.env, { AWS_REGION: 'eu-central-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
  const stop = countCallsToWorkflows(shared);
  const seen: number[] = [];
  const answer = stepFunctions().intercept(async () => {
    seen.push(Atomics.load(shared, WAITING_ON_WORKFLOWS));
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' } });
  });
  try {
    await stepFunctions().send(new SendTaskSuccessCommand({ taskToken: 'token', output: '{}' }));
    expect(seen).toEqual([1]);
    expect(Atomics.load(shared, WAITING_ON_WORKFLOWS)).toBe(0);
  } finally {
    answer();
    stop();
  }
});
