import type { HistoryEntry } from '../core/complaint';
import type { WorkflowFact } from './ports';

/** The workflow's facts go into the complaint's history too, so staff read one timeline. */
export function historyEntryOf(fact: WorkflowFact): HistoryEntry | undefined {
  const entry = (at: string, action: string, after: Record<string, unknown>): HistoryEntry => ({ at, actor: 'workflow', action, after });
  switch (fact.kind) {
    case 'acknowledgement':
      return entry(fact.value.sentAt, 'acknowledgement_sent', { messageId: fact.value.messageId });
    case 'assignment':
      // A notice recorded with the assignment is part of its entry (and of its complaint.assigned event), not one
      // of its own: one event item fewer (2 WCU in the transaction).
      return entry(fact.value.assignedAt, 'department_assigned', {
        departmentId: fact.value.departmentId,
        reason: fact.value.reason,
        ...(fact.notified ? { notified: { messageId: fact.notified.messageId, sentAt: fact.notified.sentAt } } : {}),
      });
    case 'departmentNotified':
      return entry(fact.value.sentAt, 'department_notified', { departmentId: fact.value.departmentId });
    case 'reminder':
      return entry(fact.value.sentAt, fact.value.escalation ? 'escalation_sent' : 'reminder_sent', {
        offset: fact.offset,
        messageId: fact.value.messageId,
      });
    case 'decisionSent':
      return entry(fact.value.sentAt, 'decision_sent', { messageId: fact.value.messageId });
    case 'extensionNotice':
      return entry(fact.value.sentAt, 'extension_notice_sent', { messageId: fact.value.messageId });
    case 'bounceAlert':
      return entry(fact.value.sentAt, 'bounce_alert_sent', {
        bounced: fact.value.bounced,
        record: fact.value.record,
        messageId: fact.value.messageId,
      });
    case 'extensionLapsed':
      return entry(fact.at, 'extension_lapsed', { responseDueBy: fact.responseDueBy });
    case 'deadlinePassed':
      return entry(fact.value.at, 'deadline_passed', { effect: fact.value.effect });
    case 'deadlineEmail':
      return entry(fact.value.sentAt, fact.field === 'supervisorAlerted' ? 'supervisor_alerted' : 'customer_told_of_deadline', {});
    case 'replyForwarded':
      return entry(fact.value.sentAt, 'customer_reply_forwarded', { departmentId: fact.value.departmentId, toRequest: fact.value.toRequest });
    case 'platformLookup':
      return fact.value.state === 'done'
        ? entry(fact.value.at, 'platform_order_read', { orderId: fact.value.orderId })
        : entry(fact.value.at, 'platform_lookup_failed', { orderId: fact.value.orderId, reason: fact.value.reason ?? null });
    case 'status':
    case 'informationRequestSent':
      return undefined;
  }
}
