import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { handlerOf } from '../../local/handlers';
import { routes } from '../../lambdas/http/routes';

interface DemoStaff {
  id: string;
  role: string;
  departments: string[];
  principalArn: string;
}

export function demoStaff(predicate: (staff: DemoStaff) => boolean): DemoStaff {
  const { staff } = JSON.parse(readFileSync(path.resolve(__dirname, '../../config/staff.local.json'), 'utf8')) as { staff: DemoStaff[] };
  const member = staff.find(predicate);
  if (!member) throw new Error('No such demo staff member');
  return member;
}

/**
 * Calls the staff function the route registry names for the route as API Gateway does after its IAM authorizer accepted the signature: the event
 * carries the caller's IAM identity. (Signature checking itself is tested on its own and end to end.)
 */
export async function asStaff(
  staff: DemoStaff,
  method: 'GET' | 'POST',
  routePath: string,
  options: { pathParameters?: Record<string, string>; body?: unknown; query?: Record<string, string> } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read the answer's JSON by path
): Promise<{ statusCode: number; body: any }> {
  const rawPath = routePath.replace(/\{(\w+)\}/g, (_, name: string) => options.pathParameters?.[name] ?? '');
  const event = {
    version: '2.0',
    routeKey: `${method} ${routePath}`,
    rawPath,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { 'content-type': 'application/json' },
    queryStringParameters: options.query,
    pathParameters: options.pathParameters,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    isBase64Encoded: false,
    requestContext: {
      http: { method, path: rawPath },
      routeKey: `${method} ${routePath}`,
      authorizer: { iam: { userArn: staff.principalArn, accountId: '000000000000', accessKey: 'AKIA', callerId: staff.id } },
    },
  } as unknown as APIGatewayProxyEventV2;
  const route = routes.find((candidate) => candidate.method === method && candidate.path === routePath);
  if (!route) throw new Error(`No route ${method} ${routePath} in the registry`);
  const result = (await handlerOf(route.function)(event)) as { statusCode: number; body: string };
  return { statusCode: result.statusCode, body: JSON.parse(result.body) };
}
