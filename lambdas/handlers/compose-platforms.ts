import { log } from '../adapters/logger';
import { shopifyOrderReader, shopifyReturnDecider } from '../adapters/shopify-admin';
import { webhookSourcesFrom } from '../adapters/webhook-sources-store';
import type { PlatformLookupPorts } from '../use-cases/look-up-platform-order';
import type { ReportDecisionPorts } from '../use-cases/report-decision-to-shop';
import { complaintRecordPorts } from './compose';

// The ports of the steps that talk to shops' platforms (their Admin APIs, with the access in the webhook
// sources' secret). A module of its own so the Secrets Manager client reaches these bundles and no other.

const sources = /* @__PURE__ */ webhookSourcesFrom(process.env);
// Locally the Shopify stand-in (local/shopify-admin.ts); in AWS each shop's own domain.
const readShopifyOrder = /* @__PURE__ */ shopifyOrderReader({ endpointBase: process.env.SHOPIFY_ADMIN_ENDPOINT_URL });
const decideShopifyReturn = /* @__PURE__ */ shopifyReturnDecider({ endpointBase: process.env.SHOPIFY_ADMIN_ENDPOINT_URL });

export function platformLookupPorts(): PlatformLookupPorts {
  const { complaints, now } = complaintRecordPorts();
  return {
    complaints,
    now,
    async shopifyOrder(sourceName, orderGid) {
      const source = (await sources())[sourceName];
      if (source?.scheme !== 'shopify' || !source.adminApi) return undefined;
      return readShopifyOrder(source.adminApi, orderGid);
    },
  };
}

export function shopReportPorts(): ReportDecisionPorts {
  return {
    complaints: complaintRecordPorts().complaints,
    async tellShopify(sourceName, returnGid, decision) {
      const source = (await sources())[sourceName];
      if (source?.scheme !== 'shopify' || !source.adminApi) return undefined;
      return decideShopifyReturn(source.adminApi, returnGid, decision);
    },
    log: (message, fields) => log.warn(message, fields),
  };
}
