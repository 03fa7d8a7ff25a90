import {
  createdSubscriptionSchema,
  deadLetterPageSchema,
  deadLetterQuerySchema,
  deliveryLogSchema,
  redriveAnswerSchema,
  bulkRedriveAnswerSchema,
  bulkRedriveRequestSchema,
  subscriptionListSchema,
  subscriptionRequestSchema,
  subscriptionSchema,
} from '../core/outbound-webhooks';
import type { Route } from './routes';

// The staff API's outbound webhooks (subscriptions, delivery logs, dead letters), served by the staffWebhooks
// function: their part of the route registry (routes.ts), a module of its own so that the function's dispatcher
// bundles these routes' schemas only.

export const staffWebhookRoutes = [
  {
    method: 'GET',
    path: '/admin/complaints/{id}/webhook-deliveries',
    function: 'staffWebhooks',
    authorization: 'iam',
    action: 'readWebhookDeliveries',
    summary: "The complaint's outbound webhook deliveries: each event sent to each subscription, with its attempts (admin)",
    responses: { 200: { description: 'The delivery log, in event order', schema: deliveryLogSchema } },
  },
  {
    method: 'POST',
    path: '/admin/webhook-subscriptions',
    function: 'staffWebhooks',
    authorization: 'iam',
    action: 'createWebhookSubscription',
    summary:
      'Subscribe an endpoint to complaint events, for one webhook source or all complaints (admin). Deliveries are signed with ' +
      'Standard Webhooks using the secret in this answer, which is shown here only. In AWS the URL must be HTTPS to a public address.',
    request: { body: subscriptionRequestSchema, idempotencyKey: true },
    responses: {
      200: { description: 'The first answer again: a retried create with the same Idempotency-Key', schema: createdSubscriptionSchema },
      201: { description: 'Subscribed; the signing secret is in this answer only', schema: createdSubscriptionSchema },
    },
  },
  {
    method: 'GET',
    path: '/admin/webhook-subscriptions',
    function: 'staffWebhooks',
    authorization: 'iam',
    action: 'listWebhookSubscriptions',
    summary: 'The webhook subscriptions, oldest first, without their secrets (admin)',
    responses: { 200: { description: 'The subscriptions', schema: subscriptionListSchema } },
  },
  {
    method: 'POST',
    path: '/admin/webhook-subscriptions/{subscriptionId}/disable',
    function: 'staffWebhooks',
    authorization: 'iam',
    action: 'disableWebhookSubscription',
    summary: 'Stop delivering to a subscription; deliveries still being retried are cancelled at their next attempt (admin)',
    responses: { 200: { description: 'The subscription, disabled', schema: subscriptionSchema } },
  },
  {
    method: 'DELETE',
    path: '/admin/webhook-subscriptions/{subscriptionId}',
    function: 'staffWebhooks',
    authorization: 'iam',
    action: 'deleteWebhookSubscription',
    summary: 'Delete a subscription and its secret; the delivery logs keep what was sent (admin)',
    responses: { 204: { description: 'Deleted' } },
  },
  {
    method: 'GET',
    path: '/admin/webhook-dead-letters',
    function: 'staffWebhooks',
    authorization: 'iam',
    action: 'listWebhookDeadLetters',
    summary: 'Deliveries that failed every attempt of their day of retries, newest first (admin)',
    request: { query: deadLetterQuerySchema },
    responses: { 200: { description: 'A page of dead letters', schema: deadLetterPageSchema } },
    problems: [400],
  },
  {
    method: 'POST',
    path: '/admin/webhook-dead-letters/{deadLetterId}/redrive',
    function: 'staffWebhooks',
    authorization: 'iam',
    action: 'redriveWebhookDeadLetter',
    summary: 'Deliver a dead letter again, with the same webhook-id and body and a new day of retries; its subscription must be active (admin)',
    responses: { 202: { description: 'Taken out of the dead letters and being delivered', schema: redriveAnswerSchema } },
  },
  {
    method: 'POST',
    path: '/admin/webhook-dead-letters/redrive',
    function: 'staffWebhooks',
    authorization: 'iam',
    action: 'redriveWebhookDeadLetters',
    summary:
      'Deliver again every dead letter of one subscription (subscriptionId) or all of them, each once; those whose subscription is not active stay, with why (admin)',
    request: { body: bulkRedriveRequestSchema },
    responses: { 202: { description: 'Taken out of the dead letters and being delivered', schema: bulkRedriveAnswerSchema } },
    problems: [422],
  },
] as const satisfies readonly Route[];
