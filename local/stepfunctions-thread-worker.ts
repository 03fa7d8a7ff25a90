import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { localDynamoDbClient } from './dynamodb';
import { clockFromEnvironment } from '../lambdas/adapters/clock';
import { startStepFunctionsService } from './step-functions-service';
import { enforceFunctionPolicies } from './function-policies';
import { handlerOf } from './handlers';
import { yieldToApi } from './yield-to-api';
import { startSes } from './ses';
import type { FunctionName } from '../lambdas/functions';
import type { StepFunctionsCall, StepFunctionsThreadData, ThreadFailure } from './stepfunctions-thread';

// The worker's side of stepfunctions-thread.ts: Step Functions started here, answering the runtime's calls.

const data = workerData as StepFunctionsThreadData;
const parent = parentPort!;

const failure = (error: unknown): ThreadFailure => {
  const { name = 'Error', message = String(error), code, port } = error as Partial<ThreadFailure>;
  return { name, message, ...(code !== undefined ? { code } : {}), ...(port !== undefined ? { port } : {}) };
};

async function main(): Promise<void> {
  const log = (line: string) => parent.postMessage({ log: line });
  const dynamo = localDynamoDbClient(data.dynamodbUrl);
  // The mailbox serves the workflows' e-mails: on the API's thread it took ~0.8 ms of CPU an e-mail (two a
  // complaint), which intake requests waited behind; here it takes the workflows' priority.
  const mailbox = await startSes({ port: data.mailboxPort, dataDir: data.dataDir });
  let mailboxEvents: ReturnType<typeof mailbox.publishEvents> | undefined;
  let stopYielding: (() => void) | undefined;
  const stepFunctions = await startStepFunctionsService({
    port: data.port,
    dynamo,
    clock: clockFromEnvironment(data.clockEnvironment),
    dataDir: data.dataDir,
    runOptions: data.retryIntervalMs === undefined ? undefined : { retryIntervalMs: data.retryIntervalMs },
    log,
  });
  const stopPolicies = enforceFunctionPolicies(data.stateMachines, log);
  const calls: Record<StepFunctionsCall, (...args: never[]) => Promise<unknown>> = {
    settled: () => stepFunctions.settled(),
    resumeRunning: () => stepFunctions.resumeRunning(),
    execution: (name: string) => stepFunctions.execution(name),
    executions: () => stepFunctions.executions(),
    history: (name: string) => stepFunctions.history(name),
    environment: async (env: Record<string, string | undefined>) => void Object.assign(process.env, env),
    invoke: (name: FunctionName, event: unknown) => handlerOf(name)(event),
    publishMailboxEvents: async () => {
      mailboxEvents ??= mailbox.publishEvents((event) => handlerOf('recordDelivery')(event), log);
      await mailboxEvents.caughtUp;
    },
    close: async () => {
      stopYielding?.();
      await mailboxEvents?.stop();
      await stepFunctions.close();
      await mailbox.close();
      stopPolicies();
      dynamo.destroy();
    },
  };
  parent.on('message', ({ id, call, args }: { id: number; call: StepFunctionsCall; args: never[] }) => {
    calls[call](...args).then(
      (result) => parent.postMessage({ id, result }),
      (error: unknown) => parent.postMessage({ id, error: failure(error) }),
    );
  });
  // Once started, so that the threads this one started (none today) keep the default priority.
  setPriority(0, data.nice);
  if (data.apiInFlight) stopYielding = yieldToApi(data.apiInFlight);
  parent.postMessage({ started: { stepFunctions: stepFunctions.url, mailbox: mailbox.url } });
}

main().catch((error: unknown) => parent.postMessage({ failed: failure(error) }));
