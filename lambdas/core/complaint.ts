import * as z from './zod';
import { CustomerHasNoEmail } from './errors';
import { calendarDateSchema } from './calendar/calendar-date';
import { appealRouteIds } from './company-profile';
import { multiLine, oneLine, singleLine, trimmed, undisguised } from './text-fields';
import { attachmentIdSchema, MAX_ATTACHMENTS, storedAttachmentSchema, type StoredAttachment } from './attachments';

// The zod schemas are the types (STYLE.md §2): they validate requests, type the handlers and feed OpenAPI.

export const remedies = ['repair', 'replacement', 'price_reduction', 'refund'] as const;
export const languages = ['pl', 'en'] as const;
export const channels = ['web', 'letter', 'phone', 'in_person', 'email', 'webhook'] as const;
export const statuses = ['received', 'acknowledged', 'assigned', 'decided', 'closed', 'deemed_accepted', 'deemed_resolved_for_customer'] as const;

/** The statuses in which a complaint waits for its answer: staff and the customer can still act on it. */
export const OPEN = ['received', 'acknowledged', 'assigned'] as const;

export type Language = (typeof languages)[number];
export type ComplaintStatus = (typeof statuses)[number];

/** A plain HTML form sends '' for an empty optional field: that means "not given", not "given empty". */
const blankIsAbsent = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const optionalText = (max: number) => z.preprocess(blankIsAbsent, z.optional(singleLine(max)));

/** A checkbox posts "on"; JSON posts true. Anything else is not an acknowledgement. */
const acknowledged = z.preprocess(
  (value) => (value === 'on' || value === 'true' ? true : value),
  z.literal(true, { error: 'the privacy notice must be acknowledged' }),
);

// What may not be in a domain, and which the URL parser would not refuse but drop or read as something else (tabs
// and newlines are removed, `/?#` end the host, `:` starts a port, `%` is decoded): such an address is not converted,
// and fails the e-mail check as it is.
// eslint-disable-next-line no-control-regex -- control characters are among what this pattern finds
const NOT_IN_A_DOMAIN = /[\u0000-\u0020\u007F/\\?#:@[\]%]/;

/**
 * An address whose domain is internationalised (anna@bücher.de) is the same address as its punycode form
 * (anna@xn--bcher-kva.de), which is what DNS and SES take: the domain is converted before the address is checked,
 * so it is stored, e-mailed and looked up in one form whichever form was typed. The conversion is the WHATWG URL
 * parser's host parsing (UTS #46, as browsers do it; node:url's domainToASCII is the same parser): it runs alike
 * in the Lambda functions and in the form's script in the browser, where node:url does not exist, and costs no
 * import. An ASCII domain is left exactly as typed; one the parser refuses stays as it is and fails the check.
 */
function withAsciiDomain(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const address = value.trim();
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  // eslint-disable-next-line no-control-regex -- the whole ASCII range: such a domain needs no conversion
  if (at < 0 || /^[\u0000-\u007F]*$/.test(domain) || NOT_IN_A_DOMAIN.test(domain)) return address;
  try {
    return `${address.slice(0, at)}@${new URL(`http://${domain}`).hostname}`;
  } catch {
    return address;
  }
}

/** RFC 5321 §4.5.3.1.1 and .2: a local part of at most 64 octets, a domain label of at most 63 (ASCII here, one octet each). */
const MAX_LOCAL_PART = 64;
const MAX_DOMAIN_LABEL = 63;

/** One message for an address, the first thing wrong with it (a field gets one issue, not one per rule). */
const deliverable = z.check<string>((payload) => {
  if (payload.issues.length > 0) return;
  const at = payload.value.lastIndexOf('@');
  const message =
    at > MAX_LOCAL_PART
      ? `must have at most ${MAX_LOCAL_PART} characters before the @`
      : payload.value
            .slice(at + 1)
            .split('.')
            .some((label) => label.length > MAX_DOMAIN_LABEL)
        ? `must have at most ${MAX_DOMAIN_LABEL} characters in each part of its domain (between dots)`
        : undefined;
  if (message) payload.issues.push({ code: 'custom', message, input: payload.value });
});

/** An e-mail address we write to: checked as SMTP takes it, its domain in ASCII. */
export const emailAddressSchema = z.preprocess(withAsciiDomain, z.email('must be an e-mail address').check(z.maxLength(254), deliverable));

/**
 * An e-mail address to look a complaint up by (the status page, the staff list): in the stored form (its domain in
 * ASCII), without the limits that came after some complaints were filed, so that every stored address is found.
 */
export const emailLookupSchema = z.preprocess(withAsciiDomain, z.email('must be an e-mail address').check(z.maxLength(254)));

export const customerSchema = z.object({
  name: singleLine(200),
  email: emailAddressSchema,
  phone: z.preprocess(
    blankIsAbsent,
    z.optional(z.string().check(z.trim(), z.regex(/^\+?[0-9][0-9 ()-]{5,19}$/, 'must be a phone number such as +48600700800'))),
  ),
});

/**
 * What a complaint says, whichever door it came in by: the public form, a member of staff registering a letter
 * or a call, a shop's webhook. Each door has its own rules on top (the form's below); intake takes this.
 */
export const complaintContentSchema = z.object({
  customer: customerSchema,
  orderNumber: optionalText(100),
  product: optionalText(200),
  purchaseDate: z.preprocess(blankIsAbsent, z.optional(calendarDateSchema)),
  description: multiLine(10_000),
  desiredRemedy: z.enum(remedies, { error: `must be one of ${remedies.join(', ')}` }),
  language: z.preprocess(blankIsAbsent, z._default(z.enum(languages), 'pl')),
  /**
   * The customer asks for the answer by e-mail. Under art. 5(2) of the act of 5 August 2015 a financial
   * answer goes on paper unless the customer asked for this; other policies answer by e-mail anyway.
   */
  answerByEmail: z.preprocess(
    (value) => (value === 'on' || value === 'true' ? true : value === 'false' || value === '' ? false : value),
    z.optional(z.boolean()),
  ),
});

export type ComplaintContent = z.infer<typeof complaintContentSchema>;

/**
 * The customer as stored. Every door but one gives name and e-mail at intake; a Shopify return request names
 * neither, and the workflow reads them from the shop's order afterwards (`platformLookup`). Until then, or
 * when the shop could not tell, they are absent: nothing is e-mailed to the customer, and staff see why.
 */
export const storedCustomerSchema = z.extend(customerSchema, {
  name: z.optional(customerSchema.shape.name),
  email: z.optional(customerSchema.shape.email),
});

export type StoredCustomer = z.infer<typeof storedCustomerSchema>;

/** A complaint's content as intake stores it: the customer may still lack what the platform will tell. */
export type IntakeContent = Omit<ComplaintContent, 'customer'> & { customer: StoredCustomer };

/**
 * What the workflow must still read from the shop's platform before acknowledging (Shopify: the order behind
 * a return request, through the Admin API with the shop's token), and how that went. `failed` carries the
 * reason staff read; the legal term runs from receipt whatever happens here.
 */
export const platformLookupSchema = z.object({
  platform: z.literal('shopify'),
  /** The webhook source whose Admin API access reads it (config/webhooks.local.json, the secret in AWS). */
  source: z.string(),
  /** The platform's id of the order, e.g. gid://shopify/Order/450789469. */
  orderId: z.string(),
  state: z.enum(['pending', 'done', 'failed']),
  at: z.optional(z.isoDateTime),
  reason: z.optional(z.string()),
});

export type PlatformLookup = z.infer<typeof platformLookupSchema>;

/**
 * What a customer sends to `POST /complaints` (the public contract): the content, plus the form's own rules:
 * a description that says something, and the privacy notice acknowledged (complaint handling is a legal
 * obligation, GDPR art. 6(1)(c): the customer acknowledges the notice rather than consenting).
 */
export const complaintSubmissionSchema = z.extend(complaintContentSchema, {
  description: multiLine(10_000, { length: 10, message: 'must say what is wrong in at least 10 characters' }),
  privacyNoticeAccepted: acknowledged,
  /** Files uploaded through POST /complaints/attachments, by the ids of their slots; checked and linked at intake. */
  attachments: z.optional(z.array(attachmentIdSchema).check(z.maxLength(MAX_ATTACHMENTS, `at most ${MAX_ATTACHMENTS} files`))),
});

export type ComplaintSubmission = z.infer<typeof complaintSubmissionSchema>;

/** Why the customer complains, as shops classify it; the platform's own code is kept beside it (`reason.platformCode`). */
export const complaintReasonCodes = ['defective', 'not_as_described', 'wrong_item', 'damaged_in_transit', 'missing_parts', 'other'] as const;

// Shown to staff (`show`) and sent on in outbound webhooks: one line, nothing disguised, as every other text.
const platformId = z.string().check(trimmed, z.minLength(1), z.maxLength(100), oneLine, undisguised);

/**
 * What a shop knows about a complaint beyond what the customer wrote: its own ids (order, return, line
 * items), the items with quantities, and why, in our words and its own. Shops send it with the canonical
 * `complaint.created` event or a platform mapping fills it (lambdas/core/platforms/).
 */
export const shopDetailsSchema = z.object({
  orderId: z.optional(platformId),
  returnId: z.optional(platformId),
  items: z.optional(
    z
      .array(
        z.object({
          lineItemId: z.optional(platformId),
          productId: z.optional(platformId),
          sku: z.optional(platformId),
          name: z.optional(singleLine(200)),
          quantity: z.number().check(z.int(), z.gte(1), z.lte(100_000)),
        }),
      )
      .check(z.maxLength(100)),
  ),
  reason: z.object({
    code: z.enum(complaintReasonCodes, { error: `must be one of ${complaintReasonCodes.join(', ')}` }),
    platformCode: z.optional(platformId),
  }),
});

export type ShopDetails = z.infer<typeof shopDetailsSchema>;

/** Where and how a complaint came in: what intake records beside its content. */
export interface IntakeMetadata {
  channel: (typeof channels)[number];
  /** Who took it in: `customer` for the public form, a staff id, or the integration's name. */
  actor: string;
  /** The real date of receipt (Warsaw calendar day) when it is not today: the deadline counts from it. */
  receivedOn?: string;
  /**
   * The day the item reached the guarantor, for a policy whose term counts from it (`trigger: item_delivered`,
   * art. 580 KC): the deadline counts from this day instead of the complaint's.
   */
  itemDeliveredOn?: string;
  /** The deadline policy, when the door names one (staff may); else the deployment's default. */
  policyId?: string;
  /** The shop platform a complaint came from (e.g. shopify), and its own id of the complaint there. */
  sourcePlatform?: string;
  externalId?: string;
  /** What the shop knows (its ids, the items, the reason code): a webhook door gives it. */
  shopDetails?: ShopDetails;
  /** What the workflow is to read from the platform before acknowledging (a Shopify return request's order). */
  platformLookup?: Pick<PlatformLookup, 'platform' | 'source' | 'orderId'>;
  /** The customer acknowledged the privacy notice (the public form makes sure of it). */
  privacyNoticeAccepted?: true;
  /** The files the submission named, checked and kept (use-cases/attachments.ts). */
  attachments?: StoredAttachment[];
}

export const outcomes = ['accepted', 'partly_accepted', 'rejected'] as const;

/** Evidence of an e-mail we sent: SES's message id, when, and (later) what SES reported about delivery. */
export const sentEmailSchema = z.object({
  messageId: z.string(),
  sentAt: z.isoDateTime,
  delivery: z.optional(z.enum(['delivered', 'bounced', 'complained'])),
  deliveryAt: z.optional(z.isoDateTime),
});

export const decisionSchema = z.object({
  outcome: z.enum(outcomes),
  remedy: z.optional(z.enum(remedies)),
  // Every text of the decision reaches the customer's e-mail, the printed letter and the staff's terminal.
  justification: z.optional(multiLine(10_000)),
  signerName: z.optional(singleLine(200)),
  signerPosition: z.optional(singleLine(200)),
  /** Overrides the company's standing ADR position (config/company.json) for this answer (art. 32 of the ADR act). */
  adrStatement: z.optional(
    multiLine(2_000, {
      length: 20,
      message: 'must state whether the company agrees to out-of-court dispute resolution, and before which body',
    }),
  ),
  /** Routes from the company's configuration (art. 10 of the act of 5 August 2015); all it offers when omitted. */
  appealRoutes: z.optional(
    z.array(z.enum(appealRouteIds, { error: `must be one of ${appealRouteIds.join(', ')}` })).check(z.maxLength(appealRouteIds.length)),
  ),
  /** Where money is paid: the date it will be paid by, at most 30 days on (art. 9 of the act of 5 August 2015). */
  paymentDueBy: z.optional(calendarDateSchema),
  /** Where money is paid or credited: how much, e.g. "120,00 zł". */
  paymentAmount: z.optional(singleLine(100)),
  /** Where money is paid or credited: how, e.g. "przelew na rachunek podany w reklamacji". */
  paymentMethod: z.optional(singleLine(500, { length: 3, message: 'must say how, in at least 3 characters' })),
});

/**
 * The decision as stored: the request completed from the company's configuration, and how it reaches the customer.
 * Its texts are read back as they were stored: a decision recorded before its texts were checked as they are now
 * is still read (a 500 on every read of its complaint would help no one); every new one passed decisionSchema.
 */
export const storedDecisionSchema = z.extend(decisionSchema, {
  justification: z.optional(z.string()),
  signerName: z.optional(z.string()),
  signerPosition: z.optional(z.string()),
  adrStatement: z.optional(z.string()),
  paymentAmount: z.optional(z.string()),
  paymentMethod: z.optional(z.string()),
  decidedAt: z.isoDateTime,
  decidedBy: z.string(),
  /** The appeal routes as the answer states them, in the customer's language. */
  appealRouteTexts: z.optional(z.array(z.string())),
  /** `post`: a printed letter staff send (art. 5(2) of the act of 5 August 2015); absent or `email`: e-mailed. */
  delivery: z.optional(z.enum(['email', 'post'])),
  /** What the staff member was told when recording it, e.g. that the answer may arrive late. */
  warnings: z.optional(z.array(z.string())),
});

/**
 * One entry of the complaint's audit trail: who (a staff id, `workflow` or `customer`), when, what, and the
 * fields before and after. Entries are only ever appended, in the same write as the change they describe.
 */
export const historyEntrySchema = z.object({
  at: z.isoDateTime,
  actor: z.string(),
  action: z.string(),
  before: z.optional(z.record(z.string(), z.unknown())),
  after: z.optional(z.record(z.string(), z.unknown())),
});

export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** A complaint as stored and read back: the submission plus what the product decided on receipt. */
/** A complaint as stored and read back: its content, where it came from, and what happened to it since. */
export const complaintSchema = z.extend(complaintContentSchema, {
  // The address read back as stored: one filed before the RFC 5321 length limits were checked is still read.
  customer: z.extend(storedCustomerSchema, { email: z.optional(emailLookupSchema) }),
  /** Set when the customer acknowledged the privacy notice at intake (the public form); other doors may not ask. */
  privacyNoticeAccepted: z.optional(z.literal(true)),
  id: z.string(),
  reference: z.string(),
  status: z.enum(statuses),
  channel: z.enum(channels),
  policyId: z.string(),
  /** The shop platform a complaint came from through a webhook (e.g. shopify); used by routing rules. */
  sourcePlatform: z.optional(z.string()),
  /** Photos and PDFs the customer attached, checked and kept (staff open them through short-lived links). */
  attachments: z.optional(z.array(storedAttachmentSchema)),
  /** The platform's own id of the complaint (a return, a claim): what it is called there. */
  externalId: z.optional(z.string()),
  /** A category given by an integration or staff; used by routing rules. */
  category: z.optional(z.string()),
  /** What the shop knows about it (a webhook's complaint): its ids, the items, the reason in our words and its own. */
  shopDetails: z.optional(shopDetailsSchema),
  receivedAt: z.isoDateTime,
  receivedOn: calendarDateSchema,
  /** The day the item reached the guarantor, when the term counts from it (IntakeMetadata.itemDeliveredOn). */
  itemDeliveredOn: z.optional(calendarDateSchema),
  responseDueBy: calendarDateSchema,
  version: z.number().check(z.int(), z.nonnegative()),
  acknowledgement: z.optional(sentEmailSchema),
  internalTarget: z.optional(calendarDateSchema),
  assignment: z.optional(
    z.object({
      departmentId: z.string(),
      ruleId: z.nullable(z.string()),
      reason: z.string(),
      rulesVersion: z.string(),
      assignedAt: z.isoDateTime,
      assignedBy: z.string(),
    }),
  ),
  /** The department that was last told about the complaint; differs from assignment after a reassignment. */
  departmentNotified: z.optional(z.extend(sentEmailSchema, { departmentId: z.string() })),
  /** Reminders sent, by offset in working days before the due date: one per offset, ever. */
  /**
   * The record is when and how it went out; SES's message id is in the reminder's history entry (internal
   * e-mails carry no delivery evidence), which keeps the complaint item under 1 KB (adapters/complaint-repository.ts).
   */
  /**
   * The reminders sent, by offset (working days before the due date). `escalation` only on reminders recorded
   * before it was left out: whether one escalated is its history entry's action (escalation_sent), and the
   * policy's last offset.
   */
  reminders: z.optional(z.record(z.string(), z.object({ sentAt: z.isoDateTime, escalation: z.optional(z.boolean()) }))),
  decision: z.optional(storedDecisionSchema),
  decisionSent: z.optional(sentEmailSchema),
  /** A printed answer: the day staff posted it (what a `dispatch` deadline checks), and who recorded it. */
  decisionPosted: z.optional(z.object({ postedOn: calendarDateSchema, recordedAt: z.isoDateTime, recordedBy: z.string(), withinTerm: z.boolean() })),
  /** An acknowledgement of receipt given outside the product (handed over in person, by letter or phone). */
  acknowledgedOffline: z.optional(
    z.object({ on: calendarDateSchema, how: z.enum(['handed_over', 'letter', 'phone']), recordedAt: z.isoDateTime, recordedBy: z.string() }),
  ),
  /** The last answer (or extension notice) the customer's mailbox refused, and the alert staff were sent about it. */
  bounceAlert: z.optional(z.extend(sentEmailSchema, { bounced: z.string(), record: z.string() })),
  extension: z.optional(
    z.object({
      reason: z.string(),
      stillToEstablish: z.string(),
      requestedAt: z.isoDateTime,
      requestedBy: z.string(),
      previousResponseDueBy: calendarDateSchema,
      noticeSent: z.optional(sentEmailSchema),
      /** The notice did not go out within the ordinary term: the extension never took effect (art. 7 of the act of 5 August 2015). */
      lapsedAt: z.optional(z.isoDateTime),
    }),
  ),
  /**
   * The latest question staff e-mailed the customer. Recorded as soon as SES accepted the e-mail (send-once.ts),
   * then completed with who asked and when by the staff change that writes its history entry: a request that
   * failed in between finds its e-mail here when retried, and sends no second one.
   */
  informationRequest: z.optional(
    z.extend(sentEmailSchema, { question: z.string(), requestedBy: z.string(), requestedAt: z.optional(z.isoDateTime) }),
  ),
  /**
   * The customer's answer to the information request whose e-mail is `toRequest` (one answer per request), given
   * on the status page. Its text is in the history entry (customer_replied); here only what the workflow and the
   * status page decide on, and a digest of what was sent, so that the same reply sent twice is recognised.
   */
  customerReply: z.optional(
    z.object({ at: z.isoDateTime, toRequest: z.string(), digest: z.string(), attachments: z.number().check(z.int(), z.nonnegative()) }),
  ),
  /** The department was e-mailed the customer's reply to the request `toRequest`. */
  replyForwarded: z.optional(z.extend(sentEmailSchema, { toRequest: z.string(), departmentId: z.string() })),
  deadlinePassed: z.optional(
    z.object({
      at: z.isoDateTime,
      effect: z.enum(['deemed_accepted', 'deemed_resolved_for_customer', 'none']),
      supervisorAlerted: z.optional(sentEmailSchema),
      customerNotified: z.optional(sentEmailSchema),
    }),
  ),
  /**
   * Not stored on the complaint: each entry is an item of its own (see complaint-events.ts). Staff views
   * carry the newest page here, and `olderHistory` continues to older entries.
   */
  history: z._default(z.array(historyEntrySchema), []),
  olderHistory: z.optional(z.string()),
  /** The callback the workflow is waiting on, so a staff action can wake it at once. */
  workflowWait: z.optional(z.object({ taskToken: z.string(), plannedVersion: z.number().check(z.int()), since: z.isoDateTime })),
  /** What the workflow reads from the shop's platform before acknowledging, and how it went (staff see a failure's reason). */
  platformLookup: z.optional(platformLookupSchema),
  /** Set by the workflow when a step failed for good, so staff see it and can redrive. */
  workflowAttention: z.optional(z.object({ step: z.string(), error: z.string(), at: z.string() })),
});

export type Acknowledgement = NonNullable<Complaint['acknowledgement']>;
export type Assignment = NonNullable<Complaint['assignment']>;
export type Decision = NonNullable<Complaint['decision']>;
export type Extension = NonNullable<Complaint['extension']>;
export type SentEmail = z.infer<typeof sentEmailSchema>;

export type Complaint = z.infer<typeof complaintSchema>;

/** The answer to a successful submission: what the customer needs to follow the complaint up. */
export const complaintReceiptSchema = z.pick(complaintSchema, {
  id: true,
  reference: true,
  status: true,
  receivedAt: true,
  responseDueBy: true,
});

export type ComplaintReceipt = z.infer<typeof complaintReceiptSchema>;

/** The customer as what is written to them names them: their name, else their e-mail, else a plain salutation. */
export function customerNameOf(complaint: Pick<Complaint, 'customer' | 'language'>): string {
  return complaint.customer.name ?? complaint.customer.email ?? (complaint.language === 'en' ? 'Customer' : 'Klient');
}

/** Where an e-mail to the customer goes. The workflow plans none without an address; staff are refused one. */
export function customerEmailOf(complaint: Pick<Complaint, 'customer' | 'reference' | 'platformLookup'>): string {
  if (complaint.customer.email) return complaint.customer.email;
  const why = complaint.platformLookup?.reason ? ` (${complaint.platformLookup.reason})` : '';
  throw new CustomerHasNoEmail(`Complaint ${complaint.reference} has no customer e-mail address${why}; reach the customer another way.`);
}

export function receiptOf(complaint: Complaint): ComplaintReceipt {
  const { id, reference, status, receivedAt, responseDueBy } = complaint;
  return { id, reference, status, receivedAt, responseDueBy };
}
