import type { Complaint, ComplaintStatus } from './complaint';
import type { DeadlinePolicy } from './deadline-policy';
import { endOfWarsawDay } from './calendar/warsaw-time';

// The due-date lists (sort=urgent, "what is due next") are for complaints whose statutory term still runs.
// The term stops when the answer reaches the customer (an e-mailed decision counts from its recording: the
// workflow sends it at once and the deadline check treats it as given, art. 7a of the consumer rights act) or
// when it runs out with a legal effect (deemed accepted). A decision that waits to be printed and posted has
// not reached anyone: its term still runs, so it stays on the due-date lists until the letter is posted. An
// e-mailed decision that could not be sent before the term ran out is no answer: the term's effect applies then
// (answerTooLate), and the complaint leaves the lists with that status instead.

/** Statuses in which no complaint's term runs any more. */
export const TERM_STOPPED: readonly ComplaintStatus[] = ['closed', 'deemed_accepted', 'deemed_resolved_for_customer'];

/** Whether a change that leaves a complaint with this status (and, when decided, this decision) stops its term. */
export function stopsTheTerm(change: { status?: ComplaintStatus; decision?: Pick<NonNullable<Complaint['decision']>, 'delivery'> }): boolean {
  if (change.status === undefined) return false;
  if (TERM_STOPPED.includes(change.status)) return true;
  return change.status === 'decided' && change.decision !== undefined && change.decision.delivery !== 'post';
}

/**
 * Whether an answer made now comes too late to count: the term ran out (art. 111 KC: with the end of its last
 * day, Warsaw time) under a policy whose silence has a legal effect, so the law has answered the complaint
 * (deemed accepted, deemed resolved for the customer). Under a policy without one a late answer is still the answer.
 */
export function answerTooLate(policy: Pick<DeadlinePolicy, 'silence'>, complaint: Pick<Complaint, 'responseDueBy'>, now: Date): boolean {
  return policy.silence !== 'none' && now >= endOfWarsawDay(complaint.responseDueBy);
}
