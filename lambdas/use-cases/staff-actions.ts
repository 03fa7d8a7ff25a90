import type * as z from '../core/zod';
import { customerEmailOf, customerNameOf, OPEN, type Complaint, type HistoryEntry } from '../core/complaint';
import { CustomerHasNoEmail, EarlierRequestUnfinished, NotFound, TermEnded, ValidationFailed, VersionConflict } from '../core/errors';
import { answerTooLate } from '../core/response-term';
import { sendClaimKey } from '../core/delivery-evidence';
import { computeInternalTarget, computeResponseDueBy, extensionNoticeDeadline, termStartOf, type PolicyRegistry } from '../core/deadline-policy';
import { departmentById, type DepartmentRules } from '../core/department-rules';
import { authorize, can, TRIAGE_DEPARTMENT, type StaffMember } from '../core/staff';
import { decisionInputOf, decisionLetter, formatCalendarDate, informationRequestEmail } from '../core/templates';
import { parseReference } from '../core/reference';
import { addCalendarDays, warsawCalendarDate } from '../core/calendar/polish-calendar';
import { completeAnswer } from '../core/answer-requirements';
import { acknowledgementDuty } from '../core/acknowledgement-duty';
import type { CompanyProfile } from '../core/company-profile';
import type {
  acknowledgementRecordSchema,
  assignmentRequestSchema,
  decisionPostingSchema,
  decisionRequestSchema,
  extensionRequestSchema,
  informationRequestSchema,
  ListQuery,
  noteRequestSchema,
} from '../core/staff-requests';
import type { ComplaintLists, ComplaintRepository, ListRequest, Mailer, WorkflowWaker } from './ports';
import { summaryOf, type ComplaintPage } from '../core/complaint-summary';
import type { PrintedLetter } from '../adapters/letter-pdf';
import { UNASSIGNED } from '../core/unassigned';
import { sendOnce, type SendOncePorts } from './send-once';

export interface StaffPorts extends SendOncePorts {
  complaints: ComplaintRepository;
  mailer: Mailer;
  waker: WorkflowWaker;
  policies: PolicyRegistry;
  departments: DepartmentRules;
  companyName: string;
  /** The company's standing positions answers must state (config/company.json). */
  company: CompanyProfile;
  /** The customer's status page for a reference (PUBLIC_BASE_URL), where an information request is answered. */
  statusPageUrl?: (reference: string, language: Complaint['language']) => string;
}

const departmentOf = (complaint: Complaint) => complaint.assignment?.departmentId ?? UNASSIGNED;

/** Reads a complaint the staff member may see; one they may not see is "not found", which leaks nothing. */
export async function readComplaint(id: string, staff: StaffMember, ports: Pick<StaffPorts, 'complaints'>): Promise<Complaint> {
  const complaint = await ports.complaints.get(id);
  if (!complaint || !mayRead(staff, complaint)) throw new NotFound(`No complaint ${id}`);
  return complaint;
}

/** How many history entries a complaint's view carries; older ones are a page away (readHistory). */
export const HISTORY_PAGE = 50;

/**
 * A complaint as staff read it: the complaint with the newest page of its history (oldest of them first)
 * and, when there is more, the cursor to the older entries. However long the history grows, the answer
 * stays bounded. With `through`, the history as it was right after that event (a replayed answer's).
 */
export async function viewOf(complaint: Complaint, ports: Pick<StaffPorts, 'complaints'>, through?: number): Promise<Complaint> {
  const page = await ports.complaints.history(complaint.id, { limit: HISTORY_PAGE, through });
  return { ...complaint, history: page.entries, ...(page.before ? { olderHistory: page.before } : {}) };
}

/** Older history entries of a complaint the staff member may read, a page at a time. */
export async function readHistory(id: string, query: { before?: string; limit?: number }, staff: StaffMember, ports: Pick<StaffPorts, 'complaints'>) {
  await readComplaint(id, staff, ports);
  return ports.complaints.history(id, { limit: query.limit ?? HISTORY_PAGE, before: query.before });
}

export async function listComplaints(
  query: ListQuery,
  staff: StaffMember,
  ports: Pick<StaffPorts, 'complaints' | 'now'> & { lists: ComplaintLists },
): Promise<ComplaintPage> {
  authorize(staff, 'complaint:list', query.department ? { department: query.department } : undefined);
  if (query.reference !== undefined) {
    const reference = parseReference(query.reference);
    if (!reference) throw new ValidationFailed([{ field: 'reference', message: 'is not a valid reference (check the characters)' }]);
    const complaint = await ports.complaints.findByReference(reference);
    const visible = complaint && mayRead(staff, complaint);
    return { complaints: visible ? [summaryOf(complaint)] : [] };
  }
  const today = warsawCalendarDate(ports.now());
  // Agents see their own departments only (a supervisor or admin, everything).
  const ownDepartments = staff.role === 'agent' ? staff.departments : undefined;
  const department = query.department ?? (ownDepartments?.length === 1 ? ownDepartments[0] : undefined);

  let scope: ListRequest['scope'];
  if (query.email) scope = { kind: 'customerEmail', email: query.email };
  else if (query.orderNumber) scope = { kind: 'orderNumber', orderNumber: query.orderNumber };
  else if (department) scope = { kind: 'department', department };
  else if (ownDepartments) {
    throw new ValidationFailed([{ field: 'department', message: `choose one of your departments: ${ownDepartments.join(', ')}` }]);
  } else scope = { kind: 'all' };

  const dueLimit = query.overdue
    ? addCalendarDays(today, -1)
    : query.dueWithinDays !== undefined
      ? addCalendarDays(today, query.dueWithinDays)
      : undefined;
  return ports.lists.list({
    scope,
    order: query.sort,
    filter: {
      statuses: query.status ? [query.status] : query.overdue || query.dueWithinDays !== undefined ? OPEN : undefined,
      channel: query.channel,
      sourcePlatform: query.sourcePlatform,
      dueOnOrBefore: dueLimit,
      departments: (query.email || query.orderNumber) && ownDepartments ? visibleDepartments(ownDepartments) : undefined,
    },
    limit: query.limit,
    cursor: query.cursor,
  });
}

const mayRead = (staff: StaffMember, complaint: Complaint) => can(staff, 'complaint:read', { department: departmentOf(complaint) });

/** Complaints not routed yet count as triage's (lambdas/core/staff.ts). */
const visibleDepartments = (own: readonly string[]) => (own.includes(TRIAGE_DEPARTMENT) ? [...own, UNASSIGNED] : own);

function entry(staff: StaffMember, now: Date, action: string, before?: Record<string, unknown>, after?: Record<string, unknown>): HistoryEntry {
  return { at: now.toISOString(), actor: staff.id, action, ...(before ? { before } : {}), ...(after ? { after } : {}) };
}

/** After a staff change the waiting workflow plans again at once, instead of at its next timer. */
async function wakeWorkflow(complaint: Complaint, ports: Pick<StaffPorts, 'waker'>): Promise<Complaint> {
  if (complaint.workflowWait) await ports.waker.wake(complaint.workflowWait.taskToken);
  return complaint;
}

function assertOpen(complaint: Complaint): void {
  if (!(OPEN as readonly string[]).includes(complaint.status)) {
    throw new VersionConflict(`The complaint is ${complaint.status}; it can no longer be changed this way.`);
  }
}

export async function assignComplaint(id: string, request: z.infer<typeof assignmentRequestSchema>, staff: StaffMember, ports: StaffPorts) {
  const complaint = await readComplaint(id, staff, ports);
  authorize(staff, 'complaint:assign', { department: departmentOf(complaint) });
  assertOpen(complaint);
  departmentById(ports.departments, request.departmentId);
  const now = ports.now();
  const assignment = {
    departmentId: request.departmentId,
    ruleId: null,
    reason: `assigned by ${staff.name}`,
    rulesVersion: complaint.assignment?.rulesVersion ?? ports.departments.version,
    assignedAt: now.toISOString(),
    assignedBy: staff.id,
  };
  const updated = await ports.complaints.applyStaffChange({
    id,
    expectedVersion: request.version,
    set: { assignment, status: 'assigned' },
    entry: entry(
      staff,
      now,
      'department_assigned',
      { departmentId: complaint.assignment?.departmentId ?? null },
      { departmentId: request.departmentId },
    ),
  });
  return wakeWorkflow(updated, ports);
}

export async function addNote(id: string, request: z.infer<typeof noteRequestSchema>, staff: StaffMember, ports: StaffPorts) {
  const complaint = await readComplaint(id, staff, ports);
  authorize(staff, 'complaint:note', { department: departmentOf(complaint) });
  // A note only adds to the history: it cannot overwrite anyone's edit, so it needs no version.
  return ports.complaints.applyStaffChange({ id, set: {}, entry: entry(staff, ports.now(), 'note_added', undefined, { text: request.text }) });
}

export async function recordDecision(id: string, request: z.infer<typeof decisionRequestSchema>, staff: StaffMember, ports: StaffPorts) {
  const complaint = await readComplaint(id, staff, ports);
  authorize(staff, 'complaint:decide', { department: departmentOf(complaint) });
  assertOpen(complaint);
  const { version, ...draft } = request;
  const policy = ports.policies.policyFor(complaint.policyId);
  const now = ports.now();
  // Between the term's end and the workflow's recording of its effect (moments, or longer if the workflow
  // waits for a redrive) the complaint still looks open; the law has answered it all the same.
  if (answerTooLate(policy, complaint, now)) {
    throw new TermEnded(
      `The term to answer ${complaint.reference} ended with ${complaint.responseDueBy} (Warsaw time): under the ${policy.id} policy the complaint is ${policy.silence.replaceAll('_', ' ')}, and the workflow tells the customer so.`,
    );
  }
  const today = warsawCalendarDate(now);
  const { decision, issues } = completeAnswer(policy, draft, { company: ports.company, complaint, today });
  if (issues.length > 0) throw new ValidationFailed(issues);
  const warnings = lateAnswerWarnings(policy, complaint, today);
  const updated = await ports.complaints.applyStaffChange({
    id,
    expectedVersion: version,
    set: {
      decision: { ...decision, ...(warnings.length > 0 ? { warnings } : {}), decidedAt: now.toISOString(), decidedBy: staff.id },
      status: 'decided',
    },
    entry: entry(
      staff,
      now,
      'decision_recorded',
      { status: complaint.status },
      { outcome: decision.outcome, remedy: decision.remedy ?? null, delivery: decision.delivery, ...(warnings.length > 0 ? { warnings } : {}) },
    ),
    precondition: {
      holds: 'undecided',
      failure: () => new VersionConflict('The complaint was decided, or its deadline passed with a legal effect, in the meantime.'),
    },
  });
  return wakeWorkflow(updated, ports);
}

/**
 * Art. 61 KC: under a `receipt` policy the answer counts when it reaches the customer, and UOKiK holds one
 * sent on the last day late. Recording the decision on (or after) the due date is allowed, but staff are told.
 */
function lateAnswerWarnings(policy: { metBy: string }, complaint: Complaint, today: string): string[] {
  if (policy.metBy !== 'receipt' || today < complaint.responseDueBy) return [];
  return [
    today === complaint.responseDueBy
      ? `The answer must reach the customer by ${complaint.responseDueBy}, today: sent now, it may arrive late (art. 61 KC).`
      : `The answer had to reach the customer by ${complaint.responseDueBy}: it is late (art. 61 KC).`,
  ];
}

/** What printing a letter needs: a function of its own (lambdas/handlers/decision-letter.handler.ts). */
export interface LetterPorts extends Pick<StaffPorts, 'complaints' | 'companyName' | 'company'> {
  /** Lays a letter out as a PDF (lambdas/adapters/letter-pdf.ts). */
  printLetter: (letter: PrintedLetter) => Promise<Uint8Array>;
}

/** The printed answer for staff to post: the decision as the customer reads it, as a PDF. */
export async function printDecisionLetter(id: string, staff: StaffMember, ports: LetterPorts): Promise<{ reference: string; pdf: Uint8Array }> {
  const complaint = await readComplaint(id, staff, ports);
  if (!complaint.decision) throw new NotFound(`Complaint ${complaint.reference} has no decision to print yet`);
  const input = decisionInputOf(complaint, ports.companyName);
  const pdf = await ports.printLetter({
    letter: decisionLetter(input),
    letterhead: { companyName: ports.companyName, addressLines: ports.company.letterhead.addressLines },
    recipientName: customerNameOf(complaint),
    dateLine: formatCalendarDate(warsawCalendarDate(new Date(complaint.decision.decidedAt)), complaint.language),
  });
  return { reference: complaint.reference, pdf };
}

/**
 * Staff posted the printed answer (art. 5(2) of the act of 5 August 2015: paper unless the customer asked
 * for e-mail). The posting date is what a `dispatch` deadline checks: sending before the term ends suffices.
 */
export async function recordDecisionPosting(id: string, request: z.infer<typeof decisionPostingSchema>, staff: StaffMember, ports: StaffPorts) {
  const complaint = await readComplaint(id, staff, ports);
  authorize(staff, 'complaint:decide', { department: departmentOf(complaint) });
  const decision = complaint.decision;
  if (!decision) throw new VersionConflict('The complaint has no decision to post yet.');
  if (decision.delivery !== 'post') throw new VersionConflict('This decision goes to the customer by e-mail; there is no letter to post.');
  if (complaint.decisionPosted) throw new VersionConflict(`The letter was already recorded as posted on ${complaint.decisionPosted.postedOn}.`);
  const now = ports.now();
  const today = warsawCalendarDate(now);
  const decidedOn = warsawCalendarDate(new Date(decision.decidedAt));
  if (request.postedOn > today) throw new ValidationFailed([{ field: 'postedOn', message: `cannot be in the future (today is ${today} in Poland)` }]);
  if (request.postedOn < decidedOn) throw new ValidationFailed([{ field: 'postedOn', message: `cannot be before the decision (${decidedOn})` }]);
  const policy = ports.policies.policyFor(complaint.policyId);
  const withinTerm = policy.metBy === 'dispatch' ? request.postedOn <= complaint.responseDueBy : request.postedOn < complaint.responseDueBy;
  const decisionPosted = { postedOn: request.postedOn, recordedAt: now.toISOString(), recordedBy: staff.id, withinTerm };
  // A letter posted in time answers the complaint; one posted too late does not where silence has an effect:
  // the workflow applies it at the term's end. Nor does a posting recorded after that effect was applied (and
  // the customer told) undo it: the record keeps both, for staff to settle with the customer.
  const effectApplied = complaint.deadlinePassed !== undefined && complaint.deadlinePassed.effect !== 'none';
  const closes = !effectApplied && (withinTerm || policy.silence === 'none');
  const updated = await ports.complaints.applyStaffChange({
    id,
    expectedVersion: request.version,
    set: { decisionPosted, ...(closes ? { status: 'closed' as const } : {}) },
    entry: entry(
      staff,
      now,
      'decision_posted',
      { status: complaint.status },
      { postedOn: request.postedOn, responseDueBy: complaint.responseDueBy, withinTerm },
    ),
    precondition: { holds: 'not_posted', failure: () => new VersionConflict('The letter was recorded as posted in the meantime.') },
  });
  return wakeWorkflow(updated, ports);
}

/**
 * An acknowledgement of receipt given outside the product: a confirmation handed over at the desk, a letter,
 * a call. Where the policy has an acknowledgement duty (telecom), the history shows whether it was in time.
 */
export async function recordAcknowledgement(id: string, request: z.infer<typeof acknowledgementRecordSchema>, staff: StaffMember, ports: StaffPorts) {
  const complaint = await readComplaint(id, staff, ports);
  authorize(staff, 'complaint:note', { department: departmentOf(complaint) });
  if (complaint.acknowledgedOffline)
    throw new VersionConflict(`An acknowledgement given on ${complaint.acknowledgedOffline.on} is already recorded.`);
  const now = ports.now();
  const today = warsawCalendarDate(now);
  if (request.on > today) throw new ValidationFailed([{ field: 'on', message: `cannot be in the future (today is ${today} in Poland)` }]);
  if (request.on < complaint.receivedOn)
    throw new ValidationFailed([{ field: 'on', message: `cannot be before the complaint was received (${complaint.receivedOn})` }]);
  const acknowledgedOffline = { on: request.on, how: request.how, recordedAt: now.toISOString(), recordedBy: staff.id };
  const duty = acknowledgementDuty(ports.policies.policyFor(complaint.policyId), { ...complaint, acknowledgedOffline });
  return ports.complaints.applyStaffChange({
    id,
    set: { acknowledgedOffline },
    entry: entry(staff, now, 'acknowledgement_recorded', undefined, {
      on: request.on,
      how: request.how,
      ...(duty ? { dueBy: duty.dueBy, inTime: duty.metOn !== undefined && duty.metOn <= duty.dueBy } : {}),
    }),
    precondition: { holds: 'not_acknowledged_offline', failure: () => new VersionConflict('An acknowledgement was recorded in the meantime.') },
  });
}

/**
 * How long an information request whose e-mail went out but whose history entry was never written (the request
 * failed in between) is left to its own retry, counted from its e-mail. A different question meanwhile is
 * refused (409 with Retry-After) so as not to bury it; after this the new request writes the earlier one's
 * entry itself and goes on. 60 s: the CLI retries a failed command at most 3 times, at most 5 s apart, and any
 * client that retries at all does so within seconds; a retry later than this is taken as a new request.
 */
export const UNFINISHED_REQUEST_GRACE_MS = 60_000;

/**
 * Staff e-mail the customer a question, through the workflow's send-once-and-record path (send-once.ts): the
 * e-mail is recorded on the complaint as soon as SES accepted it, with its message id (where SES's delivery
 * report is kept, delivery-evidence.ts), then the staff change writes the history entry (and, under an
 * Idempotency-Key, the key's answer). A request that failed after the send finds its e-mail when retried and
 * only writes what is missing: the customer gets one e-mail whatever failed. Of requests racing with the same
 * question, one sends and the others get a 409 with Retry-After (the e-mail's claim) or its answer; of requests
 * racing with different questions, one sends and the others get a 409 and send nothing (the claim's slot).
 */
export async function requestInformation(id: string, request: z.infer<typeof informationRequestSchema>, staff: StaffMember, ports: StaffPorts) {
  let complaint = await readComplaint(id, staff, ports);
  authorize(staff, 'complaint:request-information', { department: departmentOf(complaint) });
  assertOpen(complaint);
  // Refused before anything is claimed or sent: a question to nobody is not a question asked.
  const to = customerEmailOf(complaint);
  const { question } = request;
  let earlier = complaint.informationRequest;
  const pending = earlier && !earlier.requestedAt ? earlier : undefined;
  // Sent, but its history entry never written (no `requestedAt`): this request is that one's retry.
  const unfinished = pending && pending.question === question && pending.requestedBy === staff.id ? pending : undefined;
  if (pending && !unfinished) {
    const age = ports.now().getTime() - Date.parse(pending.sentAt);
    if (age < UNFINISHED_REQUEST_GRACE_MS) {
      throw new EarlierRequestUnfinished(Math.ceil((UNFINISHED_REQUEST_GRACE_MS - age) / 1000));
    }
    complaint = await completeOnBehalf(id, pending, staff, ports);
    earlier = complaint.informationRequest;
  }
  // One e-mail per question after the last one: requests racing with the same question share its claim, and
  // one with another question is refused until that one is recorded (409), so every question sent has its entry.
  const slot = `information request after ${earlier?.messageId ?? 'none'}`;
  const sent = await sendOnce(
    {
      email: { complaintId: id, name: `${slot} by ${staff.id}: ${sendClaimKey(question)}`, slot, record: 'informationRequest' },
      recorded: unfinished && { messageId: unfinished.messageId, sentAt: unfinished.sentAt },
      send: (attempt) =>
        ports.mailer.send({
          to,
          evidence: { complaintId: id, record: 'informationRequest' },
          attempt,
          ...informationRequestEmail({
            language: complaint.language,
            companyName: ports.companyName,
            reference: complaint.reference,
            customerName: customerNameOf(complaint),
            question,
            statusPageUrl: ports.statusPageUrl?.(complaint.reference, complaint.language),
          }),
        }),
      record: (email) => ports.complaints.record(id, { kind: 'informationRequestSent', value: { ...email, question, requestedBy: staff.id } }),
      whileUnconfirmed: 'refuse',
    },
    ports,
  );
  const now = ports.now();
  return ports.complaints.applyStaffChange({
    id,
    // SES reports delivery seconds later, well after this write, which it then finds in place.
    set: { informationRequest: { ...(unfinished ?? sent), question, requestedBy: staff.id, requestedAt: now.toISOString() } },
    entry: entry(staff, now, 'information_requested', undefined, { question, messageId: sent.messageId }),
    // Written once per e-mail: of two requests completing the same one, the second is refused (and, under the
    // same Idempotency-Key, answered with the first's answer).
    precondition: {
      holds: 'information_request_pending',
      messageId: sent.messageId,
      failure: () => new VersionConflict('This information request was completed by another request meanwhile.'),
    },
  });
}

/**
 * A staff member's information request whose e-mail went out but whose request failed before its history entry,
 * and was not retried in time: its entry is written now, in its sender's name (the e-mail is theirs), noting
 * whose request completed it, so that the e-mail is never without its entry when a new question replaces it.
 */
async function completeOnBehalf(id: string, pending: NonNullable<Complaint['informationRequest']>, staff: StaffMember, ports: StaffPorts) {
  const now = ports.now();
  try {
    return await ports.complaints.applyStaffChange({
      id,
      set: { informationRequest: { ...pending, requestedAt: pending.sentAt } },
      entry: {
        at: now.toISOString(),
        actor: pending.requestedBy,
        action: 'information_requested',
        after: { question: pending.question, messageId: pending.messageId, sentAt: pending.sentAt, completedBy: staff.id },
      },
      precondition: {
        holds: 'information_request_pending',
        messageId: pending.messageId,
        failure: () => new VersionConflict('The earlier information request was completed meanwhile.'),
      },
      // The entry is the earlier request's, not this one's: it never carries this request's Idempotency-Key.
      idempotency: null,
    });
  } catch (error) {
    if (!(error instanceof VersionConflict)) throw error;
    // Completed by its own retry or by another request meanwhile: go on from the complaint as it is now.
    return readComplaint(id, staff, ports);
  }
}

export async function requestExtension(id: string, request: z.infer<typeof extensionRequestSchema>, staff: StaffMember, ports: StaffPorts) {
  const complaint = await readComplaint(id, staff, ports);
  authorize(staff, 'complaint:extend', { department: departmentOf(complaint) });
  assertOpen(complaint);
  const policy = ports.policies.policyFor(complaint.policyId);
  if (!policy.extension) {
    throw new ValidationFailed([{ field: 'policy', message: `the ${policy.id} policy allows no extension` }]);
  }
  if (complaint.extension) throw new VersionConflict('The deadline was already extended once.');
  // The longer term holds only with its notice sent within the ordinary one, and the notice is e-mailed.
  if (complaint.customer.email === undefined) {
    throw new CustomerHasNoEmail(
      'The extension needs its notice sent to the customer within the ordinary term, and no e-mail address is known for them: the ordinary term stands.',
    );
  }
  const today = warsawCalendarDate(ports.now());
  const lastDay = extensionNoticeDeadline(policy, termStartOf(policy, complaint));
  if (today > lastDay) {
    // Art. 8 of the act of 5 August 2015: sending the notice within the term suffices.
    const duty = policy.metBy === 'dispatch' ? 'had to be sent' : 'had to reach the customer';
    throw new ValidationFailed([{ field: 'extension', message: `the notice ${duty} within the ordinary term, by ${lastDay}` }]);
  }
  const newDueBy = computeResponseDueBy(policy, termStartOf(policy, complaint), { extended: true });
  const now = ports.now();
  const updated = await ports.complaints.applyStaffChange({
    id,
    expectedVersion: request.version,
    set: {
      extension: {
        reason: request.reason,
        stillToEstablish: request.stillToEstablish,
        requestedAt: now.toISOString(),
        requestedBy: staff.id,
        previousResponseDueBy: complaint.responseDueBy,
      },
      responseDueBy: newDueBy,
      internalTarget: computeInternalTarget(policy, newDueBy),
      // Reminders count down to the new date from the start.
      reminders: {},
    },
    entry: entry(staff, now, 'deadline_extended', { responseDueBy: complaint.responseDueBy }, { responseDueBy: newDueBy, reason: request.reason }),
  });
  return wakeWorkflow(updated, ports);
}
