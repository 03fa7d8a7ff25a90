import type { FunctionName } from './functions';
import { complaintEventsWithSubscribers } from './core/outbound-webhooks';

// Who reacts to the complaint events (lambdas/core/complaint-events.ts), once. In AWS the table's stream
// feeds an EventBridge pipe into the complaint event bus, and each consumer below is a rule of its own on that
// bus, with its own retries and dead-letter queue (lib/event-stream.ts); locally the outbox delivers the same
// events to the same handlers, each consumer at its own pace (local/outbox.ts). A consumer that fails is
// retried alone and never holds up the others. Adding a consumer is one entry here.

export interface EventConsumer {
  /** The function (lambdas/functions.ts) that receives the events, as EventBridge delivers them. */
  function: FunctionName;
  /** The event types it wants, e.g. `complaint.received`. */
  events: readonly string[];
  description: string;
}

export const eventConsumers = {
  workflowStarter: {
    function: 'workflowStarter',
    events: ['complaint.received'],
    description: 'Starts the complaint workflow, named after the complaint id (a repeated start is the same execution)',
  },
  webhookDispatcher: {
    function: 'webhookDispatcher',
    events: complaintEventsWithSubscribers,
    description: 'Outbound webhooks: a delivery per subscription that wants the event, each in an execution of its own',
  },
  shopDecisionReporter: {
    function: 'reportDecisionToShop',
    events: ['complaint.decided'],
    description: 'Tells a Shopify shop the decision on its return request; a shop that is down is retried alone',
  },
} as const satisfies Record<string, EventConsumer>;

export type EventConsumerName = keyof typeof eventConsumers;

/** The EventBridge source of complaint events. */
export const COMPLAINT_EVENT_SOURCE = 'reklamacje.complaints';

/** What a consumer receives in an event's `detail`: the pipe's input template in AWS builds the same shape. */
export interface ComplaintEventDetail {
  complaintId: string;
  type: string;
  sequence: number;
  at: string;
}
