import type { Complaint } from '../core/complaint';

// A decision on a complaint that came from a Shopify return request is told to the shop too: approved when
// the complaint is accepted (wholly or in part), declined with our justification when it is rejected. It runs
// as a consumer of the complaint events (lambdas/event-consumers.ts), one event at a time: a shop that is down
// makes its own event fail and be retried by the bus, and no other shop's or consumer's event waits for it.

export type ShopDecision = { approve: true } | { approve: false; declineNote?: string };

export interface ReportDecisionPorts {
  complaints: { get(id: string): Promise<Complaint | undefined> };
  /**
   * Tells the source's shop; undefined when the source has no Admin API access. Throws
   * PlatformTemporarilyUnavailable for an outage (the bus retries the event).
   */
  tellShopify(source: string, returnGid: string, decision: ShopDecision): Promise<{ status: string } | { userErrors: string } | undefined>;
  log(message: string, fields: Record<string, unknown>): void;
}

/** Shopify keeps a decline note short; the full answer goes to the customer from us. */
const DECLINE_NOTE_LIMIT = 500;

export type ReportOutcome = 'not_a_shop_decision' | 'no_access' | 'reported' | 'refused_by_shop';

export async function reportDecisionToShop(event: { complaintId: string; type: string }, ports: ReportDecisionPorts): Promise<ReportOutcome> {
  if (event.type !== 'complaint.decided') return 'not_a_shop_decision';
  const complaint = await ports.complaints.get(event.complaintId);
  const returnGid = complaint?.shopDetails?.returnId;
  const source = complaint?.platformLookup?.source;
  if (!complaint?.decision || complaint.sourcePlatform !== 'shopify' || !source || !returnGid?.startsWith('gid://shopify/Return/')) {
    return 'not_a_shop_decision';
  }
  const decision: ShopDecision =
    complaint.decision.outcome === 'rejected'
      ? {
          approve: false,
          ...(complaint.decision.justification ? { declineNote: complaint.decision.justification.slice(0, DECLINE_NOTE_LIMIT) } : {}),
        }
      : { approve: true };
  const told = await ports.tellShopify(source, returnGid, decision);
  if (!told) return 'no_access';
  if ('userErrors' in told) {
    // The return moved on in the shop (approved, declined or closed by the merchant): saying it again cannot help.
    ports.log('the shop refused the decision', { complaintId: complaint.id, userErrors: told.userErrors });
    return 'refused_by_shop';
  }
  return 'reported';
}
