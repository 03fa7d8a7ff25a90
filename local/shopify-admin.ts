import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A stand-in for one Shopify shop's Admin GraphQL API, as far as the product uses it: the `order(id:)` query
// behind a return request, and the `returnApproveRequest` / `returnDeclineRequest` mutations that report our
// decision (lambdas/adapters/shopify-admin.ts); the mutations are recorded for tests to read. Shopify has no local edition, so this answers
// in Shopify's documented shapes: 401 without the shop's access token, `{ data: { order: null } }` for an
// unknown id, a THROTTLED error when told to. `npm start` serves the demo shop's orders; tests add their own.

export interface StandInOrder {
  /** gid://shopify/Order/<id> */
  id: string;
  name: string;
  email: string | null;
  phone?: string | null;
  processedAt: string;
  customerName?: string;
  lineItems: { id: string; title: string }[];
}

/** What the next requests get instead of an answer, for tests of the sender's retries. */
export type ShopifyFault = { status: number } | { graphqlErrorCode: string } | { hang: true };

export interface ShopifyAdminStandIn {
  url: string;
  addOrder(order: StandInOrder): void;
  /** Answers the next `times` requests with the fault. */
  failNext(fault: ShopifyFault, times: number): void;
  /** The requests answered so far (the query's variables), newest last. */
  requests: { accessToken: string | undefined; variables: unknown }[];
  /** The return decisions applied so far, newest last: the mutation and its input. */
  returnDecisions: { mutation: 'returnApproveRequest' | 'returnDeclineRequest'; input: Record<string, unknown> }[];
  close(): Promise<void>;
}

/** The order of the README's example return request (and of test/support/webhook-deliveries.ts). */
export const DEMO_SHOPIFY_ORDERS: StandInOrder[] = [
  {
    id: 'gid://shopify/Order/450789469',
    name: '#1001',
    email: 'anna@example.com',
    phone: '+48 600 100 200',
    processedAt: '2026-11-02T10:00:00Z',
    customerName: 'Anna Kowalska',
    lineItems: [{ id: 'gid://shopify/LineItem/466157049', title: 'Czajnik KE-200' }],
  },
];

/** `accessTokens`: the tokens of the installations it stands in for (every shop of config/webhooks.local.json). */
export async function startShopifyAdminStandIn(options: {
  port?: number;
  accessTokens: readonly string[];
  orders?: StandInOrder[];
}): Promise<ShopifyAdminStandIn> {
  const orders = new Map((options.orders ?? []).map((order) => [order.id, order]));
  const requests: ShopifyAdminStandIn['requests'] = [];
  const returnDecisions: ShopifyAdminStandIn['returnDecisions'] = [];
  // As Shopify: a return request is decided once; a second decision is a user error, not a change.
  const decidedReturns = new Map<string, string>();
  let fault: { fault: ShopifyFault; remaining: number } | undefined;
  const hanging = new Set<ServerResponse>();

  const answer = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || !/^\/admin\/api\/\d{4}-\d{2}\/graphql\.json$/.test(request.url ?? '')) {
        return answer(response, 404, { errors: 'Not Found' });
      }
      const accessToken = request.headers['x-shopify-access-token'] as string | undefined;
      let body: { query?: string; variables?: { id?: string } };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        return answer(response, 400, { errors: 'Bad Request' });
      }
      requests.push({ accessToken, variables: body.variables });
      if (fault && fault.remaining > 0) {
        fault.remaining -= 1;
        const current = fault.fault;
        if ('hang' in current) return void hanging.add(response);
        if ('status' in current) return answer(response, current.status, { errors: 'Injected' });
        return answer(response, 200, { errors: [{ message: 'Injected', extensions: { code: current.graphqlErrorCode } }] });
      }
      if (accessToken === undefined || !options.accessTokens.includes(accessToken)) {
        return answer(response, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      }
      const mutation = ['returnApproveRequest', 'returnDeclineRequest'].find((name) => body.query?.includes(`${name}(input: $input)`)) as
        'returnApproveRequest' | 'returnDeclineRequest' | undefined;
      if (mutation) {
        const input = (body.variables as { input?: Record<string, unknown> } | undefined)?.input ?? {};
        const id = String(input.id ?? '');
        if (decidedReturns.has(id)) {
          return answer(response, 200, {
            data: {
              [mutation]: { return: null, userErrors: [{ code: 'INVALID_STATE', field: ['input', 'id'], message: 'Return is not requested' }] },
            },
          });
        }
        const status = mutation === 'returnApproveRequest' ? 'OPEN' : 'DECLINED';
        decidedReturns.set(id, status);
        returnDecisions.push({ mutation, input });
        return answer(response, 200, { data: { [mutation]: { return: { id, status }, userErrors: [] } } });
      }
      if (!body.query?.includes('order(id: $id)')) return answer(response, 200, { errors: [{ message: 'This stand-in answers only order(id:)' }] });
      const order = orders.get(body.variables?.id ?? '');
      return answer(response, 200, {
        data: {
          order: order
            ? {
                name: order.name,
                email: order.email,
                phone: order.phone ?? null,
                processedAt: order.processedAt,
                customer: order.customerName ? { displayName: order.customerName } : null,
                lineItems: { nodes: order.lineItems },
              }
            : null,
        },
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    returnDecisions,
    addOrder(order) {
      orders.set(order.id, order);
    },
    failNext(next, times) {
      fault = { fault: next, remaining: times };
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
