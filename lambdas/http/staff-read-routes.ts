import * as z from '../core/zod';
import { complaintSchema, historyEntrySchema } from '../core/complaint';
import { listQuerySchema, wholeNumberParameter } from '../core/staff-requests';
import { complaintPageSchema } from '../core/complaint-summary';
import { attachmentLinkSchema } from '../core/attachments';
import type { Route } from './routes';

// The staff API's reads, served by the staffReads function: their part of the route registry (routes.ts). A
// module of its own, so that the function's dispatcher bundles its routes' schemas and no other function's.

const theComplaint = { description: 'The complaint', schema: complaintSchema };

const historyQuerySchema = z.object({
  /** The `olderHistory` of a complaint, or the `before` of the previous page. */
  before: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  limit: z.optional(wholeNumberParameter(1, 200)),
});

const historyPageSchema = z.object({ entries: z.array(historyEntrySchema), before: z.optional(z.string()) });

export const staffReadRoutes = [
  {
    method: 'GET',
    path: '/admin/complaints',
    function: 'staffReads',
    authorization: 'iam',
    action: 'listComplaints',
    summary: 'List complaints (filters, newest or most urgent first, cursor pagination) or find one',
    request: { query: listQuerySchema },
    responses: { 200: { description: 'A page of complaint summaries (open one for the whole complaint)', schema: complaintPageSchema } },
    problems: [400],
  },
  {
    method: 'GET',
    path: '/admin/complaints/{id}',
    function: 'staffReads',
    authorization: 'iam',
    action: 'readComplaint',
    summary: 'A complaint with the newest page of its history (olderHistory continues it)',
    responses: { 200: theComplaint },
  },
  {
    method: 'GET',
    path: '/admin/complaints/{id}/history',
    function: 'staffReads',
    authorization: 'iam',
    action: 'readHistory',
    summary: "Older entries of a complaint's history, a page at a time, oldest of the page first",
    request: { query: historyQuerySchema },
    responses: { 200: { description: 'A page of history', schema: historyPageSchema } },
    problems: [400],
  },
  {
    method: 'GET',
    path: '/admin/complaints/{id}/attachments/{attachmentId}',
    function: 'staffReads',
    authorization: 'iam',
    action: 'linkAttachment',
    summary: "One of the complaint's attachments (its record and scan verdict) with a presigned link to download it, good for 5 minutes",
    responses: { 200: { description: 'The attachment and its link', schema: attachmentLinkSchema } },
  },
] as const satisfies readonly Route[];
