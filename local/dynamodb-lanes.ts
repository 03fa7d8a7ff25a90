import type { IncomingMessage, ServerResponse } from 'node:http';

// Two doors into the local DynamoDB: the foreground, for the API and everything a person or a client waits on,
// and the background, for the workflows' thread (local/stepfunctions-thread.ts). In AWS the workflows run on
// machines of their own and DynamoDB serves both without either noticing the other; here one dynalite thread
// serves both on a two-core machine. The workflows' thread runs at nice 19, but the table work it asks for ran
// at dynalite's priority: during a burst of 500 complaints, about half of dynalite's time went to the workflows
// of complaints just taken in, and intake waited behind it. A background request now waits while a foreground
// one is in flight, as the workflows' own CPU does, and is served once the foreground is quiet.
// DynamoDB orders nothing between requests that are in flight together, so only the timing changes; each door
// serves its own requests in arrival order, and a request is whole once it starts (transactions and item locks
// are dynamodb-service.ts's, after this).

/** Background requests served at once while the foreground is quiet: enough to keep dynalite busy, few enough
 * that a foreground request arriving meanwhile waits behind little. */
export const BACKGROUND_CONCURRENCY = 1;
/** While the foreground stays busy, a background request is let through this long after the last one, so the
 * workflows never stop. */
export const STARVED_AFTER_MS = 100;

type Listener = (request: IncomingMessage, response: ServerResponse) => void;

export interface RequestLanes {
  foreground(listener: Listener): Listener;
  background(listener: Listener): Listener;
}

interface Waiting {
  start(): void;
  response: ServerResponse;
}

export function requestLanes(options: { now?: () => number } = {}): RequestLanes {
  const now = options.now ?? Date.now;
  let foregroundInFlight = 0;
  let backgroundInFlight = 0;
  let lastLetThrough = now();
  const queue: Waiting[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const admit = () => {
    while (queue.length > 0 && backgroundInFlight < BACKGROUND_CONCURRENCY) {
      const quiet = foregroundInFlight === 0;
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
    // A foreground that stays busy without finishing anything still lets the next background request through
    // (one finishing calls this again).
    if (queue.length > 0 && foregroundInFlight > 0 && backgroundInFlight === 0 && timer === undefined) {
      timer = setTimeout(
        () => {
          timer = undefined;
          admit();
        },
        Math.max(0, lastLetThrough + STARVED_AFTER_MS - now()),
      );
      timer.unref?.();
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
