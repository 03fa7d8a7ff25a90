import { evidenceFromSesEvent, evidenceTags, sesEventSchema } from '../../lambdas/core/delivery-evidence';

const event = (detail: object) => sesEventSchema.parse({ source: 'aws.ses', detail });
const mail = (tags: Record<string, string[]>) => ({ messageId: 'm-1', tags });
const ours = { complaint: ['c-1'], record: ['decisionSent'] };

describe('delivery evidence from SES events', () => {
  it('tags each customer e-mail with the record its evidence belongs to', () => {
    expect(evidenceTags({ complaintId: 'c-1', record: 'decisionSent' })).toEqual([
      { Name: 'complaint', Value: 'c-1' },
      { Name: 'record', Value: 'decisionSent' },
    ]);
  });

  it.each([
    ['a delivery', { eventType: 'Delivery', mail: mail(ours), delivery: { timestamp: 't1' } }, { delivery: 'delivered', at: 't1' }],
    [
      'a permanent bounce',
      { eventType: 'Bounce', mail: mail(ours), bounce: { timestamp: 't2', bounceType: 'Permanent' } },
      { delivery: 'bounced', at: 't2' },
    ],
    ['a spam complaint', { eventType: 'Complaint', mail: mail(ours), complaint: { timestamp: 't3' } }, { delivery: 'complained', at: 't3' }],
  ])('keeps %s', (_case, detail, expected) => {
    expect(evidenceFromSesEvent(event(detail))).toEqual({ complaintId: 'c-1', record: 'decisionSent', messageId: 'm-1', ...expected });
  });

  it.each([
    ['a transient bounce, which SES still retries', { eventType: 'Bounce', mail: mail(ours), bounce: { timestamp: 't', bounceType: 'Transient' } }],
    ['an open', { eventType: 'Open', mail: mail(ours) }],
    ['an e-mail we did not tag', { eventType: 'Delivery', mail: mail({}), delivery: { timestamp: 't' } }],
    [
      'a record we do not keep evidence for',
      { eventType: 'Delivery', mail: mail({ complaint: ['c-1'], record: ['version'] }), delivery: { timestamp: 't' } },
    ],
  ])('drops %s', (_case, detail) => {
    expect(evidenceFromSesEvent(event(detail))).toBeUndefined();
  });
});
