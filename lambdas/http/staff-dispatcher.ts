import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from '../core/zod';
import { log } from '../adapters/logger';
import { NotFound } from '../core/errors';
import type { StaffDirectory, StaffMember } from '../core/staff';
import { validated } from '../core/validation';
import type { KeyedStaffRequest } from '../use-cases/staff-idempotency';
import { complaintId } from './complaint-id';
import { httpHandler, type HttpHandler } from './http-handler';
import { json } from './problem';
import { header, readBody } from './request-body';
import type { RegisteredRoute } from './routes';
import { staffFromEvent } from './staff-identity';

// What the staff API's functions share (staff-reads, staff-changes and staff-webhooks handlers): the staff
// identity, the request checked against its registry entry, one action per route, one log line and the error
// mapping. Each function hands in its own part of the registry (staff-*-routes.ts), so it bundles its own
// routes' schemas only, and the compiler refuses a function whose actions miss one of its routes.

const MAX_BODY_BYTES = 64 * 1024;

type StaffRoute = Extract<RegisteredRoute, { function: 'staffReads' | 'staffChanges' | 'staffWebhooks' }>;
type Parsed<S> = S extends z.core.$ZodType ? z.output<S> : undefined;

/** A staff request as its registry entry describes it, checked: the complaint id, the body, the query. */
export interface StaffRequest<R extends StaffRoute> {
  id: R['path'] extends `${string}{id}${string}` ? string : undefined;
  body: Parsed<R extends { request: { body: infer B } } ? B : undefined>;
  query: Parsed<R extends { request: { query: infer Q } } ? Q : undefined>;
  idempotencyKey: string | undefined;
  /** The path's parameters other than a complaint id (an attachment's, a subscription's, a dead letter's), unchecked: see pathId. */
  params: Record<string, string>;
  /** The Idempotency-Key (on routes that take one) with what was asked and the status a first answer has. */
  keyed: KeyedStaffRequest;
}

/** A JSON answer or none. Without a status, the route's documented success status. */
export type StaffAnswer = ({ body: unknown } | { empty: true }) & { status?: number; replayed?: boolean };

/** One action per route of the function, by its name. */
export type StaffActions<Routes extends StaffRoute> = {
  [R in Routes as R['action']]: (request: StaffRequest<R>, staff: StaffMember) => Promise<StaffAnswer>;
};

type AnyAction = (request: StaffRequest<StaffRoute>, staff: StaffMember) => Promise<StaffAnswer>;

/** What a failed staff request's answer may say about retrying it (lambdas/http/problem.ts). */
const HOW_TO_CHECK = "A change that took effect shows in the complaint's history (GET /admin/complaints/{id}).";

/** The handler of one staff function: its routes (its part of the registry), an action for each, who is who. */
export function staffHandler<Own extends readonly StaffRoute[]>(
  ownRoutes: Own,
  actions: StaffActions<Own[number]>,
  staffDirectory: () => StaffDirectory,
): HttpHandler {
  const byKey = new Map<string, StaffRoute>(ownRoutes.map((route) => [`${route.method} ${route.path}`, route]));
  const takesIdempotencyKey = (event: APIGatewayProxyEventV2) => {
    const route = byKey.get(event.routeKey);
    return route !== undefined && 'request' in route && 'idempotencyKey' in route.request && route.request.idempotencyKey === true;
  };
  return httpHandler(
    async (event) => {
      const route = byKey.get(event.routeKey);
      if (!route) throw new NotFound(`No admin route ${event.routeKey}`);
      const staff = staffFromEvent(event, staffDirectory());
      // A union of action signatures cannot be called with a union of requests: the action is looked up by the
      // route's own name, so it takes that route's request.
      const action = (actions as unknown as Record<string, AnyAction>)[route.action]!;
      const result = await action(staffRequest(route, event), staff);
      const status = result.status ?? Number(Object.keys(route.responses)[0]);
      log.info('staff action', {
        route: event.routeKey,
        staffId: staff.id,
        complaintId: event.pathParameters?.id,
        status,
        replayed: result.replayed,
      });
      if ('empty' in result) return { statusCode: status };
      return json(status, result.body, result.replayed ? { 'idempotent-replayed': 'true' } : {});
    },
    { takesIdempotencyKey, howToCheck: HOW_TO_CHECK },
  );
}

/** The path's complaint first (an id that cannot be one is a 404 whatever the body), then the body and query. */
function staffRequest(route: StaffRoute, event: APIGatewayProxyEventV2): StaffRequest<StaffRoute> {
  const request: { body?: z.core.$ZodType; query?: z.core.$ZodType } = 'request' in route ? route.request : {};
  const id = route.path.includes('{id}') ? complaintId(event) : undefined;
  const body: unknown = request.body ? validated(request.body, readBody(event, MAX_BODY_BYTES)) : undefined;
  const idempotencyKey = 'idempotencyKey' in request && request.idempotencyKey === true ? header(event, 'idempotency-key') : undefined;
  return {
    id,
    body,
    query: request.query ? validated(request.query, event.queryStringParameters ?? {}) : undefined,
    idempotencyKey,
    params: event.pathParameters ?? {},
    keyed: { key: idempotencyKey, asked: { route: event.routeKey, id, body }, status: Number(Object.keys(route.responses)[0]) },
  } as StaffRequest<StaffRoute>;
}

/**
 * A path parameter in the shape of the ids this API hands out, else the 404 a name that names nothing gets (as
 * a malformed complaint id is). Checked by the action that takes it, after the complaint id and before any work.
 */
export function pathId(params: Record<string, string>, name: string, valid: (id: string) => boolean, what: string): string {
  const id = params[name] ?? '';
  if (!valid(id)) throw new NotFound(`No ${what} ${id.slice(0, 64)}`);
  return id;
}
