import { AsyncLocalStorage } from 'node:async_hooks';
import { Readable } from 'node:stream';

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
 * DynamoDB throttling inside workflow steps: while `rate` is above 0, that share of the DynamoDB calls a step
 * makes is answered as DynamoDB answers a throttled request (HTTP 400, ProvisionedThroughputExceededException),
 * below the SDK's deserializer, so the SDK's own retries, the adapter's mapping to StorageTemporarilyUnavailable
 * and the ASL's Retry all take part. Only calls made while a Task runs are throttled (intake is not): `wrapTask`
 * marks them. `install` goes on the DynamoDB client the step handlers use (lambdas/adapters/clients.ts).
 */
export function dynamoDbThrottling(options: { rate: number; seed?: number }) {
  const inStep = new AsyncLocalStorage<string>();
  const random = seededRandom(options.seed ?? 13);
  const state = { rate: options.rate, calls: 0, throttled: 0 };
  const throttledResponse = () => ({
    statusCode: 400,
    reason: 'Bad Request',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `throttled-${state.throttled}` },
    body: Readable.from([
      Buffer.from(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
          message: 'The level of configured provisioned throughput for the table was exceeded (injected)',
        }),
      ),
    ]),
  });
  return {
    state,
    wrapTask(stateName: string, run: TaskRun): TaskRun {
      return (input) => inStep.run(stateName, () => run(input));
    },
    install(client: { middlewareStack: { addRelativeTo(middleware: unknown, options: object): void } }) {
      client.middlewareStack.addRelativeTo(
        (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
          if (inStep.getStore() === undefined) return next(args);
          state.calls += 1;
          if (random() >= state.rate) return next(args);
          state.throttled += 1;
          return { response: throttledResponse(), output: undefined };
        },
        { name: 'injectedThrottling', relation: 'after', toMiddleware: 'deserializerMiddleware', override: true },
      );
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
