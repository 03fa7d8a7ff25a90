import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../lambdas/adapters/clock';
import { COMPLAINTS_TABLE } from './dynamodb';
import { LOCAL_WEBHOOK_DELIVERY_ARN, startStepFunctionsStandIn, type StepFunctionsStandIn } from './stepfunctions-server';
import { localDefinition, localWorkflowEngine, productTimers, WEBHOOK_DELIVERY_FILE, type RunOptions } from './workflow-engine';
import { TaskTokens } from './task-tokens';

export interface StepFunctionsServiceOptions {
  port: number;
  /** dynalite, for the executions table and the ASL's DynamoDB tasks. */
  dynamo: DynamoDBClient;
  /** The product's clock: the workflows' timers and the dates their executions carry. */
  clock: Clock;
  dataDir?: string;
  runOptions?: RunOptions;
  /** Fault injection: see startStepFunctionsStandIn. */
  fault?: (operation: string) => { type: string; statusCode: number } | undefined;
  log?: (line: string) => void;
}

/**
 * Step Functions on this machine: the stand-in serving the complaint workflow and the webhook deliveries, each
 * run by the local engine from its ASL file unchanged. One place, whichever thread it runs on (runtime.ts).
 */
export function startStepFunctionsService(options: StepFunctionsServiceOptions): Promise<StepFunctionsStandIn> {
  const tokens = new TaskTokens();
  const engineOf = (file?: string) =>
    localWorkflowEngine(localDefinition(COMPLAINTS_TABLE, file), options.dynamo, tokens, productTimers(options.clock));
  return startStepFunctionsStandIn({
    port: options.port,
    dynamo: options.dynamo,
    tokens,
    engine: engineOf(),
    otherStateMachines: { [LOCAL_WEBHOOK_DELIVERY_ARN]: engineOf(WEBHOOK_DELIVERY_FILE) },
    now: () => options.clock.now(),
    dataDir: options.dataDir,
    runOptions: options.runOptions,
    fault: options.fault,
    log: options.log,
  });
}
