import * as z from './zod';
import { calendarDateSchema } from './calendar/calendar-date';
import { CALENDAR_FROM } from './calendar/polish-calendar';
import { channels, complaintContentSchema, decisionSchema, emailLookupSchema, statuses } from './complaint';
import { multiLine } from './text-fields';
import { TERM_STOPPED } from './response-term';

// What staff send to the admin API. The same schemas validate the requests and feed the OpenAPI document.

const version = z.number().check(z.int(), z.positive());

/**
 * A whole number in a query string. Only digits are one: `Number` would read an empty parameter (`dueWithinDays=`)
 * or blanks as 0 and `0x10` as 16, answering a query nobody asked. The documented type stays an integer, with
 * its default (`fallback`, for a parameter left out) where it has one.
 */
export function wholeNumberParameter(min: number, max: number, fallback?: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  const number = z.number({ error: message }).check(z.int(message), z.gte(min, message), z.lte(max, message));
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value),
    fallback === undefined ? number : z._default(number, fallback),
  );
}

export const listQuerySchema = z
  .object({
    status: z.optional(z.enum(statuses)),
    department: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    dueWithinDays: z.optional(wholeNumberParameter(0, 366)),
    overdue: z.optional(
      z.pipe(
        z.enum(['true', 'false']),
        z.transform((value) => value === 'true'),
      ),
    ),
    channel: z.optional(z.enum(channels)),
    sourcePlatform: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    sort: z._default(z.enum(['newest', 'urgent']), 'newest'),
    limit: wholeNumberParameter(1, 100, 25),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2000))),
    reference: z.optional(z.string().check(z.minLength(1), z.maxLength(40))),
    // As stored (the domain in ASCII), so a complaint filed as anna@bücher.de is found by either form.
    email: z.optional(emailLookupSchema),
    orderNumber: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  })
  .check(
    z.refine((query) => [query.reference, query.email, query.orderNumber].filter(Boolean).length <= 1, {
      message: 'give at most one of reference, email and orderNumber',
      path: ['reference'],
    }),
    // The due-date lists hold only complaints whose term runs: a closed one has no due date left to sort by.
    z.refine((query) => !(query.sort === 'urgent' && query.status !== undefined && TERM_STOPPED.includes(query.status)), {
      message: `sort=urgent lists complaints whose term still runs; for ${TERM_STOPPED.join(', ')} use sort=newest`,
      path: ['sort'],
    }),
  );

export type ListQuery = z.infer<typeof listQuerySchema>;

// A day a term counts from: one before the holiday list starts would count it with the wrong holidays (and years
// before 1000 are no dates the calendar can write).
const termDay = calendarDateSchema.check(z.refine((date) => date >= CALENDAR_FROM, `must be ${CALENDAR_FROM} or later`));

/**
 * A complaint staff register (a letter, a call, a visit): its content, without the web form's own rules; its
 * deadline counts from its real date of receipt.
 */
export const registrationSchema = z.extend(complaintContentSchema, {
  channel: z.enum(['letter', 'phone', 'in_person', 'email']),
  receivedAt: termDay,
  /** Guarantee (art. 580 KC): the day the item reached the guarantor, from which its term counts. */
  itemDeliveredOn: z.optional(termDay),
  policy: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
});

export const assignmentRequestSchema = z.object({ departmentId: z.string().check(z.minLength(1), z.maxLength(64)), version });
// Staff texts reach the customer's e-mail (question, extension), the status page and other staff's terminals (notes):
// newlines and tabs, but no control characters, direction overrides or broken characters (complaint.ts, multiLine).
const atLeastTen = { length: 10, message: 'must be at least 10 characters' };
export const noteRequestSchema = z.object({ text: multiLine(5_000) });
export const decisionRequestSchema = z.extend(decisionSchema, { version });
export const informationRequestSchema = z.object({ question: multiLine(5_000, atLeastTen) });
export const extensionRequestSchema = z.object({
  reason: multiLine(2_000, atLeastTen),
  stillToEstablish: multiLine(2_000, atLeastTen),
  version,
});
/** The day staff posted a printed answer (art. 5(2) of the act of 5 August 2015). */
export const decisionPostingSchema = z.object({ postedOn: calendarDateSchema, version });
/** An acknowledgement of receipt given outside the product, e.g. a confirmation handed over in person. */
export const acknowledgementRecordSchema = z.object({ on: calendarDateSchema, how: z.enum(['handed_over', 'letter', 'phone']) });
