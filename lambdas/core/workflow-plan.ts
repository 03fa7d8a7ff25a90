import type { Complaint } from './complaint';
import { endOfWarsawDay, warsawInstant } from './calendar/warsaw-time';
import { addWorkingDays } from './calendar/polish-calendar';

// The workflow is one loop: plan, act, plan again. Each pass asks this pure function what the complaint
// needs next from what is stored on it, so a retried step, a restart or a staff action in between can never
// make the workflow do a thing twice or skip one.

export type WorkflowAction =
  | { action: 'look_up_order' }
  | { action: 'acknowledge' }
  | { action: 'assign' }
  | { action: 'notify_department' }
  | { action: 'forward_reply' }
  | { action: 'send_extension_notice' }
  | { action: 'lapse_extension' }
  | { action: 'send_decision' }
  | { action: 'remind'; offset: number; escalation: boolean }
  | { action: 'deadline_passed' }
  | { action: 'finish'; why: string }
  | { action: 'wait'; wakeAt: string; waitSeconds: number };

export interface ReminderDate {
  /** Working days before the due date. */
  offset: number;
  date: string;
}

export interface PlanInput {
  complaint: Complaint;
  reminderDates: readonly ReminderDate[];
  now: Date;
  /**
   * With an extension: the last day its notice may go out (the policy's extensionNoticeDeadline, the day the
   * request was checked against). Without it, the ordinary due date, which is that day under every built-in policy.
   */
  extensionNoticeBy?: string;
}

/**
 * Reminders go out during the working morning, when someone is there to read them, each complaint at its
 * own minute between 08:00 and 11:59 (derived from its id, so a restart or a retry keeps it). Without the
 * spread, every reminder of a busy day falls due at 08:00 together: at 1 M complaints a month that is
 * ~100,000 e-mails in the same second, far above the SES rate and the Step Functions transition quota.
 */
export const REMINDER_WINDOW = { from: '08:00', minutes: 240 } as const;

/** When on its reminder dates this complaint's reminders go out (Warsaw wall clock, HH:MM). */
export function reminderTime(complaintId: string): string {
  // FNV-1a: a stable, well-spread hash of the id; no cryptography needed, only an even spread.
  let hash = 0x811c9dc5;
  for (const char of complaintId) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  const [hours, minutes] = REMINDER_WINDOW.from.split(':').map(Number) as [number, number];
  const at = hours * 60 + minutes + (hash % REMINDER_WINDOW.minutes);
  return `${String(Math.floor(at / 60)).padStart(2, '0')}:${String(at % 60).padStart(2, '0')}`;
}
/** With no timer left (a deadline passed that has no legal effect), look again now and then. */
const IDLE_RECHECK_SECONDS = 7 * 24 * 3600;

export function nextWorkflowAction({ complaint, reminderDates, now, extensionNoticeBy }: PlanInput): WorkflowAction {
  // What the shop's payload lacked (a Shopify return request's customer) is read from the platform first: the
  // acknowledgement goes to the address it tells. A step of its own, outside Advance, with its own retries.
  if (complaint.platformLookup?.state === 'pending') return { action: 'look_up_order' };
  // Without an address (the platform could not tell it) nothing goes to the customer by e-mail; staff see why
  // on the complaint (platformLookup.reason), a decision is printed for posting, and the term runs regardless.
  const reachable = complaint.customer.email !== undefined;
  // The customer learns the reference before anything else happens, whatever staff did meanwhile.
  if (!complaint.acknowledgement && reachable) return { action: 'acknowledge' };
  if (!complaint.assignment || complaint.status === 'received' || complaint.status === 'acknowledged') return { action: 'assign' };
  if (complaint.decisionSent) return { action: 'finish', why: 'the decision was sent to the customer' };
  if (complaint.decisionPosted?.withinTerm) return { action: 'finish', why: 'the printed decision was posted to the customer' };
  // Art. 5(2) of the act of 5 August 2015: a financial answer goes on paper unless the customer asked for
  // e-mail. Nothing is e-mailed: staff print the letter, post it and record the date, which wakes this plan.
  if (complaint.decision?.delivery === 'post') {
    // A letter not posted in time (by the end of the term where sending suffices, before its last day where
    // the answer must arrive) is no answer: the term's effect applies (and the supervisor hears of it) as if
    // nobody had answered. Staff record a posting after the fact, so the effect waits until the end of the
    // next working day: a letter posted on the last day and recorded the next morning still counts, and the
    // customer is not first told that silence decided their complaint.
    const recordedBy = endOfWarsawDay(addWorkingDays(complaint.responseDueBy, 1));
    if (!complaint.deadlinePassed && (now >= recordedBy || (complaint.decisionPosted && now >= endOfWarsawDay(complaint.responseDueBy)))) {
      return { action: 'deadline_passed' };
    }
    if (complaint.deadlinePassed && (complaint.deadlinePassed.effect !== 'none' || complaint.decisionPosted)) {
      const how = complaint.decisionPosted ? `the letter was posted too late (${complaint.decisionPosted.postedOn})` : 'the letter was not posted';
      return { action: 'finish', why: `${how}: ${complaint.deadlinePassed.effect}` };
    }
    return waitUntil(complaint.decisionPosted ? endOfWarsawDay(complaint.responseDueBy) : recordedBy, now);
  }
  // An e-mailed decision is sent at once; one that could not go out before a term with a legal effect ran out
  // is not sent (sendDecision records the term's effect instead).
  if (complaint.decision && !(complaint.deadlinePassed && complaint.deadlinePassed.effect !== 'none')) return { action: 'send_decision' };
  if (complaint.deadlinePassed && complaint.deadlinePassed.effect !== 'none') {
    return { action: 'finish', why: `the deadline passed: ${complaint.deadlinePassed.effect}` };
  }
  if (complaint.assignment && complaint.departmentNotified?.departmentId !== complaint.assignment.departmentId) {
    return { action: 'notify_department' };
  }
  // The customer answered a question on the status page: the department hears of it at once, not at a reminder.
  if (complaint.customerReply && complaint.replyForwarded?.toRequest !== complaint.customerReply.toRequest) return { action: 'forward_reply' };
  // Art. 7 of the act of 5 August 2015: the longer term holds only if its notice was sent within the ordinary
  // one. A notice that could not go out by then (SES refusing it past midnight) never will: the ordinary date stands.
  if (complaint.extension && !complaint.extension.noticeSent && !complaint.extension.lapsedAt && reachable) {
    const noticeEnd = endOfWarsawDay(extensionNoticeBy ?? complaint.extension.previousResponseDueBy);
    return now >= noticeEnd ? { action: 'lapse_extension' } : { action: 'send_extension_notice' };
  }

  const deadline = endOfWarsawDay(complaint.responseDueBy);
  if (!complaint.deadlinePassed && now >= deadline) return { action: 'deadline_passed' };

  const sent = Object.keys(complaint.reminders ?? {}).map(Number);
  const smallestSent = sent.length > 0 ? Math.min(...sent) : Infinity;
  const lastOffset = Math.min(...reminderDates.map((reminder) => reminder.offset));
  // A reminder is spent once it or a more urgent one went out; of several due at once only the most urgent goes.
  const pending = reminderDates.filter((reminder) => reminder.offset < smallestSent);
  const time = reminderTime(complaint.id);
  const due = pending.filter((reminder) => warsawInstant(reminder.date, time) <= now);
  if (!complaint.deadlinePassed && due.length > 0) {
    const offset = Math.min(...due.map((reminder) => reminder.offset));
    return { action: 'remind', offset, escalation: offset === lastOffset };
  }

  const timers = complaint.deadlinePassed ? [] : [deadline, ...pending.map((reminder) => warsawInstant(reminder.date, time))];
  const wakeAt =
    timers.length > 0 ? new Date(Math.min(...timers.map((timer) => timer.getTime()))) : new Date(now.getTime() + IDLE_RECHECK_SECONDS * 1000);
  return { action: 'wait', wakeAt: wakeAt.toISOString(), waitSeconds: Math.max(1, Math.ceil((wakeAt.getTime() - now.getTime()) / 1000)) };
}

/** Waits until `at`, or, once it has passed, looks again now and then. */
function waitUntil(at: Date, now: Date): WorkflowAction {
  const wakeAt = at > now ? at : new Date(now.getTime() + IDLE_RECHECK_SECONDS * 1000);
  return { action: 'wait', wakeAt: wakeAt.toISOString(), waitSeconds: Math.max(1, Math.ceil((wakeAt.getTime() - now.getTime()) / 1000)) };
}
