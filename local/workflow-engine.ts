import './node20-polyfills';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient, DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { StateMachine } from 'aws-local-stepfunctions';
import { workflowSteps, type FunctionName } from '../lambdas/functions';
import { handlerOf, isFunctionName, REPOSITORY_ROOT } from './handlers';

export const WORKFLOW_FILE = path.join(REPOSITORY_ROOT, 'statemachines/complaint-workflow.asl.json');
const LOCAL_FUNCTION_ARN = 'arn:aws:lambda:eu-central-1:000000000000:function:';

type TaskHandler = (input: Record<string, unknown>) => Promise<unknown>;

interface AslState {
  Type: string;
  Resource?: string;
}

/** The ASL file with CDK's definition substitutions done the local way: step functions by local name. */
export function localDefinition(tableName: string): { States: Record<string, AslState> } & Record<string, unknown> {
  const substitutions: Record<string, string> = { TableName: tableName };
  for (const [name, variable] of Object.entries(workflowSteps)) substitutions[variable] = `${LOCAL_FUNCTION_ARN}${name}`;
  const text = readFileSync(WORKFLOW_FILE, 'utf8').replace(/\$\{(\w+)\}/g, (whole, variable: string) => {
    const value = substitutions[variable];
    if (value === undefined) throw new Error(`${WORKFLOW_FILE} uses \${${variable}}, which has no local substitution`);
    return value;
  });
  return JSON.parse(text);
}

/**
 * Runs a Task's resource locally: `lambda:invoke` calls the same handler module that Lambda runs, and the
 * DynamoDB service integrations call dynalite with the same parameters AWS would send. Errors keep their
 * names so the ASL's Retry and Catch match them as they would in AWS.
 */
function resourceHandler(resource: string, dynamo: DynamoDBClient): TaskHandler {
  if (resource === 'arn:aws:states:::lambda:invoke') {
    return async (input) => {
      const functionName = String(input.FunctionName).replace(LOCAL_FUNCTION_ARN, '');
      if (!isFunctionName(functionName)) throw new Error(`No local function ${functionName}`);
      const payload = await handlerOf(functionName as FunctionName)(input.Payload);
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
}

export function localWorkflowEngine(tableName: string, dynamo: DynamoDBClient): WorkflowEngine {
  const definition = localDefinition(tableName);
  const machine = new StateMachine(definition as never, { validationOptions: { checkPaths: true } });
  return {
    run(executionName, input, options = {}) {
      const taskResourceLocalHandlers: Record<string, TaskHandler> = {};
      const retryIntervalOverrides: Record<string, number> = {};
      for (const [stateName, state] of Object.entries(definition.States)) {
        if (state.Type !== 'Task' || !state.Resource) continue;
        const run = resourceHandler(state.Resource, dynamo);
        taskResourceLocalHandlers[stateName] = options.wrapTask ? options.wrapTask(stateName, run) : run;
        if (options.retryIntervalMs !== undefined) retryIntervalOverrides[stateName] = options.retryIntervalMs;
      }
      const execution = machine.run(input as never, {
        overrides: { taskResourceLocalHandlers: taskResourceLocalHandlers as never, retryIntervalOverrides },
        context: { Execution: { Id: executionName, Name: executionName, Input: input, StartTime: new Date().toISOString() } } as never,
      });
      return { result: execution.result, abort: execution.abort };
    },
  };
}
