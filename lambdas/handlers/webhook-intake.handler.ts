import { webhookPorts } from './compose-webhooks';
import { log } from '../adapters/logger';
import { PayloadTooLarge } from '../core/errors';
import { httpHandler } from '../http/http-handler';
import { json } from '../http/problem';
import { header, rawBody } from '../http/request-body';
import { receiveWebhook } from '../use-cases/receive-webhook';

// A shop's order or return payload: Shopify and WooCommerce send whole orders (tens of KB with many lines),
// so 1 MiB leaves room while staying far below API Gateway's 10 MB and Lambda's 6 MB.
const MAX_BODY_BYTES = 1024 * 1024;

/** POST /webhooks/{source}: verify over the raw bytes, then file the complaint once (use-cases/receive-webhook.ts). */
export const handler = httpHandler(async (event) => {
  const body = rawBody(event);
  if (body.length > MAX_BODY_BYTES) throw new PayloadTooLarge(`The body has ${body.length} bytes; at most ${MAX_BODY_BYTES} are accepted.`);
  const source = event.pathParameters?.source ?? '';
  const result = await receiveWebhook({ source, header: (name) => header(event, name), body }, webhookPorts());
  if (result.outcome === 'ignored') {
    log.info('webhook ignored', { source, reason: result.reason });
    return json(200, { ignored: result.reason });
  }
  const { receipt, replayed, sourcePlatform } = result;
  log.info('webhook complaint received', { source, sourcePlatform, complaintId: receipt.id, reference: receipt.reference, replayed });
  // The same answer to every redelivery, so a sender that retries (or several at once) learns the one reference.
  return json(200, receipt, replayed ? { 'idempotent-replayed': 'true' } : {});
});
