import type { ComplaintStatus } from './complaint';

/**
 * The acknowledgement only moves a complaint that is still `received`: staff may already have assigned or
 * even decided it (a complaint registered from a letter can be decided on the spot), and that stands.
 */
export function statusAfterAcknowledgement(status: ComplaintStatus): ComplaintStatus {
  return status === 'received' ? 'acknowledged' : status;
}
