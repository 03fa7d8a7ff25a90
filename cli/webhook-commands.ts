import type { z } from 'zod';
import {
  outboundEventTypes,
  type createdSubscriptionSchema,
  type DeadLetter,
  type Delivery,
  type Subscription,
  type subscriptionRequestSchema,
} from '../lambdas/core/outbound-webhooks';
import type { Command, OptionValues } from './commands';
import { UsageError } from './commands';
import { table, warsawTime } from './format';

// The outbound webhooks from a terminal (admins): subscribe an endpoint, list, disable and delete subscriptions,
// read a complaint's delivery log, list the dead letters and redrive one.

const text = (values: OptionValues, name: string): string | undefined => values[name] as string | undefined;

const subscriptionPath = (id: string, tail = '') => `/admin/webhook-subscriptions/${encodeURIComponent(id)}${tail}`;

function subscriptionRows(subscriptions: readonly Subscription[]): string {
  if (subscriptions.length === 0) return 'No webhook subscriptions.';
  return table(
    ['ID', 'STATUS', 'SOURCE', 'EVENTS', 'URL'],
    subscriptions.map((each) => [
      each.id,
      each.status,
      each.source ?? '(all)',
      each.events.map((event) => event.replace('complaint.', '')).join(','),
      each.url,
    ]),
  );
}

const subscribe: Command = {
  name: 'subscribe',
  positionals: [],
  summary: 'Subscribe an endpoint to complaint events (admin); prints the signing secret, shown this once.',
  options: {
    url: { type: 'string', value: 'URL', required: true, description: 'where to POST (HTTPS to a public address in AWS)' },
    event: { type: 'string', multiple: true, value: outboundEventTypes.join('|'), required: true, description: 'an event to send' },
    source: { type: 'string', value: 'NAME', description: "only this webhook source's complaints (default: every complaint's)" },
    description: { type: 'string', value: 'TEXT', description: 'what the endpoint is, for the list' },
  },
  async run({ values, api }) {
    const url = text(values, 'url');
    const events = values.event as string[] | undefined;
    if (!url) throw new UsageError('subscribe needs --url', 'subscribe');
    if (!events || events.length === 0) throw new UsageError('subscribe needs at least one --event', 'subscribe');
    // The event names are the server's to check: it names every bad one.
    const body = { url, events, source: text(values, 'source'), description: text(values, 'description') } as z.input<
      typeof subscriptionRequestSchema
    >;
    const created = await api.send<z.output<typeof createdSubscriptionSchema>>({ method: 'POST', path: '/admin/webhook-subscriptions', body });
    return {
      json: created,
      text: [
        `Subscribed ${created.id}: ${created.events.join(', ')} to ${created.url}${created.source ? ` (source ${created.source})` : ''}.`,
        `Signing secret (Standard Webhooks; shown only now, keep it with the subscriber):`,
        `  ${created.secret}`,
      ].join('\n'),
    };
  },
};

const subscriptions: Command = {
  name: 'subscriptions',
  positionals: [],
  summary: 'List the webhook subscriptions (admin).',
  options: {},
  async run({ api }) {
    const answer = await api.send<{ subscriptions: Subscription[] }>({ method: 'GET', path: '/admin/webhook-subscriptions' });
    return { json: answer, text: subscriptionRows(answer.subscriptions) };
  },
};

const disableSubscription: Command = {
  name: 'disable-subscription',
  positionals: ['subscription'],
  summary: 'Stop deliveries to a subscription; those being retried are cancelled (admin).',
  options: {},
  async run({ positionals: [id], api }) {
    const subscription = await api.send<Subscription>({ method: 'POST', path: subscriptionPath(id!, '/disable') });
    return { json: subscription, text: `Disabled ${subscription.id} (${subscription.url}).` };
  },
};

const deleteSubscription: Command = {
  name: 'delete-subscription',
  positionals: ['subscription'],
  summary: 'Delete a subscription and its secret; delivery logs keep what was sent (admin).',
  options: {},
  async run({ positionals: [id], api }) {
    await api.send<undefined>({ method: 'DELETE', path: subscriptionPath(id!) });
    return { json: { deleted: id }, text: `Deleted ${id}.` };
  },
};

const deliveries: Command = {
  name: 'deliveries',
  positionals: ['id'],
  summary: "A complaint's webhook deliveries and their attempts (admin; the complaint id).",
  options: {},
  async run({ positionals: [id], api }) {
    const answer = await api.send<{ deliveries: Delivery[] }>({
      method: 'GET',
      path: `/admin/complaints/${encodeURIComponent(id!)}/webhook-deliveries`,
    });
    const rows = answer.deliveries.map((each) => {
      const last = each.attempts.at(-1);
      return [
        String(each.sequence),
        each.type.replace('complaint.', ''),
        each.subscriptionId,
        each.state,
        String(each.attemptCount),
        last ? `${warsawTime(last.at)} ${last.status ?? last.error ?? ''}` : '-',
        each.nextAttemptAt ? warsawTime(each.nextAttemptAt) : '-',
      ];
    });
    return {
      json: answer,
      text: rows.length === 0 ? 'No webhook deliveries.' : table(['EVENT', 'TYPE', 'SUBSCRIPTION', 'STATE', 'ATTEMPTS', 'LAST', 'NEXT'], rows),
    };
  },
};

const deadLetters: Command = {
  name: 'dead-letters',
  positionals: [],
  summary: 'Webhook deliveries that failed for a whole day, newest first (admin).',
  options: {
    limit: { type: 'string', value: 'N', description: 'at most N (1–100; default 25)' },
    before: { type: 'string', value: 'ID', description: 'older ones, as printed below the last page' },
  },
  async run({ values, api }) {
    const page = await api.send<{ deadLetters: DeadLetter[]; before?: string }>({
      method: 'GET',
      path: '/admin/webhook-dead-letters',
      query: { limit: text(values, 'limit'), before: text(values, 'before') },
    });
    const rows = page.deadLetters.map((each) => [
      each.id,
      warsawTime(each.parkedAt),
      each.type.replace('complaint.', ''),
      each.subscriptionId,
      String(each.lastAttempt?.status ?? each.lastAttempt?.error ?? '-'),
    ]);
    const listing = rows.length === 0 ? 'No dead letters.' : table(['ID', 'PARKED', 'TYPE', 'SUBSCRIPTION', 'LAST ANSWER'], rows);
    return { json: page, text: page.before ? `${listing}\nOlder: complaints dead-letters --before ${page.before}` : listing };
  },
};

const redrive: Command = {
  name: 'redrive',
  positionals: ['dead-letter'],
  summary: 'Deliver a dead letter again: same webhook-id and body, a new day of retries (admin).',
  options: {},
  async run({ positionals: [id], api }) {
    const answer = await api.send<{ deliveryId: string; complaintId: string }>({
      method: 'POST',
      path: `/admin/webhook-dead-letters/${encodeURIComponent(id!)}/redrive`,
    });
    return { json: answer, text: `Redriving ${answer.deliveryId} (complaint ${answer.complaintId}): complaints deliveries ${answer.complaintId}` };
  },
};

const redriveAll: Command = {
  name: 'redrive-all',
  positionals: [],
  summary: 'Deliver again every dead letter, or those of one subscription, each once (admin).',
  options: {
    subscription: { type: 'string', value: 'ID', description: 'only the dead letters of this subscription' },
  },
  async run({ values, api }) {
    const subscriptionId = text(values, 'subscription');
    const answer = await api.send<{ redriven: { deliveryId: string }[]; skipped: { deadLetterId: string; reason: string }[]; more: boolean }>({
      method: 'POST',
      path: '/admin/webhook-dead-letters/redrive',
      body: { subscriptionId: subscriptionId ?? 'all' },
    });
    const lines = [
      `Redriving ${answer.redriven.length} dead letter(s).`,
      ...answer.skipped.map((each) => `Skipped ${each.deadLetterId}: ${each.reason}`),
      ...(answer.more ? ['More remain: run it again.'] : []),
    ];
    return { json: answer, text: lines.join('\n') };
  },
};

export const webhookCommands: readonly Command[] = [
  subscribe,
  subscriptions,
  disableSubscription,
  deleteSubscription,
  deliveries,
  deadLetters,
  redrive,
  redriveAll,
];
