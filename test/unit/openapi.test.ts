import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from '../../lambdas/core/zod';
import { complaintSchema, complaintSubmissionSchema } from '../../lambdas/core/complaint';
import { openApiDocument, problemStatuses } from '../../lambdas/http/openapi';
import { routes, type Route } from '../../lambdas/http/routes';
import { outboundEventSchema, outboundEventTypes, webhookPayload } from '../../lambdas/core/outbound-webhooks';

type Operation = {
  operationId: string;
  security?: unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is JSON walked by path
  requestBody?: any;
  parameters?: { name: string; in: string }[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is JSON walked by path
  responses: Record<string, any>;
};

describe('the OpenAPI document', () => {
  const document = openApiDocument() as {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is JSON walked by path
    components: { schemas: Record<string, any>; responses: Record<string, any> };
  };
  const operationOf = (route: Route) => document.paths[route.path]?.[route.method.toLowerCase()];
  /** Follows a `#/components/...` reference to what it names. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is JSON walked by path
  const resolve = (value: any): any => {
    if (!value?.$ref) return value;
    const [, , kind, name] = (value.$ref as string).split('/');
    return resolve((document.components as Record<string, Record<string, unknown>>)[kind!]![name!]);
  };

  it('is committed as generated (run `npm run openapi` after changing a route or a schema)', () => {
    const committed = JSON.parse(readFileSync(path.resolve(__dirname, '../../openapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it.each(routes.map((route) => [`${route.method} ${route.path}`, route as Route] as const))(
    'documents %s from its registry entry: operation, SigV4 exactly on IAM routes, parameters, body, answers',
    (_key, route) => {
      expect(document.openapi).toBe('3.1.0');
      const operation = operationOf(route);
      expect(operation?.operationId).toBe(route.action);
      expect(Boolean(operation!.security)).toBe(route.authorization === 'iam');
      const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
      expect(operation!.parameters?.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name) ?? []).toEqual(pathParameters);
      expect(Boolean(operation!.requestBody)).toBe(Boolean(route.request?.body));
      expect(Object.keys(operation!.responses).map(Number).sort()).toEqual(
        [...Object.keys(route.responses).map(Number), ...problemStatuses(route)].sort((a, b) => a - b),
      );
      for (const status of problemStatuses(route)) {
        expect(resolve(resolve(operation!.responses[status]).content['application/problem+json'].schema)).toEqual(
          document.components.schemas.Problem,
        );
      }
    },
  );

  it('has no operation that is not in the registry', () => {
    const documented = Object.entries(document.paths).flatMap(([route, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`),
    );
    expect(documented.sort()).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('takes the public request body from the same schema the handler validates with', () => {
    const body = resolve(document.paths['/complaints']!.post!.requestBody.content['application/json'].schema);
    expect(body.required).toEqual(expect.arrayContaining(['customer', 'description', 'desiredRemedy', 'privacyNoticeAccepted']));
    expect(body.properties.desiredRemedy.enum).toEqual(['repair', 'replacement', 'price_reduction', 'refund']);
    const { $schema: _dialect, ...direct } = z.toJSONSchema(complaintSubmissionSchema, { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    expect(body).toEqual(direct);
  });

  it('defines each named schema once and refers to it: the complaint is written out once, however many routes answer with it', () => {
    const text = JSON.stringify(document);
    const answeringWithComplaint = routes.filter((route) =>
      Object.values(route.responses).some((answer) => 'schema' in answer && answer.schema === complaintSchema),
    );
    expect(answeringWithComplaint.length).toBeGreaterThan(5);
    expect(text.split('"workflowAttention"').length - 1).toBe(1);
    expect(text.split('"#/components/schemas/Complaint"').length - 1).toBeGreaterThanOrEqual(answeringWithComplaint.length);
  });

  it('has every reference resolve to a component', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"([^"]+)"/g)].map(([, ref]) => ref!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) expect([ref, resolve({ $ref: ref }) !== undefined]).toEqual([ref, true]);
  });

  it('documents every outbound event under `webhooks`, its example a payload of the dispatcher that fits the OutboundEvent schema', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is JSON walked by path
    const webhooks = (document as any).webhooks as Record<string, { post: { requestBody: { content: Record<string, any> } } }>;
    for (const type of outboundEventTypes) {
      const body = webhooks[type]?.post.requestBody.content['application/json'];
      expect(resolve(body?.schema)).toBe(document.components.schemas.OutboundEvent);
      expect(body.example.type).toBe(type);
      expect(outboundEventSchema.safeParse(body.example).success).toBe(true);
    }
  });

  it('describes every field the dispatcher can send: a payload with them all fits the OutboundEvent schema and loses nothing', () => {
    const payload = webhookPayload({
      type: 'complaint.answer_sent',
      event: { sequence: 7, at: '2026-11-30T10:00:00.000Z', action: 'decision_posted', after: { postedOn: '2026-11-30' } },
      complaint: {
        id: 'c-1',
        reference: 'RK-7XK4M-9QPZT',
        channel: 'webhook',
        orderNumber: '#1',
        sourcePlatform: 'shopify',
        externalId: 'r-1',
        shopDetails: { orderId: 'o-1', returnId: 'r-1' },
        responseDueBy: '2026-12-14',
      },
      source: 'demo-shopify',
    });
    expect(outboundEventSchema.parse(payload)).toEqual(payload);
  });
});
