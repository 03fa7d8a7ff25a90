import { isServiceError } from './aws-wire/service-errors';
import { SendTaskSuccessCommand, StartExecutionCommand, type StepFunctionsClient } from './aws-wire/sfn-api';
import type { WorkflowStarter, WorkflowWaker } from '../use-cases/ports';

/**
 * The execution is named after the complaint id: Step Functions keeps a name unique for 90 days, so a
 * repeated start (a redelivered stream record, a retried batch) is a no-op rather than a second workflow.
 */
export function stepFunctionsWorkflowStarter(client: StepFunctionsClient, stateMachineArn: string): WorkflowStarter {
  return {
    async start(complaintId) {
      try {
        await client.send(new StartExecutionCommand({ stateMachineArn, name: complaintId, input: JSON.stringify({ complaintId }) }));
      } catch (error) {
        // Same name with the same input is not even an error in AWS; with other input it means "already ours".
        if (isServiceError(error, 'ExecutionAlreadyExists')) return;
        throw error;
      }
    },
  };
}

// A token that is no longer waiting (the timer fired first, the execution ended) needs no waking: the
// workflow reads the complaint afresh whenever it plans, so nothing is lost by ignoring these.
const STALE_TOKEN = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

export function stepFunctionsWorkflowWaker(client: StepFunctionsClient): WorkflowWaker {
  return {
    async wake(taskToken) {
      try {
        await client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ woken: true }) }));
      } catch (error) {
        if (isServiceError(error) && STALE_TOKEN.has(error.name)) return;
        throw error;
      }
    },
  };
}
