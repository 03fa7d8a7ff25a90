import { bouncedAnswerPorts, deliveryPorts } from './compose';
import { alertBouncedAnswer } from '../use-cases/bounced-answer';
import { log } from '../adapters/logger';
import { evidenceFromSesEvent, sendEvidenceFromSesEvent, sesEventSchema } from '../core/delivery-evidence';

/**
 * SES send, delivery, bounce and complaint events (configuration set → EventBridge → here). A Send event is
 * kept on the send-once claim of its attempt when the complaint does not record that e-mail yet (send-once.ts:
 * a retry completes the record from it instead of sending again); the others are kept on the e-mail's record.
 * An event about an e-mail we did not tag, or one we cannot match, is logged and dropped: retrying could not
 * make it match. A bounce of the answer (or of the notice extending its term) alerts the supervisor and the
 * department, who still can post the letter or reach the customer another way (use-cases/bounced-answer.ts).
 */
export const handler = async (event: unknown): Promise<void> => {
  const parsed = sesEventSchema.safeParse(event);
  if (!parsed.success) {
    log.warn('not an SES event', { issues: parsed.error.issues.length });
    return;
  }
  const sent = sendEvidenceFromSesEvent(parsed.data);
  if (sent) {
    const kept = await deliveryPorts().sendClaims.keepSendEvidence(sent);
    log.info('send evidence', { complaintId: sent.complaintId, claim: sent.key, kept });
    return;
  }
  const evidence = evidenceFromSesEvent(parsed.data);
  if (!evidence) return;
  const recorded = await deliveryPorts().complaints.recordDelivery(evidence);
  log.info('delivery evidence', { complaintId: evidence.complaintId, record: evidence.record, delivery: evidence.delivery, recorded });
  // After the record, so that a retry of this event (EventBridge's, after a failure here) finds it and alerts once.
  if (evidence.delivery === 'bounced' && (await alertBouncedAnswer(evidence, bouncedAnswerPorts()))) {
    log.warn('answer bounced: staff alerted', { complaintId: evidence.complaintId, record: evidence.record });
  }
};
