import { log } from '../adapters/logger';
import { attemptDelivery, type AttemptAnswer } from '../use-cases/outbound-webhooks';
import { outboundPorts } from './compose-outbound';

interface DeliveryInput {
  complaintId: string;
  sequence: number;
  deliveryId: string;
}

/**
 * The step of statemachines/webhook-delivery.asl.json: one attempt of one delivery. It always answers with
 * `nextAttemptAt` (now, when there is nothing more to do), because the state machine's ResultSelector reads it.
 */
export const handler = async (input: DeliveryInput): Promise<AttemptAnswer & { nextAttemptAt: string }> => {
  const ports = outboundPorts();
  const answer = await attemptDelivery({ complaintId: input.complaintId, sequence: Number(input.sequence), deliveryId: input.deliveryId }, ports);
  log.info('webhook attempt', { complaintId: input.complaintId, deliveryId: input.deliveryId, ...answer });
  return answer.outcome === 'retry' ? answer : { ...answer, nextAttemptAt: ports.now().toISOString() };
};
