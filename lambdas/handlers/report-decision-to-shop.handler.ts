import type { EventBridgeEvent } from 'aws-lambda';
import { errorFields, log } from '../adapters/logger';
import type { ComplaintEventDetail } from '../event-consumers';
import { reportDecisionToShop } from '../use-cases/report-decision-to-shop';
import { shopReportPorts } from './compose-platforms';

/**
 * A consumer of `complaint.decided` (lambdas/event-consumers.ts): tells a Shopify shop our decision on its
 * return request. A failure is thrown, so EventBridge (locally the outbox) retries this event alone.
 */
export const handler = async (event: EventBridgeEvent<string, ComplaintEventDetail>): Promise<void> => {
  const { complaintId, type, sequence } = event.detail;
  try {
    const outcome = await reportDecisionToShop({ complaintId, type }, shopReportPorts());
    if (outcome !== 'not_a_shop_decision') log.info('decision reported to the shop', { complaintId, sequence, outcome });
  } catch (error) {
    log.error('reporting the decision to the shop failed', { complaintId, type, sequence, ...errorFields(error) });
    throw error;
  }
};
