import type { SharedInFlight } from './dynamodb-lanes';
import { typeScriptWorker } from './typescript-worker';
import type { ExecutionRecord, StepFunctionsStandIn } from './stepfunctions-server';
import type { HistoryEvent } from './asl/history';
import type { FunctionName } from '../lambdas/functions';

// Step Functions on a thread of its own, at a lower priority than the API's. In AWS the workflows run on
// machines of their own, so a burst of complaints is taken in at the API's pace while the workflows catch up
// behind it. On one machine they shared the API's thread: each complaint's workflow costs several times its
// intake in CPU, and an intake request waited behind steps of earlier complaints. Here the engine, the steps'
// handlers, the mailbox that sends their e-mails, and the other functions the API does not call (the event
// consumers, SES's event handler) run on a worker thread whose nice value is raised (Linux gives each thread its
// own), so the API and dynalite are served first and the workflows take the time left; nothing is skipped or
// reordered, only scheduled later. A nice value covers this thread's own CPU only, so its table work goes through dynalite's
// background door (runtime.ts, dynamodb-lanes.ts), served after the API's, and while an API request is in
// flight the thread steps aside altogether (yield-to-api.ts). The steps run as their functions,
// checked against their roles as on the main thread (function-policies.ts). Faults injected from a test's own
// thread cannot reach steps here: tests that inject them run Step Functions on their own thread (runtime.ts,
// `workflowThread`).

/**
 * The workflows' thread's nice value: the lowest priority, so that they take the CPU the API and dynalite leave
 * (Linux weighs nice 0 at ~70x nice 19). Measured, 500 complaints at concurrency 8 with the workflows running:
 * 77/s at nice 10, 104/s at 19 (140/s with them paused), on the dev machine.
 */
const WORKFLOW_NICE = 19;

export interface StepFunctionsThreadData {
  port: number;
  dynamodbUrl: string;
  /** The product clock's variables (clockFromEnvironment), so that both threads read the same clock. */
  clockEnvironment: Record<string, string>;
  dataDir?: string;
  retryIntervalMs?: number;
  stateMachines: { workflow: string; deliveries: string };
  /** The mailbox (local/ses.ts) runs here too: its port (0 picks one). */
  mailboxPort: number;
  nice: number;
  /** The API's requests in flight: the thread steps aside while there are any (yield-to-api.ts). */
  apiInFlight?: SharedInFlight;
}

export type StepFunctionsCall =
  'settled' | 'resumeRunning' | 'execution' | 'executions' | 'history' | 'environment' | 'invoke' | 'publishMailboxEvents' | 'close';

/** A failure on the worker as its thread knew it: enough for the start's explanation (EADDRINUSE and its port). */
export interface ThreadFailure {
  name: string;
  message: string;
  code?: string;
  port?: number;
}

export interface StepFunctionsThread extends StepFunctionsStandIn {
  /** Hands the worker the product's variables, which the runtime sets once Step Functions' own address is known. */
  useEnvironment(env: Record<string, string | undefined>): Promise<void>;
  /** Runs a function's handler on the worker, as that function (Lambda's Invoke); its answer or its error. */
  invoke(name: FunctionName, event: unknown): Promise<unknown>;
  /** The mailbox's address. */
  mailboxUrl: string;
  /**
   * Starts publishing the mailbox's SES events to recordDelivery on the worker (SesStandIn.publishEvents);
   * resolves once those of e-mails accepted before this start are handled. They stop when the thread closes.
   */
  publishMailboxEvents(): Promise<void>;
}

export async function startStepFunctionsThread(
  options: Omit<StepFunctionsThreadData, 'nice'> & { log?: (line: string) => void },
): Promise<StepFunctionsThread> {
  const { log, ...data } = options;
  const worker = typeScriptWorker('stepfunctions-thread-worker.ts', { ...data, nice: WORKFLOW_NICE });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 0;
  let exited: Error | undefined;
  const started = new Promise<{ stepFunctions: string; mailbox: string }>((resolve, reject) => {
    worker.on(
      'message',
      (message: {
        log?: string;
        started?: { stepFunctions: string; mailbox: string };
        failed?: ThreadFailure;
        id?: number;
        result?: unknown;
        error?: ThreadFailure;
      }) => {
        if (message.log !== undefined) log?.(message.log);
        else if (message.started !== undefined) resolve(message.started);
        else if (message.failed) reject(rebuilt(message.failed));
        else if (message.id !== undefined) {
          const call = pending.get(message.id);
          pending.delete(message.id);
          if (message.error) call?.reject(rebuilt(message.error));
          else call?.resolve(message.result);
        }
      },
    );
    worker.once('error', reject);
    worker.once('exit', (code) => {
      exited = new Error(`The Step Functions thread ended (exit code ${code})`);
      reject(exited);
      for (const call of pending.values()) call.reject(exited);
      pending.clear();
    });
  });
  const call = <T>(name: StepFunctionsCall, ...args: unknown[]): Promise<T> => {
    if (exited) return Promise.reject(exited);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve, reject });
      worker.postMessage({ id, call: name, args });
    });
  };
  const urls = await started.catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  return {
    url: urls.stepFunctions,
    mailboxUrl: urls.mailbox,
    publishMailboxEvents: () => call('publishMailboxEvents'),
    settled: () => call('settled'),
    resumeRunning: () => call('resumeRunning'),
    execution: (name) => call<ExecutionRecord | undefined>('execution', name),
    executions: () => call<ExecutionRecord[]>('executions'),
    history: (name) => call<HistoryEvent[]>('history', name),
    useEnvironment: (env) => call('environment', env),
    invoke: (name, event) => call('invoke', name, event),
    async close() {
      await call('close').catch(() => undefined);
      await worker.terminate();
    },
  };
}

/** The failure again as an Error, with the code and port that explain a busy port (local/start.ts). */
function rebuilt(failure: ThreadFailure): Error {
  return Object.assign(new Error(failure.message), failure);
}
