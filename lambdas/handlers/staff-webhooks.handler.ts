import { staffDirectory } from './compose';
import { outboundPorts } from './compose-outbound';
import { deliveryStarter } from './compose-delivery-starter';
import { pathId, staffHandler, type StaffActions } from '../http/staff-dispatcher';
import { staffWebhookRoutes } from '../http/staff-webhook-routes';
import { isDeadLetterId, isSubscriptionId } from '../core/outbound-webhooks';
import {
  createSubscription,
  deleteSubscription,
  deliveryLog,
  disableSubscription,
  listDeadLetters,
  listSubscriptions,
  redriveDeadLetter,
  redriveDeadLetters,
} from '../use-cases/outbound-webhooks';

// The staff API's outbound webhooks (lambdas/http/staff-webhook-routes.ts): subscriptions, delivery logs, dead letters.

const subscriptionId = (params: Record<string, string>) => pathId(params, 'subscriptionId', isSubscriptionId, 'webhook subscription');

const actions: StaffActions<(typeof staffWebhookRoutes)[number]> = {
  readWebhookDeliveries: async ({ id }, staff) => ({ body: { deliveries: await deliveryLog(id, staff, outboundPorts()) } }),
  createWebhookSubscription: async ({ body, idempotencyKey }, staff) => {
    const { subscription, replayed } = await createSubscription(body, staff, idempotencyKey, outboundPorts());
    return { status: replayed ? 200 : 201, body: subscription, replayed };
  },
  listWebhookSubscriptions: async (_request, staff) => ({ body: { subscriptions: await listSubscriptions(staff, outboundPorts()) } }),
  disableWebhookSubscription: async ({ params }, staff) => ({ body: await disableSubscription(subscriptionId(params), staff, outboundPorts()) }),
  deleteWebhookSubscription: async ({ params }, staff) => {
    await deleteSubscription(subscriptionId(params), staff, outboundPorts());
    return { empty: true as const };
  },
  listWebhookDeadLetters: async ({ query }, staff) => ({ body: await listDeadLetters(query, staff, outboundPorts()) }),
  redriveWebhookDeadLetter: async ({ params }, staff) => ({
    body: await redriveDeadLetter(pathId(params, 'deadLetterId', isDeadLetterId, 'dead letter'), staff, {
      ...outboundPorts(),
      deliveries: deliveryStarter(),
    }),
  }),
  redriveWebhookDeadLetters: async ({ body }, staff) => ({
    body: await redriveDeadLetters(body, staff, { ...outboundPorts(), deliveries: deliveryStarter() }),
  }),
};

export const handler = staffHandler(staffWebhookRoutes, actions, staffDirectory);
