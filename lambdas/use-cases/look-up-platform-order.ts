import type { PlatformLookup } from '../core/complaint';
import { NotFound, PlatformAccessRefused } from '../core/errors';
import { enrichmentFrom, type OrderEnrichment, type ShopifyOrderFacts } from '../core/platforms/shopify';
import type { ComplaintRepository } from './ports';

// The workflow's first step for a complaint whose platform payload named no customer (a Shopify return
// request): read the order from the shop, complete the complaint, and only then let the acknowledgement go.
// A passing outage is thrown (PlatformTemporarilyUnavailable) for the ASL to retry with backoff; what asking
// again cannot mend (no such order, a refused token, no access configured, retries exhausted) is recorded as
// the lookup's failure with its reason, which staff read on the complaint. The term runs from receipt anyway.

export interface PlatformLookupPorts {
  complaints: Pick<ComplaintRepository, 'get' | 'record'>;
  now: () => Date;
  /**
   * The order behind a return request, read with the source's Admin API access: null when the shop has no
   * such order, undefined when the source has no access configured. Throws PlatformTemporarilyUnavailable
   * for an outage and PlatformAccessRefused for a refused token or scope.
   */
  shopifyOrder(source: string, orderGid: string): Promise<ShopifyOrderFacts | null | undefined>;
}

/** What the ASL passes once its retries are spent: the last error's name and cause. */
export interface LookupGivenUp {
  error: string;
  cause?: string;
}

export async function lookUpPlatformOrder(
  complaintId: string,
  ports: PlatformLookupPorts,
  givenUp?: LookupGivenUp,
): Promise<PlatformLookup['state']> {
  const complaint = await ports.complaints.get(complaintId);
  if (!complaint) throw new NotFound(`No complaint ${complaintId}`);
  const lookup = complaint.platformLookup;
  // Settled already (a retried step, a redriven execution): nothing to read or record.
  if (!lookup || lookup.state !== 'pending') return lookup?.state ?? 'done';

  const settle = async (state: 'done' | 'failed', reason?: string, enrichment?: OrderEnrichment) => {
    const told = enrichment && (({ lookup: _lookup, ...rest }) => rest)(enrichment);
    await ports.complaints.record(complaintId, {
      kind: 'platformLookup',
      value: { ...lookup, state, at: ports.now().toISOString(), ...(reason ? { reason } : {}) },
      ...(told ? { enrichment: told } : {}),
    });
    return state;
  };

  if (givenUp) {
    return settle('failed', `The shop's Admin API did not answer usefully for hours of retries (${givenUp.cause ?? givenUp.error}).`);
  }
  let order: ShopifyOrderFacts | null | undefined;
  try {
    order = await ports.shopifyOrder(lookup.source, lookup.orderId);
  } catch (error) {
    if (error instanceof PlatformAccessRefused)
      return settle('failed', `${error.message} Renew the app's access token, then ask the customer directly.`);
    throw error;
  }
  if (order === undefined) return settle('failed', `The webhook source ${lookup.source} has no Admin API access configured to read the order.`);
  if (order === null) return settle('failed', `The shop has no order ${lookup.orderId} that this app may read.`);
  const enrichment = enrichmentFrom(complaint, order);
  return settle(enrichment.lookup.state === 'done' ? 'done' : 'failed', enrichment.lookup.reason, enrichment);
}
