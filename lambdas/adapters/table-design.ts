// The single source of truth for the complaints table's keys and indexes: CDK builds the real table from it
// and the local runtime creates the same table in dynalite.

/**
 * The complaint attributes a list row is made of (lambdas/core/complaint-summary.ts) and the list filters read
 * (status, channel, sourcePlatform, responseDueBy, listDepartment): a filter on a secondary index sees only
 * what the index projects. `listDepartment` is the plain department id (or `unassigned`).
 */
const summaryAttributes = [
  'id',
  'reference',
  'status',
  'channel',
  'policyId',
  'sourcePlatform',
  'receivedAt',
  'responseDueBy',
  'listDepartment',
] as const;

export interface IndexDesign {
  readonly partitionKey: string;
  readonly sortKey: string;
  /** Non-key attributes the index carries besides the table's and its own keys (INCLUDE). */
  readonly projection: readonly string[];
}

/** The attributes an index projects beyond its keys: DynamoDB refuses key attributes among NonKeyAttributes. */
export function nonKeyAttributes(index: IndexDesign): string[] {
  const keyNames: string[] = [tableDesign.partitionKey, tableDesign.sortKey, index.partitionKey, index.sortKey];
  return index.projection.filter((name) => !keyNames.includes(name));
}

/**
 * How many partitions the lists of all complaints, and of each department, are spread over. One partition key
 * takes at most 1,000 writes/s, and DynamoDB cannot split a hot key by sort key when every write lands at the
 * end of its range (receivedAt only grows). Figures: 1 M complaints a month is 0.39/s on average, ≈ 2.3 index
 * writes/s per list (≈ 6 per complaint's life), 0.3 per shard. What must fit is the burst: intake sustains
 * 300 complaints/s (issue 10), and each complaint writes a list index ≈ 4 times in its first minute (received,
 * acknowledged, routed, assigned), so ≈ 1,200 writes/s on one list, over the cap on one key; over 8 shards,
 * ≈ 150 writes/s each (15 % of the cap). One department may take most complaints, so department lists are
 * sharded the same way: ≤ 150 writes/s per shard. A page then costs 8 parallel queries.
 * Raising the count later keeps every existing item findable as long as reads fan out over the larger range
 * (an id's shard under the old count stays below it); lowering it needs a rewrite of the shard attributes.
 */
export const LIST_SHARDS = 8;

/** A stable shard for a complaint id (FNV-1a, 32 bits): the same id always lands on the same shard. */
export function listShardOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % LIST_SHARDS;
}

/** The partitions of the list of all complaints. */
export const allComplaintsPartitions = (): string[] => Array.from({ length: LIST_SHARDS }, (_, shard) => `ALL#${shard}`);

/** The partitions of one department's list (complaints not routed yet are in none: see departmentIndexAttributes). */
export const departmentPartitions = (department: string): string[] => Array.from({ length: LIST_SHARDS }, (_, shard) => `${department}#${shard}`);

export const tableDesign = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /** What a list row is made of (and a list filter reads). */
  summaryAttributes,
  /** Expiry of short-lived items (idempotency records). DynamoDB TTL in AWS; dynalite ignores it. */
  timeToLiveAttribute: 'expiresAt',
  /**
   * Every index projects keys plus the few attributes a list shows and filters on (`projection`: DynamoDB's
   * INCLUDE; an empty list would be KEYS_ONLY), never ALL. Figures, per index write: a summary entry is
   * ~400 B (table keys 55 B, index keys ≤ 60 B, the summary ≤ 250 B with names), so 1 WCU; an ALL copy of a
   * complaint of a few KB was 3–10 WCU, and it was rewritten on every change (reminders, workflow waits,
   * delivery evidence), which were 86 % of the table's write cost. With INCLUDE an index is written only when
   * its keys or a summary attribute change: ≈ 6 times per list index in a complaint's life (received,
   * acknowledged, assigned, decided, closed; an extension), ≈ 30 WCU over the six list indexes.
   * KEYS_ONLY plus a BatchGet would save the status rewrites (≈ 4 WCU per index and life) but costs a full
   * complaint read per row shown (25 × 1–3 RCU a page instead of ~2 RCU), cannot filter by status or channel
   * inside the query (filters only see projected attributes), and would trim whole complaints to summaries
   * after reading them: INCLUDE is cheaper for lists read many times a day.
   */
  indexes: {
    // Staff lists (issue: admin API). Every list is a Query on these, never a Scan; status, channel and
    // platform narrow a page with a filter. The lists of all complaints and of a department are spread over
    // LIST_SHARDS partitions (see there); a page reads every shard and merges them by the sort key.
    allShardsByReceived: { partitionKey: 'listShard', sortKey: 'receivedAt', projection: summaryAttributes },
    allShardsByDue: { partitionKey: 'listShard', sortKey: 'dueKey', projection: summaryAttributes },
    departmentShardsByReceived: { partitionKey: 'departmentShard', sortKey: 'receivedAt', projection: summaryAttributes },
    departmentShardsByDue: { partitionKey: 'departmentShard', sortKey: 'dueKey', projection: summaryAttributes },
    // Lookups: one customer's or one order's complaints, a handful per key, naturally spread over as many
    // partition keys as there are customers and orders. Not sharded. Keys only: a lookup reads its handful of
    // rows from the complaints (a BatchGetItem, ½ RCU each), so a status change writes no copy here. Figures
    // per complaint's life: 6 WCU fewer (assigned, decided, closed, in two indexes), against ≈ ½ RRU more
    // for each time it shows up in a lookup; a write unit costs five read units on demand.
    customerEmailByReceived: { partitionKey: 'customerEmail', sortKey: 'receivedAt', projection: [] },
    orderNumberByReceived: { partitionKey: 'orderNumber', sortKey: 'receivedAt', projection: [] },
  },
} as const;

export const keys = {
  complaint: (id: string) => ({ PK: `COMPLAINT#${id}`, SK: 'COMPLAINT' }),
  /** What the customer sent, written once at intake beside the complaint (sorts right after it). */
  submission: (id: string) => ({ PK: `COMPLAINT#${id}`, SK: 'COMPLAINT#SUBMISSION' }),
  /**
   * The decision in full, as decisions were stored before their texts went into their complaint.decided event
   * (complaint-repository.ts): read, never written any more.
   */
  decision: (id: string) => ({ PK: `COMPLAINT#${id}`, SK: 'COMPLAINT#DECISION' }),
  /** The callback token the complaint's workflow waits on (replaced at every wait). */
  wait: (id: string) => ({ PK: `COMPLAINT#${id}`, SK: 'COMPLAINT#WAIT' }),
  /** One change of a complaint: its history entry and domain event, numbered from 1 (10 digits sort as numbers). */
  event: (id: string, sequence: number) => ({ PK: `COMPLAINT#${id}`, SK: `EVENT#${String(sequence).padStart(10, '0')}` }),
  /** The send-once claim on one e-mail of the complaint's (lambdas/adapters/send-claims.ts). */
  sendClaim: (id: string, key: string) => ({ PK: `COMPLAINT#${id}`, SK: `SEND#${key}` }),
  reference: (reference: string) => ({ PK: `REFERENCE#${reference}`, SK: 'REFERENCE' }),
  idempotency: (scope: string, key: string) => ({ PK: `IDEMPOTENCY#${scope}#${key}`, SK: 'IDEMPOTENCY' }),
  /**
   * The claim on one upload slot (attachment id) by the complaint that filed its file, written with the
   * complaint and never removed, so that no other complaint can name the slot. Keyed on the random id: spread.
   */
  attachmentClaim: (id: string) => ({ PK: `ATTACHMENT#${id}`, SK: 'ATTACHMENT' }),
  /** A counter of attempts (status lookups) under one key in one fixed window; expires with the window. */
  attempts: (key: string, windowStart: number) => ({ PK: `ATTEMPTS#${key}#${windowStart}`, SK: 'ATTEMPTS' }),
  /**
   * Outbound webhooks (lambdas/adapters/outbound-webhook-store.ts). The subscriptions share one partition: a
   * handful of items, read once per complaint event by the dispatcher (≈ 7 reads per complaint's life, far
   * below a partition's 3,000 reads/s at the 300 complaints/s of issue 10's burst: ≈ 2,100/s, eventually
   * consistent ½ RCU each). A delivery lives beside its complaint (its log is one Query). The dead letters
   * share one partition too, written only when a delivery fails for a whole day.
   */
  webhookSubscription: (id: string) => ({ PK: 'WEBHOOK_SUBSCRIPTIONS', SK: `SUBSCRIPTION#${id}` }),
  webhookDelivery: (complaintId: string, sequence: number, deliveryId: string) => ({
    PK: `COMPLAINT#${complaintId}`,
    SK: `DELIVERY#${String(sequence).padStart(10, '0')}#${deliveryId}`,
  }),
  webhookDeadLetter: (id: string) => ({ PK: 'WEBHOOK_DEAD_LETTERS', SK: id }),
} as const;

import { UNASSIGNED } from '../core/unassigned';

export { UNASSIGNED };

/**
 * The index attributes of a complaint's department: written at creation (inside `indexAttributes`) and again
 * whenever the complaint is assigned or reassigned, in the same update as `assignment`.
 * The department indexes are sparse: a complaint nobody routed yet carries no `departmentShard`, so it enters
 * them once, when it is assigned (one put per index), instead of entering `unassigned` at intake and moving
 * out a second later (a put, then a delete and a put per index): 4 WCU fewer per complaint's life. The list
 * of unrouted complaints reads the lists of all complaints, filtered on `listDepartment` (complaint-lists.ts):
 * they are the newest (the workflow routes a complaint in its first step) or the few whose workflow is stuck.
 */
export function departmentIndexAttributes(complaintId: string, departmentId: string | undefined) {
  if (departmentId === undefined) return { listDepartment: UNASSIGNED };
  return { listDepartment: departmentId, departmentShard: `${departmentId}#${listShardOf(complaintId)}` };
}

/** The sort key of the due-date lists: the due date, then the id, so equal dates stay distinct. */
export const dueKeyOf = (complaintId: string, responseDueBy: string) => `${responseDueBy}#${complaintId}`;

/** The index attributes derived from a complaint, kept beside it in the same item. */
export function indexAttributes(complaint: {
  id: string;
  responseDueBy: string;
  customer: { email?: string };
  assignment?: { departmentId: string };
}) {
  // Object.assign, as the literal with spreads it replaces: on Node 20 (V8 11.3, the local product's) a field
  // defined after a spread costs microseconds, and every new complaint and assignment computes these.
  return Object.assign(
    { listShard: `ALL#${listShardOf(complaint.id)}` },
    departmentIndexAttributes(complaint.id, complaint.assignment?.departmentId),
    { dueKey: dueKeyOf(complaint.id, complaint.responseDueBy) },
    // A complaint whose customer the platform has yet to tell gets the attribute when it does (or never).
    complaint.customer.email ? { customerEmail: complaint.customer.email.toLowerCase() } : {},
  );
}
