import * as z from './zod';
import { historyEntrySchema, type HistoryEntry } from './complaint';

// Every change to a complaint is recorded once, as one item beside it: the entry of its audit trail (who,
// when, what, before and after) and the domain event that other parts of the product react to (the
// workflow's start, and later outbound webhooks and reports). Events are numbered per complaint, so a
// consumer can tell order and gaps; they are stored in the same transaction as the change they describe.

/** The domain event a history action is. Actions not listed are events under their own name. */
const EVENT_OF_ACTION: Record<string, string> = {
  complaint_received: 'received',
  acknowledgement_sent: 'acknowledged',
  acknowledgement_recorded: 'acknowledged',
  department_assigned: 'assigned',
  department_notified: 'department_notified',
  reminder_sent: 'reminded',
  escalation_sent: 'escalated',
  note_added: 'note_added',
  information_requested: 'information_requested',
  decision_recorded: 'decided',
  decision_sent: 'answer_sent',
  decision_posted: 'answer_sent',
  deadline_extended: 'extended',
  extension_notice_sent: 'extension_notice_sent',
  supervisor_alerted: 'supervisor_alerted',
  customer_told_of_deadline: 'customer_told_of_deadline',
};

export function eventTypeOf(entry: Pick<HistoryEntry, 'action' | 'after'>): string {
  // The term's end is an event named after its legal effect: deemed_accepted, deemed_resolved_for_customer.
  if (entry.action === 'deadline_passed') {
    const effect = entry.after?.effect;
    return `complaint.${typeof effect === 'string' && effect !== 'none' ? effect : 'deadline_passed'}`;
  }
  return `complaint.${EVENT_OF_ACTION[entry.action] ?? entry.action}`;
}

export const complaintEventSchema = z.extend(historyEntrySchema, {
  /** 1 for `complaint.received`, then one more per change. */
  sequence: z.number().check(z.int(), z.positive()),
  type: z.string(),
  complaintId: z.string(),
});

export type ComplaintEvent = z.infer<typeof complaintEventSchema>;

export function complaintEvent(complaintId: string, sequence: number, entry: HistoryEntry): ComplaintEvent {
  // As { ...entry, sequence, … }: Object.assign because on Node 20 (V8 11.3, the local product's) each field
  // defined after a spread costs microseconds, and every change of every complaint writes an event.
  return Object.assign({}, entry, { sequence, type: eventTypeOf(entry), complaintId });
}
