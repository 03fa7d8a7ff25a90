import * as z from './zod';
import { calendarDateSchema } from './calendar/calendar-date';
import { channels, statuses, type Complaint } from './complaint';

/**
 * A complaint as a list shows it: what the staff list table and the list filters need, and nothing a complaint
 * grows (no description, history, decision or e-mail evidence). Every field is bounded, so a page of 100 stays
 * under ~40 KB whatever the complaints hold (Lambda's response limit is 6 MB; a page of whole complaints with
 * long histories passed it). The list indexes project exactly these attributes (adapters/table-design.ts).
 */
export const complaintSummarySchema = z.object({
  id: z.string().check(z.maxLength(64)),
  reference: z.string().check(z.maxLength(40)),
  status: z.enum(statuses),
  channel: z.enum(channels),
  policyId: z.string().check(z.maxLength(64)),
  /** The department it is assigned to; null while no rule or person has routed it. */
  department: z.nullable(z.string().check(z.maxLength(64))),
  /** The shop platform a complaint came from through a webhook (e.g. shopify). */
  sourcePlatform: z.optional(z.string().check(z.maxLength(64))),
  receivedAt: z.isoDateTime,
  responseDueBy: calendarDateSchema,
});

export type ComplaintSummary = z.infer<typeof complaintSummarySchema>;

/** A page of a list, newest or most urgent first; `cursor` (opaque) fetches the next page. */
export const complaintPageSchema = z.object({ complaints: z.array(complaintSummarySchema), cursor: z.optional(z.string()) });

export type ComplaintPage = z.infer<typeof complaintPageSchema>;

export function summaryOf(complaint: Complaint): ComplaintSummary {
  const { id, reference, status, channel, policyId, sourcePlatform, receivedAt, responseDueBy } = complaint;
  return {
    id,
    reference,
    status,
    channel,
    policyId,
    department: complaint.assignment?.departmentId ?? null,
    ...(sourcePlatform !== undefined ? { sourcePlatform } : {}),
    receivedAt,
    responseDueBy,
  };
}
