import * as z from '../core/zod';
import type { FunctionName } from '../functions';
import { MalformedRequest } from '../core/errors';
import { complaintReceiptSchema, complaintSchema, complaintSubmissionSchema, historyEntrySchema } from '../core/complaint';
import {
  acknowledgementRecordSchema,
  assignmentRequestSchema,
  decisionPostingSchema,
  decisionRequestSchema,
  extensionRequestSchema,
  informationRequestSchema,
  listQuerySchema,
  noteRequestSchema,
  registrationSchema,
} from '../core/staff-requests';
import { complaintPageSchema } from '../core/complaint-summary';
import { customerReplySchema, customerStatusSchema, statusLookupSchema } from '../core/customer-status';
import { complaintCreatedEventSchema } from '../core/complaint-created-event';
import {
  createdSubscriptionSchema,
  deadLetterPageSchema,
  deadLetterQuerySchema,
  deliveryLogSchema,
  redriveAnswerSchema,
  bulkRedriveAnswerSchema,
  bulkRedriveRequestSchema,
  subscriptionListSchema,
  subscriptionRequestSchema,
  subscriptionSchema,
} from '../core/outbound-webhooks';
import { attachmentLinkSchema, uploadSlotsRequestSchema, uploadSlotsSchema } from '../core/attachments';

// The route registry, once. API Gateway's routes (lib/api.ts), the local server, the admin function's
// dispatcher and the OpenAPI document (openapi.ts) are all built from these entries, so a route cannot be
// served without being documented, or validated against another schema than the one documented.

export type Authorization = 'none' | 'iam';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One answer a route gives: JSON of `schema`, another media type (a PDF), or no body described. */
export interface RouteAnswer {
  description: string;
  schema?: z.core.$ZodType;
  mediaType?: string;
}

export interface Route {
  method: HttpMethod;
  /** API Gateway path syntax: `/admin/complaints/{id}`. */
  path: string;
  function: FunctionName;
  authorization: Authorization;
  /** The name of the route's work: the function's dispatcher runs it by this name; OpenAPI's operationId. */
  action: string;
  summary: string;
  request?: {
    /** The JSON body, validated against this schema before the action runs (a 422 naming each bad field). */
    body?: z.core.$ZodType;
    /** The same body is also accepted as an HTML form with dotted field names. */
    form?: boolean;
    /** The query string, validated the same way. */
    query?: z.core.$ZodType;
    /**
     * A retried request with the same Idempotency-Key gets the first answer again (every POST takes one: a
     * signed staff request can be replayed as it is for 15 minutes).
     */
    idempotencyKey?: boolean;
  };
  /** Successful answers by status; problem answers (4xx/5xx) follow from the route's shape plus `problems`. */
  responses: Readonly<Record<number, RouteAnswer>>;
  /** Problem statuses the route's work itself can answer, beyond those its shape implies (see openapi.ts). */
  problems?: readonly number[];
}

export const healthSchema = z.object({ status: z.literal('ok') });

const theComplaint = { description: 'The complaint', schema: complaintSchema };

const historyQuerySchema = z.object({
  /** The `olderHistory` of a complaint, or the `before` of the previous page. */
  before: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(200))),
});

const historyPageSchema = z.object({ entries: z.array(historyEntrySchema), before: z.optional(z.string()) });

/** What a post that fills the honeypot is answered (core/honeypot.ts): success in form, no reference. */
export const honeypotAnswerSchema = z.object({ status: z.literal('received') });

/** What a webhook that files nothing (a ping, another topic, an order that is no complaint) is answered. */
export const webhookIgnoredSchema = z.object({ ignored: z.string() });

export const routes = [
  {
    method: 'GET',
    path: '/health',
    function: 'health',
    authorization: 'none',
    action: 'health',
    summary: 'Readiness',
    responses: { 200: { description: 'Ready', schema: healthSchema } },
  },
  {
    method: 'POST',
    path: '/complaints',
    function: 'intake',
    authorization: 'none',
    action: 'fileComplaint',
    summary:
      "File a complaint (public; JSON or an HTML form with dotted field names). A browser's form post is answered with a 303 to the " +
      'confirmation page, or with the form again saying what is wrong (text/html, with the status of the problem: 400, 409, 413, 422, 429, 500). ' +
      'Limited per client (429 with Retry-After). A post that fills the hidden honeypot field `website` files nothing and is answered 202 ' +
      '(a browser: 303 to a confirmation without a reference)',
    request: { body: complaintSubmissionSchema, form: true, idempotencyKey: true },
    responses: {
      201: { description: 'Received; Location is the status page', schema: complaintReceiptSchema },
      202: { description: 'The honeypot field was filled: nothing was filed', schema: honeypotAnswerSchema },
      303: { description: "Received (a browser's form post): Location is the confirmation page" },
    },
    problems: [409, 429],
  },
  {
    method: 'POST',
    path: '/complaints/attachments',
    function: 'intake',
    authorization: 'none',
    action: 'requestUploadSlots',
    summary:
      'Upload slots for photos (JPEG, PNG, WebP, HEIC) and PDFs, at most 10 files of 10 MB: a presigned POST each, to the private bucket ' +
      'under quarantine/, pinned to the declared type and at most the declared size, good for 15 minutes. POST the fields, then the file ' +
      'as `file`, to `url`; then file the complaint with the slot ids in `attachments`. Limited per client (429)',
    request: { body: uploadSlotsRequestSchema },
    responses: { 201: { description: 'One slot per file, in the order asked', schema: uploadSlotsSchema } },
    problems: [429],
  },
  {
    method: 'POST',
    path: '/webhooks/{source}',
    function: 'webhookIntake',
    authorization: 'none',
    action: 'receiveWebhook',
    summary:
      "A shop's signed webhook (Standard Webhooks, Shopify, WooCommerce or Shoper, as the source is configured): verified over the raw body, mapped to the canonical complaint.created event (the body shown: what a Standard Webhooks source sends) and filed once per delivery",
    request: { body: complaintCreatedEventSchema },
    responses: {
      200: {
        description:
          'Filed (the receipt; every redelivery gets the same one, with idempotent-replayed: true), or nothing to file (ignored, with why)',
        schema: z.union([complaintReceiptSchema, webhookIgnoredSchema]),
      },
    },
    // 503: the shop's Admin API, asked for the order behind a Shopify return request, did not answer.
    problems: [401, 503],
  },
  {
    method: 'GET',
    path: '/complaints/received',
    function: 'intake',
    authorization: 'none',
    action: 'showReceipt',
    summary: "The confirmation page a browser's form post is redirected to (303): the reference and the due date, in `lang`",
    responses: { 200: { description: 'The confirmation page', mediaType: 'text/html' } },
  },
  {
    method: 'GET',
    path: '/complaints/status',
    function: 'customerStatus',
    authorization: 'none',
    action: 'showStatusLookup',
    summary: "The status page's lookup form; the acknowledgement e-mail links here with `reference` filled in",
    responses: { 200: { description: 'The lookup form', mediaType: 'text/html' } },
  },
  {
    method: 'POST',
    path: '/complaints/status',
    function: 'customerStatus',
    authorization: 'none',
    action: 'lookUpStatus',
    summary:
      'A complaint as its customer sees it (status, due date, the history meant for customers), for its reference and e-mail address. ' +
      'A wrong address is answered exactly as an unknown reference; attempts are limited per reference and per client (429). ' +
      "A browser's form post gets the page instead.",
    request: { body: statusLookupSchema, form: true },
    responses: {
      200: { description: "The complaint as its customer sees it (or, to a browser's form post, the page)", schema: customerStatusSchema },
    },
    problems: [404, 429],
  },
  {
    method: 'POST',
    path: '/complaints/status/reply',
    function: 'customerStatus',
    authorization: 'none',
    action: 'replyToQuestion',
    summary:
      "The customer's answer to the information request waiting on their complaint (text and files uploaded through " +
      '/complaints/attachments), with its reference and e-mail address as for a lookup. One answer per question: the same ' +
      'answer again is answered as the first was; another gets 409. The department is told of it by e-mail. ' +
      "A browser's form post gets the status page instead.",
    request: { body: customerReplySchema, form: true },
    responses: { 200: { description: 'The complaint as its customer sees it now, with the answer in its history', schema: customerStatusSchema } },
    problems: [404, 409, 429],
  },
  {
    method: 'GET',
    path: '/openapi.json',
    function: 'openapi',
    authorization: 'none',
    action: 'openApiDocument',
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1' } },
  },
  {
    method: 'GET',
    path: '/admin/complaints',
    function: 'admin',
    authorization: 'iam',
    action: 'listComplaints',
    summary: 'List complaints (filters, newest or most urgent first, cursor pagination) or find one',
    request: { query: listQuerySchema },
    responses: { 200: { description: 'A page of complaint summaries (open one for the whole complaint)', schema: complaintPageSchema } },
    problems: [400],
  },
  {
    method: 'POST',
    path: '/admin/complaints',
    function: 'admin',
    authorization: 'iam',
    action: 'registerComplaint',
    summary: 'Register a complaint received by letter, phone or in person',
    request: { body: registrationSchema, idempotencyKey: true },
    responses: {
      200: { description: 'The first answer again: a retried registration with the same Idempotency-Key', schema: complaintReceiptSchema },
      201: { description: 'Registered', schema: complaintReceiptSchema },
    },
    problems: [409],
  },
  {
    method: 'GET',
    path: '/admin/complaints/{id}',
    function: 'admin',
    authorization: 'iam',
    action: 'readComplaint',
    summary: 'A complaint with the newest page of its history (olderHistory continues it)',
    responses: { 200: theComplaint },
  },
  {
    method: 'GET',
    path: '/admin/complaints/{id}/history',
    function: 'admin',
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
    function: 'admin',
    authorization: 'iam',
    action: 'linkAttachment',
    summary: "One of the complaint's attachments (its record and scan verdict) with a presigned link to download it, good for 5 minutes",
    responses: { 200: { description: 'The attachment and its link', schema: attachmentLinkSchema } },
  },
  {
    method: 'POST',
    path: '/admin/complaints/{id}/assignment',
    function: 'admin',
    authorization: 'iam',
    action: 'assignComplaint',
    summary: 'Assign or reassign a department (supervisor)',
    request: { body: assignmentRequestSchema, idempotencyKey: true },
    responses: { 200: theComplaint },
    problems: [409],
  },
  {
    method: 'POST',
    path: '/admin/complaints/{id}/notes',
    function: 'admin',
    authorization: 'iam',
    action: 'addNote',
    summary: 'Add an internal note',
    request: { body: noteRequestSchema, idempotencyKey: true },
    responses: { 201: theComplaint },
    problems: [409],
  },
  {
    method: 'POST',
    path: '/admin/complaints/{id}/decision',
    function: 'admin',
    authorization: 'iam',
    action: 'recordDecision',
    summary: "Record the decision; the workflow sends it to the customer at once. Checked against the policy's required answer elements.",
    request: { body: decisionRequestSchema, idempotencyKey: true },
    responses: { 200: theComplaint },
    problems: [409],
  },
  {
    method: 'POST',
    path: '/admin/complaints/{id}/information-requests',
    function: 'admin',
    authorization: 'iam',
    action: 'requestInformation',
    summary: 'Ask the customer for more information (e-mail)',
    request: { body: informationRequestSchema, idempotencyKey: true },
    responses: { 201: theComplaint },
    problems: [409, 503],
  },
  {
    method: 'POST',
    path: '/admin/complaints/{id}/extension',
    function: 'admin',
    authorization: 'iam',
    action: 'requestExtension',
    summary:
      'Extend the deadline where the policy allows it (financial: to 60 days, the notice sent within the 30-day term as art. 115 KC moves its last day)',
    request: { body: extensionRequestSchema, idempotencyKey: true },
    responses: { 200: theComplaint },
    problems: [409],
  },
  {
    method: 'GET',
    path: '/admin/complaints/{id}/decision-letter',
    function: 'decisionLetter',
    authorization: 'iam',
    action: 'printDecisionLetter',
    summary: 'The decision as a printable letter (PDF), for an answer that goes by post (financial: art. 5(2) of the act of 5 August 2015)',
    responses: { 200: { description: 'The letter', mediaType: 'application/pdf' } },
  },
  {
    method: 'POST',
    path: '/admin/complaints/{id}/decision-posting',
    function: 'admin',
    authorization: 'iam',
    action: 'recordDecisionPosting',
    summary: 'Record the day the printed answer was posted; a dispatch deadline checks this date, and the complaint closes',
    request: { body: decisionPostingSchema, idempotencyKey: true },
    responses: { 200: theComplaint },
    problems: [409],
  },
  {
    method: 'POST',
    path: '/admin/complaints/{id}/acknowledgement',
    function: 'admin',
    authorization: 'iam',
    action: 'recordAcknowledgement',
    summary:
      'Record an acknowledgement of receipt given outside the product (handed over in person, by letter or phone); the history says whether it was in time',
    request: { body: acknowledgementRecordSchema, idempotencyKey: true },
    responses: { 201: theComplaint },
    problems: [409],
  },
  {
    method: 'GET',
    path: '/admin/complaints/{id}/webhook-deliveries',
    function: 'admin',
    authorization: 'iam',
    action: 'readWebhookDeliveries',
    summary: "The complaint's outbound webhook deliveries: each event sent to each subscription, with its attempts (admin)",
    responses: { 200: { description: 'The delivery log, in event order', schema: deliveryLogSchema } },
  },
  {
    method: 'POST',
    path: '/admin/webhook-subscriptions',
    function: 'admin',
    authorization: 'iam',
    action: 'createWebhookSubscription',
    summary:
      'Subscribe an endpoint to complaint events, for one webhook source or all complaints (admin). Deliveries are signed with ' +
      'Standard Webhooks using the secret in this answer, which is shown here only. In AWS the URL must be HTTPS to a public address.',
    request: { body: subscriptionRequestSchema, idempotencyKey: true },
    responses: {
      200: { description: 'The first answer again: a retried create with the same Idempotency-Key', schema: createdSubscriptionSchema },
      201: { description: 'Subscribed; the signing secret is in this answer only', schema: createdSubscriptionSchema },
    },
  },
  {
    method: 'GET',
    path: '/admin/webhook-subscriptions',
    function: 'admin',
    authorization: 'iam',
    action: 'listWebhookSubscriptions',
    summary: 'The webhook subscriptions, oldest first, without their secrets (admin)',
    responses: { 200: { description: 'The subscriptions', schema: subscriptionListSchema } },
  },
  {
    method: 'POST',
    path: '/admin/webhook-subscriptions/{subscriptionId}/disable',
    function: 'admin',
    authorization: 'iam',
    action: 'disableWebhookSubscription',
    summary: 'Stop delivering to a subscription; deliveries still being retried are cancelled at their next attempt (admin)',
    responses: { 200: { description: 'The subscription, disabled', schema: subscriptionSchema } },
  },
  {
    method: 'DELETE',
    path: '/admin/webhook-subscriptions/{subscriptionId}',
    function: 'admin',
    authorization: 'iam',
    action: 'deleteWebhookSubscription',
    summary: 'Delete a subscription and its secret; the delivery logs keep what was sent (admin)',
    responses: { 204: { description: 'Deleted' } },
  },
  {
    method: 'GET',
    path: '/admin/webhook-dead-letters',
    function: 'admin',
    authorization: 'iam',
    action: 'listWebhookDeadLetters',
    summary: 'Deliveries that failed every attempt of their day of retries, newest first (admin)',
    request: { query: deadLetterQuerySchema },
    responses: { 200: { description: 'A page of dead letters', schema: deadLetterPageSchema } },
    problems: [400],
  },
  {
    method: 'POST',
    path: '/admin/webhook-dead-letters/{deadLetterId}/redrive',
    function: 'admin',
    authorization: 'iam',
    action: 'redriveWebhookDeadLetter',
    summary: 'Deliver a dead letter again, with the same webhook-id and body and a new day of retries; its subscription must be active (admin)',
    responses: { 202: { description: 'Taken out of the dead letters and being delivered', schema: redriveAnswerSchema } },
  },
  {
    method: 'POST',
    path: '/admin/webhook-dead-letters/redrive',
    function: 'admin',
    authorization: 'iam',
    action: 'redriveWebhookDeadLetters',
    summary:
      'Deliver again every dead letter of one subscription (subscriptionId) or all of them, each once; those whose subscription is not active stay, with why (admin)',
    request: { body: bulkRedriveRequestSchema },
    responses: { 202: { description: 'Taken out of the dead letters and being delivered', schema: bulkRedriveAnswerSchema } },
    problems: [422],
  },
] as const satisfies readonly Route[];

export type RegisteredRoute = (typeof routes)[number];

export interface RouteMatch {
  route: RegisteredRoute;
  pathParameters: Record<string, string>;
}

/** Finds the route for a request; `allowed` lists the methods of a path that exists under another method. */
export function matchRoute(method: string, path: string): { match?: RouteMatch; allowed: string[] } {
  const allowed: string[] = [];
  for (const route of routes) {
    const pathParameters = matchPath(route.path, path);
    if (!pathParameters) continue;
    if (route.method === method.toUpperCase()) return { match: { route, pathParameters }, allowed };
    allowed.push(route.method);
  }
  return { allowed };
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const wanted = template.split('/');
  const actual = path.replace(/\/+$/, '').split('/');
  if (wanted.length !== actual.length) return undefined;
  const parameters: Record<string, string> = {};
  for (let i = 0; i < wanted.length; i += 1) {
    const segment = wanted[i]!;
    const value = actual[i]!;
    if (segment.startsWith('{') && segment.endsWith('}')) {
      if (!value) return undefined;
      try {
        parameters[segment.slice(1, -1)] = decodeURIComponent(value);
      } catch {
        throw new MalformedRequest(`The path segment "${value.slice(0, 64)}" is not valid percent-encoding.`);
      }
    } else if (segment !== value) return undefined;
  }
  return parameters;
}
