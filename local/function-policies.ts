import { AsyncLocalStorage } from 'node:async_hooks';
import type { InterceptedRequest, Interceptor } from '../lambdas/adapters/aws-wire/signed-transport';
import type { WireResponse } from '../lambdas/adapters/aws-wire/node-http-post';
import { functions, type FunctionName, type Grant } from '../lambdas/functions';
import { dynamo } from '../lambdas/adapters/clients';
import { ses } from '../lambdas/adapters/ses-client';
import { stepFunctions } from '../lambdas/adapters/sfn-client';

// IAM on this machine. In AWS each function's role allows exactly what its catalog entry names (lib/functions.ts
// turns `table` and `grants` into policies); locally every handler shares one process and one set of clients, so
// a call its role would refuse went through, and a function short of an action worked here and failed in AWS
// (advanceComplaint's Query and recordDelivery's PutItem, both found only by reading). Here each handler runs
// as its function (`runAs`), and the clients' interceptors refuse what that function's role would not allow,
// answering as AWS answers (AccessDeniedException). Code outside a handler (the runtime itself, tests calling an
// adapter directly) is not a function and is not checked.

const current = new AsyncLocalStorage<FunctionName>();

/** Runs `work` as the function `name`: the AWS calls it makes are checked against that function's role. */
export function runAs<T>(name: FunctionName, work: () => Promise<T>): Promise<T> {
  return current.run(name, work);
}

/**
 * The IAM actions a DynamoDB request needs: its operation's, and for a transaction each of its parts'
 * (TransactWriteItems needs PutItem, UpdateItem, DeleteItem or ConditionCheckItem per item, as IAM evaluates it).
 */
export function dynamoDbActionsOf(operation: string, body: Record<string, unknown>): string[] {
  if (operation === 'TransactWriteItems') {
    const parts = (body.TransactItems as Record<string, unknown>[] | undefined) ?? [];
    const action = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' } as const;
    return [...new Set(parts.flatMap((part) => Object.keys(part).map((kind) => `dynamodb:${action[kind as keyof typeof action] ?? kind}`)))];
  }
  if (operation === 'TransactGetItems') return ['dynamodb:GetItem'];
  return [`dynamodb:${operation}`];
}

/** What a function's role allows, from its catalog entry, in IAM's action names. */
export function allowedActions(
  name: FunctionName,
  stateMachines: { workflow: string; deliveries: string },
): (action: string, resource?: string) => boolean {
  const spec = functions[name];
  const grants = new Set<Grant>(spec.grants);
  const table = new Set<string>(spec.table);
  return (action, resource) => {
    if (action.startsWith('dynamodb:')) return table.has(action);
    if (action === 'ses:SendEmail') return grants.has('email:send');
    if (action === 'states:StartExecution') {
      return resource === stateMachines.deliveries ? grants.has('webhookDeliveries:start') : grants.has('workflow:start');
    }
    if (['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'].includes(action)) return grants.has('workflow:callback');
    return false;
  };
}

/** How AWS refuses a call no policy allows: HTTP 400 (403 for SES's REST API), AccessDeniedException. */
function accessDenied(name: FunctionName, action: string, status: number): WireResponse {
  const message = `User: arn:aws:sts::000000000000:assumed-role/${name}-role/${name} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'AccessDeniedException' };
  return {
    ok: false,
    status,
    headers: { get: (header) => headers[header.toLowerCase()] ?? null },
    text: () => Promise.resolve(JSON.stringify({ __type: 'AccessDeniedException', message, Message: message })),
  };
}

/**
 * The interceptor for one service's client: each request made as a function is checked against its role.
 * `actionsOf` names the IAM actions (and the resource, where the role distinguishes one) a request needs.
 */
export function functionPolicy(
  actionsOf: (request: InterceptedRequest, body: string) => { actions: string[]; resource?: string },
  stateMachines: { workflow: string; deliveries: string },
  deniedStatus = 400,
  onDenied: (name: FunctionName, action: string) => void = () => undefined,
): Interceptor {
  // Each function's role once, not per request: every call the steps make passes here.
  const roles = new Map<FunctionName, ReturnType<typeof allowedActions>>();
  return async (request, next) => {
    const name = current.getStore();
    if (!name) return next(request);
    const { actions, resource } = actionsOf(request, await request.text());
    let allowed = roles.get(name);
    if (!allowed) roles.set(name, (allowed = allowedActions(name, stateMachines)));
    const refused = actions.find((action) => !allowed(action, resource));
    if (refused === undefined) return next(request);
    onDenied(name, refused);
    return accessDenied(name, refused, deniedStatus);
  };
}

/** X-Amz-Target's operation (`DynamoDB_20120810.PutItem` → `PutItem`). */
const operationOf = (request: InterceptedRequest) => (request.headers.get('x-amz-target') ?? '').split('.').pop() ?? '';

const parsed = (body: string): Record<string, unknown> => (body ? (JSON.parse(body) as Record<string, unknown>) : {});

/** Only a transaction's body says which actions it needs: any other request's is not parsed (the bulk of them). */
export const dynamoDbRequestActions = (request: InterceptedRequest, body: string) => {
  const operation = operationOf(request);
  return { actions: dynamoDbActionsOf(operation, operation === 'TransactWriteItems' ? parsed(body) : {}) };
};

export const stepFunctionsRequestActions = (request: InterceptedRequest, body: string) => {
  const operation = operationOf(request);
  return { actions: [`states:${operation}`], resource: operation === 'StartExecution' ? String(parsed(body).stateMachineArn) : undefined };
};

/** SES v2 is REST: the one operation the product uses is SendEmail. */
export const sesRequestActions = (request: InterceptedRequest) => {
  const { pathname } = new URL(request.url);
  return { actions: pathname === '/v2/email/outbound-emails' ? ['ses:SendEmail'] : [`ses:${pathname}`] };
};

/**
 * Puts the check on the Lambdas' DynamoDB, SES and Step Functions clients of this thread (each thread that runs
 * handlers has its own); answers a function that takes it off. `log` is told of every refusal.
 */
export function enforceFunctionPolicies(stateMachines: { workflow: string; deliveries: string }, log?: (line: string) => void): () => void {
  const denied = (name: string, action: string) => log?.(`AccessDenied: the ${name} function may not ${action} (lambdas/functions.ts)`);
  const removals = [
    dynamo().intercept(functionPolicy(dynamoDbRequestActions, stateMachines, 400, denied)),
    ses().intercept(functionPolicy(sesRequestActions, stateMachines, 403, denied)),
    stepFunctions().intercept(functionPolicy(stepFunctionsRequestActions, stateMachines, 400, denied)),
  ];
  return () => removals.forEach((remove) => remove());
}
