import { jsonProtocolClient, JsonCommand, type JsonClient } from './aws-json-protocol';
import type { TransportOptions } from './signed-transport';

// Step Functions' JSON 1.0 API (X-Amz-Target: AWSStepFunctions.<Operation>) for what the Lambdas call: starting
// a complaint's execution and waking a workflow that waits on a task token. Input shapes as the SDK's.

export interface StartExecutionCommandInput {
  stateMachineArn: string;
  name?: string;
  input?: string;
  traceHeader?: string;
}
export interface StartExecutionCommandOutput {
  executionArn: string;
  /** Seconds since the epoch, as the JSON protocol sends timestamps. */
  startDate: number;
}

export interface SendTaskSuccessCommandInput {
  taskToken: string;
  output: string;
}

export class StartExecutionCommand extends JsonCommand<StartExecutionCommandInput, StartExecutionCommandOutput> {
  readonly operation = 'StartExecution';
}

export class SendTaskSuccessCommand extends JsonCommand<SendTaskSuccessCommandInput, Record<string, never>> {
  readonly operation = 'SendTaskSuccess';
}

export type StepFunctionsClient = JsonClient;

export function stepFunctionsClient(options?: TransportOptions): StepFunctionsClient {
  return jsonProtocolClient(
    { endpointId: 'SFN', endpointPrefix: 'states', signingName: 'states' },
    { version: '1.0', targetPrefix: 'AWSStepFunctions' },
    options,
  );
}
