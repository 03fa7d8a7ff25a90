import { randomBytes } from 'node:crypto';

// Task tokens for `.waitForTaskToken` states: a Task waiting for a callback holds a token here until
// SendTaskSuccess or SendTaskFailure names it (through the Step Functions stand-in, as staff actions do in
// AWS); SendTaskHeartbeat restarts its HeartbeatSeconds.

export class TaskFailed extends Error {
  constructor(
    readonly error: string,
    detail: string,
  ) {
    super(detail);
    this.name = error;
  }
}

export class UnknownTaskToken extends Error {
  override name = 'TaskDoesNotExist';
}

interface Waiter {
  resolve(output: unknown): void;
  reject(error: Error): void;
  heartbeat?: () => void;
  /** Set once the Task handed its token over (the invoke returned): from then on the execution is idle. */
  submitted?: boolean;
}

export class TaskTokens {
  private readonly waiting = new Map<string, Waiter & { execution: string }>();

  /** A fresh token for a Task of `execution`, and the promise that settles when someone answers it. */
  issue(execution: string): {
    token: string;
    answered: Promise<unknown>;
    onHeartbeat(listener: () => void): void;
    submitted(): void;
    cancel(): void;
  } {
    const token = `local-task-${randomBytes(24).toString('base64url')}`;
    let waiter!: Waiter & { execution: string };
    const answered = new Promise<unknown>((resolve, reject) => (waiter = { resolve, reject, execution }));
    answered.catch(() => undefined); // answered after the Task stopped waiting (timed out): nobody listens
    this.waiting.set(token, waiter);
    return {
      token,
      answered,
      onHeartbeat: (listener) => (waiter.heartbeat = listener),
      submitted: () => (waiter.submitted = true),
      cancel: () => this.waiting.delete(token),
    };
  }

  /** SendTaskHeartbeat: the Task's HeartbeatSeconds start again. */
  heartbeat(token: string): void {
    const waiter = this.waiting.get(token);
    if (!waiter) throw new UnknownTaskToken('The task token is not (or no longer) waiting');
    waiter.heartbeat?.();
  }

  /** True while the execution is parked on a callback (waiting for staff or a timer), i.e. idle. */
  isWaiting(execution: string): boolean {
    for (const waiter of this.waiting.values()) if (waiter.execution === execution && waiter.submitted) return true;
    return false;
  }

  succeed(token: string, output: unknown): void {
    this.take(token).resolve(output);
  }

  fail(token: string, error: string, cause: string): void {
    this.take(token).reject(new TaskFailed(error, cause));
  }

  private take(token: string): Waiter {
    const waiter = this.waiting.get(token);
    if (!waiter) throw new UnknownTaskToken('The task token is not (or no longer) waiting');
    this.waiting.delete(token);
    return waiter;
  }
}

/** setTimeout caps at about 24.8 days; a workflow timer may be a year. Unref'd: timers never hold the process. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  const MAX = 2 ** 31 - 1;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout;
    const step = (left: number) => {
      timer = setTimeout(() => (left > MAX ? step(left - MAX) : resolve()), Math.min(left, MAX));
      timer.unref();
    };
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
    step(Math.max(0, ms));
  });
}
