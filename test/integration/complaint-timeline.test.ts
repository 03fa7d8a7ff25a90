import type { SentEmail } from '../support/local-product';
import { storedItems, validComplaint } from '../support/local-product';
import { asStaff } from '../support/staff-event';
import { timelineHarness } from '../support/timeline';

// Whole complaint lives, 14 to 60 days long, at 300,000 times real speed (a day in about 0.3 s): see
// test/support/timeline.ts.

jest.setTimeout(40_000);
const { runtime, supervisor, today, complaint, finished, emailsAbout, file } = timelineHarness(300_000);

/** Whether the complaint item carries the due-date lists' key (lambdas/core/response-term.ts). */
async function onDueDateLists(id: string): Promise<boolean> {
  const item = (await storedItems(runtime())).find((stored) => stored.PK?.S === `COMPLAINT#${id}` && stored.SK?.S === 'COMPLAINT');
  return item?.dueKey !== undefined;
}

describe('a consumer complaint nobody answers (14 days, silence means acceptance)', () => {
  it('is acknowledged, assigned, reminded at 7, 3 and 1 working days, escalated, and deemed accepted', async () => {
    const { id, reference } = await file();
    const execution = await finished(id);
    expect(execution.status).toBe('SUCCEEDED');

    const stored = await complaint(id);
    expect(stored.status).toBe('deemed_accepted');
    expect(Object.keys(stored.reminders).sort()).toEqual(['1', '3', '7']);
    // Whether a reminder escalated is its history entry's action, not stored on the complaint item.
    expect(Object.values(stored.reminders).every((reminder) => !('escalation' in (reminder as object)))).toBe(true);
    expect(stored.deadlinePassed.effect).toBe('deemed_accepted');
    expect(await onDueDateLists(id)).toBe(false);
    expect(stored.history[2].after.notified.messageId).toBe(stored.departmentNotified.messageId);
    const actions = stored.history.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual([
      'complaint_received',
      'acknowledgement_sent',
      'department_assigned', // with the department's notice in it (no entry of its own)
      'reminder_sent',
      'reminder_sent',
      'escalation_sent',
      'deadline_passed',
      'supervisor_alerted',
      'customer_told_of_deadline',
    ]);

    const emails = await emailsAbout(reference);
    const to = (email: SentEmail) => email.destination.to[0];
    expect(emails.filter((email) => to(email) === validComplaint.customer.email)).toHaveLength(2); // acknowledgement, deemed accepted
    expect(emails).toHaveLength(2 + 1 + 3 + 1); // + department notice, 3 reminders, supervisor alert
    // Each reminder went out on its day, at the start of the working day (Warsaw), never twice.
    const reminderDays = Object.values(stored.reminders as Record<string, { sentAt: string }>).map((reminder) => reminder.sentAt.slice(0, 10));
    expect(new Set(reminderDays).size).toBe(3);
  });
});

describe('a financial complaint', () => {
  it('has 30 days; an extension before day 30 sends the notice and moves the due date to day 60', async () => {
    const registered = await asStaff(supervisor(), 'POST', '/admin/complaints', {
      body: { ...validComplaint, channel: 'letter', receivedAt: today(), policy: 'financial' },
    });
    expect(registered.statusCode).toBe(201);
    const { id, reference, responseDueBy } = registered.body;
    const thirtyDays = await complaint(id);
    expect(thirtyDays.policyId).toBe('financial');

    const extended = await asStaff(supervisor(), 'POST', '/admin/complaints/{id}/extension', {
      pathParameters: { id },
      body: { reason: 'Potrzebna opinia rzeczoznawcy.', stillToEstablish: 'Przyczyna odrzucenia transakcji.', version: thirtyDays.version },
    });
    expect(extended).toMatchObject({ statusCode: 200 });
    expect(extended.body.responseDueBy > responseDueBy).toBe(true);

    const execution = await finished(id);
    expect(execution.status).toBe('SUCCEEDED');
    const stored = await complaint(id);
    expect(stored.extension.noticeSent).toBeDefined();
    expect(stored.status).toBe('deemed_resolved_for_customer');
    expect(await onDueDateLists(id)).toBe(false);
    // The deadline passed at the end of the extended due date, not the original one.
    expect(stored.deadlinePassed.at >= `${stored.responseDueBy}`).toBe(true);
    const customerEmails = (await emailsAbout(reference)).filter((email) => email.destination.to[0] === validComplaint.customer.email);
    expect(customerEmails).toHaveLength(3); // acknowledgement, extension notice, deemed resolved
  });
});

describe('a financial answer that goes by post (art. 5(2) of the act of 5 August 2015)', () => {
  it('is deemed resolved for the customer, and the supervisor alerted, when the letter is not posted within the term', async () => {
    const registered = await asStaff(supervisor(), 'POST', '/admin/complaints', {
      body: { ...validComplaint, channel: 'letter', receivedAt: today(), policy: 'financial' },
    });
    expect(registered.statusCode).toBe(201);
    const { id, reference } = registered.body;
    const current = await complaint(id);
    const decided = await asStaff(supervisor(), 'POST', '/admin/complaints/{id}/decision', {
      pathParameters: { id },
      body: {
        outcome: 'accepted',
        remedy: 'repair',
        signerName: 'Jan Nowak',
        signerPosition: 'Kierownik Zespołu Reklamacji',
        version: current.version,
      },
    });
    expect(decided.statusCode).toBe(200);
    expect(decided.body.decision.delivery).toBe('post');
    expect(await onDueDateLists(id)).toBe(true); // a letter not yet posted has reached nobody: the term runs

    const execution = await finished(id);
    expect(execution.status).toBe('SUCCEEDED');
    const stored = await complaint(id);
    expect(stored.decisionPosted).toBeUndefined();
    expect(stored.deadlinePassed.effect).toBe('deemed_resolved_for_customer');
    expect(stored.status).toBe('deemed_resolved_for_customer');
    expect(await onDueDateLists(id)).toBe(false);
    const emails = await emailsAbout(reference);
    expect(emails.some((email) => email.destination.to[0] !== validComplaint.customer.email && /termin|deadline/i.test(email.subject))).toBe(true);
  });
});

describe('a telecom complaint', () => {
  it('runs 30 days to its deemed acceptance', async () => {
    const registered = await asStaff(supervisor(), 'POST', '/admin/complaints', {
      body: { ...validComplaint, channel: 'phone', receivedAt: today(), policy: 'telecom' },
    });
    const { id } = registered.body;
    await finished(id);
    const stored = await complaint(id);
    expect(stored.status).toBe('deemed_accepted');
    const receivedDay = Date.parse(`${stored.receivedOn}T00:00:00Z`);
    const dueDay = Date.parse(`${stored.responseDueBy}T00:00:00Z`);
    expect((dueDay - receivedDay) / 86_400_000).toBeGreaterThanOrEqual(30);
  });
});

it('keeps stored items consistent: every complaint has its workflow', async () => {
  const complaints = (await storedItems(runtime())).filter((item) => item.SK?.S === 'COMPLAINT');
  for (const complaint of complaints) expect(await runtime().stepFunctions.execution(complaint.id.S)).toBeDefined();
});
