import * as z from 'zod';
import { complaintReceiptSchema, complaintSchema, complaintSubmissionSchema } from '../core/complaint';
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
import { routes } from './routes';

// The OpenAPI 3.1 document, generated from the route table and the very zod schemas the handlers validate
// with (zod 4 writes JSON Schema 2020-12, which OpenAPI 3.1 uses as is). `npm run openapi` commits it.

const schema = (type: z.ZodType, io: 'input' | 'output' = 'input') => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(type, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const problem = {
  description: 'Problem details (RFC 9457)',
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string', format: 'uri' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          instance: { type: 'string' },
          errors: {
            type: 'array',
            items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } }, required: ['field', 'message'] },
          },
        },
      },
    },
  },
};

const jsonBody = (type: z.ZodType, form = false) => ({
  required: true,
  content: {
    'application/json': { schema: schema(type) },
    ...(form ? { 'application/x-www-form-urlencoded': { schema: schema(type) } } : {}),
  },
});

const jsonAnswer = (description: string, type: z.ZodType | Record<string, unknown>) => ({
  description,
  content: { 'application/json': { schema: type instanceof z.ZodType ? schema(type, 'output') : type } },
});

const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Makes a retried submission safe: the first answer is replayed (IETF httpapi idempotency-key draft).',
  schema: { type: 'string', maxLength: 255 },
};

const complaintPage = {
  type: 'object',
  properties: { complaints: { type: 'array', items: schema(complaintSchema, 'output') }, cursor: { type: 'string' } },
  required: ['complaints'],
};

interface Operation {
  summary: string;
  requestBody?: unknown;
  parameters?: unknown[];
  responses: Record<string, unknown>;
}

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [String(status), { $ref: '#/components/responses/Problem' }]));
const staffErrors = errors(401, 403, 404, 409, 415, 422);

const operations: Record<string, Operation> = {
  'GET /health': { summary: 'Readiness', responses: { 200: jsonAnswer('Ready', { type: 'object', properties: { status: { const: 'ok' } } }) } },
  'GET /openapi.json': { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } },
  'POST /complaints': {
    summary: 'File a complaint (public; JSON or an HTML form with dotted field names)',
    parameters: [idempotencyKey],
    requestBody: jsonBody(complaintSubmissionSchema, true),
    responses: { 201: jsonAnswer('Received', complaintReceiptSchema), ...errors(400, 409, 413, 415, 422) },
  },
  'GET /admin/complaints': {
    summary: 'List complaints (filters, newest or most urgent first, cursor pagination) or find one',
    parameters: Object.entries((schema(listQuerySchema).properties ?? {}) as Record<string, unknown>).map(([name, type]) => ({ name, in: 'query', required: false, schema: type })),
    responses: { 200: jsonAnswer('A page of complaints', complaintPage), ...staffErrors },
  },
  'POST /admin/complaints': {
    summary: 'Register a complaint received by letter, phone or in person',
    parameters: [idempotencyKey],
    requestBody: jsonBody(registrationSchema),
    responses: { 201: jsonAnswer('Registered', complaintReceiptSchema), ...staffErrors },
  },
  'GET /admin/complaints/{id}': { summary: 'A complaint with its full history', responses: { 200: jsonAnswer('The complaint', complaintSchema), ...staffErrors } },
  'POST /admin/complaints/{id}/assignment': {
    summary: 'Assign or reassign a department (supervisor)',
    requestBody: jsonBody(assignmentRequestSchema),
    responses: { 200: jsonAnswer('The complaint', complaintSchema), ...staffErrors },
  },
  'POST /admin/complaints/{id}/notes': {
    summary: 'Add an internal note',
    requestBody: jsonBody(noteRequestSchema),
    responses: { 201: jsonAnswer('The complaint', complaintSchema), ...staffErrors },
  },
  'POST /admin/complaints/{id}/decision': {
    summary: "Record the decision; the workflow sends it to the customer at once. Checked against the policy's required answer elements.",
    requestBody: jsonBody(decisionRequestSchema),
    responses: { 200: jsonAnswer('The complaint', complaintSchema), ...staffErrors },
  },
  'POST /admin/complaints/{id}/information-requests': {
    summary: 'Ask the customer for more information (e-mail)',
    requestBody: jsonBody(informationRequestSchema),
    responses: { 201: jsonAnswer('The complaint', complaintSchema), ...staffErrors },
  },
  'POST /admin/complaints/{id}/extension': {
    summary: 'Extend the deadline where the policy allows it (financial: to 60 days, the notice sent within the 30-day term as art. 115 KC moves its last day)',
    requestBody: jsonBody(extensionRequestSchema),
    responses: { 200: jsonAnswer('The complaint', complaintSchema), ...staffErrors },
  },
  'GET /admin/complaints/{id}/decision-letter': {
    summary: 'The decision as a printable letter (PDF), for an answer that goes by post (financial: art. 5(2) of the act of 5 August 2015)',
    responses: { 200: { description: 'The letter', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }, ...errors(401, 403, 404) },
  },
  'POST /admin/complaints/{id}/decision-posting': {
    summary: 'Record the day the printed answer was posted; a dispatch deadline checks this date, and the complaint closes',
    requestBody: jsonBody(decisionPostingSchema),
    responses: { 200: jsonAnswer('The complaint', complaintSchema), ...staffErrors },
  },
  'POST /admin/complaints/{id}/acknowledgement': {
    summary: 'Record an acknowledgement of receipt given outside the product (handed over in person, by letter or phone); the history says whether it was in time',
    requestBody: jsonBody(acknowledgementRecordSchema),
    responses: { 201: jsonAnswer('The complaint', complaintSchema), ...staffErrors },
  },
};

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    const operation = operations[key];
    if (!operation) throw new Error(`The OpenAPI document does not describe ${key}`);
    const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      ...operation,
      parameters: [...pathParameters, ...(operation.parameters ?? [])],
      ...(route.authorization === 'iam' ? { security: [{ sigv4: [] }] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Reklamacje', version: '1.0.0', description: 'Complaint handling that keeps the statutory deadline.' },
    paths,
    components: {
      responses: { Problem: problem },
      securitySchemes: {
        sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', description: 'AWS Signature Version 4 (service execute-api); API Gateway IAM authorization.' },
      },
    },
  };
}

