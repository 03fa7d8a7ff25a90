import * as z from './zod';
import type { CalendarDate } from './calendar/calendar-date';
import { addMonths, dayOfWeek } from './calendar/calendar-date';
import { InvalidConfiguration } from './errors';
import { addCalendarDays, isPublicHoliday, nextDayNotSaturdayOrHoliday, subtractWorkingDays } from './calendar/polish-calendar';

// One record per deadline policy (domain.md, "One policy record"): the law is data in config/policies.json,
// and the few functions below are the only place its days are counted.

/**
 * The elements an answer may be required to carry (lambdas/core/answer-requirements.ts checks them). "Not
 * accepted" means rejected or only partly accepted: the statutes speak of claims "not fully accepted".
 */
export const answerElements = [
  /** The factual and legal grounds whenever the demand is not met in full (art. 9 of the act of 5 August 2015). */
  'justification_if_not_met',
  /** The name and position of the person answering (art. 9 of the act of 5 August 2015). */
  'signer_name_and_position',
  /** The real appeal routes from the company's configuration (art. 10 of the act of 5 August 2015). */
  'appeal_routes_if_not_accepted',
  /** The trader's position on out-of-court dispute resolution (art. 32 of the ADR act of 23 September 2016). */
  'adr_statement_if_not_accepted',
  /** Where money is to be paid, the date it will be paid by, at most 30 days on (art. 9 of the act of 5 August 2015). */
  'payment_date_if_paying',
  /** Where money is to be paid or credited, the amount and how (telecom regulation §1(2), verify). */
  'payment_amount_and_method_if_paying',
] as const;

export type AnswerElement = (typeof answerElements)[number];

/**
 * Names used before the elements said "not accepted": they read "rejected" but the statutes cover partial
 * acceptance too, so a policy file that still uses them gets the stricter element.
 */
const legacyAnswerElements: Record<string, AnswerElement> = {
  appeal_routes_if_rejected: 'appeal_routes_if_not_accepted',
  adr_statement_if_rejected: 'adr_statement_if_not_accepted',
};

const days = z.number().check(z.int(), z.positive());

/** ISO weekday numbers: 1 = Monday … 7 = Sunday. */
const isoWeekday = z.number().check(z.int(), z.gte(1), z.lte(7));

/**
 * The provider's business days (PSD2 art. 4(37): a day on which the provider is open for business). Only a
 * business-day term reads this. Default: Monday to Friday, public holidays not business days.
 */
export const businessDaysSchema = z.object({
  weekdays: z._default(z.array(isoWeekday).check(z.minLength(1)), [1, 2, 3, 4, 5]),
  publicHolidaysAreBusinessDays: z._default(z.boolean(), false),
  /**
   * A complaint received on a day that is not a business day: `receipt_day` counts the term from the day of
   * receipt (the next business day is day 1); `next_business_day` treats it as received on the next business
   * day (the one after that is day 1). The law leaves this open (domain.md); the default `receipt_day` never
   * gives a later due date than the other reading, so it cannot make an answer late.
   */
  nonBusinessDayReceipt: z._default(z.enum(['receipt_day', 'next_business_day']), 'receipt_day'),
});

export type BusinessDays = z.infer<typeof businessDaysSchema>;

const extensionSchema = z.preprocess(
  // `noticeBeforeDay` was the first name of `noticeWithinDays`; it was read as "before day N" (one day short).
  (value) => {
    if (value && typeof value === 'object' && 'noticeBeforeDay' in value && !('noticeWithinDays' in value)) {
      const { noticeBeforeDay, ...rest } = value as Record<string, unknown>;
      return { ...rest, noticeWithinDays: noticeBeforeDay };
    }
    return value;
  },
  z.object({
    maxLength: days,
    /**
     * The notice must be sent within this many days of the term (its last day moved as art. 115 KC moves it); in
     * the policy's unit, as `length` and `maxLength` are (business days, or months for a term in months).
     */
    noticeWithinDays: days,
  }),
);

/**
 * The acknowledgement of receipt the policy requires (telecom: §… of the 2025 complaint regulation): at once
 * for a complaint filed in person, within `otherChannelsWithinDays` for one sent by post, courier, phone or
 * e-mail. The product acknowledges by e-mail as soon as the complaint is stored; this is what it proves.
 */
const acknowledgementDutySchema = z.object({
  inPerson: z.literal('at_once'),
  otherChannelsWithinDays: days,
});

export const deadlinePolicySchema = z
  .object({
    id: z.string().check(z.regex(/^[a-z][a-z0-9_-]*$/, 'must be lower case letters, digits, _ or -')),
    // Only the Polish calendar (holidays, art. 115 KC) is encoded; another country needs its calendar first.
    jurisdiction: z.literal('PL'),
    trigger: z.enum(['complaint_received', 'item_delivered']),
    length: days,
    // Months for the passenger-transport terms domain.md lists (rail and bus one month, up to three), counted as
    // art. 112 KC counts them; a custom policy's `length` and `extension` are then in months.
    unit: z.enum(['calendar_days', 'business_days', 'months']),
    shiftEnd: z.boolean(),
    metBy: z.enum(['receipt', 'dispatch']),
    silence: z.enum(['deemed_accepted', 'deemed_resolved_for_customer', 'none']),
    extension: z.optional(extensionSchema),
    /** `answer`: the answer is due by the date; `perform`: the remedy itself (guarantee: repair or replacement). */
    obligation: z._default(z.enum(['answer', 'perform']), 'answer'),
    answerMustContain: z._default(
      z.array(
        z.preprocess((element) => (typeof element === 'string' ? (legacyAnswerElements[element] ?? element) : element), z.enum(answerElements)),
      ),
      [],
    ),
    /** Art. 5(2) of the act of 5 August 2015: the answer goes on paper unless the customer asked for e-mail. */
    answerByEmailOnlyOnRequest: z._default(z.boolean(), false),
    acknowledgement: z.optional(acknowledgementDutySchema),
    businessDays: z.optional(businessDaysSchema),
    internalTargetDaysBefore: z.number().check(z.int(), z.nonnegative()),
    reminderOffsets: z._default(z.array(days), [7, 3, 1]),
    legalBasis: z.string().check(z.minLength(1)),
    notifyCustomerOnSilence: z.boolean(),
    /**
     * What is still to verify, or why a value was chosen; never read by code. The built-in policies keep theirs in
     * config/policy-notes.json, which no function imports (2.2 KiB of text kept out of every bundle).
     */
    notes: z.optional(z.string()),
  })
  .check(
    z.refine((p) => !p.extension || p.extension.maxLength > p.length, {
      path: ['extension', 'maxLength'],
      message: 'must be longer than length',
    }),
    z.refine((p) => !p.extension || p.extension.noticeWithinDays <= p.length, {
      path: ['extension', 'noticeWithinDays'],
      message: 'must fall within the ordinary term (≤ length)',
    }),
    z.refine((p) => new Set(p.reminderOffsets).size === p.reminderOffsets.length, {
      path: ['reminderOffsets'],
      message: 'must not repeat an offset',
    }),
    // Art. 61 KC: the answer is given when it reaches the customer; UOKiK holds one posted on the last day late.
    z.refine((p) => p.metBy !== 'receipt' || p.internalTargetDaysBefore >= 1, {
      path: ['internalTargetDaysBefore'],
      message: 'must be at least 1 when the answer must reach the customer by the due date',
    }),
  );

export type DeadlinePolicy = z.infer<typeof deadlinePolicySchema>;

export class PolicyHasNoExtension extends Error {
  override name = 'PolicyHasNoExtension';
  constructor(policyId: string) {
    super(`The ${policyId} policy allows no extension.`);
  }
}

function extensionOf(policy: DeadlinePolicy): NonNullable<DeadlinePolicy['extension']> {
  if (!policy.extension) throw new PolicyHasNoExtension(policy.id);
  return policy.extension;
}

const DEFAULT_BUSINESS_DAYS: BusinessDays = businessDaysSchema.parse({});

/** The policy's business days: the provider's weekdays, public holidays in or out (PSD2 art. 4(37)). */
export function isBusinessDay(policy: Pick<DeadlinePolicy, 'businessDays'>, date: CalendarDate): boolean {
  const settings = policy.businessDays ?? DEFAULT_BUSINESS_DAYS;
  const isoDay = dayOfWeek(date) === 0 ? 7 : dayOfWeek(date);
  if (!settings.weekdays.includes(isoDay)) return false;
  return settings.publicHolidaysAreBusinessDays || !isPublicHoliday(date);
}

function addBusinessDays(policy: DeadlinePolicy, date: CalendarDate, count: number): CalendarDate {
  let day = date;
  for (let counted = 0; counted < count;) {
    day = addCalendarDays(day, 1);
    if (isBusinessDay(policy, day)) counted += 1;
  }
  return day;
}

/**
 * The day a business-day term counts from: the day of receipt, or, when the policy says so, the next
 * business day for a complaint received on a day that is not one (domain.md, "Counting days").
 */
function countingStart(policy: DeadlinePolicy, startDate: CalendarDate): CalendarDate {
  const settings = policy.businessDays ?? DEFAULT_BUSINESS_DAYS;
  if (settings.nonBusinessDayReceipt === 'receipt_day' || isBusinessDay(policy, startDate)) return startDate;
  return addBusinessDays(policy, startDate, 1);
}

/** Day `n` of a term that starts on `startDate`, before any art. 115 shift. */
function dayOfTerm(policy: DeadlinePolicy, startDate: CalendarDate, n: number): CalendarDate {
  // Art. 111 §2 KC: the day of the event (receipt, delivery) is not counted; both helpers start the day after.
  if (policy.unit === 'business_days') return addBusinessDays(policy, countingStart(policy, startDate), n);
  return policy.unit === 'months' ? addMonths(startDate, n) : addCalendarDays(startDate, n);
}

/** Day `n` of the term as art. 115 KC leaves it: moved past a Saturday or public holiday when `shiftEnd`. */
function lastDayOfTerm(policy: DeadlinePolicy, startDate: CalendarDate, n: number): CalendarDate {
  const end = dayOfTerm(policy, startDate, n);
  return policy.shiftEnd ? nextDayNotSaturdayOrHoliday(end) : end;
}

/**
 * The last day of the term. `startDate` is the Warsaw date of the trigger: receipt of the complaint, or
 * delivery of the item for a guarantee (art. 580 KC). A business-day term ends on one of the provider's
 * business days; a term ending on a Saturday or public holiday moves to the next day that is neither
 * (art. 115 KC) when the policy says `shiftEnd`.
 */
export function computeResponseDueBy(policy: DeadlinePolicy, startDate: CalendarDate, options: { extended?: boolean } = {}): CalendarDate {
  return lastDayOfTerm(policy, startDate, options.extended ? extensionOf(policy).maxLength : policy.length);
}

/**
 * The day a complaint's term counts from: the item's delivery to the guarantor where the policy's trigger says
 * so and staff gave that day (art. 580 KC), else the complaint's receipt.
 */
export function termStartOf(
  policy: Pick<DeadlinePolicy, 'trigger'>,
  complaint: { receivedOn: CalendarDate; itemDeliveredOn?: CalendarDate },
): CalendarDate {
  return policy.trigger === 'item_delivered' && complaint.itemDeliveredOn ? complaint.itemDeliveredOn : complaint.receivedOn;
}

/** The day staff should send the answer by, so that it reaches the customer in time. */
export function computeInternalTarget(policy: DeadlinePolicy, dueBy: CalendarDate): CalendarDate {
  return subtractWorkingDays(dueBy, policy.internalTargetDaysBefore);
}

/** What intake stamps on a complaint: its due date and the internal target before it. */
export interface IntakeDeadlines {
  responseDueBy: CalendarDate;
  internalTarget: CalendarDate;
}

// Every complaint received on one day under one policy gets the same two dates, and counting them day by day
// through the holiday calendar cost some 50 µs a complaint. The last day's dates are kept per policy, as a warm
// Lambda keeps its module state; a policy is configuration, never changed once loaded.
const lastIntakeDeadlines = new WeakMap<DeadlinePolicy, IntakeDeadlines & { receivedOn: CalendarDate }>();

/** computeResponseDueBy and computeInternalTarget for a complaint received on `receivedOn`. */
export function intakeDeadlines(policy: DeadlinePolicy, receivedOn: CalendarDate): IntakeDeadlines {
  const last = lastIntakeDeadlines.get(policy);
  if (last?.receivedOn === receivedOn) return { responseDueBy: last.responseDueBy, internalTarget: last.internalTarget };
  const responseDueBy = computeResponseDueBy(policy, receivedOn);
  const internalTarget = computeInternalTarget(policy, responseDueBy);
  lastIntakeDeadlines.set(policy, { receivedOn, responseDueBy, internalTarget });
  return { responseDueBy, internalTarget };
}

/** One reminder per offset, `offset` working days before the due date, the earliest first. */
export function computeReminderDates(policy: DeadlinePolicy, dueBy: CalendarDate): { offset: number; date: CalendarDate }[] {
  return [...policy.reminderOffsets].sort((a, b) => b - a).map((offset) => ({ offset, date: subtractWorkingDays(dueBy, offset) }));
}

/**
 * The last day an extension notice may go out: within the ordinary term (financial: art. 7 of the act of
 * 5 August 2015, "within the 30-day term"; sending suffices, art. 8), and a term's last day that art. 115 KC
 * moves is moved for every duty tied to it, the notice included (domain.md, "Counting days"). Received
 * 2026-10-24: day 30 is Monday 2026-11-23, so the notice may go out that day.
 */
export function extensionNoticeDeadline(policy: DeadlinePolicy, startDate: CalendarDate): CalendarDate {
  return lastDayOfTerm(policy, startDate, extensionOf(policy).noticeWithinDays);
}

export class UnknownPolicy extends Error {
  override name = 'UnknownPolicy';
  constructor(
    readonly policyId: string,
    known: readonly string[],
  ) {
    super(`There is no deadline policy "${policyId}"; known policies: ${known.join(', ')}.`);
  }
}

export class InvalidPolicyConfig extends InvalidConfiguration {
  override name = 'InvalidPolicyConfig';
}

/** The deployment's policies: the built-in ones and any custom ones, each under its own id. */
export class PolicyRegistry {
  private readonly byId = new Map<string, DeadlinePolicy>();
  private readonly defaultId: string;

  constructor(builtIn: readonly DeadlinePolicy[], options: { custom?: readonly DeadlinePolicy[]; defaultPolicy: string }) {
    for (const policy of [...builtIn, ...(options.custom ?? [])]) {
      // A custom policy never silently replaces a statutory one: it needs its own id (e.g. guarantee_acme).
      if (this.byId.has(policy.id)) throw new InvalidPolicyConfig(`The policy id "${policy.id}" is defined twice.`);
      this.byId.set(policy.id, policy);
    }
    this.defaultId = this.policyFor(options.defaultPolicy).id;
  }

  /** Throws UnknownPolicy for an id that is not configured. */
  policyFor(id: string): DeadlinePolicy {
    const policy = this.byId.get(id);
    if (!policy) throw new UnknownPolicy(id, this.ids());
    return policy;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  defaultPolicy(): DeadlinePolicy {
    return this.policyFor(this.defaultId);
  }
}
