import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../../lambdas/http/openapi';
import { routes } from '../../lambdas/http/routes';

describe('the OpenAPI document', () => {
  const document = openApiDocument() as { openapi: string; paths: Record<string, Record<string, { security?: unknown; requestBody?: any }>> };

  it('is committed as generated (run `npm run openapi` after changing a route or a schema)', () => {
    const committed = JSON.parse(readFileSync(path.resolve(__dirname, '../../openapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('describes every route of the route table, with SigV4 on exactly the IAM routes', () => {
    expect(document.openapi).toBe('3.1.0');
    for (const route of routes) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect([route.method, route.path, Boolean(operation)]).toEqual([route.method, route.path, true]);
      expect(Boolean(operation!.security)).toBe(route.authorization === 'iam');
    }
  });

  it('takes the public request body from the same schema the handler validates with', () => {
    const body = document.paths['/complaints']!.post!.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['customer', 'description', 'desiredRemedy', 'privacyNoticeAccepted']));
    expect(body.properties.desiredRemedy.enum).toEqual(['repair', 'replacement', 'price_reduction', 'refund']);
  });
});
