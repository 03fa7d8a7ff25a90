import { createHash, timingSafeEqual } from 'node:crypto';
import { customerView, StatusNotFound, type CustomerStatusView, type StatusLookup } from '../core/customer-status';
import { clientKey, countAndLimit } from './attempt-limits';
import type { Complaint } from '../core/complaint';
import type { ComplaintRepository } from './ports';

/** Counts attempts under a key within a fixed window; the count after this attempt. */
export interface AttemptCounter {
  countAttempt(key: string, window: { start: Date; seconds: number }): Promise<number>;
}

export interface StatusLookupPorts {
  complaints: Pick<ComplaintRepository, 'findByReference' | 'history'>;
  attempts: AttemptCounter;
  now: () => Date;
}

/**
 * Fixed windows of 15 minutes. A customer checks a status a few times at most; 10 tries per reference stops
 * guessing the e-mail address of a known reference (a leaked reference number, a shared e-mail), and 30 per
 * client stops trying references one after another (45 random bits each: ~1e12 tries per hit on a million
 * complaints, so the client limit is a second line, not the only one).
 */
export const STATUS_LIMITS = {
  windowSeconds: 15 * 60,
  perReference: 10,
  perClient: 30,
} as const;

/** The page shows this many history entries, newest last: far more than any complaint has for a customer. */
const HISTORY_ENTRIES = 200;

/**
 * The status page's lookup. Unknown reference and wrong e-mail end in the same StatusNotFound, and the
 * addresses are compared as fixed-length digests in constant time, so neither the answer nor its timing says
 * which of the two was wrong. `client` identifies the caller (an address); it is stored only as a digest.
 */
export async function lookUpStatus(lookup: StatusLookup, client: string, ports: StatusLookupPorts): Promise<CustomerStatusView> {
  await countAndLimit(ports.attempts, ports.now(), STATUS_LIMITS.windowSeconds, [
    { key: `status#reference#${lookup.reference}`, limit: STATUS_LIMITS.perReference },
    { key: clientKey('status', client), limit: STATUS_LIMITS.perClient },
  ]);
  return statusView(await findOwnComplaint(lookup, ports), ports);
}

/** The complaint with this reference, if it was filed with this e-mail address; else StatusNotFound, either way alike. */
export async function findOwnComplaint(
  lookup: Pick<StatusLookup, 'reference' | 'email'>,
  ports: Pick<StatusLookupPorts, 'complaints'>,
): Promise<Complaint> {
  const complaint = await ports.complaints.findByReference(lookup.reference);
  // Compared even when there is no complaint, against an address that matches nothing, so the work is the same.
  const emailMatches = sameAddress(complaint?.customer.email ?? '', lookup.email) && complaint !== undefined;
  if (!complaint || !emailMatches) throw new StatusNotFound();
  return complaint;
}

/** What the customer sees of their complaint: its state and the history meant for them. */
export async function statusView(complaint: Complaint, ports: Pick<StatusLookupPorts, 'complaints'>): Promise<CustomerStatusView> {
  const { entries } = await ports.complaints.history(complaint.id, { limit: HISTORY_ENTRIES });
  return customerView(complaint, entries);
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** E-mail addresses as people type them: case and surrounding spaces do not matter. */
function sameAddress(stored: string, given: string): boolean {
  return timingSafeEqual(digest(stored.trim().toLowerCase()), digest(given.trim().toLowerCase()));
}
