import type { IncomingMessage, ServerResponse } from 'node:http';

// Two doors into the local DynamoDB: the foreground, for the API and everything a person or a client waits on,
// and the background, for the workflows' thread (local/stepfunctions-thread.ts). In AWS the workflows run on
// machines of their own and DynamoDB serves both without either noticing the other; here one dynalite thread
// serves both on a two-core machine. The workflows' thread runs at nice 19, but the table work it asks for ran
// at dynalite's priority: during a burst of 500 complaints, about half of dynalite's time went to the workflows
// of complaints just taken in, and intake waited behind it. A background request now waits while the
// foreground is busy, as the workflows' own CPU does, and is served once it is quiet.
//
// Busy means a foreground request in flight in dynalite, or an API request in flight on the API's thread (a
// counter both threads share): an intake request spends most of its time on the API's thread, and table work
// done for the workflows meanwhile takes a core from it just the same.
//
// DynamoDB orders nothing between requests that are in flight together, so only the timing changes; each door
// serves its own requests in arrival order, and a request is whole once it starts (transactions and item locks
// are dynamodb-service.ts's, after this).

/**
 * Background requests served at once while the foreground is quiet. One keeps dynalite busy behind the workflows
 * and is all a foreground request arriving meanwhile waits behind (intake one at a time with the workflows
 * running: 5.3-5.9 ms at p50 with one, 6.6-7.0 with two, before the API's requests counted as busy).
 */
export const BACKGROUND_CONCURRENCY = 1;
/** While the foreground stays busy, a background request is let through this long after the last one, so the
 * workflows never stop (their thread steps aside no longer than this either, yield-to-api.ts). */
export const STARVED_AFTER_MS = 100;

type Listener = (request: IncomingMessage, response: ServerResponse) => void;

export interface RequestLanes {
  foreground(listener: Listener): Listener;
  background(listener: Listener): Listener;
}

/**
 * Requests in flight on another thread that count as foreground: an Int32Array over a SharedArrayBuffer, its slots
 * API_IN_FLIGHT (countInFlight) and WAITING_ON_WORKFLOWS (yield-to-api.ts).
 */
export type SharedInFlight = Int32Array;

/** The API's requests in flight. */
export const API_IN_FLIGHT = 0;
/** The API's calls to the stand-ins on the workflows' thread in flight (yield-to-api.ts). */
export const WAITING_ON_WORKFLOWS = 1;

export function sharedInFlight(): SharedInFlight {
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
}

/**
 * How often a thread waiting for the API to go quiet looks (the lanes here, the workflows' thread in
 * yield-to-api.ts). It looks rather than being woken: waking them from the API's thread as each request ended cost
 * that thread ~160 µs per request (Atomics.notify of a thread blocked in Atomics.wait, in a CPU profile of intake one
 * at a time), and woke them into the gap before a client's next request, to take the cores that request needed.
 */
export const QUIET_CHECK_MS = 1;

/**
 * Counts `response`'s request as in flight until it is answered or its client leaves. The count going up wakes
 * the threads waiting for the API to be busy (yield-to-api.ts); its going down wakes no one (QUIET_CHECK_MS).
 */
export function countInFlight(counter: SharedInFlight, response: ServerResponse): void {
  Atomics.add(counter, API_IN_FLIGHT, 1);
  Atomics.notify(counter, API_IN_FLIGHT);
  response.once('close', () => Atomics.sub(counter, API_IN_FLIGHT, 1));
}

interface Waiting {
  start(): void;
  response: ServerResponse;
}

export function requestLanes(options: { now?: () => number; elsewhere?: SharedInFlight } = {}): RequestLanes {
  const now = options.now ?? Date.now;
  const elsewhere = options.elsewhere;
  let foregroundInFlight = 0;
  let backgroundInFlight = 0;
  let lastLetThrough = now();
  const queue: Waiting[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watching: ReturnType<typeof setTimeout> | undefined;

  const busyElsewhere = () => elsewhere !== undefined && Atomics.load(elsewhere, API_IN_FLIGHT) > 0;
  const busy = () => foregroundInFlight > 0 || busyElsewhere();

  const admit = () => {
    while (queue.length > 0 && backgroundInFlight < BACKGROUND_CONCURRENCY) {
      const quiet = !busy();
      if (!quiet && !(backgroundInFlight === 0 && now() - lastLetThrough >= STARVED_AFTER_MS)) break;
      const next = queue.shift()!;
      if (next.response.destroyed) continue; // its client gave up while it waited
      lastLetThrough = now();
      backgroundInFlight += 1;
      next.response.once('close', () => {
        backgroundInFlight -= 1;
        admit();
      });
      next.start();
    }
    if (queue.length === 0 || !busy()) return;
    // A foreground that stays busy without finishing anything still lets the next background request through
    // (one finishing calls this again).
    if (backgroundInFlight === 0 && timer === undefined) {
      timer = setTimeout(
        () => {
          timer = undefined;
          admit();
        },
        Math.max(0, lastLetThrough + STARVED_AFTER_MS - now()),
      );
      timer.unref?.();
    }
    // The other thread's requests end there, and nothing here hears of it: look again shortly (QUIET_CHECK_MS).
    if (busyElsewhere() && watching === undefined) {
      watching = setTimeout(() => {
        watching = undefined;
        admit();
      }, QUIET_CHECK_MS);
      watching.unref?.();
    }
  };

  return {
    foreground: (listener) => (request, response) => {
      foregroundInFlight += 1;
      response.once('close', () => {
        foregroundInFlight -= 1;
        admit();
      });
      listener(request, response);
    },
    background: (listener) => (request, response) => {
      queue.push({ start: () => listener(request, response), response });
      admit();
    },
  };
}
