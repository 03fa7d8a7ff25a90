import type { Runtime } from '../../local/runtime';
import { dynamo } from '../../lambdas/adapters/clients';
import { dynamoComplaintRepository } from '../../lambdas/adapters/complaint-repository';
import type { Complaint } from '../../lambdas/core/complaint';
import { postComplaint, startLocalProduct, storedItems, validComplaint } from '../support/local-product';

// The write that records a term's effect (deemed accepted) holds only while no answer went out in time: the
// same condition the in-memory fake of the use-case tests keeps (test/support/in-memory-complaints.ts), here
// as DynamoDB's condition expression, on the local DynamoDB.

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startLocalProduct();
});
afterAll(async () => {
  await runtime.stop();
});

const at = new Date().toISOString();
const decision = { outcome: 'accepted', remedy: 'repair', delivery: 'post', decidedAt: at, decidedBy: 'agent-1' } as const;
const posted = (withinTerm: boolean) => ({ postedOn: at.slice(0, 10), recordedAt: at, recordedBy: 'agent-1', withinTerm });

async function complaintWith(set: Partial<Complaint>) {
  const repository = dynamoComplaintRepository(dynamo(), 'complaints');
  const { id } = (await (await postComplaint(runtime, validComplaint)).json()) as { id: string };
  await runtime.settled();
  await repository.applyStaffChange({ id, set, entry: { at, actor: 'agent-1', action: 'decision_recorded' } });
  const passes = await repository.record(id, { kind: 'deadlinePassed', value: { at, effect: 'deemed_accepted' }, status: 'deemed_accepted' });
  return { passes, stored: await repository.get(id) };
}

it('records the effect over a letter posted too late, and leaves the posting on the record', async () => {
  const { passes, stored } = await complaintWith({ decision, decisionPosted: posted(false), status: 'decided' });
  expect(passes).toBe(true);
  expect(stored).toMatchObject({ status: 'deemed_accepted', deadlinePassed: { effect: 'deemed_accepted' }, decisionPosted: { withinTerm: false } });
});

it('records the effect over a decision that was never sent', async () => {
  const { passes, stored } = await complaintWith({ decision: { ...decision, delivery: 'email' }, status: 'decided' });
  expect(passes).toBe(true);
  expect(stored?.status).toBe('deemed_accepted');
});

it('does not record it once a letter was posted in time, or a decision sent', async () => {
  const inTime = await complaintWith({ decision, decisionPosted: posted(true), status: 'closed' });
  expect(inTime.passes).toBe(false);
  expect(inTime.stored).toMatchObject({ status: 'closed' });
  expect(inTime.stored?.deadlinePassed).toBeUndefined();

  const sent = await complaintWith({
    decision: { ...decision, delivery: 'email' },
    decisionSent: { messageId: 'm-1', sentAt: at },
    status: 'closed',
  });
  expect(sent.passes).toBe(false);
  expect(sent.stored?.deadlinePassed).toBeUndefined();
});

it('lets an extension lapse only while its notice has not gone out, putting back the ordinary due date on the lists', async () => {
  const repository = dynamoComplaintRepository(dynamo(), 'complaints');
  const lapse = { kind: 'extensionLapsed', at, responseDueBy: '2026-12-07', internalTarget: '2026-12-02' } as const;
  const extension = { reason: 'r', stillToEstablish: 's', requestedAt: at, requestedBy: 'agent-1', previousResponseDueBy: '2026-12-07' };
  for (const [noticeSent, passes] of [
    [undefined, true],
    [{ messageId: 'm-2', sentAt: at }, false],
  ] as const) {
    const { id } = (await (await postComplaint(runtime, validComplaint)).json()) as { id: string };
    await runtime.settled();
    await repository.applyStaffChange({
      id,
      set: { extension: { ...extension, ...(noticeSent ? { noticeSent } : {}) }, responseDueBy: '2027-01-06' },
      entry: { at, actor: 'agent-1', action: 'deadline_extended' },
    });
    expect(await repository.record(id, lapse)).toBe(passes);
    expect((await repository.get(id))?.responseDueBy).toBe(passes ? '2026-12-07' : '2027-01-06');
  }
  const due = (await storedItems(runtime)).filter((item) => item.dueKey?.S?.includes('2026-12-07'));
  expect(due.length).toBeGreaterThan(0);
});
