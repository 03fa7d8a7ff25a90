import { Webhook } from 'standardwebhooks';
import {
  ATTEMPT_OFFSETS_SECONDS,
  attemptOutcome,
  deadLetterIdOf,
  deliveryIdOf,
  isDeadLetterId,
  isSubscriptionId,
  newSigningSecret,
  nextAttemptAt,
  outboundEventsOf,
  signedHeaders,
  sourceOfActor,
  subscriptionIdOf,
  subscriptionRequestSchema,
  subscriptionWants,
  webhookPayload,
  type PayloadInput,
} from '../../lambdas/core/outbound-webhooks';
import { validated } from '../../lambdas/core/validation';
import { ValidationFailed } from '../../lambdas/core/errors';

describe('the retry schedule', () => {
  const start = new Date('2026-11-30T10:00:00.000Z');
  const hours = (n: number) => n * 3600;

  it('attempts at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h after the first attempt', () => {
    const due = ATTEMPT_OFFSETS_SECONDS.map((_, made) => nextAttemptAt(start, made)!);
    expect(due.map((at) => (at.getTime() - start.getTime()) / 1000)).toEqual([
      0,
      5,
      300,
      1800,
      hours(2),
      hours(5),
      hours(10),
      hours(14),
      hours(20),
      hours(24),
    ]);
  });

  it('keeps retrying for at least 24 hours, and never goes back in time', () => {
    const offsets = [...ATTEMPT_OFFSETS_SECONDS];
    expect(offsets.at(-1)).toBeGreaterThanOrEqual(hours(24));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
  });

  it('after the tenth failed attempt says park it (no next attempt)', () => {
    expect(nextAttemptAt(start, ATTEMPT_OFFSETS_SECONDS.length)).toBeUndefined();
  });
});

describe('an attempt', () => {
  it.each([
    [{ status: 200 }, 'delivered'],
    [{ status: 204 }, 'delivered'],
    [{ status: 299 }, 'delivered'],
    [{ status: 410 }, 'gone'],
    [{ status: 301 }, 'failed'],
    [{ status: 404 }, 'failed'],
    [{ status: 429 }, 'failed'],
    [{ status: 500 }, 'failed'],
    [{ error: 'no answer within 10 s' }, 'failed'],
  ] as const)('answered %j is %s', (answer, outcome) => {
    expect(attemptOutcome(answer)).toBe(outcome);
  });
});

describe('signing', () => {
  it('signs as Standard Webhooks: the reference implementation verifies it', () => {
    const secret = newSigningSecret();
    const body = JSON.stringify({ type: 'complaint.decided', timestamp: '2026-11-30T10:00:00.000Z', data: { reference: 'RK-ABCDE-FGHJK' } });
    const now = Math.floor(Date.now() / 1000);
    const headers = signedHeaders(secret, 'msg_abc', now, body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('gives the same signature as the reference implementation for the same id, time and body', () => {
    const secret = newSigningSecret();
    const at = new Date('2026-11-30T10:00:00Z');
    const headers = signedHeaders(secret, 'msg_same', at.getTime() / 1000, '{"a":1}');
    expect(headers['webhook-signature']).toBe(new Webhook(secret).sign('msg_same', at, '{"a":1}'));
  });

  it('a changed body, id or another secret does not verify', () => {
    const secret = newSigningSecret();
    const now = Math.floor(Date.now() / 1000);
    const headers = signedHeaders(secret, 'msg_abc', now, '{"a":1}');
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
    expect(() => new Webhook(secret).verify('{"a":1}', { ...headers, 'webhook-id': 'msg_abd' })).toThrow();
    expect(() => new Webhook(newSigningSecret()).verify('{"a":1}', headers)).toThrow();
  });

  it('makes secrets of whsec_ and 32 random bytes in base64, each one new', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(secret);
  });
});

describe('ids', () => {
  it('derives the delivery id (webhook-id) from the event, the type and the subscription', () => {
    const id = deliveryIdOf('c1', 3, 'complaint.decided', 'sub_1');
    expect(id).toMatch(/^msg_[A-Za-z0-9_-]{22}$/);
    expect(deliveryIdOf('c1', 3, 'complaint.decided', 'sub_1')).toBe(id);
    expect(
      new Set([
        id,
        deliveryIdOf('c1', 4, 'complaint.decided', 'sub_1'),
        deliveryIdOf('c1', 3, 'complaint.closed', 'sub_1'),
        deliveryIdOf('c1', 3, 'complaint.decided', 'sub_2'),
      ]).size,
    ).toBe(4);
  });

  it('gives one subscription id per staff member and Idempotency-Key, and a random one without a key', () => {
    const keyed = subscriptionIdOf({ staffId: 'ewa.admin', idempotencyKey: 'k1' });
    expect(isSubscriptionId(keyed)).toBe(true);
    expect(subscriptionIdOf({ staffId: 'ewa.admin', idempotencyKey: 'k1' })).toBe(keyed);
    expect(subscriptionIdOf({ staffId: 'jan.admin', idempotencyKey: 'k1' })).not.toBe(keyed);
    expect(subscriptionIdOf()).not.toBe(subscriptionIdOf());
    expect(isSubscriptionId('sub_../../x')).toBe(false);
  });

  it('names dead letters so that newer ones sort after older ones', () => {
    const older = deadLetterIdOf(new Date('2026-11-30T10:00:00Z'), deliveryIdOf('c', 1, 'complaint.received', 's'));
    const newer = deadLetterIdOf(new Date('2026-12-01T10:00:00Z'), deliveryIdOf('c', 1, 'complaint.received', 's'));
    expect(older < newer).toBe(true);
    expect(isDeadLetterId(older)).toBe(true);
    expect(isDeadLetterId('dl_1_msg_x')).toBe(false);
  });
});

describe('from complaint events to outbound events', () => {
  it.each([
    ['complaint.received', ['complaint.received']],
    ['complaint.assigned', ['complaint.assigned']],
    ['complaint.decided', ['complaint.decided']],
    ['complaint.answer_sent', ['complaint.answer_sent', 'complaint.closed']],
    ['complaint.extended', ['complaint.extended']],
    ['complaint.deemed_accepted', ['complaint.deemed_accepted']],
    ['complaint.reminded', []],
    ['complaint.note_added', []],
    ['complaint.email_delivered', []],
  ])('%s gives %j', (type, outbound) => {
    expect(outboundEventsOf(type)).toEqual(outbound);
  });

  it('tells the webhook source from the actor of the first history entry', () => {
    expect(sourceOfActor('webhook:demo-shop')).toBe('demo-shop');
    expect(sourceOfActor('customer')).toBeUndefined();
    expect(sourceOfActor('marek.supervisor')).toBeUndefined();
  });

  it('sends a subscription only what it asked for, from its source, while it is active', () => {
    const global = { status: 'active' as const, events: ['complaint.decided' as const] };
    const shop = { ...global, source: 'demo-shop' };
    expect(subscriptionWants(global, 'complaint.decided', undefined)).toBe(true);
    expect(subscriptionWants(global, 'complaint.decided', 'demo-shop')).toBe(true);
    expect(subscriptionWants(global, 'complaint.closed', undefined)).toBe(false);
    expect(subscriptionWants(shop, 'complaint.decided', 'demo-shop')).toBe(true);
    expect(subscriptionWants(shop, 'complaint.decided', 'other-shop')).toBe(false);
    expect(subscriptionWants(shop, 'complaint.decided', undefined)).toBe(false);
    expect(subscriptionWants({ ...global, status: 'disabled' }, 'complaint.decided', undefined)).toBe(false);
  });
});

describe('the payload', () => {
  const complaint: PayloadInput['complaint'] = {
    id: 'c-1',
    reference: 'RK-ABCDE-FGHJK',
    channel: 'webhook',
    orderNumber: '#1001',
    sourcePlatform: 'shopify',
    externalId: 'gid://shopify/Return/1',
    shopDetails: { orderId: 'gid://shopify/Order/9', returnId: 'gid://shopify/Return/1' },
    responseDueBy: '2026-12-14',
  };
  const at = '2026-11-30T10:00:00.000Z';

  it('is { type, timestamp, data } with the complaint, the shop ids and the source', () => {
    const payload = webhookPayload({
      type: 'complaint.decided',
      event: { sequence: 7, at, action: 'decision_recorded', after: { outcome: 'accepted', remedy: 'refund', delivery: 'email' } },
      complaint,
      source: 'shopify-demo',
    });
    expect(payload).toEqual({
      type: 'complaint.decided',
      timestamp: at,
      data: {
        complaintId: 'c-1',
        reference: 'RK-ABCDE-FGHJK',
        sequence: 7,
        source: 'shopify-demo',
        sourcePlatform: 'shopify',
        externalId: 'gid://shopify/Return/1',
        orderNumber: '#1001',
        orderId: 'gid://shopify/Order/9',
        returnId: 'gid://shopify/Return/1',
        responseDueBy: '2026-12-14',
        outcome: 'accepted',
        remedy: 'refund',
      },
    });
  });

  it.each([
    ['complaint.received', 'complaint_received', {}, { channel: 'webhook' }],
    ['complaint.assigned', 'department_assigned', { departmentId: 'returns', reason: 'rule' }, { departmentId: 'returns' }],
    ['complaint.answer_sent', 'decision_sent', { messageId: 'm' }, { by: 'email' }],
    ['complaint.answer_sent', 'decision_posted', { postedOn: '2026-12-01', withinTerm: true }, { by: 'post', postedOn: '2026-12-01' }],
    ['complaint.extended', 'deadline_extended', { responseDueBy: '2027-01-20', reason: 'expert' }, { responseDueBy: '2027-01-20' }],
    ['complaint.deemed_accepted', 'deadline_passed', { effect: 'deemed_accepted' }, {}],
    ['complaint.closed', 'decision_sent', { messageId: 'm' }, {}],
  ] as const)('%s (from %s) says %j', (type, action, after, details) => {
    const { data } = webhookPayload({ type, event: { sequence: 2, at, action, after }, complaint: { ...complaint, responseDueBy: 'X' } });
    const {
      complaintId: _id,
      reference: _ref,
      sequence: _seq,
      sourcePlatform: _p,
      externalId: _e,
      orderNumber: _o,
      orderId: _oi,
      returnId: _ri,
      responseDueBy,
      ...rest
    } = data as Record<string, unknown>;
    expect(responseDueBy).toBe(type === 'complaint.extended' ? '2027-01-20' : 'X');
    expect(rest).toEqual(type === 'complaint.extended' ? {} : details);
  });

  it("carries nothing of the customer's: no name, e-mail, phone, description, note or justification", () => {
    const payload = JSON.stringify(
      webhookPayload({
        type: 'complaint.decided',
        event: { sequence: 3, at, action: 'decision_recorded', after: { outcome: 'rejected', justification: 'Anna broke it', delivery: 'email' } },
        complaint,
      }),
    );
    expect(payload).not.toContain('justification');
    expect(payload).not.toContain('Anna');
  });
});

describe('a subscription request', () => {
  const valid = { url: 'https://shop.example/hooks', events: ['complaint.decided'] };

  it('takes a URL, events and an optional source and description', () => {
    expect(validated(subscriptionRequestSchema, { ...valid, source: 'demo-shop', description: ' Shop ' })).toEqual({
      ...valid,
      source: 'demo-shop',
      description: 'Shop',
    });
  });

  it.each([
    [{ ...valid, url: 'not a url' }, 'url'],
    [{ ...valid, url: `https://shop.example/${'x'.repeat(2000)}` }, 'url'],
    [{ ...valid, events: [] }, 'events'],
    [{ ...valid, events: ['complaint.decided', 'complaint.decided'] }, 'events'],
    [{ ...valid, events: ['complaint.reminded'] }, 'events.0'],
    [{ ...valid, source: 'Demo Shop' }, 'source'],
    [{ events: valid.events }, 'url'],
  ])('refuses %j naming %s', (body, field) => {
    try {
      validated(subscriptionRequestSchema, body);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationFailed);
      expect((error as ValidationFailed).issues.map((issue) => issue.field)).toContain(field);
    }
  });
});
