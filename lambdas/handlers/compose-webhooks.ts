import { webhookSourcesFrom } from '../adapters/webhook-sources-store';
import type { ReceiveWebhookPorts } from '../use-cases/receive-webhook';
import { webhookIntakePorts } from './compose';

// The webhook function's ports: intake's, plus its sources and the wall clock. A module of its own so that
// the Secrets Manager client reaches this function's bundle and no other.

const sources = /* @__PURE__ */ webhookSourcesFrom(process.env);

export function webhookPorts(): ReceiveWebhookPorts {
  return {
    ...webhookIntakePorts(),
    sources,
    wallClockSeconds: () => Math.floor(Date.now() / 1000),
  };
}
