// Every deployed function, once. CDK makes one Lambda per entry (one concern each, its own bundle and grants);
// the local runtime loads the very same handler modules; the workflow refers to step functions by name.

/** `cursorKey:read`: the secret the staff API signs its cursors with (lambdas/core/cursor-seal.ts). */
export type Grant =
  | 'email:send'
  | 'workflow:start'
  | 'workflow:callback'
  | 'webhookSources:read'
  | 'cursorKey:read'
  | 'webhookDeliveries:start'
  // The attachments bucket (lib/attachments-bucket.ts): sign upload slots; check and keep uploads; staff links.
  | 'attachments:upload'
  | 'attachments:check'
  | 'attachments:read';

/**
 * The DynamoDB actions a function may take on the complaints table (Query also on its indexes): exactly the
 * commands its code sends (adapters/complaint-repository.ts, idempotency-store.ts, complaint-lists.ts,
 * outbound-webhook-store.ts); the local runtime refuses any other, as IAM does (local/function-policies.ts).
 * Nothing scans or batch-writes, so nothing may; only the staff API's webhooks function deletes (a webhook
 * subscription, a dead letter it redrives), and only its reads batch-read (a lookup's rows, complaint-lists.ts).
 */
export type TableAction =
  'dynamodb:GetItem' | 'dynamodb:BatchGetItem' | 'dynamodb:PutItem' | 'dynamodb:UpdateItem' | 'dynamodb:Query' | 'dynamodb:DeleteItem';

export interface FunctionSpec {
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  /** DynamoDB actions on the complaints table; [] for none. */
  table: readonly TableAction[];
  grants: readonly Grant[];
  /** Seconds; a Lambda's own timeout. */
  timeout: number;
  memory: number;
  /**
   * A cap on concurrent executions, reserved out of the account's pool. Only the workflow steps have one: when
   * thousands of timers fall due together (the reminder morning, a redrive), the steps queue behind their cap
   * (the ASL retries Lambda.TooManyRequestsException with backoff) instead of taking the concurrency that
   * intake and the staff API need. See the numbers at each step.
   */
  reservedConcurrency?: number;
}

export const functions = {
  health: {
    entry: 'lambdas/handlers/health.handler.ts',
    description: 'Answers GET /health',
    table: [],
    grants: [],
    timeout: 3,
    memory: 256,
  },
  intake: {
    entry: 'lambdas/handlers/intake.handler.ts',
    description: 'Takes a complaint in from the public form (POST /complaints) with its attachments (POST /complaints/attachments)',
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], // idempotency key, reference claim, the complaint
    grants: ['attachments:upload', 'attachments:check'],
    timeout: 10,
    memory: 512,
  },
  // The staff API (/admin/..., behind IAM (SigV4) authorization) is three functions, split along the route
  // registry (each route names its function): one for reads, one for changes to complaints, one for outbound
  // webhooks. Each bundles only its routes' use cases and ports (≤ 150 KiB, where the single function was 187)
  // and holds only their rights: the reads send no e-mail, the changes delete nothing, only the webhooks start
  // deliveries.
  staffReads: {
    entry: 'lambdas/handlers/staff-reads.handler.ts',
    description: "The staff API's reads: lists and lookups, a complaint, its history, an attachment's download link",
    // A complaint and its history; lists are index queries, and a lookup by e-mail or order number reads its
    // rows from the complaints in one BatchGetItem (the customer and order indexes hold keys only).
    table: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'],
    grants: ['cursorKey:read', 'attachments:read'],
    timeout: 10,
    memory: 512,
  },
  staffChanges: {
    entry: 'lambdas/handlers/staff-changes.handler.ts',
    description:
      "The staff API's changes to complaints: registration, assignment, notes, information requests, decision, extension, posting, acknowledgement",
    // Registration puts; a change updates the complaint and puts its history event, with its key's answer, in
    // one transaction; the answer carries the newest page of history (a Query).
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
    // An information request is an e-mail; a decision wakes the workflow waiting on it. The answer's history
    // page carries a sealed cursor.
    grants: ['email:send', 'workflow:callback', 'cursorKey:read'],
    timeout: 10,
    memory: 512,
  },
  staffWebhooks: {
    entry: 'lambdas/handlers/staff-webhooks.handler.ts',
    description: "The staff API's outbound webhooks: subscriptions, a complaint's delivery log, dead letters and their redrive",
    // Subscriptions are put, updated (disabled) and deleted; a redriven dead letter is deleted and its delivery
    // updated in one transaction.
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:DeleteItem'],
    grants: ['webhookDeliveries:start'], // a redrive starts a delivery
    timeout: 10,
    memory: 512,
  },
  decisionLetter: {
    entry: 'lambdas/handlers/decision-letter.handler.ts',
    description: 'The decision as a printed letter (GET /admin/complaints/{id}/decision-letter), behind IAM (SigV4) authorization',
    table: ['dynamodb:GetItem', 'dynamodb:Query'], // reads the complaint
    grants: [],
    timeout: 10,
    memory: 512, // lays out and subsets the font in memory
  },
  webhookIntake: {
    entry: 'lambdas/handlers/webhook-intake.handler.ts',
    description: "Takes complaints in from shops' signed webhooks (POST /webhooks/{source})",
    // The webhook's key, reference claim and complaint, as intake's; the secret with the sources' secrets.
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    grants: ['webhookSources:read'],
    timeout: 10,
    memory: 512,
  },
  customerStatus: {
    entry: 'lambdas/handlers/customer-status.handler.ts',
    description:
      "The status page (GET and POST /complaints/status): a complaint as its customer sees it, for reference and e-mail; the customer's answer to a question (POST /complaints/status/reply)",
    // Reference and complaint, attempt counters, history; a reply is a change with its event (a put) in one transaction.
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
    grants: ['attachments:check', 'workflow:callback'], // a reply's files are checked and kept; it wakes the workflow
    timeout: 10,
    memory: 256,
  },
  openapi: {
    entry: 'lambdas/handlers/openapi.handler.ts',
    description: 'Serves the OpenAPI document (GET /openapi.json)',
    table: [],
    grants: [],
    timeout: 3,
    memory: 256,
  },
  recordDelivery: {
    entry: 'lambdas/handlers/record-delivery.handler.ts',
    description: 'Records what SES reports about e-mails (sent, delivered, bounced) on the complaint and the send-once claims',
    // A Send event: the claim and the record read, the claim updated when the record lacks the e-mail; a delivery:
    // the e-mail's record updated and its history event put, in one transaction (which needs both actions). A
    // bounced answer: the complaint read (its partition: Query), staff alerted by e-mail, sent once (its claim) and recorded.
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
    grants: ['email:send'],
    timeout: 10,
    memory: 256,
  },
  workflowStarter: {
    entry: 'lambdas/handlers/workflow-starter.handler.ts',
    description: 'Starts one workflow per complaint, on its complaint.received event (the event bus)',
    table: [],
    grants: ['workflow:start'],
    timeout: 30,
    memory: 256,
  },
  advanceComplaint: {
    entry: 'lambdas/handlers/advance-complaint.handler.ts',
    description:
      'Workflow step: does what the complaint needs now (acknowledge, assign, notify, remind, answer, apply the deadline) and says how long to wait',
    // The complaint is read with a Query (with its submission); an e-mail's claim is a put, a fact's history
    // event a put in the fact's transaction.
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
    grants: ['email:send'],
    timeout: 30,
    memory: 256,
    // One step is ~3 DynamoDB calls and at most one SES send, 100–300 ms: 20 at once is 60–200 steps a second,
    // more than the SES rate (14–50 e-mails/s) or the transition quota (500/s in eu-central-1) can take, and
    // 2% of the default 1,000 concurrent executions.
    reservedConcurrency: 20,
  },
  registerWait: {
    entry: 'lambdas/handlers/register-wait.handler.ts',
    description: 'Workflow step: stores the callback token the workflow waits on',
    table: ['dynamodb:GetItem', 'dynamodb:PutItem'], // the wait's own item put, the complaint's version read
    grants: ['workflow:callback'],
    timeout: 30,
    memory: 256,
    // One PutItem and one consistent GetItem, ~30 ms: 10 at once store ~300 callback tokens a second.
    reservedConcurrency: 10,
  },
  lookUpPlatformOrder: {
    entry: 'lambdas/handlers/look-up-platform-order.handler.ts',
    description: "Workflow step: reads the order behind a shop's return request (Shopify Admin API) and completes the complaint",
    // The complaint is read with a Query; the lookup's outcome is an update with its history event (a put) and
    // the submission's update, in one transaction.
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
    grants: ['webhookSources:read'], // the shop's Admin API access token is in the webhook sources' secret
    timeout: 30,
    memory: 256,
    // One Admin API query (~0.3 s, at most 10 s when a shop hangs) per Shopify complaint: 10 at once is 30 a
    // second, far above the rate shops file returns, and a hanging shop cannot take the other steps' concurrency.
    reservedConcurrency: 10,
  },
  reportDecisionToShop: {
    entry: 'lambdas/handlers/report-decision-to-shop.handler.ts',
    description: 'Tells a Shopify shop our decision on its return request (returnApproveRequest / returnDeclineRequest), on complaint.decided',
    table: ['dynamodb:GetItem', 'dynamodb:Query'], // reads the complaint
    grants: ['webhookSources:read'], // the shop's Admin API access token
    timeout: 30,
    memory: 256,
  },
  webhookDispatcher: {
    entry: 'lambdas/handlers/webhook-dispatcher.handler.ts',
    description: 'Outbound webhooks: stores a delivery per subscription that wants a complaint event and starts its execution (the event bus)',
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], // subscriptions, the complaint and its event, the deliveries
    grants: ['webhookDeliveries:start'],
    timeout: 30,
    memory: 256,
  },
  deliverWebhook: {
    entry: 'lambdas/handlers/deliver-webhook.handler.ts',
    description: 'Webhook delivery step: one signed POST to a subscriber (10 s at most), recorded in the delivery log',
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], // the delivery, its subscription; a dead letter
    grants: [],
    timeout: 30,
    memory: 256,
    // A subscriber that hangs holds an invocation for the 10 s timeout: 50 at once is 5 slow deliveries a
    // second at worst, 50–250 a second to healthy subscribers; the rest wait in their executions' Retry
    // (Lambda.TooManyRequestsException), and intake's and the staff API's concurrency is untouched.
    reservedConcurrency: 50,
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

/** Functions that the workflow calls, and the ASL substitution variable holding each one's ARN. */
export const workflowSteps = {
  advanceComplaint: 'AdvanceComplaintFunctionArn',
  registerWait: 'RegisterWaitFunctionArn',
  lookUpPlatformOrder: 'LookUpPlatformOrderFunctionArn',
} as const satisfies Partial<Record<FunctionName, string>>;

/** Functions that the webhook delivery state machine calls, and the ASL substitution variable of each one's ARN. */
export const deliverySteps = {
  deliverWebhook: 'DeliverWebhookFunctionArn',
} as const satisfies Partial<Record<FunctionName, string>>;
