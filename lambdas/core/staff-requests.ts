import * as z from 'zod';
import { calendarDateSchema } from './calendar/calendar-date';
import { channels, complaintContentSchema, decisionSchema, statuses } from './complaint';

// What staff send to the admin API. The same schemas validate the requests and feed the OpenAPI document.

const version = z.number().int().positive();

export const listQuerySchema = z
  .object({
    status: z.enum(statuses).optional(),
    department: z.string().min(1).max(64).optional(),
    dueWithinDays: z.coerce.number().int().min(0).max(366).optional(),
    overdue: z
      .enum(['true', 'false'])
      .transform((value) => value === 'true')
      .optional(),
    channel: z.enum(channels).optional(),
    sourcePlatform: z.string().min(1).max(64).optional(),
    sort: z.enum(['newest', 'urgent']).default('newest'),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().min(1).max(2000).optional(),
    reference: z.string().min(1).max(40).optional(),
    email: z.email().optional(),
    orderNumber: z.string().min(1).max(100).optional(),
  })
  .refine((query) => [query.reference, query.email, query.orderNumber].filter(Boolean).length <= 1, {
    message: 'give at most one of reference, email and orderNumber',
    path: ['reference'],
  });

export type ListQuery = z.infer<typeof listQuerySchema>;

/** A complaint that arrived by letter, phone or in person: its deadline counts from its real date of receipt. */
/** A complaint staff register (a letter, a call, a visit): its content, without the web form's own rules. */
export const registrationSchema = complaintContentSchema.extend({
  channel: z.enum(['letter', 'phone', 'in_person', 'email']),
  receivedAt: calendarDateSchema,
  policy: z.string().min(1).max(64).optional(),
});

export const assignmentRequestSchema = z.object({ departmentId: z.string().min(1).max(64), version });
export const noteRequestSchema = z.object({ text: z.string().trim().min(1).max(5_000) });
export const decisionRequestSchema = decisionSchema.extend({ version });
export const informationRequestSchema = z.object({ question: z.string().trim().min(10).max(5_000) });
export const extensionRequestSchema = z.object({
  reason: z.string().trim().min(10).max(2_000),
  stillToEstablish: z.string().trim().min(10).max(2_000),
  version,
});
/** The day staff posted a printed answer (art. 5(2) of the act of 5 August 2015). */
export const decisionPostingSchema = z.object({ postedOn: calendarDateSchema, version });
/** An acknowledgement of receipt given outside the product, e.g. a confirmation handed over in person. */
export const acknowledgementRecordSchema = z.object({ on: calendarDateSchema, how: z.enum(['handed_over', 'letter', 'phone']) });
