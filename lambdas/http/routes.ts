import * as z from '../core/zod';
import type { FunctionName } from '../functions';
import { NotFound } from '../core/errors';
import { complaintReceiptSchema, complaintSubmissionSchema } from '../core/complaint';
import { customerReplySchema, customerStatusSchema, statusLookupSchema } from '../core/customer-status';
import { complaintCreatedEventSchema } from '../core/complaint-created-event';
import { uploadSlotsRequestSchema, uploadSlotsSchema } from '../core/attachments';
import { staffReadRoutes } from './staff-read-routes';
import { staffChangeRoutes } from './staff-change-routes';
import { staffWebhookRoutes } from './staff-webhook-routes';

// The route registry, once. API Gateway's routes (lib/api.ts), the local server, the staff functions'
// dispatcher (staff-dispatcher.ts) and the OpenAPI document (openapi.ts) are all built from these entries, so a
// route cannot be served without being documented, or validated against another schema than the one
// documented. The staff API's entries are kept in a module per function (staff-*-routes.ts) and spread in
// here: a staff function's dispatcher imports its own module only, so its bundle carries its own routes'
// schemas and not the whole API's.

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
      "A shop's signed webhook (Standard Webhooks, Shopify, WooCommerce or Shoper, as the source is configured): verified over the raw body, mapped to the canonical complaint.created event (the body shown: what a Standard Webhooks source sends) and filed once per return (once per delivery when it names no return)",
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
  ...staffReadRoutes,
  ...staffChangeRoutes,
  {
    method: 'GET',
    path: '/admin/complaints/{id}/decision-letter',
    function: 'decisionLetter',
    authorization: 'iam',
    action: 'printDecisionLetter',
    summary: 'The decision as a printable letter (PDF), for an answer that goes by post (financial: art. 5(2) of the act of 5 August 2015)',
    responses: { 200: { description: 'The letter', mediaType: 'application/pdf' } },
  },
  ...staffWebhookRoutes,
] as const satisfies readonly Route[];

export type RegisteredRoute = (typeof routes)[number];

export interface RouteMatch {
  route: RegisteredRoute;
  pathParameters: Record<string, string>;
}

/** Finds the route for a request; `allowed` lists the methods of a path that exists under another method. */
export function matchRoute(method: string, path: string): { match?: RouteMatch; allowed: string[] } {
  // The templates split once per process and the path once per request, not both once per route tried: the
  // local API server routes every request through here, as API Gateway does with routes it compiled once.
  templates ??= routes.map((route) => route.path.split('/'));
  const actual = path.replace(/\/+$/, '').split('/');
  const wantedMethod = method.toUpperCase();
  const allowed: string[] = [];
  for (const [index, route] of routes.entries()) {
    const pathParameters = matchPath(templates[index]!, actual);
    if (!pathParameters) continue;
    if (route.method === wantedMethod) return { match: { route, pathParameters }, allowed };
    allowed.push(route.method);
  }
  return { allowed };
}

let templates: string[][] | undefined;

/**
 * The route's parameters if the path is the route's. A parameter that is not valid percent-encoding names no
 * resource (as an id that cannot be a complaint's is a 404, complaint-id.ts): 404, saying why. It is decoded only
 * once the literal segments matched, so a path of another route is never refused for it.
 */
function matchPath(wanted: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  if (wanted.length !== actual.length) return undefined;
  const isParameter = (segment: string) => segment.startsWith('{') && segment.endsWith('}');
  for (let i = 0; i < wanted.length; i += 1) {
    const segment = wanted[i]!;
    if (isParameter(segment) ? !actual[i] : segment !== actual[i]) return undefined;
  }
  const parameters: Record<string, string> = {};
  for (let i = 0; i < wanted.length; i += 1) {
    const segment = wanted[i]!;
    if (!isParameter(segment)) continue;
    const value = actual[i]!;
    try {
      parameters[segment.slice(1, -1)] = decodeURIComponent(value);
    } catch {
      throw new NotFound(`The path segment "${value.slice(0, 64)}" is not valid percent-encoding, so it names nothing here.`);
    }
  }
  return parameters;
}
