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
  },
} as const;

export const keys = {
  complaint: (id: string) => ({ PK: `COMPLAINT#${id}`, SK: 'COMPLAINT' }),
  reference: (reference: string) => ({ PK: `REFERENCE#${reference}`, SK: 'REFERENCE' }),
  idempotency: (scope: string, key: string) => ({ PK: `IDEMPOTENCY#${scope}#${key}`, SK: 'IDEMPOTENCY' }),
} as const;

/** The value of `pendingWorkflow` while a complaint waits for its workflow; removed once it has started. */
export const PENDING = 'pending';
