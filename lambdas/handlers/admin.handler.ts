import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from '../core/zod';
import { attachmentStore, staffPorts, intakePorts } from './compose';
import { log } from '../adapters/logger';
import { NotFound } from '../core/errors';
import type { StaffMember } from '../core/staff';
import type { Complaint } from '../core/complaint';
import { validated } from '../core/validation';
import { complaintId } from '../http/complaint-id';
import { httpHandler } from '../http/http-handler';
import { json } from '../http/problem';
import { header, readBody } from '../http/request-body';
import { routes, type RegisteredRoute } from '../http/routes';
import { staffFromEvent } from '../http/staff-identity';
import {
  addNote,
  assignComplaint,
  listComplaints,
  readComplaint,
  readHistory,
  viewOf,
  recordAcknowledgement,
  recordDecision,
  recordDecisionPosting,
  requestExtension,
  requestInformation,
} from '../use-cases/staff-actions';
import { registerComplaint } from '../use-cases/submit-complaint';
import { attachmentLink } from '../use-cases/attachments';
import { attachmentIdSchema } from '../core/attachments';
import { keyedStaffWrite, type KeyedStaffRequest } from '../use-cases/staff-idempotency';
import type { StaffPorts } from '../use-cases/staff-actions';
import {
  createSubscription,
  deleteSubscription,
  deliveryLog,
  disableSubscription,
  listDeadLetters,
  listSubscriptions,
  redriveDeadLetter,
  redriveDeadLetters,
} from '../use-cases/outbound-webhooks';
import { isDeadLetterId, isSubscriptionId } from '../core/outbound-webhooks';
import { outboundPorts } from './compose-outbound';
import { deliveryStarter } from './compose-delivery-starter';

const MAX_BODY_BYTES = 64 * 1024;

type StaffRoute = Extract<RegisteredRoute, { function: 'admin' }>;
type Parsed<S> = S extends z.core.$ZodType ? z.output<S> : undefined;

/** A staff request as its registry entry describes it, checked: the complaint id, the body, the query. */
interface StaffRequest<R extends StaffRoute> {
  id: R['path'] extends `${string}{id}${string}` ? string : undefined;
  attachmentId: R['path'] extends `${string}{attachmentId}${string}` ? string : undefined;
  body: Parsed<R extends { request: { body: infer B } } ? B : undefined>;
  query: Parsed<R extends { request: { query: infer Q } } ? Q : undefined>;
  idempotencyKey: string | undefined;
  /** The path's parameters other than a complaint id (a subscription's, a dead letter's), unchecked. */
  params: Record<string, string>;
  /** The Idempotency-Key (on routes that take one) with what was asked and the status a first answer has. */
  keyed: KeyedStaffRequest;
}

/**
 * A JSON answer, or (a printed letter) a file with its own content type, base64-encoded as API Gateway wants
 * it. Without a status, the route's documented success status.
 */
type Answer = ({ body: unknown } | { file: { contentType: string; name: string; bytes: Uint8Array } } | { empty: true }) & {
  status?: number;
  replayed?: boolean;
};

/** A path parameter in the shape of the ids this API hands out, else the 404 a name that names nothing gets. */
function pathId(params: Record<string, string>, name: string, valid: (id: string) => boolean, what: string): string {
  const id = params[name] ?? '';
  if (!valid(id)) throw new NotFound(`No ${what} ${id.slice(0, 64)}`);
  return id;
}

/** One action per staff route of the registry, by its name: the compiler refuses a route without one. */
type Actions = { [R in StaffRoute as R['action']]: (request: StaffRequest<R>, staff: StaffMember) => Promise<Answer> };

/** Every answer that is a complaint carries the newest page of its history. */
const view = async (complaint: Promise<Complaint>) => viewOf(await complaint, staffPorts());

/**
 * Every staff write that changes a complaint goes through here: under an Idempotency-Key it is stored with
 * its answer, and a retry or a replayed signed request gets that answer again (keyedStaffWrite).
 */
async function change(keyed: KeyedStaffRequest, staff: StaffMember, write: (ports: StaffPorts) => Promise<Complaint>): Promise<Answer> {
  const { status, complaint, replayed } = await keyedStaffWrite(keyed, staff, staffPorts(), write);
  return { status, body: complaint, replayed };
}

// One Lambda for the staff API: every route shares the staff identity, the ports and the error mapping.
const actions: Actions = {
  listComplaints: async ({ query }, staff) => ({ body: await listComplaints(query, staff, staffPorts()) }),
  registerComplaint: async ({ body, idempotencyKey }, staff) => {
    const { receipt, replayed } = await registerComplaint(body, staff, idempotencyKey, intakePorts());
    return { status: replayed ? 200 : 201, body: receipt, replayed };
  },
  readComplaint: async ({ id }, staff) => ({ body: await view(readComplaint(id, staff, staffPorts())) }),
  readHistory: async ({ id, query }, staff) => ({ body: await readHistory(id, query, staff, staffPorts()) }),
  linkAttachment: async ({ id, attachmentId }, staff) => ({
    body: attachmentLink(await readComplaint(id, staff, staffPorts()), attachmentId, attachmentStore()),
  }),
  assignComplaint: ({ id, body, keyed }, staff) => change(keyed, staff, (ports) => assignComplaint(id, body, staff, ports)),
  addNote: ({ id, body, keyed }, staff) => change(keyed, staff, (ports) => addNote(id, body, staff, ports)),
  recordDecision: ({ id, body, keyed }, staff) => change(keyed, staff, (ports) => recordDecision(id, body, staff, ports)),
  requestInformation: ({ id, body, keyed }, staff) => change(keyed, staff, (ports) => requestInformation(id, body, staff, ports)),
  requestExtension: ({ id, body, keyed }, staff) => change(keyed, staff, (ports) => requestExtension(id, body, staff, ports)),
  recordDecisionPosting: ({ id, body, keyed }, staff) => change(keyed, staff, (ports) => recordDecisionPosting(id, body, staff, ports)),
  recordAcknowledgement: ({ id, body, keyed }, staff) => change(keyed, staff, (ports) => recordAcknowledgement(id, body, staff, ports)),
  readWebhookDeliveries: async ({ id }, staff) => ({ body: { deliveries: await deliveryLog(id, staff, outboundPorts()) } }),
  createWebhookSubscription: async ({ body, idempotencyKey }, staff) => {
    const { subscription, replayed } = await createSubscription(body, staff, idempotencyKey, outboundPorts());
    return { status: replayed ? 200 : 201, body: subscription, replayed };
  },
  listWebhookSubscriptions: async (_request, staff) => ({ body: { subscriptions: await listSubscriptions(staff, outboundPorts()) } }),
  disableWebhookSubscription: async ({ params }, staff) => ({
    body: await disableSubscription(pathId(params, 'subscriptionId', isSubscriptionId, 'webhook subscription'), staff, outboundPorts()),
  }),
  deleteWebhookSubscription: async ({ params }, staff) => {
    await deleteSubscription(pathId(params, 'subscriptionId', isSubscriptionId, 'webhook subscription'), staff, outboundPorts());
    return { empty: true };
  },
  listWebhookDeadLetters: async ({ query }, staff) => ({ body: await listDeadLetters(query, staff, outboundPorts()) }),
  redriveWebhookDeadLetter: async ({ params }, staff) => ({
    body: await redriveDeadLetter(pathId(params, 'deadLetterId', isDeadLetterId, 'dead letter'), staff, {
      ...outboundPorts(),
      deliveries: deliveryStarter(),
    }),
  }),
  redriveWebhookDeadLetters: async ({ body }, staff) => ({
    body: await redriveDeadLetters(body, staff, { ...outboundPorts(), deliveries: deliveryStarter() }),
  }),
};

const staffRoutes = new Map(
  routes.filter((route): route is StaffRoute => route.function === 'admin').map((route) => [`${route.method} ${route.path}`, route]),
);

/** The path's complaint first (an id that cannot be one is a 404 whatever the body), then the body and query. */
function staffRequest(route: StaffRoute, event: APIGatewayProxyEventV2): StaffRequest<StaffRoute> {
  const request: { body?: z.core.$ZodType; query?: z.core.$ZodType } = 'request' in route ? route.request : {};
  const id = route.path.includes('{id}') ? complaintId(event) : undefined;
  const attachmentId = route.path.includes('{attachmentId}') ? attachmentIdOf(event) : undefined;
  const body: unknown = request.body ? validated(request.body, readBody(event, MAX_BODY_BYTES)) : undefined;
  const idempotencyKey = 'idempotencyKey' in request && request.idempotencyKey === true ? header(event, 'idempotency-key') : undefined;
  return {
    id,
    attachmentId,
    body,
    query: request.query ? validated(request.query, event.queryStringParameters ?? {}) : undefined,
    idempotencyKey,
    params: event.pathParameters ?? {},
    keyed: { key: idempotencyKey, asked: { route: event.routeKey, id, body }, status: Number(Object.keys(route.responses)[0]) },
  } as StaffRequest<StaffRoute>;
}

/** An attachment id that cannot be one names nothing: 404, as a malformed complaint id is. */
function attachmentIdOf(event: APIGatewayProxyEventV2): string {
  const value = event.pathParameters?.attachmentId ?? '';
  if (!attachmentIdSchema.safeParse(value).success) throw new NotFound(`No attachment ${value.slice(0, 64)}`);
  return value;
}

/** What a failed staff request's answer may say about retrying it (lambdas/http/problem.ts). */
const staffRouteFacts = {
  takesIdempotencyKey: (event: APIGatewayProxyEventV2) => {
    const route = staffRoutes.get(event.routeKey);
    return route !== undefined && 'request' in route && 'idempotencyKey' in route.request && route.request.idempotencyKey === true;
  },
  howToCheck: "A change that took effect shows in the complaint's history (GET /admin/complaints/{id}).",
};

export const handler = httpHandler(async (event) => {
  const route = staffRoutes.get(event.routeKey);
  if (!route) throw new NotFound(`No admin route ${event.routeKey}`);
  const staff = staffFromEvent(event, staffPorts().staff);
  // The assertion is needed (tsc cannot call a union of action signatures with a union of requests); the rule
  // misreads it as a no-op.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  const action = actions[route.action] as (request: StaffRequest<StaffRoute>, staff: StaffMember) => Promise<Answer>;
  const result = await action(staffRequest(route, event), staff);
  const status = result.status ?? Number(Object.keys(route.responses)[0]);
  log.info('staff action', { route: event.routeKey, staffId: staff.id, complaintId: event.pathParameters?.id, status, replayed: result.replayed });
  if ('empty' in result) return { statusCode: status };
  if ('file' in result) {
    return {
      statusCode: status,
      headers: { 'content-type': result.file.contentType, 'content-disposition': `attachment; filename="${result.file.name}"` },
      body: Buffer.from(result.file.bytes).toString('base64'),
      isBase64Encoded: true,
    };
  }
  return json(status, result.body, result.replayed ? { 'idempotent-replayed': 'true' } : {});
}, staffRouteFacts);
