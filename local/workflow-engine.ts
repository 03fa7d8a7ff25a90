import './node20-polyfills';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient, DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { StateMachine } from 'aws-local-stepfunctions';
import { workflowSteps, type FunctionName } from '../lambdas/functions';
import { handlerOf, isFunctionName, REPOSITORY_ROOT } from './handlers';
import { sleep, TaskTokens } from './task-tokens';
import type { Clock } from '../lambdas/adapters/clock';

export const WORKFLOW_FILE = path.join(REPOSITORY_ROOT, 'statemachines/complaint-workflow.asl.json');
const LOCAL_FUNCTION_ARN = 'arn:aws:lambda:eu-central-1:000000000000:function:';

type TaskHandler = (input: Record<string, unknown>) => Promise<unknown>;

interface AslState {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
}

const CALLBACK = '.waitForTaskToken';
/** What `$$.Task.Token` reads as locally, replaced by a real token when the Task starts. */
const TOKEN_PLACEHOLDER = 'local-task-token-placeholder';

/** The ASL file with CDK's definition substitutions done the local way: step functions by local name. */
export function localDefinition(tableName: string): { States: Record<string, AslState> } & Record<string, unknown> {
  const substitutions: Record<string, string> = { TableName: tableName };
  for (const [name, variable] of Object.entries(workflowSteps)) substitutions[variable] = `${LOCAL_FUNCTION_ARN}${name}`;
  const text = readFileSync(WORKFLOW_FILE, 'utf8').replace(/\$\{(\w+)\}/g, (whole, variable: string) => {
    const value = substitutions[variable];
    if (value === undefined) throw new Error(`${WORKFLOW_FILE} uses \${${variable}}, which has no local substitution`);
    return value;
  });
  const definition = JSON.parse(text) as { States: Record<string, AslState> };
  // A callback Task's timeout is the workflow's timer (days or months); the engine cannot time more than
  // ~24.8 days, so locally the Task's own `wakeAt` is timed by the runtime (see callbackHandler).
  for (const state of Object.values(definition.States)) {
    if (!state.Resource?.endsWith(CALLBACK)) continue;
    delete state.TimeoutSeconds;
    delete state.TimeoutSecondsPath;
    delete state.HeartbeatSeconds;
  }
  return definition as ReturnType<typeof localDefinition>;
}

/**
 * Runs a Task's resource locally: `lambda:invoke` calls the same handler module that Lambda runs, and the
 * DynamoDB service integrations call dynalite with the same parameters AWS would send. Errors keep their
 * names so the ASL's Retry and Catch match them as they would in AWS.
 */
async function invokeLocalFunction(input: Record<string, unknown>, payload: unknown): Promise<unknown> {
  const functionName = String(input.FunctionName).replace(LOCAL_FUNCTION_ARN, '');
  if (!isFunctionName(functionName)) throw new Error(`No local function ${functionName}`);
  return handlerOf(functionName as FunctionName)(payload);
}

function withToken(value: unknown, token: string): unknown {
  if (value === TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((entry) => withToken(entry, token));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, withToken(entry, token)]));
  }
  return value;
}

/**
 * `lambda:invoke.waitForTaskToken`: invokes the function with a real token, then waits for SendTaskSuccess
 * or SendTaskFailure, or until the product's clock reaches the payload's `wakeAt`, which ends the wait with
 * States.Timeout exactly as the Task's TimeoutSecondsPath does in AWS.
 */
function callbackHandler(execution: string, tokens: TaskTokens, clock: Clock, signal: AbortSignal): TaskHandler {
  return async (input) => {
    const { token, answered, cancel } = tokens.issue(execution);
    const payload = withToken(input.Payload, token) as { wakeAt?: string };
    try {
      await invokeLocalFunction(input, payload);
      const stopped = new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason));
      });
      const waits: Promise<unknown>[] = [answered, stopped];
      if (payload.wakeAt) {
        waits.push(
          sleep(clock.realMillisUntil(new Date(payload.wakeAt)), signal).then(() => {
            const error = new Error('The wait for a callback timed out');
            error.name = 'States.Timeout';
            throw error;
          }),
        );
      }
      return await Promise.race(waits);
    } finally {
      cancel();
    }
  };
}

function resourceHandler(resource: string, dynamo: DynamoDBClient): TaskHandler {
  if (resource === 'arn:aws:states:::lambda:invoke') {
    return async (input) => {
      const payload = await invokeLocalFunction(input, input.Payload);
      return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: payload };
    };
  }
  const dynamoCommands: Record<string, (input: never) => Promise<{ $metadata: unknown }>> = {
    'arn:aws:states:::dynamodb:updateItem': (input) => dynamo.send(new UpdateItemCommand(input)),
    'arn:aws:states:::dynamodb:putItem': (input) => dynamo.send(new PutItemCommand(input)),
    'arn:aws:states:::dynamodb:getItem': (input) => dynamo.send(new GetItemCommand(input)),
    'arn:aws:states:::dynamodb:deleteItem': (input) => dynamo.send(new DeleteItemCommand(input)),
  };
  const call = dynamoCommands[resource];
  if (call) {
    return async (input) => {
      const { $metadata: _metadata, ...output } = await call(input as never);
      return output;
    };
  }
  return async () => {
    throw new Error(`The local runtime cannot run the resource ${resource}`);
  };
}

export interface RunOptions {
  /** Milliseconds for every Retry pause (tests use 0 or a few ms); by default the ASL's own intervals. */
  retryIntervalMs?: number;
  /** Wraps each Task, e.g. to inject a fault in a test. */
  wrapTask?: (stateName: string, run: TaskHandler) => TaskHandler;
}

export interface WorkflowEngine {
  run(executionName: string, input: unknown, options?: RunOptions): { result: Promise<unknown>; abort: () => void };
  /** Resolves once no Task is running: an aborted execution's current step still finishes its I/O. */
  idle(): Promise<void>;
}

export function localWorkflowEngine(tableName: string, dynamo: DynamoDBClient, tokens: TaskTokens, clock: Clock): WorkflowEngine {
  const definition = localDefinition(tableName);
  const machine = new StateMachine(definition as never, { validationOptions: { checkPaths: true } });
  const runningTasks = new Set<Promise<unknown>>();
  const tracked = (run: TaskHandler): TaskHandler => (input) => {
    const task = run(input);
    runningTasks.add(task);
    const forget = () => runningTasks.delete(task);
    task.then(forget, forget);
    return task;
  };
  return {
    async idle() {
      while (runningTasks.size > 0) await Promise.allSettled([...runningTasks]);
    },
    run(executionName, input, options = {}) {
      const stopped = new AbortController();
      const taskResourceLocalHandlers: Record<string, TaskHandler> = {};
      const retryIntervalOverrides: Record<string, number> = {};
      for (const [stateName, state] of Object.entries(definition.States)) {
        if (state.Type !== 'Task' || !state.Resource) continue;
        const run = state.Resource.endsWith(CALLBACK)
          ? callbackHandler(executionName, tokens, clock, stopped.signal)
          : resourceHandler(state.Resource, dynamo);
        taskResourceLocalHandlers[stateName] = tracked(options.wrapTask ? options.wrapTask(stateName, run) : run);
        if (options.retryIntervalMs !== undefined) retryIntervalOverrides[stateName] = options.retryIntervalMs;
      }
      const execution = machine.run(input as never, {
        overrides: { taskResourceLocalHandlers: taskResourceLocalHandlers as never, retryIntervalOverrides },
        context: {
          Execution: { Id: executionName, Name: executionName, Input: input, StartTime: clock.now().toISOString() },
          Task: { Token: TOKEN_PLACEHOLDER },
          // The engine does not fill in $$.State; read when a path asks for it, this is the moment of entry.
          State: {
            get EnteredTime() {
              return clock.now().toISOString();
            },
          },
        } as never,
      });
      return {
        result: execution.result,
        abort: () => {
          stopped.abort(new Error('stopped'));
          execution.abort();
        },
      };
    },
  };
}
