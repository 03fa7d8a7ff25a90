import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { staffPorts, intakePorts } from '../adapters/compose';
import { log } from '../adapters/logger';
import { MalformedRequest, NotFound } from '../core/errors';
import type { StaffMember } from '../core/staff';
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
import { validated } from '../core/validation';
import { httpHandler } from '../http/http-handler';
import { json } from '../http/problem';
import { header, readBody } from '../http/request-body';
import { staffFromEvent } from '../http/staff-identity';
import {
  addNote,
  assignComplaint,
  listComplaints,
  printDecisionLetter,
  readComplaint,
  recordAcknowledgement,
  recordDecision,
  recordDecisionPosting,
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

/** A JSON answer, or (a printed letter) a file with its own content type, base64-encoded as API Gateway wants it. */
type Answer = { status: number; body: unknown } | { status: number; file: { contentType: string; name: string; bytes: Uint8Array } };
type Action = (event: APIGatewayProxyEventV2, staff: StaffMember) => Promise<Answer>;

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
  'GET /admin/complaints/{id}/decision-letter': async (event, staff) => {
    const { reference, pdf } = await printDecisionLetter(complaintId(event), staff, staffPorts());
    return { status: 200, file: { contentType: 'application/pdf', name: `${reference}.pdf`, bytes: pdf } };
  },
  'POST /admin/complaints/{id}/decision-posting': async (event, staff) =>
    ok(await recordDecisionPosting(complaintId(event), body(decisionPostingSchema, event), staff, staffPorts())),
  'POST /admin/complaints/{id}/acknowledgement': async (event, staff) =>
    ({ status: 201, body: await recordAcknowledgement(complaintId(event), body(acknowledgementRecordSchema, event), staff, staffPorts()) }),
};

export const handler = httpHandler(async (event) => {
  const action = actions[event.routeKey];
  if (!action) throw new NotFound(`No admin route ${event.routeKey}`);
  const staff = staffFromEvent(event, staffPorts().staff);
  const result = await action(event, staff);
  log.info('staff action', { route: event.routeKey, staffId: staff.id, complaintId: event.pathParameters?.id, status: result.status });
  if ('file' in result) {
    return {
      statusCode: result.status,
      headers: { 'content-type': result.file.contentType, 'content-disposition': `attachment; filename="${result.file.name}"` },
      body: Buffer.from(result.file.bytes).toString('base64'),
      isBase64Encoded: true,
    };
  }
  return json(result.status, result.body);
});
