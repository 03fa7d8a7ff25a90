import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { staffPorts, intakePorts } from '../adapters/compose';
import { log } from '../adapters/logger';
import { MalformedRequest, NotFound } from '../core/errors';
import type { StaffMember } from '../core/staff';
import {
  assignmentRequestSchema,
  decisionRequestSchema,
  extensionRequestSchema,
  informationRequestSchema,
  listQuerySchema,
  noteRequestSchema,
  registrationSchema,
} from '../core/staff-requests';
import { validated } from '../core/validation';
import { httpHandler } from '../http/http-handler';
import { json } from '../http/problem';
import { header, readBody } from '../http/request-body';
import { staffFromEvent } from '../http/staff-identity';
import {
  addNote,
  assignComplaint,
  listComplaints,
  readComplaint,
  recordDecision,
  requestExtension,
  requestInformation,
} from '../use-cases/staff-actions';
import { registerComplaint } from '../use-cases/submit-complaint';

const MAX_BODY_BYTES = 64 * 1024;

const body = <S extends z.ZodType>(schema: S, event: APIGatewayProxyEventV2) => validated(schema, readBody(event, MAX_BODY_BYTES));

// Complaint ids are UUIDs (lambdas/adapters/ids.ts); anything else names no complaint, and must not reach
// DynamoDB, which refuses over-long keys with an error that would surface as a 500.
const COMPLAINT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function complaintId(event: APIGatewayProxyEventV2): string {
  const id = event.pathParameters?.id;
  if (!id) throw new MalformedRequest('The path names no complaint.');
  if (!COMPLAINT_ID.test(id)) throw new NotFound(`No complaint ${id.slice(0, 64)}`);
  return id.toLowerCase();
}

type Action = (event: APIGatewayProxyEventV2, staff: StaffMember) => Promise<{ status: number; body: unknown }>;

const ok = (value: unknown) => ({ status: 200, body: value });

// One Lambda for the staff API: every route shares the staff identity, the ports and the error mapping.
const actions: Record<string, Action> = {
  'GET /admin/complaints': async (event, staff) => ok(await listComplaints(validated(listQuerySchema, event.queryStringParameters ?? {}), staff, staffPorts())),
  'POST /admin/complaints': async (event, staff) => {
    const { receipt, replayed } = await registerComplaint(body(registrationSchema, event), staff, header(event, 'idempotency-key'), intakePorts());
    return { status: replayed ? 200 : 201, body: receipt };
  },
  'GET /admin/complaints/{id}': async (event, staff) => ok(await readComplaint(complaintId(event), staff, staffPorts())),
  'POST /admin/complaints/{id}/assignment': async (event, staff) =>
    ok(await assignComplaint(complaintId(event), body(assignmentRequestSchema, event), staff, staffPorts())),
  'POST /admin/complaints/{id}/notes': async (event, staff) =>
    ({ status: 201, body: await addNote(complaintId(event), body(noteRequestSchema, event), staff, staffPorts()) }),
  'POST /admin/complaints/{id}/decision': async (event, staff) =>
    ok(await recordDecision(complaintId(event), body(decisionRequestSchema, event), staff, staffPorts())),
  'POST /admin/complaints/{id}/information-requests': async (event, staff) =>
    ({ status: 201, body: await requestInformation(complaintId(event), body(informationRequestSchema, event), staff, staffPorts()) }),
  'POST /admin/complaints/{id}/extension': async (event, staff) =>
    ok(await requestExtension(complaintId(event), body(extensionRequestSchema, event), staff, staffPorts())),
};

export const handler = httpHandler(async (event) => {
  const action = actions[event.routeKey];
  if (!action) throw new NotFound(`No admin route ${event.routeKey}`);
  const staff = staffFromEvent(event, staffPorts().staff);
  const result = await action(event, staff);
  log.info('staff action', { route: event.routeKey, staffId: staff.id, complaintId: event.pathParameters?.id, status: result.status });
  return json(result.status, result.body);
});
