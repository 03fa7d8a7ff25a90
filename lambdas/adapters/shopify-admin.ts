import { PlatformAccessRefused, PlatformTemporarilyUnavailable } from '../core/errors';
import type { ShopifyOrderFacts } from '../core/platforms/shopify';
import type { ShopDecision } from '../use-cases/report-decision-to-shop';
import { log } from './logger';

// The order behind a Shopify return request, read from the shop's Admin GraphQL API with the access token of
// our app's installation in that shop. The return request names the order only by id; the customer's e-mail
// and the line items' titles are on the order (Shopify marks them protected customer data: the app must be
// approved for the `email`, `phone` and `name` fields, README "Connecting a Shopify store").

/** Shopify supports each quarterly version for a year; bump it with the quarterly release notes. */
export const SHOPIFY_ADMIN_API_VERSION = '2026-10';

/**
 * A workflow step waits for it (the Lambda has 30 s, the ASL task 60 s); Shopify answers a query like this in
 * well under a second, so 10 s is an outage, which the ASL's Retry waits out.
 */
const REQUEST_TIMEOUT_MS = 10_000;

export interface ShopifyAdminAccess {
  /** The shop's own domain at Shopify, `<shop>.myshopify.com`. */
  shopDomain: string;
  accessToken: string;
}

/** What Shopify answers when the shop has no order under the id: null (not an error). */
export type ShopifyOrderAnswer = ShopifyOrderFacts | null;

const ORDER_QUERY = `query OrderBehindReturn($id: ID!) {
  order(id: $id) {
    name
    email
    phone
    processedAt
    customer { displayName }
    lineItems(first: 250) { nodes { id title } }
  }
}`;

interface GraphQlAnswer {
  data?: {
    order: {
      name?: string | null;
      email?: string | null;
      phone?: string | null;
      processedAt?: string | null;
      customer?: { displayName?: string | null } | null;
      lineItems?: { nodes?: { id: string; title?: string | null }[] };
    } | null;
  };
  errors?: { message?: string; extensions?: { code?: string } }[];
}

/**
 * Reads orders from shops' Admin APIs. `endpointBase` replaces `https://<shopDomain>` (the local product
 * points it at its Shopify stand-in, as AWS_ENDPOINT_URL_* points the AWS clients at theirs).
 */
export function shopifyOrderReader(options: { endpointBase?: string; fetch?: typeof fetch } = {}) {
  const send = options.fetch ?? fetch;
  return async (access: ShopifyAdminAccess, orderGid: string): Promise<ShopifyOrderAnswer> => {
    const base = options.endpointBase ?? `https://${access.shopDomain}`;
    const url = `${base.replace(/\/$/, '')}/admin/api/${SHOPIFY_ADMIN_API_VERSION}/graphql.json`;
    let response: Response;
    try {
      response = await send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-shopify-access-token': access.accessToken },
        body: JSON.stringify({ query: ORDER_QUERY, variables: { id: orderGid } }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw unavailable(access, `no answer (${(error as { name?: string } | null)?.name ?? 'error'})`);
    }
    if (response.status === 401 || response.status === 403) {
      // Our configuration, not the shop's outage: asking again will not help until operators renew the token.
      log.error('Shopify refused the access token', { shopDomain: access.shopDomain, status: response.status });
      throw new PlatformAccessRefused(`The Shopify Admin API of ${access.shopDomain} refused the access token (HTTP ${response.status}).`);
    }
    if (!response.ok) throw unavailable(access, `HTTP ${response.status}`);
    let answer: GraphQlAnswer;
    try {
      answer = (await response.json()) as GraphQlAnswer;
    } catch {
      throw unavailable(access, 'an answer that is not JSON');
    }
    if (answer.errors && answer.errors.length > 0) {
      // THROTTLED passes by itself; ACCESS_DENIED (a scope the app lacks) needs operators, so it is not retried.
      const codes = answer.errors.map((error) => error.extensions?.code ?? error.message ?? 'error').join(', ');
      if (codes.includes('ACCESS_DENIED')) {
        log.error('Shopify refused the order query', { shopDomain: access.shopDomain, codes });
        throw new PlatformAccessRefused(`The Shopify Admin API of ${access.shopDomain} refused the order query (${codes}).`);
      }
      throw unavailable(access, `GraphQL errors: ${codes}`);
    }
    const order = answer.data?.order;
    if (order === undefined) throw unavailable(access, 'an answer without data');
    return order === null ? null : factsOf(order);
  };
}

function factsOf(order: NonNullable<NonNullable<GraphQlAnswer['data']>['order']>): ShopifyOrderFacts {
  const lineItemTitles: Record<string, string> = {};
  for (const item of order.lineItems?.nodes ?? []) {
    // The webhook names line items by their numeric id; the Admin API by gid://shopify/LineItem/<id>.
    const numericId = item.id.slice(item.id.lastIndexOf('/') + 1);
    if (item.title) lineItemTitles[numericId] = item.title;
  }
  return {
    email: order.email ?? undefined,
    customerName: order.customer?.displayName ?? undefined,
    phone: order.phone ?? undefined,
    orderName: order.name ?? undefined,
    processedAt: order.processedAt ?? undefined,
    lineItemTitles,
  };
}

function unavailable(access: ShopifyAdminAccess, why: string): PlatformTemporarilyUnavailable {
  return new PlatformTemporarilyUnavailable(`The Shopify Admin API of ${access.shopDomain} did not answer usefully (${why}).`);
}

const APPROVE_MUTATION = `mutation ApproveReturn($input: ReturnApproveRequestInput!) {
  returnApproveRequest(input: $input) { return { id status } userErrors { code field message } }
}`;

const DECLINE_MUTATION = `mutation DeclineReturn($input: ReturnDeclineRequestInput!) {
  returnDeclineRequest(input: $input) { return { id status } userErrors { code field message } }
}`;

interface MutationAnswer {
  data?: Record<string, { return?: { id: string; status: string } | null; userErrors?: { code?: string; message?: string }[] } | null>;
  errors?: { message?: string; extensions?: { code?: string } }[];
}

/**
 * Reports decisions back to shops (`returnApproveRequest`, `returnDeclineRequest` with reason OTHER and our
 * justification as the note). `notifyCustomer` stays false: the customer gets our own answer, by e-mail or
 * post, which is the one the law counts. Answers the return's status, or the user errors Shopify gave (a
 * return already approved, declined or closed: telling again cannot change it, so nothing is retried).
 */
export function shopifyReturnDecider(options: { endpointBase?: string; fetch?: typeof fetch } = {}) {
  const send = options.fetch ?? fetch;
  return async (access: ShopifyAdminAccess, returnGid: string, decision: ShopDecision): Promise<{ status: string } | { userErrors: string }> => {
    const base = options.endpointBase ?? `https://${access.shopDomain}`;
    const url = `${base.replace(/\/$/, '')}/admin/api/${SHOPIFY_ADMIN_API_VERSION}/graphql.json`;
    const [mutation, field, input] = decision.approve
      ? [APPROVE_MUTATION, 'returnApproveRequest', { id: returnGid, notifyCustomer: false }]
      : [
          DECLINE_MUTATION,
          'returnDeclineRequest',
          { id: returnGid, declineReason: 'OTHER', notifyCustomer: false, ...(decision.declineNote ? { declineNote: decision.declineNote } : {}) },
        ];
    let response: Response;
    try {
      response = await send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-shopify-access-token': access.accessToken },
        body: JSON.stringify({ query: mutation, variables: { input } }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw unavailable(access, `no answer (${(error as { name?: string } | null)?.name ?? 'error'})`);
    }
    if (response.status === 401 || response.status === 403) {
      throw new PlatformAccessRefused(`The Shopify Admin API of ${access.shopDomain} refused the access token (HTTP ${response.status}).`);
    }
    if (!response.ok) throw unavailable(access, `HTTP ${response.status}`);
    let answer: MutationAnswer;
    try {
      answer = (await response.json()) as MutationAnswer;
    } catch {
      throw unavailable(access, 'an answer that is not JSON');
    }
    if (answer.errors && answer.errors.length > 0) {
      const codes = answer.errors.map((error) => error.extensions?.code ?? error.message ?? 'error').join(', ');
      if (codes.includes('ACCESS_DENIED'))
        throw new PlatformAccessRefused(`The Shopify Admin API of ${access.shopDomain} refused ${field} (${codes}).`);
      throw unavailable(access, `GraphQL errors: ${codes}`);
    }
    const payload = answer.data?.[field];
    if (!payload) throw unavailable(access, 'an answer without data');
    if (payload.userErrors && payload.userErrors.length > 0) {
      return { userErrors: payload.userErrors.map((error) => error.message ?? error.code ?? 'error').join('; ') };
    }
    return { status: payload.return?.status ?? 'unknown' };
  };
}
