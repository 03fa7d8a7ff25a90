import type { Runtime } from '../../local/runtime';
import { handlerOf } from '../../local/handlers';
import { mailbox, postComplaint, startLocalProduct, storedItems, validComplaint } from '../support/local-product';
import { asStaff, demoStaff } from '../support/staff-event';
import { COMPLAINTS_TABLE } from '../../local/dynamodb';
import { dynamoDocumentClient, UpdateCommand } from '../../lambdas/adapters/aws-wire/dynamodb-api';
import { dynamoSendClaims } from '../../lambdas/adapters/send-claims';
import { keys } from '../../lambdas/adapters/table-design';
import { sendClaimKey } from '../../lambdas/core/delivery-evidence';

// SES reports deliveries and bounces through EventBridge in AWS; aws-ses-v2-local reports nothing, so these
// hand the handler the events SES would send, shaped as SES documents them.

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startLocalProduct();
});
afterAll(async () => {
  await runtime.stop();
});

function sesEvent(eventType: 'Delivery' | 'Bounce', messageId: string, complaintId: string, record = 'acknowledgement') {
  const timestamp = '2026-11-23T10:00:00.000Z';
  return {
    source: 'aws.ses',
    'detail-type': eventType === 'Delivery' ? 'Email Delivered' : 'Email Bounced',
    detail: {
      eventType,
      mail: { messageId, timestamp, tags: { complaint: [complaintId], record: [record], 'ses:configuration-set': ['reklamacje'] } },
      ...(eventType === 'Delivery'
        ? { delivery: { timestamp, recipients: ['anna@example.com'] } }
        : { bounce: { timestamp, bounceType: 'Permanent' } }),
    },
  };
}

async function acknowledged(): Promise<{ id: string; messageId: string }> {
  const { id } = (await (await postComplaint(runtime, validComplaint)).json()) as { id: string };
  await runtime.settled();
  const item = (await storedItems(runtime)).find((stored) => stored.id?.S === id);
  return { id, messageId: item?.acknowledgement?.M?.messageId?.S };
}

const acknowledgementOf = async (id: string) => (await storedItems(runtime)).find((stored) => stored.id?.S === id)!;

it('records the delivery of the acknowledgement on the complaint, with a history entry', async () => {
  const { id, messageId } = await acknowledged();
  await handlerOf('recordDelivery')(sesEvent('Delivery', messageId, id));
  const item = await acknowledgementOf(id);
  expect(item.acknowledgement.M.delivery.S).toBe('delivered');
  expect(item.acknowledgement.M.deliveryAt.S).toBe('2026-11-23T10:00:00.000Z');
  const events = (await storedItems(runtime)).filter((stored) => stored.PK?.S === `COMPLAINT#${id}` && stored.SK?.S.startsWith('EVENT#'));
  expect(events.map((event) => event.action?.S)).toContain('email_delivered');
  expect(item.acknowledgement.M.delivery).toBeDefined();
});

it('records a permanent bounce, and never lets a bounce overwrite a delivery', async () => {
  const bounced = await acknowledged();
  await handlerOf('recordDelivery')(sesEvent('Bounce', bounced.messageId, bounced.id));
  expect((await acknowledgementOf(bounced.id)).acknowledgement.M.delivery.S).toBe('bounced');

  const delivered = await acknowledged();
  await handlerOf('recordDelivery')(sesEvent('Delivery', delivered.messageId, delivered.id));
  await handlerOf('recordDelivery')(sesEvent('Bounce', delivered.messageId, delivered.id));
  expect((await acknowledgementOf(delivered.id)).acknowledgement.M.delivery.S).toBe('delivered');
});

it('ignores events about other messages, untagged e-mails and things that are not SES events', async () => {
  const { id } = await acknowledged();
  await handlerOf('recordDelivery')(sesEvent('Delivery', 'some-other-message', id));
  await handlerOf('recordDelivery')({ source: 'aws.ses', detail: { eventType: 'Delivery', mail: { messageId: 'x' }, delivery: { timestamp: 't' } } });
  await handlerOf('recordDelivery')({ hello: 'world' });
  expect((await acknowledgementOf(id)).acknowledgement.M.delivery).toBeUndefined();
});

it("keeps no SES Send evidence on a reminder's claim once the reminder is recorded (its record holds no message id)", async () => {
  const { id } = await acknowledged();
  const client = dynamoDocumentClient();
  const claims = dynamoSendClaims(client, COMPLAINTS_TABLE);
  const claim = {
    complaintId: id,
    key: 'reminder-evidence-test',
    attempt: 'attempt-1',
    email: 'reminder 7',
    record: 'reminders.7',
    claimedAtMs: Date.now(),
  };
  expect(await claims.claim(claim)).toBeUndefined();
  const evidence = { complaintId: id, key: claim.key, attempt: claim.attempt, messageId: 'ses-reminder-7', at: '2026-11-23T10:00:00.000Z' };
  // Not recorded yet: SES's word is kept on the claim, for a retry to record.
  expect(await claims.keepSendEvidence(evidence)).toBe(true);
  const second = { ...claim, key: 'reminder-evidence-test-2', attempt: 'attempt-2' };
  expect(await claims.claim(second)).toBeUndefined();
  await client.send(
    new UpdateCommand({
      TableName: COMPLAINTS_TABLE,
      Key: keys.complaint(id),
      UpdateExpression: 'SET reminders.#offset = :value',
      ExpressionAttributeNames: { '#offset': '7' },
      ExpressionAttributeValues: { ':value': { sentAt: '2026-11-23T10:00:00.000Z', escalation: false } },
    }),
  );
  expect(await claims.keepSendEvidence({ ...evidence, key: second.key, attempt: second.attempt })).toBe(false);
  expect((await claims.read(id, second.key))?.sent).toBeUndefined();
});

it("answers SES's Send event for an e-mail already recorded with one read of the complaint, when the e-mail names its record", async () => {
  const { id, messageId } = await acknowledged();
  const client = dynamoDocumentClient();
  const claims = dynamoSendClaims(client, COMPLAINTS_TABLE);
  // The acknowledgement's own claim and attempt: with the claim read first, this took a second read.
  const claim = (await claims.read(id, sendClaimKey('acknowledgement')))!;
  const operations: string[] = [];
  client.intercept((request, next) => {
    operations.push(request.headers.get('x-amz-target') ?? '');
    return next(request);
  });
  const evidence = { complaintId: id, key: claim.key, attempt: claim.attempt, messageId, at: '2026-11-23T10:00:00.000Z' };
  expect(await claims.keepSendEvidence({ ...evidence, record: 'acknowledgement' })).toBe(false);
  expect(operations).toEqual(['DynamoDB_20120810.GetItem']);
});

it("alerts the supervisor and the department once when the customer's mailbox refuses the answer", async () => {
  const { id } = await acknowledged();
  const supervisor = demoStaff((staff) => staff.role === 'supervisor');
  const current = (await asStaff(supervisor, 'GET', '/admin/complaints/{id}', { pathParameters: { id } })).body;
  const decided = await asStaff(supervisor, 'POST', '/admin/complaints/{id}/decision', {
    pathParameters: { id },
    body: { outcome: 'accepted', remedy: 'repair', version: current.version },
  });
  expect(decided.statusCode).toBe(200);
  await runtime.settled();
  const stored = (await storedItems(runtime)).find((item) => item.id?.S === id)!;
  const messageId = stored.decisionSent.M.messageId.S as string;
  const reference = stored.reference.S as string;

  for (let delivery = 0; delivery < 2; delivery += 1) {
    // EventBridge delivers at least once: the same event twice alerts once.
    await handlerOf('recordDelivery')(sesEvent('Bounce', messageId, id, 'decisionSent'));
  }
  const alerts = (await mailbox(runtime)).filter((email) => email.subject === `Odpowiedź nie dotarła: reklamacja ${reference}`);
  expect(alerts).toHaveLength(1);
  expect(alerts[0]!.body.text).toContain('art. 61 KC');
  const events = (await storedItems(runtime)).filter((item) => item.PK?.S === `COMPLAINT#${id}` && item.SK?.S.startsWith('EVENT#'));
  expect(events.map((event) => event.action?.S)).toEqual(expect.arrayContaining(['email_bounced', 'bounce_alert_sent']));
});

it('sends no alert for a bounced acknowledgement', async () => {
  const { id, messageId } = await acknowledged();
  const before = (await mailbox(runtime)).length;
  await handlerOf('recordDelivery')(sesEvent('Bounce', messageId, id));
  expect((await mailbox(runtime)).length).toBe(before);
});
