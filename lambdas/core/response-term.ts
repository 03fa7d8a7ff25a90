import type { Complaint, ComplaintStatus } from './complaint';

// The due-date lists (sort=urgent, "what is due next") are for complaints whose statutory term still runs.
// The term stops when the answer reaches the customer (an e-mailed decision counts from its recording: the
// workflow sends it at once and the deadline check treats it as given, art. 7a of the consumer rights act) or
// when it runs out with a legal effect (deemed accepted). A decision that waits to be printed and posted has
// not reached anyone: its term still runs, so it stays on the due-date lists until the letter is posted.

/** Statuses in which no complaint's term runs any more. */
export const TERM_STOPPED: readonly ComplaintStatus[] = ['closed', 'deemed_accepted', 'deemed_resolved_for_customer'];

/** Whether a change that leaves a complaint with this status (and, when decided, this decision) stops its term. */
export function stopsTheTerm(change: { status?: ComplaintStatus; decision?: Pick<NonNullable<Complaint['decision']>, 'delivery'> }): boolean {
  if (change.status === undefined) return false;
  if (TERM_STOPPED.includes(change.status)) return true;
  return change.status === 'decided' && change.decision !== undefined && change.decision.delivery !== 'post';
}
