import { deliveryPorts } from './compose';
import { log } from '../adapters/logger';
import { evidenceFromSesEvent, sesEventSchema } from '../core/delivery-evidence';

/**
 * SES delivery, bounce and complaint events (configuration set → EventBridge → here). An event about an
 * e-mail we did not tag, or one we cannot match, is logged and dropped: retrying could not make it match.
 */
export const handler = async (event: unknown): Promise<void> => {
  const parsed = sesEventSchema.safeParse(event);
  if (!parsed.success) {
    log.warn('not an SES event', { issues: parsed.error.issues.length });
    return;
  }
  const evidence = evidenceFromSesEvent(parsed.data);
  if (!evidence) return;
  const recorded = await deliveryPorts().complaints.recordDelivery(evidence);
  log.info('delivery evidence', { complaintId: evidence.complaintId, record: evidence.record, delivery: evidence.delivery, recorded });
};
