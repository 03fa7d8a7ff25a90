import { API_IN_FLIGHT, QUIET_CHECK_MS, STARVED_AFTER_MS, WAITING_ON_WORKFLOWS, type SharedInFlight } from './dynamodb-lanes';
import { stepFunctions } from '../lambdas/adapters/sfn-client';
import { ses } from '../lambdas/adapters/ses-client';

// The workflows' thread steps aside while the API has a request in flight. In AWS the workflows' steps run on
// machines of their own, and intake never waits for them; here they share two cores with the API and dynalite.
// Their thread runs at nice 19 and their table work goes through dynalite's background door
// (dynamodb-lanes.ts), yet intake one at a time was still ~1 ms slower at p50 with the workflows running than with
// them paused: a woken API or dynalite thread preempts the workflows', but finds the core's caches full of the
// workflows' work. So the workflows' thread checks every millisecond and, while an API request is in flight,
// blocks (Atomics.wait) until the API is quiet: at most STARVED_AFTER_MS at a time (the background door's bound,
// dynamodb-lanes.ts), so the workflows never stop. Blocked, it looks every QUIET_CHECK_MS whether the API is quiet;
// the API's thread does not wake it (dynamodb-lanes.ts says why).
//
// Except while the API waits on this thread itself: the workflows' thread also serves Step Functions (staff
// actions send task results) and the mailbox, so the API's calls to those are counted apart (WAITING_ON_WORKFLOWS),
// and while there are any the thread does not block.

/** Atomics.waitAsync (Node 16+; in TypeScript's ES2024 library, which the project does not take whole: Node 20
 * lacks other parts of it). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

/**
 * On the workflows' thread: steps aside while the API has a request in flight and is not waiting on this thread.
 * Answers a function that stops it.
 */
export function yieldToApi(shared: SharedInFlight): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // While the API is quiet nothing runs: the thread waits for the count to change (countInFlight notifies).
  const whenBusy = () => {
    if (stopped) return;
    if (Atomics.load(shared, API_IN_FLIGHT) > 0) {
      // Unreferenced: the check alone keeps no thread alive.
      timer = setTimeout(check, QUIET_CHECK_MS).unref();
      return;
    }
    const waited = waitAsync(shared, API_IN_FLIGHT, 0);
    if (waited.async) void waited.value.then(whenBusy);
    else setImmediate(whenBusy); // it changed in between
  };
  const check = () => {
    const since = performance.now();
    for (;;) {
      const requests = Atomics.load(shared, API_IN_FLIGHT);
      if (requests === 0 || Atomics.load(shared, WAITING_ON_WORKFLOWS) > 0) break;
      const left = STARVED_AFTER_MS - (performance.now() - since);
      if (left <= 0) break;
      // Woken early when a request starts (countInFlight) or the API calls this thread (countCallsToWorkflows).
      Atomics.wait(shared, API_IN_FLIGHT, requests, Math.min(left, QUIET_CHECK_MS));
    }
    whenBusy();
  };
  whenBusy();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * On the API's thread: counts its calls to the stand-ins on the workflows' thread (Step Functions, the mailbox)
 * while they are in flight, so that the workflows' thread serves them instead of stepping aside. Answers a
 * function that stops counting.
 */
export function countCallsToWorkflows(shared: SharedInFlight): () => void {
  const count = async <T>(next: () => Promise<T>): Promise<T> => {
    Atomics.add(shared, WAITING_ON_WORKFLOWS, 1);
    Atomics.notify(shared, API_IN_FLIGHT);
    try {
      return await next();
    } finally {
      Atomics.sub(shared, WAITING_ON_WORKFLOWS, 1);
    }
  };
  const removals = [stepFunctions(), ses()].map((client) => client.intercept((request, next) => count(() => next(request))));
  return () => removals.forEach((remove) => remove());
}
