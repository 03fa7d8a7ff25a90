import { randomUUID } from 'node:crypto';
import type { Runtime } from '../../local/runtime';
import { demoCredentials, signedHeaders } from '../../cli/signing';
import { openApiDocument } from '../../lambdas/http/openapi';
import { routes, type Route } from '../../lambdas/http/routes';
import { startLocalProduct } from '../support/local-product';
import { demoStaff } from '../support/staff-event';

// Every entry of the route registry is served by the local server and reaches its function's work: the
// same registry API Gateway's routes (test/infra) and the OpenAPI document (test/unit/openapi) come from.

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startLocalProduct();
});
afterAll(async () => {
  await runtime.stop();
});

const admin = demoStaff((staff) => staff.role === 'admin');
const registry = routes.map((route) => [`${route.method} ${route.path}`, route as Route] as const);

/** The route's path with a complaint id that names no stored complaint. */
const pathOf = (route: Route) => route.path.replace(/\{(\w+)\}/g, () => randomUUID());

async function call(route: Route, signed: boolean) {
  const url = new URL(pathOf(route), runtime.urls.api);
  const body = route.request?.body ? '{}' : undefined;
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  const sent = signed
    ? await signedHeaders({ method: route.method, url, headers, body }, { credentials: demoCredentials(admin.id), region: 'eu-central-1' })
    : headers;
  const response = await fetch(url, { method: route.method, headers: sent, body });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), text };
}

describe('the local server serves every registry entry', () => {
  it.each(registry.filter(([, route]) => route.authorization === 'iam'))(
    '%s: unsigned, the IAM check refuses it (401), so the route exists',
    async (_key, route) => {
      const response = await call(route, false);
      expect([response.status, response.type]).toEqual([401, 'application/problem+json']);
    },
  );

  it.each(registry)('%s: the function behind it does its work (no "no route" answer)', async (_key, route) => {
    const response = await call(route, route.authorization === 'iam');
    expect(response.status).not.toBe(405);
    expect(response.text).not.toMatch(/No (admin )?route/);
    // An empty body fails validation (422); an id that names nothing (a complaint's, a webhook subscription's, a
    // dead letter's) is a 404 from the action, and so is a webhook source that names nothing, before its body is
    // read (the signature needs the source's secrets).
    if (route.path.includes('{source}')) expect(response.status).toBe(404);
    else if (route.request?.body) expect(response.status).toBe(422);
    else if (/\{\w+\}/.test(route.path)) expect(response.status).toBe(404);
    else expect(response.status).toBe(200);
  });

  it('answers a path parameter that is not valid percent-encoding as naming nothing (404), not as an unreadable body', async () => {
    for (const path of ['/webhooks/%ZZ', '/admin/complaints/%E0%A4%A']) {
      const response = await fetch(new URL(path, runtime.urls.api), { method: path.startsWith('/webhooks') ? 'POST' : 'GET' });
      expect([path, response.status, response.headers.get('content-type')]).toEqual([path, 404, 'application/problem+json']);
      const problem = (await response.json()) as { title: string; detail: string };
      expect(problem.title).toBe('Not found');
      expect(problem.detail).toMatch(/^The path segment "%(ZZ|E0%A4%A)" is not valid percent-encoding/);
    }
  });

  it('serves the OpenAPI document it generates from the registry', async () => {
    const response = await fetch(`${runtime.urls.api}/openapi.json`);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });
});
