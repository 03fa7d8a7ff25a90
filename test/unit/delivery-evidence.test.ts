import { emailTags, evidenceFromSesEvent, SES_TAG_VALUE, sendEvidenceFromSesEvent, sesEventSchema } from '../../lambdas/core/delivery-evidence';

const event = (detail: object) => sesEventSchema.parse({ source: 'aws.ses', detail });
const mail = (tags: Record<string, string[]>) => ({ messageId: 'm-1', tags });
const ours = { complaint: ['c-1'], record: ['decisionSent'] };

describe('delivery evidence from SES events', () => {
  it('tags each customer e-mail with the record its evidence belongs to', () => {
    expect(emailTags({ evidence: { complaintId: 'c-1', record: 'decisionSent' } })).toEqual([
      { Name: 'complaint', Value: 'c-1' },
      { Name: 'record', Value: 'decisionSent' },
    ]);
  });

  it('writes a dotted record path with dashes, since SES refuses dots in tag values, and reads it back', () => {
    const tags = emailTags({ evidence: { complaintId: '0b7f3a52-8d0e-4d4e-9a57-1c1f4c0e8f10', record: 'deadlinePassed.customerNotified' } });
    expect(tags.every((tag) => SES_TAG_VALUE.test(tag.Name) && SES_TAG_VALUE.test(tag.Value))).toBe(true);
    const detail = { eventType: 'Delivery', mail: mail({ complaint: ['c-1'], record: [tags[1]!.Value] }), delivery: { timestamp: 't' } };
    expect(evidenceFromSesEvent(event(detail))).toMatchObject({ record: 'deadlinePassed.customerNotified' });
  });

  it("tags a send-once e-mail with its claim and attempt, and reads them back from SES's Send event", () => {
    const tags = emailTags({ attempt: { complaintId: 'c-1', key: 'k_-9', attempt: 'a-1' } });
    expect(tags).toEqual([
      { Name: 'complaint', Value: 'c-1' },
      { Name: 'send', Value: 'k_-9' },
      { Name: 'attempt', Value: 'a-1' },
    ]);
    const sent = { eventType: 'Send', mail: { messageId: 'm-1', timestamp: 't0', tags: { complaint: ['c-1'], send: ['k_-9'], attempt: ['a-1'] } } };
    expect(sendEvidenceFromSesEvent(event(sent))).toEqual({ complaintId: 'c-1', key: 'k_-9', attempt: 'a-1', messageId: 'm-1', at: 't0' });
    expect(sendEvidenceFromSesEvent(event({ ...sent, eventType: 'Delivery' }))).toBeUndefined();
  });

  it("names a send-once e-mail's record in a tag of its own, dots as dashes, and reads it back from the Send event", () => {
    const tags = emailTags({ attempt: { complaintId: 'c-1', key: 'k_-9', attempt: 'a-1', record: 'reminders.3' } });
    expect(tags).toContainEqual({ Name: 'sendRecord', Value: 'reminders-3' });
    expect(tags.every((tag) => SES_TAG_VALUE.test(tag.Name) && SES_TAG_VALUE.test(tag.Value))).toBe(true);
    const sent = {
      eventType: 'Send',
      mail: { messageId: 'm-1', timestamp: 't0', tags: Object.fromEntries(tags.map((tag) => [tag.Name, [tag.Value]])) },
    };
    expect(sendEvidenceFromSesEvent(event(sent))).toEqual({
      complaintId: 'c-1',
      key: 'k_-9',
      attempt: 'a-1',
      record: 'reminders.3',
      messageId: 'm-1',
      at: 't0',
    });
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
