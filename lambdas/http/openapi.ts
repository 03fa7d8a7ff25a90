import * as z from '../core/zod';
import { complaintReceiptSchema, complaintSchema, complaintSubmissionSchema, historyEntrySchema, sentEmailSchema } from '../core/complaint';
import {
  acknowledgementRecordSchema,
  assignmentRequestSchema,
  decisionPostingSchema,
  decisionRequestSchema,
  extensionRequestSchema,
  informationRequestSchema,
  noteRequestSchema,
  registrationSchema,
} from '../core/staff-requests';
import { complaintPageSchema, complaintSummarySchema } from '../core/complaint-summary';
import { customerReplySchema, customerStatusSchema } from '../core/customer-status';
import { healthSchema, routes, type Route, type RouteAnswer } from './routes';
import { complaintCreatedEventSchema, complaintCreatedExample } from '../core/complaint-created-event';
import {
  createdSubscriptionSchema,
  deadLetterSchema,
  deliverySchema,
  subscriptionRequestSchema,
  subscriptionSchema,
  outboundEventExamples,
  outboundEventSchema,
  outboundEventTypes,
} from '../core/outbound-webhooks';

// The OpenAPI 3.1 document, generated from the route registry and the very zod schemas the handlers validate
// with (zod 4 writes JSON Schema 2020-12, which OpenAPI 3.1 uses as is). `npm run openapi` commits it.
// Each named schema is defined once under components.schemas and referred to by $ref, as is the one
// problem+json answer under components.responses; a schema without a name is written where it is used.

/** RFC 9457 problem details, as lambdas/http/problem.ts writes them. */
const problemSchema = z.object({
  type: z.url(),
  title: z.string(),
  status: z.number().check(z.int()),
  detail: z.optional(z.string()),
  instance: z.optional(z.string()),
  errors: z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
  /** The request header a `missing-header` or `invalid-header` problem is about. */
  header: z.optional(z.string()),
});

// Read as requests (io 'input': what a client may send) and as answers (io 'output': what it gets back).
const requestComponents: ReadonlyMap<z.core.$ZodType, string> = new Map<z.core.$ZodType, string>([
  [complaintSubmissionSchema, 'ComplaintSubmission'],
  [registrationSchema, 'Registration'],
  [assignmentRequestSchema, 'AssignmentRequest'],
  [noteRequestSchema, 'NoteRequest'],
  [decisionRequestSchema, 'DecisionRequest'],
  [informationRequestSchema, 'InformationRequest'],
  [extensionRequestSchema, 'ExtensionRequest'],
  [decisionPostingSchema, 'DecisionPosting'],
  [acknowledgementRecordSchema, 'AcknowledgementRecord'],
  [complaintCreatedEventSchema, 'ComplaintCreatedEvent'],
  [subscriptionRequestSchema, 'WebhookSubscriptionRequest'],
  [customerReplySchema, 'CustomerReply'],
]);
const answerComponents: ReadonlyMap<z.core.$ZodType, string> = new Map<z.core.$ZodType, string>([
  [complaintSchema, 'Complaint'],
  [complaintReceiptSchema, 'ComplaintReceipt'],
  [complaintPageSchema, 'ComplaintPage'],
  [complaintSummarySchema, 'ComplaintSummary'],
  [historyEntrySchema, 'HistoryEntry'],
  [sentEmailSchema, 'SentEmail'],
  [healthSchema, 'Health'],
  [problemSchema, 'Problem'],
  [subscriptionSchema, 'WebhookSubscription'],
  [createdSubscriptionSchema, 'CreatedWebhookSubscription'],
  [deliverySchema, 'WebhookDelivery'],
  [deadLetterSchema, 'WebhookDeadLetter'],
  [customerStatusSchema, 'CustomerStatus'],
  [outboundEventSchema, 'OutboundEvent'],
]);

type JsonSchema = Record<string, unknown>;
const COMPONENT = '#/components/schemas/';
const INLINE = '__inline';

/**
 * JSON Schemas for `used` in one direction: the named ones as components, every other one written out where
 * it is used (with $refs to the components inside it).
 */
function schemasFor(io: 'input' | 'output', named: ReadonlyMap<z.core.$ZodType, string>, used: readonly z.core.$ZodType[]) {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of named) registry.add(schema, { id });
  const unnamed = [...new Set(used.filter((schema) => !named.has(schema)))];
  unnamed.forEach((schema, index) => registry.add(schema, { id: `${INLINE}${index}` }));
  const generated = z.toJSONSchema(registry, { io, unrepresentable: 'any', uri: (id) => `${COMPONENT}${id}` }).schemas as Record<string, JsonSchema>;
  const clean = (id: string): JsonSchema => {
    const { $schema: _dialect, $id: _id, ...rest } = generated[id]!;
    return inlineRefs(rest) as JsonSchema;
  };
  // A $ref to an unnamed schema (one nested in another that is used) is replaced by the schema itself.
  const inlineRefs = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(inlineRefs);
    if (!value || typeof value !== 'object') return value;
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith(`${COMPONENT}${INLINE}`)) return clean(ref.slice(COMPONENT.length));
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, inlineRefs(inner)]));
  };
  const components = Object.fromEntries([...named.values()].map((id) => [id, clean(id)]));
  const refOf = (schema: z.core.$ZodType): JsonSchema => {
    const name = named.get(schema);
    return name ? { $ref: `${COMPONENT}${name}` } : clean(`${INLINE}${unnamed.indexOf(schema)}`);
  };
  return { components, refOf };
}

/** Statuses whose problem answers carry Retry-After (lambdas/http/problem.ts, lambdas/core/errors.ts). */
const RETRY_LATER = new Set([409, 429, 503]);
const problemContent = { 'application/problem+json': { schema: { $ref: `${COMPONENT}Problem` } } };

const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    "Makes a retried request safe: the first answer is replayed with `idempotent-replayed: true` (IETF httpapi idempotency-key draft). Keys are kept 24 hours; a staff member's keys are their own.",
  schema: { type: 'string', maxLength: 255 },
};

/**
 * The problem answers a route can give: those its shape implies (a signature, a path parameter, a body, a
 * query, an Idempotency-Key), plus the ones its work adds (`problems` in the registry).
 */
export function problemStatuses(route: Route): number[] {
  const statuses = new Set<number>(route.problems ?? []);
  const add = (...more: number[]) => more.forEach((status) => statuses.add(status));
  if (route.authorization === 'iam') add(401, 403);
  if (route.path.includes('{')) add(400, 404);
  if (route.request?.body) add(400, 413, 415, 422);
  if (route.request?.query || route.request?.idempotencyKey) add(422);
  return [...statuses].sort((a, b) => a - b);
}

export function openApiDocument(): Record<string, unknown> {
  const all = routes as readonly Route[];
  const requests = schemasFor(
    'input',
    requestComponents,
    all.flatMap((route) => (route.request?.body ? [route.request.body] : [])),
  );
  const answers = schemasFor(
    'output',
    answerComponents,
    all.flatMap((route) => Object.values(route.responses).flatMap((answer: RouteAnswer) => (answer.schema ? [answer.schema] : []))),
  );
  const clash = Object.keys(requests.components).find((name) => name in answers.components);
  if (clash) throw new Error(`The schema name ${clash} is used for a request and for an answer`);

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of all) {
    const { request } = route;
    const parameters = [
      ...[...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...(request?.idempotencyKey ? [idempotencyKey] : []),
      ...Object.entries(
        (request?.query ? (z.toJSONSchema(request.query, { io: 'input', unrepresentable: 'any' }).properties ?? {}) : {}) as JsonSchema,
      ).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
    ];
    const body = request?.body ? requests.refOf(request.body) : undefined;
    const responses: Record<string, unknown> = {};
    for (const [status, answer] of Object.entries<RouteAnswer>(route.responses)) {
      responses[status] = {
        description: answer.description,
        ...(answer.schema
          ? { content: { 'application/json': { schema: answers.refOf(answer.schema) } } }
          : answer.mediaType
            ? { content: { [answer.mediaType]: { schema: { type: 'string', format: 'binary' } } } }
            : {}),
      };
    }
    for (const status of problemStatuses(route)) {
      responses[String(status)] = { $ref: `#/components/responses/${RETRY_LATER.has(status) ? 'ProblemRetryLater' : 'Problem'}` };
    }
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: route.action,
      summary: route.summary,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: body }, ...(request?.form ? { 'application/x-www-form-urlencoded': { schema: body } } : {}) },
            },
          }
        : {}),
      responses,
      ...(route.authorization === 'iam' ? { security: [{ sigv4: [] }] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Reklamacje', version: '1.0.0', description: 'Complaint handling that keeps the statutory deadline.' },
    paths,
    // What a shop sends to POST /webhooks/{source} (Standard Webhooks signing); platform mappings produce the same event.
    webhooks: {
      'complaint.created': {
        post: {
          operationId: 'complaintCreated',
          summary: 'The canonical event: a shop, plugin or connector files a complaint',
          description:
            'Sent to POST /webhooks/{source} of a Standard Webhooks source, signed with webhook-id, webhook-timestamp (within 5 minutes) ' +
            'and webhook-signature (v1, HMAC-SHA256 with the whsec_ secret). An event naming data.returnId is keyed by the return ' +
            '(source, data.orderId, data.returnId): every later message about it, whatever its webhook-id or body, gets the first ' +
            'receipt; without one, webhook-id is the delivery key. timestamp is when the customer lodged the complaint: the term ' +
            'counts from that day, so it may be at most 7 days old, not before data.purchaseDate, and at most 3 hours ahead. ' +
            'Shopify, WooCommerce and Shoper sources send their own payloads, which are mapped to this event.',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: requests.refOf(complaintCreatedEventSchema), example: complaintCreatedExample } },
          },
          responses: {
            '200': {
              description: 'Filed, or filed before (the same receipt)',
              content: { 'application/json': { schema: answers.refOf(complaintReceiptSchema) } },
            },
            '401': { description: 'The signature does not verify, or the timestamp is more than 5 minutes off' },
            '422': {
              description:
                'A field the complaint needs is missing or invalid (errors name each one), or timestamp cannot be the day of receipt; nothing is stored',
            },
          },
        },
      },
      ...outboundWebhooks(answers.refOf(outboundEventSchema)),
    },
    components: {
      schemas: { ...requests.components, ...answers.components },
      responses: {
        Problem: { description: 'Problem details (RFC 9457)', content: problemContent },
        ProblemRetryLater: {
          description: 'Problem details (RFC 9457), with Retry-After',
          headers: {
            'Retry-After': {
              description:
                'Seconds to wait before the follow-up request (RFC 9110 §10.2.3), on every 429 and 503, and on every 409 but a ' +
                '`term-ended` (the statutory term ran out and the law has answered the complaint: nothing to try again). On a 409 the problem ' +
                'type says which follow-up: after `idempotency-key-in-use` and `email-being-sent` (1 s: the earlier attempt is ' +
                'usually done by then; one that died leaves the e-mail open at most 15 s) the same request may succeed sent again, and after ' +
                '`earlier-request-unfinished` (what is left of the 60 s given to an earlier request that sent its e-mail to ' +
                'finish) and `complaint-busy` (1 s: so many changes to the complaint at once that this one was not stored); after a ' +
                '`version-conflict` (1 s: the workflow has acted on the change that won) read the complaint again and decide anew, ' +
                'since the same request unchanged fails again.',
              required: false,
              schema: { type: 'integer', minimum: 0 },
            },
          },
          content: problemContent,
        },
      },
      securitySchemes: {
        sigv4: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          description: 'AWS Signature Version 4 (service execute-api); API Gateway IAM authorization.',
        },
      },
    },
  };
}

/**
 * What the product POSTs to subscribers (staff register them under /admin/webhook-subscriptions): one entry per
 * event type, with the payload webhookPayload makes as its example (core/outbound-webhooks.ts).
 */
function outboundWebhooks(schema: unknown): Record<string, unknown> {
  const examples = outboundEventExamples();
  return Object.fromEntries(
    outboundEventTypes.map((type) => [
      type,
      {
        post: {
          operationId: `outbound_${type.replace('complaint.', '')}`,
          summary: `Sent to subscribers of ${type}`,
          description:
            'POSTed to each active subscription for this event, signed with Standard Webhooks: webhook-id (the delivery id, the same on ' +
            "every retry), webhook-timestamp and webhook-signature (v1, HMAC-SHA256 with the subscription's whsec_ secret, shown once " +
            'when it was created). A 2xx answer is delivered; anything else, or no answer within 10 s, is retried at 5 s, 5 min, 30 min, ' +
            '2 h, 5 h, 10 h, 14 h, 20 h and 24 h, then parked as a dead letter staff can redrive; 410 Gone disables the subscription. ' +
            "The payload names the complaint and what happened, never the customer's personal data.",
          requestBody: { required: true, content: { 'application/json': { schema, example: examples[type] } } },
          responses: {
            '2XX': { description: 'Delivered' },
            '410': { description: 'The subscriber is gone: the subscription is disabled and nothing more is sent to it' },
            default: { description: 'Not delivered: retried on the schedule above' },
          },
        },
      },
    ]),
  );
}
