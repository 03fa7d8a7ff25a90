import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { validComplaint } from '../support/local-product';
import { computeReminderDates } from '../../lambdas/core/deadline-policy';
import { loadPolicyRegistry } from '../../lambdas/core/policy-config';
import { reminderTime } from '../../lambdas/core/workflow-plan';
import { warsawInstant } from '../../lambdas/core/calendar/warsaw-time';
import { warsawCalendarDate } from '../../lambdas/core/calendar/polish-calendar';
import { LOCAL_STATE_MACHINE_ARN } from '../../local/stepfunctions-server';
import { asStaff } from '../support/staff-event';
import { timelineHarness } from '../support/timeline';

// Staff act between two reminders, which are four working days apart: at 100,000 times real speed that
// is about five seconds of real time to act in, enough on a busy machine (see test/support/timeline.ts).

jest.setTimeout(40_000);
const { runtime, supervisor, until, complaint, finished, emailsAbout, file } = timelineHarness(100_000);

describe('a decision recorded between two reminders', () => {
  it('reaches the customer at once, and no further reminder is sent', async () => {
    const { id, reference } = await file({ ...validComplaint, desiredRemedy: 'refund' });
    await until('the first reminder', async () => (await complaint(id)).reminders?.['7']);
    const current = await complaint(id);
    const decided = await asStaff(supervisor(), 'POST', '/admin/complaints/{id}/decision', {
      pathParameters: { id },
      body: { outcome: 'accepted', remedy: 'refund', version: current.version },
    });
    expect(decided.statusCode).toBe(200);
    const execution = await finished(id);
    expect(execution.status).toBe('SUCCEEDED');

    const stored = await complaint(id);
    expect(stored.status).toBe('closed');
    expect(Object.keys(stored.reminders)).toEqual(['7']);
    expect(stored.deadlinePassed).toBeUndefined();
    const customerEmails = (await emailsAbout(reference)).filter((email) => email.destination.to[0] === validComplaint.customer.email);
    expect(customerEmails).toHaveLength(2); // acknowledgement and the decision
    // "At once": the decision went out within a virtual day of being recorded, not at the next timer.
    const decidedAt = Date.parse(stored.decision.decidedAt);
    expect(Date.parse(stored.decisionSent.sentAt) - decidedAt).toBeLessThan(24 * 3600 * 1000);
  });

  // The ADR statement (art. 32 of the ADR act) now comes from the company profile by default, so the answer
  // that cannot be sent is a rejection without its justification.
  it('refuses a rejection without a justification (422), and sends nothing', async () => {
    const { id, reference } = await file();
    const current = await complaint(id);
    const refused = await asStaff(supervisor(), 'POST', '/admin/complaints/{id}/decision', {
      pathParameters: { id },
      body: { outcome: 'rejected', version: current.version },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body.errors.map((error: { field: string }) => error.field)).toContain('justification');
    expect((await complaint(id)).decision).toBeUndefined();
    await finished(id);
    const stored = await complaint(id);
    expect(stored.decisionSent).toBeUndefined();
    expect(stored.status).toBe('deemed_accepted');
    const customerEmails = (await emailsAbout(reference)).filter((email) => email.destination.to[0] === validComplaint.customer.email);
    expect(customerEmails).toHaveLength(2); // acknowledgement and the deemed acceptance, no decision
  });
});

describe('a complaint answered after its three reminders, read with the ordinary SFN client', () => {
  const sfn = () =>
    new SFNClient({
      endpoint: runtime().urls.stepFunctions,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

  async function history(executionArn: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn().send(new GetExecutionHistoryCommand({ executionArn, maxResults: 20, nextToken }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }

  /** How many times the workflow of `id` has entered a state of that name so far. */
  async function entered(id: string, state: string): Promise<number> {
    const events = await runtime().stepFunctions.history(id);
    return events.filter(
      (event) => event.type === 'TaskStateEntered' && (event.stateEnteredEventDetails as { name?: string } | undefined)?.name === state,
    ).length;
  }

  /**
   * Files a complaint and decides it during the wait after its last reminder, which at this clock speed is
   * about half a second of real time (the last reminder is a day before the deadline). The reminder is recorded
   * inside the step that sends it: the decision is meant for that wait, not for the same step's next look at
   * the complaint, which would send it without a fourth wait. On a machine too busy to act within the wait, the
   * deadline comes first (the third timer and then a fourth run out), or a reminder goes out a product day late
   * (a second of a busy machine is 27 product hours): then another complaint is filed. A late timer in the
   * product itself (the retry that made every timer fire late in AWS) is late on every attempt, and fails.
   */
  async function decidedInTheLastWait(): Promise<string> {
    const missed: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const { id } = await file();
      await until('the wait after the last reminder', async () => (await entered(id, 'AwaitChangeOrTimer')) >= 4);
      const current = await complaint(id);
      const decided = await asStaff(supervisor(), 'POST', '/admin/complaints/{id}/decision', {
        pathParameters: { id },
        body: { outcome: 'accepted', remedy: 'replacement', version: current.version },
      });
      await finished(id);
      const timersRunOut = (await runtime().stepFunctions.history(id)).filter((event) => event.type === 'TaskTimedOut').length;
      const late = await remindersOffTheirDay(id);
      if (decided.statusCode === 200 && timersRunOut === 3 && late.length === 0) return id;
      missed.push(
        `attempt ${attempt}: decision ${decided.statusCode}, ${timersRunOut} timers ran out, reminders off their day: ${late.join(', ') || 'none'}`,
      );
    }
    throw new Error(
      `no complaint was decided in its last wait with every reminder on its day (too busy a machine, or late timers)\n${missed.join('\n')}`,
    );
  }

  /** The reminders not sent at or after their planned time on their planned day, as "offset: planned day, sent at". */
  async function remindersOffTheirDay(id: string): Promise<string[]> {
    const stored = await complaint(id);
    const policy = loadPolicyRegistry().policyFor(stored.policyId);
    return computeReminderDates(policy, stored.responseDueBy)
      .map(({ offset, date }) => ({ offset, date, sent: stored.reminders?.[String(offset)]?.sentAt as string | undefined }))
      .filter(
        ({ date, sent }) =>
          sent === undefined || Date.parse(sent) < warsawInstant(date, reminderTime(id)).getTime() || warsawCalendarDate(new Date(sent)) !== date,
      )
      .map(({ offset, date, sent }) => `${offset}: ${date}, ${sent ?? 'never'}`);
  }

  it('takes 15 state transitions, waits once per timer, and sends each reminder on its planned day', async () => {
    const id = await decidedInTheLastWait();

    const { executions = [] } = await sfn().send(new ListExecutionsCommand({ stateMachineArn: LOCAL_STATE_MACHINE_ARN, statusFilter: 'SUCCEEDED' }));
    const listed = executions.find((execution) => execution.name === id);
    expect(listed?.status).toBe('SUCCEEDED');
    const described = await sfn().send(new DescribeExecutionCommand({ executionArn: listed!.executionArn }));
    expect(described).toMatchObject({ status: 'SUCCEEDED', name: id });
    expect(described.startDate).toBeInstanceOf(Date);

    const events = await history(listed!.executionArn!);
    expect(events[0]?.type).toBe('ExecutionStarted');
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(events.map((event) => event.id)).toEqual(events.map((_, i) => i + 1));
    const entered = events.filter((event) => event.type?.endsWith('StateEntered')).map((event) => event.stateEnteredEventDetails?.name);
    // Advance ×5 (received; reminders 7, 3, 1; decision), WhatNext ×5, AwaitChangeOrTimer ×4, Closed.
    expect(entered).toHaveLength(15);
    expect(entered.filter((name) => name === 'AwaitChangeOrTimer')).toHaveLength(4);
    // Three timers ran out (one per reminder), each once; the fourth wait ended with the decision.
    expect(events.filter((event) => event.type === 'TaskTimedOut')).toHaveLength(3);
    expect(
      events.filter((event) => event.type === 'TaskScheduled' && event.taskScheduledEventDetails?.resource === 'invoke.waitForTaskToken'),
    ).toHaveLength(4);

    // Each reminder on its planned day: decidedInTheLastWait returns only a complaint whose reminders were.
  }, 120_000);
});
