import { PlatformAccessRefused, PlatformTemporarilyUnavailable } from '../../lambdas/core/errors';
import { shopifyOrderReader, SHOPIFY_ADMIN_API_VERSION } from '../../lambdas/adapters/shopify-admin';
import { DEMO_SHOPIFY_ORDERS, startShopifyAdminStandIn, type ShopifyAdminStandIn } from '../../local/shopify-admin';

// The Admin API reader against the Shopify stand-in over HTTP: what it asks, what it makes of each answer.

const TOKEN = 'shpat_test_5f1e0c7a9b2d4e6f8a1c';
const access = { shopDomain: 'reklamacje-test.myshopify.com', accessToken: TOKEN };
let shop: ShopifyAdminStandIn;
let read: ReturnType<typeof shopifyOrderReader>;

beforeAll(async () => {
  shop = await startShopifyAdminStandIn({ accessTokens: [TOKEN], orders: DEMO_SHOPIFY_ORDERS });
  read = shopifyOrderReader({ endpointBase: shop.url });
});
afterAll(async () => {
  await shop.close();
});

describe('the Shopify order reader', () => {
  it('reads the customer and the line item titles (by numeric id) of an order, sending the token and the order id', async () => {
    const facts = await read(access, 'gid://shopify/Order/450789469');
    expect(facts).toEqual({
      email: 'anna@example.com',
      customerName: 'Anna Kowalska',
      phone: '+48 600 100 200',
      orderName: '#1001',
      processedAt: '2026-11-02T10:00:00Z',
      lineItemTitles: { '466157049': 'Czajnik KE-200' },
    });
    expect(shop.requests.at(-1)).toEqual({ accessToken: TOKEN, variables: { id: 'gid://shopify/Order/450789469' } });
  });

  it('asks the versioned Admin GraphQL endpoint of the shop’s own domain when no stand-in is set', async () => {
    const urls: string[] = [];
    const recording = shopifyOrderReader({
      fetch: async (url) => {
        urls.push(String(url));
        return new Response(JSON.stringify({ data: { order: null } }), { status: 200 });
      },
    });
    await recording(access, 'gid://shopify/Order/1');
    expect(urls).toEqual([`https://reklamacje-test.myshopify.com/admin/api/${SHOPIFY_ADMIN_API_VERSION}/graphql.json`]);
  });

  it('an order the shop does not have is null', async () => {
    await expect(read(access, 'gid://shopify/Order/999')).resolves.toBeNull();
  });

  it.each([
    ['an outage', { status: 503 }],
    ['throttling', { graphqlErrorCode: 'THROTTLED' }],
  ] as const)('%s is PlatformTemporarilyUnavailable (the workflow retries it with backoff)', async (_, fault) => {
    shop.failNext(fault, 1);
    const error = await read(access, 'gid://shopify/Order/450789469').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlatformTemporarilyUnavailable);
    expect((error as Error).name).toBe('PlatformTemporarilyUnavailable');
    expect((error as Error).message).toContain('reklamacje-test.myshopify.com');
  });

  it.each([
    ['a refused token', { status: 401 }],
    ['a scope the app lacks', { graphqlErrorCode: 'ACCESS_DENIED' }],
  ] as const)('%s is PlatformAccessRefused (asking again will not help)', async (_, fault) => {
    shop.failNext(fault, 1);
    const error = await read(access, 'gid://shopify/Order/450789469').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlatformAccessRefused);
    expect((error as Error).message).toContain('reklamacje-test.myshopify.com');
  });

  it('a wrong token is refused by the stand-in as by Shopify', async () => {
    const error = await read({ ...access, accessToken: 'shpat_wrong_0000000000000000' }, 'gid://shopify/Order/450789469').catch(
      (caught: unknown) => caught,
    );
    expect((error as Error).message).toContain('HTTP 401');
  });

  it('an API that does not answer within 10 s is PlatformTemporarilyUnavailable', async () => {
    shop.failNext({ hang: true }, 1);
    const error = await read(access, 'gid://shopify/Order/450789469').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlatformTemporarilyUnavailable);
    expect((error as Error).message).toContain('no answer (TimeoutError)');
  }, 20_000);
});
