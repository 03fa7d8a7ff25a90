import { AsyncLocalStorage } from 'node:async_hooks';
import type { Interceptor } from '../../lambdas/adapters/aws-wire/signed-transport';

type TaskRun = (input: Record<string, unknown>) => Promise<unknown>;

/**
 * Injects failures into workflow Tasks of the local runtime: `failNext('Advance',
 * 'EmailTemporarilyUnavailable', 2)` makes the next two runs of that state throw an error of that name, as
 * the Lambda would, before the real step runs.
 */
export function taskFaults() {
  const pending = new Map<string, { name: string; remaining: number }>();
  return {
    failNext(state: string, name: string, times: number) {
      pending.set(state, { name, remaining: times });
    },
    clear() {
      pending.clear();
    },
    wrapTask(state: string, run: TaskRun): TaskRun {
      return async (input) => {
        const fault = pending.get(state);
        if (fault && fault.remaining > 0) {
          fault.remaining -= 1;
          const error = new Error(`injected ${fault.name}`);
          error.name = fault.name;
          throw error;
        }
        return run(input);
      };
    },
  };
}

/**
 * DynamoDB throttling inside workflow steps: while `rate` is above 0, that share of the DynamoDB requests a step
 * makes is answered as DynamoDB answers a throttled request (HTTP 400, ProvisionedThroughputExceededException),
 * under the client's retries, so the client's own attempts (lambdas/adapters/aws-wire/standard-retry.ts), the
 * adapter's mapping to StorageTemporarilyUnavailable and the ASL's Retry all take part. Only requests made while
 * a Task runs are throttled (intake is not): `wrapTask` marks them. `install` goes on the DynamoDB client the
 * step handlers use (lambdas/adapters/clients.ts) and answers a function that takes it off.
 */
export function dynamoDbThrottling(options: { rate: number; seed?: number }) {
  const inStep = new AsyncLocalStorage<string>();
  const random = seededRandom(options.seed ?? 13);
  const state = { rate: options.rate, calls: 0, throttled: 0 };
  const throttledResponse = () =>
    new Response(
      JSON.stringify({
        __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
        message: 'The level of configured provisioned throughput for the table was exceeded (injected)',
      }),
      { status: 400, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `throttled-${state.throttled}` } },
    );
  return {
    state,
    wrapTask(stateName: string, run: TaskRun): TaskRun {
      return (input) => inStep.run(stateName, () => run(input));
    },
    install(client: { intercept(interceptor: Interceptor): () => void }): () => void {
      return client.intercept(async (request, next) => {
        if (inStep.getStore() === undefined) return next(request);
        state.calls += 1;
        if (random() >= state.rate) return next(request);
        state.throttled += 1;
        return throttledResponse();
      });
    },
  };
}

/** mulberry32: the same faults on every run with the same seed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
