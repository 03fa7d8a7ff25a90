import { createHash } from 'node:crypto';
import { MAX_ATTACHMENTS } from '../core/attachments';
import type { Complaint } from '../core/complaint';
import { NoQuestionToAnswer, openQuestion, type CustomerReply, type CustomerStatusView } from '../core/customer-status';
import { NotFound, ValidationFailed } from '../core/errors';
import { alreadyFiled, checkAttachments, discardKept, inNamedOrder, keepAttachments, type AttachmentCheckPorts } from './attachments';
import { clientKey, countAndLimit } from './attempt-limits';
import { findOwnComplaint, statusView, type AttemptCounter } from './look-up-status';
import type { ComplaintRepository, WorkflowWaker } from './ports';

export interface CustomerReplyPorts extends AttachmentCheckPorts {
  complaints: Pick<ComplaintRepository, 'findByReference' | 'history' | 'applyStaffChange'>;
  attempts: AttemptCounter;
  waker: WorkflowWaker;
  now: () => Date;
  /** Names the folder a reply's files are kept in, its own (attachments/<complaint>/<this id>/<file>). */
  newId: () => string;
}

/**
 * Counted apart from status lookups, in the same 15-minute windows: a customer answers a question once, and
 * perhaps again after an error on the page; the limits only have to stop guessing with the reply form.
 */
export const REPLY_LIMITS = { windowSeconds: 15 * 60, perReference: 10, perClient: 30 } as const;

/**
 * The customer answers the information request waiting on their complaint, on the status page, with the
 * reference and e-mail address as for a lookup (a wrong pair gets the lookup's StatusNotFound). The answer, its
 * files (checked as at filing) and the fact that the request is answered are stored in one change with its
 * history entry (customer_replied), which holds the text; then the waiting workflow is woken and e-mails the
 * department (workflow-steps.ts, forward_reply). One answer per request: the same answer again (a double
 * click, a reload, a retry after a lost response) is recognised by its digest and answered as the first was,
 * and changes nothing; another one gets NoQuestionToAnswer.
 */
export async function replyToInformationRequest(reply: CustomerReply, client: string, ports: CustomerReplyPorts): Promise<CustomerStatusView> {
  await countAndLimit(ports.attempts, ports.now(), REPLY_LIMITS.windowSeconds, [
    { key: `reply#reference#${reply.reference}`, limit: REPLY_LIMITS.perReference },
    { key: clientKey('reply', client), limit: REPLY_LIMITS.perClient },
  ]);
  const complaint = await findOwnComplaint(reply, ports);
  const digest = replyDigest(reply);
  if (isThisReply(complaint, digest)) return statusView(complaint, ports);
  const question = openQuestion(complaint);
  if (!question) throw new NoQuestionToAnswer();

  const files = [...new Set(reply.attachments)];
  const kept = complaint.attachments ?? [];
  if (kept.length + files.length > MAX_ATTACHMENTS) {
    const room = MAX_ATTACHMENTS - kept.length;
    throw new ValidationFailed([
      { field: 'attachments', message: `can hold ${room} more file${room === 1 ? '' : 's'}: a complaint keeps at most ${MAX_ATTACHMENTS}` },
    ]);
  }
  const again = files.filter((id) => kept.some((file) => file.id === id));
  if (again.length > 0) throw new ValidationFailed(inNamedOrder(again.map((id) => alreadyFiled(reply.attachments.indexOf(id)))));
  // Kept in a folder of this request's own, so that a refused or repeated answer deletes its copies and no other's.
  const checked = await keepAttachments(await checkAttachments(reply.attachments, ports), `${complaint.id}/${ports.newId()}`, ports);
  const at = ports.now().toISOString();
  let updated: Complaint;
  try {
    updated = await ports.complaints.applyStaffChange({
      id: complaint.id,
      set: {
        customerReply: { at, toRequest: question.messageId, digest, attachments: checked.length },
        // Only replies add files after intake, one per request (the precondition): nothing else writes this list meanwhile.
        ...(checked.length > 0 ? { attachments: [...kept, ...checked] } : {}),
      },
      entry: {
        at,
        actor: 'customer',
        action: 'customer_replied',
        after: { text: reply.text, toRequest: question.messageId, attachments: checked.map((file) => file.id) },
      },
      precondition: { holds: 'information_request_open', messageId: question.messageId, failure: () => new NoQuestionToAnswer() },
      ...(checked.length > 0
        ? {
            claimAttachments: {
              ids: checked.map((file) => file.id),
              failure: (taken) => new ValidationFailed(inNamedOrder(taken.map((id) => alreadyFiled(reply.attachments.indexOf(id))))),
            },
          }
        : {}),
    });
  } catch (error) {
    // Refused (or the same answer stored first): this request's copies belong to no complaint. A failure without
    // an answer keeps them, as it may have been stored after all.
    const refused = error instanceof NoQuestionToAnswer || error instanceof ValidationFailed || error instanceof NotFound;
    if (refused) await discardKept(checked, ports);
    if (!(error instanceof NoQuestionToAnswer)) throw error;
    // The same answer sent twice at once (two tabs, a double click): the one stored first is this one too.
    const current = await findOwnComplaint(reply, ports);
    if (isThisReply(current, digest)) return statusView(current, ports);
    throw error;
  }
  if (updated.workflowWait) await ports.waker.wake(updated.workflowWait.taskToken);
  return statusView(updated, ports);
}

/** The stored answer to the complaint's latest question is this reply. */
function isThisReply(complaint: Complaint, digest: string): boolean {
  const stored = complaint.customerReply;
  return stored !== undefined && stored.digest === digest && stored.toRequest === complaint.informationRequest?.messageId;
}

/** What identifies an answer: its text and its files, in any order. Not its address: the complaint is the same. */
function replyDigest(reply: CustomerReply): string {
  const files = [...new Set(reply.attachments)].sort();
  return createHash('sha256')
    .update(JSON.stringify([reply.text, files]))
    .digest('base64url');
}
