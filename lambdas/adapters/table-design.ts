// The single source of truth for the complaints table's keys and indexes: CDK builds the real table from it
// and the local runtime creates the same table in dynalite.

export const tableDesign = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /** Expiry of short-lived items (idempotency records). DynamoDB TTL in AWS; dynalite ignores it. */
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    /**
     * Sparse index of complaints whose workflow has not been confirmed started: the local runtime's outbox
     * (dynalite has no Streams) and, in AWS, a reconciliation view of anything the stream consumer missed.
     */
    pendingWorkflow: { partitionKey: 'pendingWorkflow', sortKey: 'receivedAt' },
    // Staff lists (issue: admin API). Every list is a Query on one of these, never a Scan; status, channel
    // and platform narrow a page with a filter. `listAll` is one partition: fine for the thousands of open
    // complaints a business has, and the place to shard by month if one day it is not.
    allByReceived: { partitionKey: 'listAll', sortKey: 'receivedAt' },
    allByDue: { partitionKey: 'listAll', sortKey: 'dueKey' },
    departmentByReceived: { partitionKey: 'listDepartment', sortKey: 'receivedAt' },
    departmentByDue: { partitionKey: 'listDepartment', sortKey: 'dueKey' },
    byCustomerEmail: { partitionKey: 'customerEmail', sortKey: 'receivedAt' },
    byOrderNumber: { partitionKey: 'orderNumber', sortKey: 'receivedAt' },
  },
} as const;

export const keys = {
  complaint: (id: string) => ({ PK: `COMPLAINT#${id}`, SK: 'COMPLAINT' }),
  reference: (reference: string) => ({ PK: `REFERENCE#${reference}`, SK: 'REFERENCE' }),
  idempotency: (scope: string, key: string) => ({ PK: `IDEMPOTENCY#${scope}#${key}`, SK: 'IDEMPOTENCY' }),
} as const;

/** The value of `pendingWorkflow` while a complaint waits for its workflow; removed once it has started. */
export const PENDING = 'pending';

/** Department partition of a complaint that no rule or person has assigned yet. */
export const UNASSIGNED = 'unassigned';

/** The index attributes derived from a complaint, kept beside it in the same item. */
export function indexAttributes(complaint: {
  id: string;
  responseDueBy: string;
  customer: { email: string };
  assignment?: { departmentId: string };
}) {
  return {
    listAll: 'ALL',
    listDepartment: complaint.assignment?.departmentId ?? UNASSIGNED,
    dueKey: `${complaint.responseDueBy}#${complaint.id}`,
    customerEmail: complaint.customer.email.toLowerCase(),
  };
}
