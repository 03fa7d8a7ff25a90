import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient, DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { deliverySteps, workflowSteps } from '../lambdas/functions';
import type { Clock } from '../lambdas/adapters/clock';
import { handlerOf, isFunctionName, REPOSITORY_ROOT } from './handlers';
import { checkDefinition, runExecution, type Definition, type EnginePorts } from './asl/interpreter';
import type { NewEvent } from './asl/history';
import type { Json } from './asl/paths';
import { sleep, type TaskTokens } from './task-tokens';

export const WORKFLOW_FILE = path.join(REPOSITORY_ROOT, 'statemachines/complaint-workflow.asl.json');
export const WEBHOOK_DELIVERY_FILE = path.join(REPOSITORY_ROOT, 'statemachines/webhook-delivery.asl.json');
const LOCAL_FUNCTION_ARN = 'arn:aws:lambda:eu-central-1:000000000000:function:';

type TaskHandler = (input: Record<string, unknown>) => Promise<unknown>;

/**
 * The ASL file with CDK's definition substitutions done the local way (step functions by local name) and
 * nothing else: every other field runs as written, timeouts and retries included.
 */
export function localDefinition(tableName: string, file = WORKFLOW_FILE): Definition {
  const substitutions: Record<string, string> = { TableName: tableName };
  for (const [name, variable] of Object.entries({ ...workflowSteps, ...deliverySteps })) substitutions[variable] = `${LOCAL_FUNCTION_ARN}${name}`;
  const text = readFileSync(file, 'utf8').replace(/\$\{(\w+)\}/g, (_whole, variable: string) => {
    const value = substitutions[variable];
    if (value === undefined) throw new Error(`${file} uses \${${variable}}, which has no local substitution`);
    return value;
  });
  const definition = JSON.parse(text) as Definition;
  checkDefinition(definition);
  return definition;
}

/**
 * Runs a Task's resource locally: `lambda:invoke` calls the same handler module that Lambda runs and
 * answers as the Lambda integration does ({ Payload, StatusCode }); the DynamoDB integrations call dynalite
 * with the parameters AWS would send. Errors keep their names so Retry and Catch match them as in AWS.
 */
function localResources(dynamo: DynamoDBClient): Record<string, TaskHandler> {
  const dynamoCall =
    (command: new (input: never) => unknown) =>
    async (input: Record<string, unknown>): Promise<unknown> => {
      try {
        const { $metadata: _metadata, ...output } = (await dynamo.send(new command(input as never) as never)) as { $metadata: unknown };
        return output;
      } catch (error) {
        // Step Functions names the optimized DynamoDB integration's errors after the service:
        // `DynamoDB.ConditionalCheckFailedException`, which is what an ASL Retry or Catch must match.
        if (error instanceof Error && !error.name.startsWith('DynamoDB.')) error.name = `DynamoDB.${error.name}`;
        throw error;
      }
    };
  return {
    'arn:aws:states:::lambda:invoke': async (input) => {
      const functionName = String(input.FunctionName).replace(LOCAL_FUNCTION_ARN, '');
      if (!isFunctionName(functionName)) throw new Error(`No local function ${functionName}`);
      const payload = await handlerOf(functionName)(input.Payload);
      return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: payload ?? null };
    },
    'arn:aws:states:::dynamodb:updateItem': dynamoCall(UpdateItemCommand),
    'arn:aws:states:::dynamodb:putItem': dynamoCall(PutItemCommand),
    'arn:aws:states:::dynamodb:getItem': dynamoCall(GetItemCommand),
    'arn:aws:states:::dynamodb:deleteItem': dynamoCall(DeleteItemCommand),
  };
}

/** Timers on the product's clock: a wait of any length (JavaScript timers stop at ~24.8 days), at any speed. */
export function productTimers(clock: Clock): Pick<EnginePorts, 'now' | 'sleepUntil'> {
  return {
    now: () => clock.now(),
    async sleepUntil(at, signal) {
      for (;;) {
        const left = clock.realMillisUntil(at);
        if (left <= 0) return;
        await sleep(left, signal);
      }
    },
  };
}

export interface RunOptions {
  /** Milliseconds for every Retry pause (tests use 0 or a few ms); by default the ASL's own intervals. */
  retryIntervalMs?: number;
  /** Wraps each Task, e.g. to inject a fault in a test. */
  wrapTask?: (stateName: string, run: TaskHandler) => TaskHandler;
}

export interface ExecutionRun {
  result: Promise<unknown>;
  abort: () => void;
}

export interface WorkflowEngine {
  run(
    execution: { name: string; arn: string; stateMachineArn: string; startDate: Date },
    input: unknown,
    record: (event: NewEvent) => void,
    options?: RunOptions,
  ): ExecutionRun;
  /** Resolves once no Task is running: an aborted execution's current step still finishes its I/O. */
  idle(): Promise<void>;
  /** True while the execution sits in a Wait state: idle until its timer fires. */
  isSleeping(execution: string): boolean;
}

export function localWorkflowEngine(
  definition: Definition,
  dynamo: DynamoDBClient,
  tokens: TaskTokens,
  timers: Pick<EnginePorts, 'now' | 'sleepUntil'>,
): WorkflowEngine {
  const resources = localResources(dynamo);
  const runningTasks = new Set<Promise<unknown>>();
  const sleeping = new Set<string>();
  return {
    isSleeping: (execution) => sleeping.has(execution),
    async idle() {
      while (runningTasks.size > 0) await Promise.allSettled([...runningTasks]);
    },
    run(execution, input, record, options = {}) {
      const stopped = new AbortController();
      const ports: EnginePorts = {
        ...timers,
        record,
        waiting: (asleep) => (asleep ? sleeping.add(execution.name) : sleeping.delete(execution.name)),
        retryIntervalMs: options.retryIntervalMs,
        issueToken: () => tokens.issue(execution.name),
        runTask(resource, parameters, task) {
          const handler = resources[resource];
          if (!handler) return Promise.reject(new Error(`The local runtime cannot run the resource ${resource}`));
          const run = options.wrapTask ? options.wrapTask(task.stateName, handler) : handler;
          const running = run(parameters as Record<string, unknown>);
          runningTasks.add(running);
          const forget = () => runningTasks.delete(running);
          running.then(forget, forget);
          return running as Promise<Json>;
        },
      };
      const result = runExecution(
        definition,
        input as Json,
        { executionArn: execution.arn, name: execution.name, stateMachineArn: execution.stateMachineArn, startTime: execution.startDate },
        ports,
        stopped.signal,
      );
      return { result, abort: () => stopped.abort(new Error('stopped')) };
    },
  };
}
