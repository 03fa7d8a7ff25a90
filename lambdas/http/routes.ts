import type { FunctionName } from '../functions';
import { MalformedRequest } from '../core/errors';

// The route table, once: API Gateway's routes are built from it and the local server dispatches by it.

export type Authorization = 'none' | 'iam';

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway path syntax: `/admin/complaints/{id}`. */
  path: string;
  function: FunctionName;
  authorization: Authorization;
}

export const routes: readonly Route[] = [
  { method: 'GET', path: '/health', function: 'health', authorization: 'none' },
  { method: 'POST', path: '/complaints', function: 'intake', authorization: 'none' },
  { method: 'GET', path: '/openapi.json', function: 'openapi', authorization: 'none' },
  { method: 'GET', path: '/admin/complaints', function: 'admin', authorization: 'iam' },
  { method: 'POST', path: '/admin/complaints', function: 'admin', authorization: 'iam' },
  { method: 'GET', path: '/admin/complaints/{id}', function: 'admin', authorization: 'iam' },
  { method: 'POST', path: '/admin/complaints/{id}/assignment', function: 'admin', authorization: 'iam' },
  { method: 'POST', path: '/admin/complaints/{id}/notes', function: 'admin', authorization: 'iam' },
  { method: 'POST', path: '/admin/complaints/{id}/decision', function: 'admin', authorization: 'iam' },
  { method: 'POST', path: '/admin/complaints/{id}/information-requests', function: 'admin', authorization: 'iam' },
  { method: 'POST', path: '/admin/complaints/{id}/extension', function: 'admin', authorization: 'iam' },
  { method: 'GET', path: '/admin/complaints/{id}/decision-letter', function: 'admin', authorization: 'iam' },
  { method: 'POST', path: '/admin/complaints/{id}/decision-posting', function: 'admin', authorization: 'iam' },
  { method: 'POST', path: '/admin/complaints/{id}/acknowledgement', function: 'admin', authorization: 'iam' },
];

export interface RouteMatch {
  route: Route;
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
