import { shopifyOrderReader } from '../adapters/shopify-admin';
import { webhookSourcesFrom } from '../adapters/webhook-sources-store';
import type { ReceiveWebhookPorts } from '../use-cases/receive-webhook';
import { intakePorts } from './compose';

// The webhook function's ports: intake's, plus its sources and the wall clock. A module of its own so that
// the Secrets Manager client reaches this function's bundle and no other.

const sources = /* @__PURE__ */ webhookSourcesFrom(process.env);
// Locally the Shopify stand-in (local/shopify-admin.ts); in AWS each shop's own domain.
const readShopifyOrder = /* @__PURE__ */ shopifyOrderReader({ endpointBase: process.env.SHOPIFY_ADMIN_ENDPOINT_URL });

export function webhookPorts(): ReceiveWebhookPorts {
  return {
    ...intakePorts(),
    sources,
    wallClockSeconds: () => Math.floor(Date.now() / 1000),
    async shopifyOrder(sourceName, orderGid) {
      const source = (await sources())[sourceName];
      if (source?.scheme !== 'shopify' || !source.adminApi) return undefined;
      return readShopifyOrder(source.adminApi, orderGid);
    },
  };
}
