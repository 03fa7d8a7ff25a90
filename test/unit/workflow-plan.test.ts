import type { Complaint } from '../../lambdas/core/complaint';
import { nextWorkflowAction, reminderTime, type ReminderDate } from '../../lambdas/core/workflow-plan';

const sent = (at: string) => ({ messageId: `m-${at}`, sentAt: at });

// Received Monday 2026-11-23 under the consumer policy: due Monday 2026-12-07.
const complaint: Complaint = {
  customer: { name: 'Anna Kowalska', email: 'anna@example.com' },
  description: 'Czajnik przestał grzać po dwóch tygodniach.',
  desiredRemedy: 'replacement',
  privacyNoticeAccepted: true,
  language: 'pl',
  id: 'c-1',
  reference: 'RK-00000-00000',
  status: 'assigned',
  channel: 'web',
  policyId: 'consumer',
  receivedAt: '2026-11-23T09:00:00.000Z',
  receivedOn: '2026-11-23',
  responseDueBy: '2026-12-07',
  version: 3,
  history: [],
  acknowledgement: sent('2026-11-23T09:00:05.000Z'),
  assignment: {
    departmentId: 'returns',
    ruleId: 'replacement',
    reason: 'r',
    rulesVersion: 'v1',
    assignedAt: '2026-11-23T09:00:06.000Z',
    assignedBy: 'workflow',
  },
  departmentNotified: { ...sent('2026-11-23T09:00:07.000Z'), departmentId: 'returns' },
};

// 7, 3 and 1 working days before 2026-12-07.
const reminderDates: ReminderDate[] = [
  { offset: 7, date: '2026-11-26' },
  { offset: 3, date: '2026-12-02' },
  { offset: 1, date: '2026-12-04' },
];

const plan = (overrides: Partial<Complaint>, now: string, extensionNoticeBy?: string) =>
  nextWorkflowAction({ complaint: { ...complaint, ...overrides }, reminderDates, now: new Date(now), extensionNoticeBy });

describe('what the workflow does next', () => {
  // Complaint c-1's reminders go out at 11:32 Warsaw time (10:32 UTC in winter): see reminderTime below.
  const lookup = { platform: 'shopify' as const, source: 'shopify-demo', orderId: 'gid://shopify/Order/1' };
  const unknownCustomer = { customer: {}, acknowledgement: undefined, assignment: undefined, status: 'received' as const };

  it('reads the order from the shop before acknowledging a complaint that names no customer yet', () => {
    expect(plan({ ...unknownCustomer, platformLookup: { ...lookup, state: 'pending' } }, '2026-11-23T09:00:01Z')).toEqual({
      action: 'look_up_order',
    });
  });

  it('when the shop could not tell the customer’s e-mail, sends no acknowledgement and goes on to assign', () => {
    const failed = { ...lookup, state: 'failed' as const, reason: 'The shop has no order' };
    expect(plan({ ...unknownCustomer, platformLookup: failed }, '2026-11-23T09:00:01Z')).toEqual({ action: 'assign' });
  });

  it('announces no extension to a customer without an e-mail address', () => {
    const extension = {
      reason: 'r',
      stillToEstablish: 's',
      requestedAt: '2026-11-24T09:00:00.000Z',
      requestedBy: 'agent-1',
      previousResponseDueBy: '2026-12-07',
    };
    expect(plan({ customer: {}, acknowledgement: undefined, extension }, '2026-11-24T09:00:01Z')).toMatchObject({ action: 'wait' });
  });

  it('acknowledges a complaint before anything else, even one staff already decided', () => {
    const decision = { outcome: 'accepted' as const, decidedAt: '2026-11-23T09:00:00.000Z', decidedBy: 'agent-1' };
    expect(plan({ acknowledgement: undefined, assignment: undefined, decision }, '2026-11-23T09:00:01Z')).toEqual({ action: 'acknowledge' });
  });

  it('assigns a department once acknowledged, and moves a received complaint on even when staff named the department', () => {
    expect(plan({ assignment: undefined, status: 'acknowledged' }, '2026-11-23T09:00:01Z')).toEqual({ action: 'assign' });
    expect(plan({ status: 'received' }, '2026-11-23T09:00:01Z')).toEqual({ action: 'assign' });
  });

  it("waits until the complaint's own minute of the working morning on the first reminder date", () => {
    expect(reminderTime('c-1')).toBe('11:32');
    expect(plan({}, '2026-11-23T09:01:00Z')).toEqual({ action: 'wait', wakeAt: '2026-11-26T10:32:00.000Z', waitSeconds: 264_660 });
  });

  it('reminds the department at the first offset, without escalating', () => {
    expect(plan({}, '2026-11-26T10:31:59Z').action).toBe('wait');
    expect(plan({}, '2026-11-26T10:32:00Z')).toEqual({ action: 'remind', offset: 7, escalation: false });
  });

  it('never sends a second reminder for an offset already sent', () => {
    const action = plan({ reminders: { '7': { ...sent('2026-11-26T10:32:01Z'), escalation: false } } }, '2026-11-26T10:32:02Z');
    expect(action).toEqual({ action: 'wait', wakeAt: '2026-12-02T10:32:00.000Z', waitSeconds: expect.any(Number) });
  });

  it('sends only the most urgent reminder when several fell due at once', () => {
    expect(plan({}, '2026-12-03T10:00:00Z')).toEqual({ action: 'remind', offset: 3, escalation: false });
  });

  it('escalates on the last reminder', () => {
    const reminders = { '3': { ...sent('2026-12-02T07:00:00Z'), escalation: false } };
    expect(plan({ reminders }, '2026-12-04T10:32:00Z')).toEqual({ action: 'remind', offset: 1, escalation: true });
  });

  it('sends the decision that arrived between two reminders instead of the next reminder', () => {
    const decision = { outcome: 'accepted' as const, remedy: 'replacement' as const, decidedAt: '2026-11-30T10:00:00.000Z', decidedBy: 'agent-1' };
    const reminders = { '7': { ...sent('2026-11-26T07:00:00Z'), escalation: false } };
    expect(plan({ decision, reminders }, '2026-12-02T07:00:00Z')).toEqual({ action: 'send_decision' });
  });

  it('finishes once the decision was sent', () => {
    const decision = { outcome: 'accepted' as const, decidedAt: '2026-11-30T10:00:00.000Z', decidedBy: 'agent-1' };
    expect(plan({ decision, decisionSent: sent('2026-11-30T10:00:01.000Z') }, '2026-12-10T00:00:00Z').action).toBe('finish');
  });

  it('wakes at the end of the due date, Warsaw time, and then handles the deadline', () => {
    const reminders = { '1': { ...sent('2026-12-04T07:00:00Z'), escalation: true } };
    expect(plan({ reminders }, '2026-12-04T07:00:01Z')).toMatchObject({ action: 'wait', wakeAt: '2026-12-07T23:00:00.000Z' });
    expect(plan({ reminders }, '2026-12-07T22:59:59Z').action).toBe('wait');
    expect(plan({ reminders }, '2026-12-07T23:00:00Z')).toEqual({ action: 'deadline_passed' });
  });

  it('finishes after a deadline whose silence means acceptance', () => {
    const deadlinePassed = { at: '2026-12-07T23:00:00.000Z', effect: 'deemed_accepted' as const };
    expect(plan({ deadlinePassed }, '2026-12-07T23:00:01Z').action).toBe('finish');
  });

  it('keeps waiting for a decision, with no more reminders, after a deadline that has no legal effect', () => {
    const deadlinePassed = { at: '2026-12-07T23:00:00.000Z', effect: 'none' as const };
    expect(plan({ deadlinePassed }, '2026-12-08T00:00:00Z')).toMatchObject({ action: 'wait', waitSeconds: 7 * 24 * 3600 });
  });

  it('tells the new department after a reassignment', () => {
    const assignment = { ...complaint.assignment!, departmentId: 'service', assignedBy: 'supervisor-1' };
    expect(plan({ assignment }, '2026-11-24T10:00:00Z')).toEqual({ action: 'notify_department' });
  });

  it("forwards the customer's answer to a question once, and not a second time for the same question", () => {
    const customerReply = { at: '2026-11-24T10:00:00.000Z', toRequest: 'm-q1', digest: 'd', attachments: 0 };
    expect(plan({ customerReply }, '2026-11-24T10:00:01Z')).toEqual({ action: 'forward_reply' });
    const replyForwarded = { ...sent('2026-11-24T10:00:02.000Z'), toRequest: 'm-q1', departmentId: 'returns' };
    expect(plan({ customerReply, replyForwarded }, '2026-11-24T10:00:03Z')).toMatchObject({ action: 'wait' });
    expect(plan({ customerReply: { ...customerReply, toRequest: 'm-q2' }, replyForwarded }, '2026-11-25T10:00:00Z')).toEqual({
      action: 'forward_reply',
    });
  });

  it('sends the extension notice once an extension is requested', () => {
    const extension = {
      reason: 'r',
      stillToEstablish: 's',
      requestedAt: '2026-11-30T10:00:00.000Z',
      requestedBy: 'sup',
      previousResponseDueBy: '2026-12-07',
    };
    expect(plan({ extension }, '2026-11-30T10:00:01Z')).toEqual({ action: 'send_extension_notice' });
  });

  it('lets an extension lapse whose notice had not gone out when the ordinary term ended, and then ends that term', () => {
    const extension = {
      reason: 'r',
      stillToEstablish: 's',
      requestedAt: '2026-12-07T22:30:00.000Z',
      requestedBy: 'sup',
      previousResponseDueBy: '2026-12-07',
    };
    expect(plan({ extension, responseDueBy: '2027-01-06' }, '2026-12-07T22:59:59Z')).toEqual({ action: 'send_extension_notice' });
    expect(plan({ extension, responseDueBy: '2027-01-06' }, '2026-12-07T23:00:00Z')).toEqual({ action: 'lapse_extension' });
    // A policy whose notice window is shorter than its term: the notice's own last day decides, not the ordinary due date.
    expect(plan({ extension, responseDueBy: '2027-01-06' }, '2026-12-03T23:00:00Z', '2026-12-03')).toEqual({ action: 'lapse_extension' });
    expect(plan({ extension, responseDueBy: '2027-01-06' }, '2026-12-03T22:59:59Z', '2026-12-03')).toEqual({ action: 'send_extension_notice' });
    const lapsed = { ...extension, lapsedAt: '2026-12-08T06:00:00.000Z' };
    expect(plan({ extension: lapsed, responseDueBy: '2026-12-07' }, '2026-12-08T06:00:01Z')).toEqual({ action: 'deadline_passed' });
  });
});

describe('when reminders go out (no 08:00 herd)', () => {
  const ids = Array.from(
    { length: 2400 },
    (_, i) => `${i.toString(16).padStart(8, '0')}-4b1c-4e7a-9d3f-${(i * 7919).toString(16).padStart(12, '0')}`,
  );

  it('gives every complaint a minute between 08:00 and 11:59, the same one every time', () => {
    for (const id of ids) {
      const time = reminderTime(id);
      expect(time >= '08:00' && time <= '11:59').toBe(true);
      expect(reminderTime(id)).toBe(time);
    }
  });

  it('spreads complaints over the whole morning: no minute holds more than 1 % of them', () => {
    const perMinute = new Map<string, number>();
    for (const id of ids) perMinute.set(reminderTime(id), (perMinute.get(reminderTime(id)) ?? 0) + 1);
    expect(perMinute.size).toBeGreaterThan(200);
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(ids.length / 100);
  });
});

describe('a decision that goes by post (art. 5(2) of the act of 5 August 2015)', () => {
  const decision = {
    outcome: 'accepted' as const,
    remedy: 'repair' as const,
    delivery: 'post' as const,
    decidedAt: '2026-12-01T09:00:00.000Z',
    decidedBy: 'agent-1',
  };

  it('is never e-mailed: the workflow waits for staff to record the posting date, until the end of the working day after the term', () => {
    expect(plan({ decision, status: 'decided' }, '2026-12-01T09:00:01Z')).toEqual({
      action: 'wait',
      wakeAt: '2026-12-08T23:00:00.000Z',
      waitSeconds: 655_199,
    });
  });

  it('applies the effect of silence when no posting was recorded by the end of the working day after the term', () => {
    expect(plan({ decision, status: 'decided' }, '2026-12-07T23:00:00Z')).toMatchObject({ action: 'wait', wakeAt: '2026-12-08T23:00:00.000Z' });
    expect(plan({ decision, status: 'decided' }, '2026-12-08T23:00:00Z')).toEqual({ action: 'deadline_passed' });
    const deadlinePassed = { at: '2026-12-08T23:00:00.000Z', effect: 'deemed_accepted' as const };
    expect(plan({ decision, deadlinePassed, status: 'deemed_accepted' }, '2026-12-08T23:00:01Z')).toEqual({
      action: 'finish',
      why: 'the letter was not posted: deemed_accepted',
    });
  });

  it('waits over a weekend for the posting record: a letter due on Friday may be recorded on Monday', () => {
    // Due Friday 2026-12-04: the next working day is Monday 2026-12-07.
    expect(plan({ decision, status: 'decided', responseDueBy: '2026-12-04' }, '2026-12-05T10:00:00Z')).toMatchObject({
      action: 'wait',
      wakeAt: '2026-12-07T23:00:00.000Z',
    });
  });

  it('a letter posted too late is no answer: the effect of silence applies at the end of the term', () => {
    // Consumer (receipt): posted on the last day reaches the customer after it (withinTerm false).
    const decisionPosted = { postedOn: '2026-12-07', recordedAt: '2026-12-07T10:00:00.000Z', recordedBy: 'agent-1', withinTerm: false };
    expect(plan({ decision, decisionPosted, status: 'decided' }, '2026-12-07T10:00:01Z')).toMatchObject({
      action: 'wait',
      wakeAt: '2026-12-07T23:00:00.000Z',
    });
    expect(plan({ decision, decisionPosted, status: 'decided' }, '2026-12-07T23:00:00Z')).toEqual({ action: 'deadline_passed' });
    for (const effect of ['deemed_accepted', 'none'] as const) {
      const deadlinePassed = { at: '2026-12-07T23:00:00.000Z', effect };
      expect(plan({ decision, decisionPosted, deadlinePassed, status: 'decided' }, '2026-12-07T23:00:01Z')).toEqual({
        action: 'finish',
        why: `the letter was posted too late (2026-12-07): ${effect}`,
      });
    }
  });

  it('after a term with no effect of silence, still e-mails nothing and looks again now and then', () => {
    const deadlinePassed = { at: '2026-12-07T23:00:00.000Z', effect: 'none' as const };
    const later = plan({ decision, deadlinePassed, status: 'decided' }, '2026-12-09T09:00:00Z');
    expect(later).toMatchObject({ action: 'wait', waitSeconds: 7 * 24 * 3600 });
  });

  it('finishes once the posting date is recorded', () => {
    const decisionPosted = { postedOn: '2026-12-02', recordedAt: '2026-12-02T10:00:00.000Z', recordedBy: 'agent-1', withinTerm: true };
    expect(plan({ decision, decisionPosted, status: 'closed' }, '2026-12-02T10:00:01Z')).toEqual({
      action: 'finish',
      why: 'the printed decision was posted to the customer',
    });
  });

  it('an e-mailed decision is still sent at once', () => {
    expect(plan({ decision: { ...decision, delivery: 'email' }, status: 'decided' }, '2026-12-01T09:00:01Z')).toEqual({ action: 'send_decision' });
  });

  it('an e-mailed decision that could not go out before a term with an effect ran out is not sent', () => {
    const deadlinePassed = { at: '2026-12-08T04:00:00.000Z', effect: 'deemed_accepted' as const };
    expect(plan({ decision: { ...decision, delivery: 'email' }, deadlinePassed, status: 'deemed_accepted' }, '2026-12-08T04:00:01Z')).toEqual({
      action: 'finish',
      why: 'the deadline passed: deemed_accepted',
    });
  });
});
