import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

export interface WorkflowStarter {
  /** Starts the complaint's workflow; starting it again is harmless. */
  start(complaintId: string): Promise<void>;
}

/**
 * The execution is named after the complaint id: Step Functions keeps a name unique for 90 days, so a
 * repeated start (a redelivered stream record, a retried batch) is a no-op rather than a second workflow.
 */
export function stepFunctionsWorkflowStarter(client: SFNClient, stateMachineArn: string): WorkflowStarter {
  return {
    async start(complaintId) {
      try {
        await client.send(
          new StartExecutionCommand({ stateMachineArn, name: complaintId, input: JSON.stringify({ complaintId }) }),
        );
      } catch (error) {
        // Same name with the same input is not even an error in AWS; with other input it means "already ours".
        if (error instanceof ExecutionAlreadyExists) return;
        throw error;
      }
    },
  };
}
