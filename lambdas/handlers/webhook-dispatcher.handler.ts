import type { EventBridgeEvent } from 'aws-lambda';
import { errorFields, log } from '../adapters/logger';
import type { ComplaintEventDetail } from '../event-consumers';
import { dispatchComplaintEvent } from '../use-cases/outbound-webhooks';
import { deliveryStarter } from './compose-delivery-starter';
import { outboundPorts } from './compose-outbound';

/**
 * A consumer of the complaint events subscribers may want (lambdas/event-consumers.ts): stores one delivery
 * per subscription that wants the event and starts its execution. It sends nothing itself, so no subscriber
 * can slow it down. A failure is thrown: EventBridge (locally the outbox) retries the event, and a retry
 * stores and starts nothing twice.
 */
export const handler = async (event: EventBridgeEvent<string, ComplaintEventDetail>): Promise<void> => {
  const { complaintId, type, sequence } = event.detail;
  try {
    const deliveries = await dispatchComplaintEvent({ complaintId, type, sequence }, { ...outboundPorts(), deliveries: deliveryStarter() });
    if (deliveries > 0) log.info('webhook deliveries started', { complaintId, type, sequence, deliveries });
  } catch (error) {
    log.error('webhook dispatch failed', { complaintId, type, sequence, ...errorFields(error) });
    throw error;
  }
};
