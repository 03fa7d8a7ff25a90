import * as z from './zod';
import { calendarDateSchema } from './calendar/calendar-date';
import { attachmentIdSchema, MAX_ATTACHMENTS } from './attachments';
import { emailLookupSchema, languages, OPEN, type Complaint, type HistoryEntry } from './complaint';
import { multiLine } from './text-fields';
import { DomainError } from './errors';
import { parseReference } from './reference';
import { MAX_REPLY_CHARACTERS } from './reply-limit';

// What a customer may see of their complaint on the status page: its state, the due date and the steps meant
// for them. Never an internal note, a staff id or name, a department, a reminder or an escalation: the view is
// built by naming what is shown (an allow-list), so a new kind of history entry stays internal until added here.

/** The status page's question: the reference and the e-mail address the complaint was filed with. */
export const statusLookupSchema = z.object({
  reference: z.pipe(
    z.string().check(z.trim(), z.maxLength(40)),
    z.transform((value, context) => {
      const reference = parseReference(value);
      if (reference === undefined) {
        context.issues.push({ code: 'custom', message: 'must be a complaint reference such as RK-7XK4M-9QPZT', input: value });
        return z.NEVER;
      }
      return reference;
    }),
  ),
  // In the form it was stored in (the domain in ASCII), so anna@bücher.de and anna@xn--bcher-kva.de find the same complaint.
  email: emailLookupSchema,
  language: z.preprocess((v) => (v === '' ? undefined : v), z._default(z.enum(languages), 'pl')),
});

export type StatusLookup = z.infer<typeof statusLookupSchema>;

/** The states a customer is told about; several internal statuses read the same from outside. */
export const customerStatuses = ['received', 'in_progress', 'answered', 'deemed_accepted'] as const;
export type CustomerStatus = (typeof customerStatuses)[number];

export const customerEvents = [
  'received',
  'acknowledged',
  'assigned',
  'information_requested',
  'replied',
  'extended',
  'answered',
  'deemed_accepted',
] as const;
export type CustomerEvent = (typeof customerEvents)[number];

export const customerStatusSchema = z.object({
  reference: z.string(),
  status: z.enum(customerStatuses),
  receivedOn: calendarDateSchema,
  responseDueBy: calendarDateSchema,
  history: z.array(
    z.object({
      at: z.isoDateTime,
      event: z.enum(customerEvents),
      /**
       * The question asked (information_requested), the customer's own answer (replied) or the new due date
       * (extended): what the customer was told, or said.
       */
      detail: z.optional(z.string()),
    }),
  ),
  /** An information request waits for the customer's answer, which they can give on the status page. */
  awaitingReply: z.boolean(),
});

export type CustomerStatusView = z.infer<typeof customerStatusSchema>;

/** The customer's answer to an information request, given on the status page with reference and e-mail. */
export const customerReplySchema = z.extend(statusLookupSchema, {
  text: multiLine(MAX_REPLY_CHARACTERS),
  /**
   * Files uploaded through POST /complaints/attachments, as at filing. An HTML form sends them as one field, the
   * ids separated by spaces (the page's script fills it in; without JavaScript it is empty).
   */
  attachments: z.preprocess(
    (value) => (typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : value),
    z._default(z.array(attachmentIdSchema).check(z.maxLength(MAX_ATTACHMENTS, `at most ${MAX_ATTACHMENTS} files`)), []),
  ),
});

export type CustomerReply = z.infer<typeof customerReplySchema>;

/**
 * A reply when no question waits for one: none was asked, it was answered already (with something else than
 * this reply), or the complaint was decided meanwhile. Repeating the reply cannot help; reading the status again
 * (Retry-After, as every 409 here) shows why.
 */
export class NoQuestionToAnswer extends DomainError {
  override name = 'NoQuestionToAnswer';
  readonly status = 409;
  readonly type = 'no-question-to-answer';
  readonly title = 'No question waits for your answer';
  readonly retryAfterSeconds = 1;
  constructor() {
    super('This complaint is not waiting for information from you: the question was answered already, or none was asked.');
  }
}

/** The information request a reply would answer now, if one waits for it. */
export function openQuestion(complaint: Complaint): NonNullable<Complaint['informationRequest']> | undefined {
  const request = complaint.informationRequest;
  if (!request?.requestedAt || complaint.decision || !(OPEN as readonly string[]).includes(complaint.status)) return undefined;
  return complaint.customerReply?.toRequest === request.messageId ? undefined : request;
}

/**
 * The one answer for "no such reference" and "not this e-mail address", word for word, so that nobody can
 * learn from it whether a reference exists.
 */
export class StatusNotFound extends DomainError {
  override name = 'StatusNotFound';
  readonly status = 404;
  readonly type = 'complaint-not-found';
  readonly title = 'No complaint with this reference and e-mail address';
  constructor() {
    super('No complaint matches this reference and e-mail address. Check both and try again.');
  }
}

function customerStatusOf(complaint: Complaint): CustomerStatus {
  switch (complaint.status) {
    case 'received':
    case 'acknowledged':
      return 'received';
    case 'assigned':
      return 'in_progress';
    case 'decided':
      // Recorded but not yet sent (a moment, or the printed letter not posted yet): not answered until it leaves.
      return complaint.decisionSent || complaint.decisionPosted ? 'answered' : 'in_progress';
    case 'closed':
      return 'answered';
    case 'deemed_accepted':
    case 'deemed_resolved_for_customer':
      return 'deemed_accepted';
  }
}

/** The customer's reading of one history entry, or undefined when it is internal. */
function customerEventOf(entry: HistoryEntry): CustomerStatusView['history'][number] | undefined {
  const at = entry.at;
  switch (entry.action) {
    case 'complaint_received':
      return { at, event: 'received' };
    case 'acknowledgement_sent':
    case 'acknowledgement_recorded':
      return { at, event: 'acknowledged' };
    case 'department_assigned':
      // Only the fact: which department, who assigned it and why are internal.
      return { at, event: 'assigned' };
    case 'information_requested': {
      const question = entry.after?.question;
      return { at, event: 'information_requested', ...(typeof question === 'string' ? { detail: question } : {}) };
    }
    case 'customer_replied': {
      const text = entry.after?.text;
      return { at, event: 'replied', ...(typeof text === 'string' ? { detail: text } : {}) };
    }
    case 'deadline_extended': {
      const dueBy = entry.after?.responseDueBy;
      return { at, event: 'extended', ...(typeof dueBy === 'string' ? { detail: dueBy } : {}) };
    }
    case 'decision_sent':
    case 'decision_posted':
      return { at, event: 'answered' };
    case 'deadline_passed':
      return entry.after?.effect === 'deemed_accepted' || entry.after?.effect === 'deemed_resolved_for_customer'
        ? { at, event: 'deemed_accepted' }
        : undefined;
    default:
      return undefined;
  }
}

export function customerView(complaint: Complaint, history: readonly HistoryEntry[]): CustomerStatusView {
  const events = history.flatMap((entry) => customerEventOf(entry) ?? []);
  // A reassignment is a second "assigned": the customer learns nothing from it, so only the first is shown.
  const shown = events.filter((event, index) => event.event !== 'assigned' || events.findIndex((e) => e.event === 'assigned') === index);
  return {
    reference: complaint.reference,
    status: customerStatusOf(complaint),
    receivedOn: complaint.receivedOn,
    responseDueBy: complaint.responseDueBy,
    history: shown,
    awaitingReply: openQuestion(complaint) !== undefined,
  };
}
