import { isServiceError } from './aws-wire/service-errors';
import { StartExecutionCommand, type StepFunctionsClient } from './aws-wire/sfn-api';
import type { DeliveryStarter } from '../use-cases/outbound-webhooks';

/**
 * One execution of the delivery state machine per delivery and round, named after the delivery (its
 * `webhook-id`) and the round: Step Functions keeps a name unique for 90 days, so an event consumed twice
 * starts its deliveries once, and a redrive (a new round) gets an execution of its own.
 */
export function stepFunctionsDeliveryStarter(client: StepFunctionsClient, stateMachineArn: string): DeliveryStarter {
  return {
    async start({ complaintId, sequence, deliveryId }, round) {
      try {
        await client.send(
          new StartExecutionCommand({
            stateMachineArn,
            name: round === 0 ? deliveryId : `${deliveryId}-r${round}`,
            input: JSON.stringify({ complaintId, sequence, deliveryId }),
          }),
        );
      } catch (error) {
        if (isServiceError(error, 'ExecutionAlreadyExists')) return;
        throw error;
      }
    },
  };
}
