import * as z from 'zod';
import type { CalendarDate } from './calendar/calendar-date';
import {
  addCalendarDays,
  addWorkingDays,
  nextDayNotSaturdayOrHoliday,
  subtractWorkingDays,
} from './calendar/polish-calendar';

// One record per deadline policy (domain.md, "One policy record"): the law is data in config/policies.json,
// and the few functions below are the only place its days are counted.

export const answerElements = [
  'justification_if_not_met',
  'signer_name_and_position',
  'appeal_routes_if_rejected',
  'adr_statement_if_rejected',
] as const;

const days = z.number().int().positive();

export const deadlinePolicySchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be lower case letters, digits, _ or -'),
    // Only the Polish calendar (holidays, art. 115 KC) is encoded; another country needs its calendar first.
    jurisdiction: z.literal('PL'),
    trigger: z.enum(['complaint_received', 'item_delivered']),
    length: days,
    unit: z.enum(['calendar_days', 'business_days']),
    shiftEnd: z.boolean(),
    metBy: z.enum(['receipt', 'dispatch']),
    silence: z.enum(['deemed_accepted', 'deemed_resolved_for_customer', 'none']),
    extension: z.object({ maxLength: days, noticeBeforeDay: days }).optional(),
    answerMustContain: z.array(z.enum(answerElements)).default([]),
    internalTargetDaysBefore: z.number().int().nonnegative(),
    reminderOffsets: z.array(days).default([7, 3, 1]),
    legalBasis: z.string().min(1),
    notifyCustomerOnSilence: z.boolean(),
    /** What is still to verify, or why a value was chosen; never read by code. */
    notes: z.string().optional(),
  })
  .refine((p) => !p.extension || p.extension.maxLength > p.length, {
    path: ['extension', 'maxLength'],
    message: 'must be longer than length',
  })
  .refine((p) => !p.extension || p.extension.noticeBeforeDay <= p.length, {
    path: ['extension', 'noticeBeforeDay'],
    message: 'must fall within the ordinary term (≤ length)',
  })
  .refine((p) => new Set(p.reminderOffsets).size === p.reminderOffsets.length, {
    path: ['reminderOffsets'],
    message: 'must not repeat an offset',
  })
  // Art. 61 KC: the answer is given when it reaches the customer; UOKiK holds one posted on the last day late.
  .refine((p) => p.metBy !== 'receipt' || p.internalTargetDaysBefore >= 1, {
    path: ['internalTargetDaysBefore'],
    message: 'must be at least 1 when the answer must reach the customer by the due date',
  });

export type DeadlinePolicy = z.infer<typeof deadlinePolicySchema>;

export class PolicyHasNoExtension extends Error {
  constructor(policyId: string) {
    super(`The ${policyId} policy allows no extension.`);
    this.name = new.target.name;
  }
}

function extensionOf(policy: DeadlinePolicy): NonNullable<DeadlinePolicy['extension']> {
  if (!policy.extension) throw new PolicyHasNoExtension(policy.id);
  return policy.extension;
}

/** Day `n` of a term that starts on `startDate`, before any art. 115 shift. */
function dayOfTerm(policy: DeadlinePolicy, startDate: CalendarDate, n: number): CalendarDate {
  // Art. 111 §2 KC: the day of the event (receipt, delivery) is not counted; both helpers start the day after.
  return policy.unit === 'business_days' ? addWorkingDays(startDate, n) : addCalendarDays(startDate, n);
}

/**
 * The last day of the term. `startDate` is the Warsaw date of the trigger: receipt of the complaint, or
 * delivery of the item for a guarantee (art. 580 §1 KC). A business-day term always ends on a working day;
 * a calendar-day term ending on a Saturday or public holiday moves to the next day that is neither
 * (art. 115 KC) when the policy says `shiftEnd`.
 */
export function computeResponseDueBy(
  policy: DeadlinePolicy,
  startDate: CalendarDate,
  options: { extended?: boolean } = {},
): CalendarDate {
  const length = options.extended ? extensionOf(policy).maxLength : policy.length;
  const end = dayOfTerm(policy, startDate, length);
  return policy.shiftEnd ? nextDayNotSaturdayOrHoliday(end) : end;
}

/** The day staff should send the answer by, so that it reaches the customer in time. */
export function computeInternalTarget(policy: DeadlinePolicy, dueBy: CalendarDate): CalendarDate {
  return subtractWorkingDays(dueBy, policy.internalTargetDaysBefore);
}

/** One reminder per offset, `offset` working days before the due date, the earliest first. */
export function computeReminderDates(policy: DeadlinePolicy, dueBy: CalendarDate): { offset: number; date: CalendarDate }[] {
  return [...policy.reminderOffsets]
    .sort((a, b) => b - a)
    .map((offset) => ({ offset, date: subtractWorkingDays(dueBy, offset) }));
}

/**
 * The last day an extension notice may go out: the notice must reach the customer before day
 * `noticeBeforeDay` of the term (financial: before day 30, art. 7 of the act of 5 August 2015), so this is
 * day `noticeBeforeDay - 1`, counted like the term and never shifted later.
 */
export function extensionNoticeDeadline(policy: DeadlinePolicy, startDate: CalendarDate): CalendarDate {
  return dayOfTerm(policy, startDate, extensionOf(policy).noticeBeforeDay - 1);
}

export class UnknownPolicy extends Error {
  constructor(
    readonly policyId: string,
    known: readonly string[],
  ) {
    super(`There is no deadline policy "${policyId}"; known policies: ${known.join(', ')}.`);
    this.name = new.target.name;
  }
}

export class InvalidPolicyConfig extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
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
