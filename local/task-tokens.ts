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
  /**
   * Submitted tokens per execution: settled() asks about every execution in flight every 5 ms, and a scan of
   * all the tokens made that quadratic in the executions waiting (hundreds after a burst of complaints).
   */
  private readonly submittedBy = new Map<string, number>();

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
      submitted: () => {
        if (waiter.submitted || this.waiting.get(token) !== waiter) return;
        waiter.submitted = true;
        this.submittedBy.set(execution, (this.submittedBy.get(execution) ?? 0) + 1);
      },
      cancel: () => {
        if (this.waiting.get(token) === waiter) this.forget(token, waiter);
      },
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
    return (this.submittedBy.get(execution) ?? 0) > 0;
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
    this.forget(token, waiter);
    return waiter;
  }

  private forget(token: string, waiter: Waiter & { execution: string }): void {
    this.waiting.delete(token);
    if (!waiter.submitted) return;
    const left = (this.submittedBy.get(waiter.execution) ?? 1) - 1;
    if (left > 0) this.submittedBy.set(waiter.execution, left);
    else this.submittedBy.delete(waiter.execution);
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
