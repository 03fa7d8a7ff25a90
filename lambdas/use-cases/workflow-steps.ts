import { customerEmailOf, customerNameOf, type Assignment, type Complaint, type Extension, type SentEmail } from '../core/complaint';
import { NotFound } from '../core/errors';
import { assignDepartment, departmentById, handlingDepartment, STAFF_LANGUAGE, type DepartmentRules } from '../core/department-rules';
import { computeInternalTarget, computeReminderDates, extensionNoticeDeadline, termStartOf, type PolicyRegistry } from '../core/deadline-policy';
import { endOfWarsawDay } from '../core/calendar/warsaw-time';
import {
  deadlinePassedAlertEmail,
  decisionEmail,
  decisionInputOf,
  deemedAcceptedEmail,
  customerReplyEmail,
  departmentAssignmentEmail,
  extensionNoticeEmail,
  reminderEmail,
} from '../core/templates';
import { nextWorkflowAction, type WorkflowAction } from '../core/workflow-plan';
import { answerTooLate } from '../core/response-term';
import type { ComplaintRepository, WorkflowFact } from './ports';
import type { Mailer } from './ports';
import type { WorkflowWaker } from './ports';
import { acknowledgeComplaint } from './acknowledge-complaint';
import { sendOnce, type SendOncePorts } from './send-once';
import type { SendAttempt, SendEvidence } from '../core/delivery-evidence';

// What the workflow does to a complaint. `advanceComplaint` is the workflow's one working step: it reads the
// complaint, asks the planner what it needs, does it, and reads and asks again, until the answer is to wait or
// to finish. Each action works from the complaint as read for its plan, a moment before, and does its one
// thing at most once (the complaint records that it was done, under a condition that refuses a stale write),
// so a retried or re-run step repeats nothing and a step that failed half-way resumes where it was.

export interface StepPorts extends SendOncePorts {
  complaints: ComplaintRepository;
  mailer: Mailer;
  policies: PolicyRegistry;
  departments: DepartmentRules;
  waker: WorkflowWaker;
  companyName: string;
  statusPageUrl?: (reference: string, language: Complaint['language']) => string;
}

async function load(id: string, ports: Pick<StepPorts, 'complaints'>): Promise<Complaint> {
  const complaint = await ports.complaints.get(id);
  if (!complaint) throw new NotFound(`No complaint ${id}`);
  return complaint;
}

/** The department the rules route a complaint to, as the workflow records it. */
function routing(complaint: Complaint, ports: Pick<StepPorts, 'departments' | 'now'>) {
  const match = assignDepartment(ports.departments, {
    desiredRemedy: complaint.desiredRemedy,
    channel: complaint.channel,
    description: complaint.description,
    category: complaint.category,
    sourcePlatform: complaint.sourcePlatform,
  });
  return {
    departmentId: match.departmentId,
    ruleId: match.ruleId,
    reason: match.reason,
    rulesVersion: match.rulesVersion,
    assignedAt: ports.now().toISOString(),
    assignedBy: 'workflow',
  };
}

/**
 * The acknowledgement, with the routing and the department's notice in the same change when nobody routed the
 * complaint yet: the routing needs nothing the e-mail says, and the notice needs only the routing. One change
 * writes the complaint item once instead of three times and the notice rides in the assignment's event: 4 WCU
 * fewer than an acknowledgement-and-routing change followed by a notice change of its own (a complaint write
 * and an event item, both doubled in a transaction). Department and status move together, as in
 * assignDepartmentStep. The notice goes out after the acknowledgement, as before; if it cannot be sent now,
 * the acknowledgement and the routing are recorded without it and the planner sends it next (notify_department),
 * under the same send-once name, so it still goes out once. If staff routed the complaint in the moment
 * between, the acknowledgement is recorded alone and staff's department gets its own notice: the department
 * routed here then has a notice for a complaint that is not its own (a race of milliseconds, in the first
 * seconds of a complaint's life).
 */
function acknowledgeAndRoute(complaint: Complaint, ports: StepPorts) {
  const unrouted = !complaint.assignment && (complaint.status === 'received' || complaint.status === 'acknowledged');
  if (!unrouted) return acknowledgeComplaint(complaint, ports);
  // Once per step, however often the acknowledgement's record is retried: the notice is sent at most once here.
  let routed: ReturnType<typeof routeAndNotify> | undefined;
  return acknowledgeComplaint(
    complaint,
    ports,
    async () => (await (routed ??= routeAndNotify(complaint, ports))).facts,
    // The notice went out but is recorded nowhere: kept on its send-once claim, as SES's own Send event would
    // be, so the notice the planner sends for the workflow's routing next finds it and records it instead.
    async () => {
      const evidence = routed && (await routed).evidence;
      if (evidence) await ports.sendClaims.keepSendEvidence(evidence);
    },
  );
}

async function routeAndNotify(complaint: Complaint, ports: StepPorts): Promise<{ facts: WorkflowFact[]; evidence?: SendEvidence }> {
  const assignment = routing(complaint, ports);
  let sentAs: SendAttempt | undefined;
  // Recorded with the acknowledgement, not here: its record is the assignment's write.
  const notice = await sendDepartmentNotice(
    complaint,
    assignment,
    ports,
    async () => undefined,
    (attempt) => (sentAs = attempt),
  ).catch(() => undefined);
  if (!notice) return { facts: [{ kind: 'assignment', value: assignment, assigned: true }] };
  return {
    facts: [{ kind: 'assignment', value: assignment, assigned: true, notified: { ...notice, departmentId: assignment.departmentId } }],
    ...(sentAs ? { evidence: { ...sentAs, messageId: notice.messageId, at: notice.sentAt } } : {}),
  };
}

async function assignDepartmentStep(complaint: Complaint, ports: StepPorts): Promise<void> {
  const id = complaint.id;
  if (!complaint.assignment) {
    const value = routing(complaint, ports);
    // Department and status in one write; if staff moved the status on meanwhile, the department alone.
    if (await ports.complaints.record(id, { kind: 'assignment', value, assigned: true })) return;
    await ports.complaints.record(id, { kind: 'assignment', value });
  }
  await ports.complaints.record(id, { kind: 'status', from: ['received', 'acknowledged'], to: 'assigned' });
}

/** What the complaint needs now, and the complaint as read for that answer. */
async function planNextStep(id: string, ports: StepPorts): Promise<{ plan: WorkflowAction & { version: number }; complaint: Complaint }> {
  const complaint = await load(id, ports);
  const policy = ports.policies.policyFor(complaint.policyId);
  const action = nextWorkflowAction({
    complaint,
    reminderDates: computeReminderDates(policy, complaint.responseDueBy),
    now: ports.now(),
    extensionNoticeBy: complaint.extension && extensionNoticeBy(complaint.extension, complaint, ports),
  });
  return { plan: { ...action, version: complaint.version }, complaint };
}

/** Where Advance hands over: to a wait, to the end, or to the platform lookup (a state of its own in the ASL). */
type Resting = Extract<WorkflowAction, { action: 'wait' | 'finish' | 'look_up_order' }> & { version: number };

/**
 * A complaint needs a handful of actions at one moment at most (acknowledge, assign, notify, and perhaps a
 * decision already waiting); more than this means two actions undo each other, which is a bug to surface,
 * not to loop on inside a Lambda.
 */
const MAX_ACTIONS_PER_STEP = 10;

/**
 * Plans and acts in one invocation until the complaint rests (waits for a timer or a change) or is done.
 * One Lambda invocation per wake-up instead of a plan state and an act state per action keeps a
 * complaint's whole life near 15 state transitions (see the README, "Running it in AWS").
 */
export async function advanceComplaint(id: string, ports: StepPorts): Promise<Resting> {
  for (let done = 0; done < MAX_ACTIONS_PER_STEP; done++) {
    const { plan, complaint } = await planNextStep(id, ports);
    switch (plan.action) {
      case 'wait':
      case 'finish':
      case 'look_up_order':
        return plan;
      case 'acknowledge':
        await acknowledgeAndRoute(complaint, ports);
        break;
      case 'assign':
        await assignDepartmentStep(complaint, ports);
        break;
      case 'notify_department':
        await notifyDepartment(complaint, ports);
        break;
      case 'forward_reply':
        await forwardReply(complaint, ports);
        break;
      case 'send_extension_notice':
        await sendExtensionNotice(complaint, ports);
        break;
      case 'lapse_extension':
        await lapseExtension(complaint, ports);
        break;
      case 'send_decision':
        await sendDecision(complaint, ports);
        break;
      case 'remind':
        await sendReminder(complaint, { offset: plan.offset, escalation: plan.escalation }, ports);
        break;
      case 'deadline_passed':
        await handleDeadline(complaint, ports);
        break;
      default:
        throw new Error(`Unknown workflow action ${JSON.stringify(plan satisfies never)}`);
    }
  }
  throw new WorkflowDidNotSettle(`Complaint ${id} still needed actions after ${MAX_ACTIONS_PER_STEP} in one step`);
}

export class WorkflowDidNotSettle extends Error {
  override name = 'WorkflowDidNotSettle';
}

/**
 * Stores the token the workflow now waits on. If staff changed the complaint after it was planned, they
 * could not have found this token, so the wait ends at once and the workflow plans again.
 */
export async function registerWait(
  input: { complaintId: string; taskToken: string; plannedVersion: number },
  ports: Pick<StepPorts, 'complaints' | 'waker' | 'now'>,
): Promise<void> {
  const stored = await ports.complaints.storeWait(input.complaintId, {
    taskToken: input.taskToken,
    plannedVersion: input.plannedVersion,
    since: ports.now().toISOString(),
  });
  if (!stored) await ports.waker.wake(input.taskToken);
}

async function notifyDepartment(complaint: Complaint, ports: StepPorts) {
  const id = complaint.id;
  const assignment = complaint.assignment;
  if (!assignment) throw new NotFound(`Complaint ${id} has no department yet`);
  return sendDepartmentNotice(complaint, assignment, ports, (value) =>
    ports.complaints.record(id, { kind: 'departmentNotified', value: { ...value, departmentId: assignment.departmentId } }),
  );
}

/**
 * The send-once name of a department's notice. Each assignment is told once: a department assigned again later
 * gets a new notice. The workflow routes a complaint once, so its notice is named by the department alone: a
 * step retried after the notice went out routes again at another moment and must find the notice it sent.
 */
function departmentNoticeName(assignment: Assignment): string {
  return assignment.assignedBy === 'workflow'
    ? `department notice: ${assignment.departmentId} routed by the workflow`
    : `department notice: ${assignment.departmentId} assigned ${assignment.assignedAt}`;
}

function sendDepartmentNotice(
  complaint: Complaint,
  assignment: Assignment,
  ports: StepPorts,
  record: (sent: SentEmail) => Promise<unknown>,
  /** Told the attempt an e-mail goes out as (none when an earlier attempt's is recorded instead). */
  sentAs?: (attempt: SendAttempt) => void,
) {
  const department = departmentById(ports.departments, assignment.departmentId);
  const recorded = complaint.departmentNotified?.departmentId === assignment.departmentId ? complaint.departmentNotified : undefined;
  return sendOnce(
    {
      email: { complaintId: complaint.id, name: departmentNoticeName(assignment), record: 'departmentNotified' },
      recorded,
      send: (attempt) => {
        sentAs?.(attempt);
        return ports.mailer.send({
          to: department.email,
          attempt,
          ...departmentAssignmentEmail({
            language: STAFF_LANGUAGE,
            companyName: ports.companyName,
            reference: complaint.reference,
            departmentName: department.name,
            responseDueBy: complaint.responseDueBy,
            internalTarget: complaint.internalTarget ?? complaint.responseDueBy,
            reason: assignment.reason,
          }),
        });
      },
      record,
    },
    ports,
  );
}

/** The department hears that the customer answered its question (once per answer). */
async function forwardReply(complaint: Complaint, ports: StepPorts) {
  const id = complaint.id;
  const reply = complaint.customerReply;
  if (!reply) throw new NotFound(`Complaint ${id} has no reply to forward`);
  const department = handlingDepartment(complaint, ports.departments);
  return sendOnce(
    {
      email: { complaintId: id, name: `customer reply to ${reply.toRequest}`, record: 'replyForwarded' },
      recorded: complaint.replyForwarded?.toRequest === reply.toRequest ? complaint.replyForwarded : undefined,
      send: (attempt) =>
        ports.mailer.send({
          to: department.email,
          attempt,
          ...customerReplyEmail({
            language: STAFF_LANGUAGE,
            companyName: ports.companyName,
            reference: complaint.reference,
            departmentName: department.name,
            repliedAt: reply.at,
            attachments: reply.attachments,
            responseDueBy: complaint.responseDueBy,
          }),
        }),
      record: (value) =>
        ports.complaints.record(id, { kind: 'replyForwarded', value: { ...value, toRequest: reply.toRequest, departmentId: department.id } }),
    },
    ports,
  );
}

async function sendReminder(complaint: Complaint, input: { offset: number; escalation: boolean }, ports: StepPorts) {
  const department = handlingDepartment(complaint, ports.departments);
  return sendOnce(
    {
      email: { complaintId: complaint.id, name: `reminder ${input.offset}`, record: `reminders.${input.offset}` },
      recorded: complaint.reminders?.[String(input.offset)],
      send: (attempt) =>
        ports.mailer.send({
          attempt,
          to: input.escalation ? department.supervisorEmail : department.email,
          cc: input.escalation ? [department.email] : undefined,
          ...reminderEmail({
            language: STAFF_LANGUAGE,
            companyName: ports.companyName,
            reference: complaint.reference,
            departmentName: department.name,
            responseDueBy: complaint.responseDueBy,
            workingDaysLeft: input.offset,
            escalation: input.escalation,
          }),
        }),
      record: (value) =>
        ports.complaints.record(complaint.id, { kind: 'reminder', offset: input.offset, value: { ...value, escalation: input.escalation } }),
    },
    ports,
  );
}

async function handleDeadline(planned: Complaint, ports: StepPorts): Promise<void> {
  const id = planned.id;
  let complaint = planned;
  // An answer that went out in time stops the term. A decision not sent by its end (SES down, a workflow
  // waiting for a redrive), a letter not posted or posted too late, is no answer: the term passes for it as for silence.
  if (complaint.decisionSent || complaint.decisionPosted?.withinTerm) return;
  const policy = ports.policies.policyFor(complaint.policyId);
  if (!complaint.deadlinePassed) {
    await ports.complaints.record(id, {
      kind: 'deadlinePassed',
      value: { at: ports.now().toISOString(), effect: policy.silence },
      status: policy.silence === 'none' ? undefined : policy.silence,
    });
    complaint = await load(id, ports);
    if (!complaint.deadlinePassed) return; // an answer won the race
  }
  const passed = complaint.deadlinePassed;
  const department = handlingDepartment(complaint, ports.departments);
  await sendOnce(
    {
      email: { complaintId: id, name: 'deadline passed: supervisor alert', record: 'deadlinePassed.supervisorAlerted' },
      recorded: passed.supervisorAlerted,
      send: (attempt) =>
        ports.mailer.send({
          attempt,
          to: department.supervisorEmail,
          cc: [department.email],
          ...deadlinePassedAlertEmail({
            language: STAFF_LANGUAGE,
            companyName: ports.companyName,
            reference: complaint.reference,
            departmentName: department.name,
            responseDueBy: complaint.responseDueBy,
            silence: passed.effect,
          }),
        }),
      record: (value) => ports.complaints.record(id, { kind: 'deadlineEmail', field: 'supervisorAlerted', value }),
    },
    ports,
  );
  if (passed.effect === 'none' || !policy.notifyCustomerOnSilence || complaint.customer.email === undefined) return;
  const effect = passed.effect;
  await sendOnce(
    {
      email: { complaintId: id, name: 'deadline passed: customer notice', record: 'deadlinePassed.customerNotified' },
      recorded: passed.customerNotified,
      send: (attempt) =>
        ports.mailer.send({
          attempt,
          to: customerEmailOf(complaint),
          evidence: { complaintId: id, record: 'deadlinePassed.customerNotified' },
          ...deemedAcceptedEmail({
            language: complaint.language,
            companyName: ports.companyName,
            reference: complaint.reference,
            customerName: customerNameOf(complaint),
            responseDueBy: complaint.responseDueBy,
            silence: effect,
          }),
        }),
      record: (value) => ports.complaints.record(id, { kind: 'deadlineEmail', field: 'customerNotified', value }),
    },
    ports,
  );
}

/** Thrown before a decision or an extension's notice goes out once the term it had to beat has run out: it is not sent. */
class TermRanOut extends Error {
  override name = 'TermRanOut';
}

/** What `sending` settles to, or, when it was refused for TermRanOut, what `instead` does. */
async function unlessTermRanOut(sending: Promise<unknown>, instead: () => Promise<void>): Promise<void> {
  await sending.catch((error: unknown) => {
    if (error instanceof TermRanOut) return instead();
    throw error;
  });
}

async function sendDecision(complaint: Complaint, ports: StepPorts) {
  const id = complaint.id;
  const decision = complaint.decision;
  if (!decision) throw new NotFound(`Complaint ${id} has no decision to send`);
  const policy = ports.policies.policyFor(complaint.policyId);
  const sent = sendOnce(
    {
      email: { complaintId: id, name: 'decision', record: 'decisionSent' },
      recorded: complaint.decisionSent,
      // Checked when it would go out, not when it was planned: SES may have refused it until past the term's
      // end. One an earlier attempt sent in time is recorded from SES's evidence, with its own time.
      send: (attempt) => {
        if (answerTooLate(policy, complaint, ports.now())) throw new TermRanOut();
        return ports.mailer.send({
          attempt,
          to: customerEmailOf(complaint),
          evidence: { complaintId: id, record: 'decisionSent' },
          // The stored answer as the customer reads it: the ADR statement and the appeal routes as sentences.
          ...decisionEmail(decisionInputOf(complaint, ports.companyName)),
        });
      },
      record: (value) => ports.complaints.record(id, { kind: 'decisionSent', value }),
    },
    ports,
  );
  // Not sent, and too late now: the term's effect applies, as to silence, and the supervisor hears of it.
  await unlessTermRanOut(sent, () => handleDeadline(complaint, ports));
}

async function sendExtensionNotice(complaint: Complaint, ports: StepPorts) {
  const id = complaint.id;
  const extension = complaint.extension;
  if (!extension) throw new NotFound(`Complaint ${id} has no extension to announce`);
  const noticeEnd = endOfWarsawDay(extensionNoticeBy(extension, complaint, ports));
  const sent = sendOnce(
    {
      email: { complaintId: id, name: 'extension notice', record: 'extension.noticeSent' },
      recorded: extension.noticeSent,
      // As for a decision: checked when it would go out. A notice sent after the ordinary term extends nothing.
      send: (attempt) => {
        if (ports.now() >= noticeEnd) throw new TermRanOut();
        return ports.mailer.send({
          attempt,
          to: customerEmailOf(complaint),
          evidence: { complaintId: id, record: 'extension.noticeSent' },
          ...extensionNoticeEmail({
            language: complaint.language,
            companyName: ports.companyName,
            reference: complaint.reference,
            customerName: customerNameOf(complaint),
            reason: extension.reason,
            stillToEstablish: extension.stillToEstablish,
            newResponseDueBy: complaint.responseDueBy,
          }),
        });
      },
      record: (value) => ports.complaints.record(id, { kind: 'extensionNotice', value }),
    },
    ports,
  );
  await unlessTermRanOut(sent, () => lapseExtension(complaint, ports));
}

/**
 * The last day an extension's notice may go out, as the request was checked (staff-actions.ts, requestExtension);
 * the ordinary due date should the policy no longer allow extensions.
 */
function extensionNoticeBy(extension: Extension, complaint: Complaint, ports: Pick<StepPorts, 'policies'>): string {
  const policy = ports.policies.policyFor(complaint.policyId);
  return policy.extension ? extensionNoticeDeadline(policy, termStartOf(policy, complaint)) : extension.previousResponseDueBy;
}

/** The extension's notice did not go out within the ordinary term: the ordinary due date stands, and its end applies. */
async function lapseExtension(complaint: Complaint, ports: StepPorts) {
  const extension = complaint.extension;
  if (!extension) throw new NotFound(`Complaint ${complaint.id} has no extension`);
  const policy = ports.policies.policyFor(complaint.policyId);
  await ports.complaints.record(complaint.id, {
    kind: 'extensionLapsed',
    at: ports.now().toISOString(),
    responseDueBy: extension.previousResponseDueBy,
    internalTarget: computeInternalTarget(policy, extension.previousResponseDueBy),
  });
}
