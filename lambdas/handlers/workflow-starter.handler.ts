import type { EventBridgeEvent } from 'aws-lambda';
import { stepFunctions } from '../adapters/sfn-client';
import { requiredVariable } from '../adapters/required-variable';
import { errorFields, log } from '../adapters/logger';
import { stepFunctionsWorkflowStarter } from '../adapters/workflow-client';
import type { ComplaintEventDetail } from '../event-consumers';
import { startComplaintWorkflow } from '../use-cases/start-complaint-workflow';

// The one variable it reads, not the whole environment schema (adapters/required-variable.ts): its bundle carries no zod.
const ports = {
  workflow: stepFunctionsWorkflowStarter(stepFunctions(), requiredVariable('STATE_MACHINE_ARN')),
};

/**
 * A consumer of `complaint.received` (lambdas/event-consumers.ts): starts the complaint's workflow. A failure
 * is thrown, so EventBridge (locally the outbox) retries the event with backoff and, after its last attempt,
 * parks it in the consumer's dead-letter queue (alarm `workflowStarterEventsUndelivered`) for a redrive.
 */
export const handler = async (event: EventBridgeEvent<string, ComplaintEventDetail>): Promise<void> => {
  const { complaintId } = event.detail;
  try {
    await startComplaintWorkflow(complaintId, ports);
    log.info('workflow started', { complaintId });
  } catch (error) {
    log.error('workflow start failed', { complaintId, ...errorFields(error) });
    throw error;
  }
};
