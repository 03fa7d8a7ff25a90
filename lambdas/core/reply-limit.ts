/**
 * The most a customer's answer to a question may say: as much as a staff member's question. A module of its
 * own because the status page's texts state it, and intake renders those pages' receipt: taken from
 * core/customer-status.ts, it built the status page's schemas at intake's cold start.
 */
export const MAX_REPLY_CHARACTERS = 5_000;
