import type { Runtime } from '../../local/runtime';
import { mailbox, postComplaint, startLocalProduct, storedItems, validComplaint, type SentEmail } from '../support/local-product';
import { asStaff, demoStaff } from '../support/staff-event';
import { warsawCalendarDate } from '../../lambdas/core/calendar/polish-calendar';

// Whole complaint lives, 14 to 60 days long, in seconds: the local runtime's product clock runs a million
// times faster than real time (LOCAL_CLOCK_SPEED), and the workflow (the real ASL, through the local Step
// Functions stand-in) waits for its timers on that clock. Nothing here sleeps for a fixed time; each test
// polls for the state it expects.

const SPEED = 1_000_000;
jest.setTimeout(30_000);
let runtime: Runtime;

beforeAll(async () => {
  runtime = await startLocalProduct({ clockSpeed: SPEED });
});
afterAll(async () => {
  await runtime.stop();
});

/** Today on the product's clock, which by now is weeks ahead of the wall clock. */
const today = () => warsawCalendarDate(runtime.clock.now());

const supervisor = () => demoStaff((staff) => staff.role === 'supervisor');

async function complaint(id: string) {
  const response = await asStaff(supervisor(), 'GET', '/admin/complaints/{id}', { pathParameters: { id } });
  expect(response.statusCode).toBe(200);
  return response.body;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const finished = (id: string) =>
  until(`the workflow of ${id} to finish`, async () => {
    const execution = await runtime.stepFunctions.execution(id);
    return execution && execution.status !== 'RUNNING' ? execution : undefined;
  });

async function emailsAbout(reference: string): Promise<SentEmail[]> {
  return (await mailbox(runtime)).filter((email) => email.subject.includes(reference));
}

async function file(body: object = validComplaint): Promise<{ id: string; reference: string; responseDueBy: string }> {
  const response = await postComplaint(runtime, body);
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; reference: string; responseDueBy: string };
}

describe('a consumer complaint nobody answers (14 days, silence means acceptance)', () => {
  it('is acknowledged, assigned, reminded at 7, 3 and 1 working days, escalated, and deemed accepted', async () => {
    const { id, reference } = await file();
    const execution = await finished(id);
    expect(execution.status).toBe('SUCCEEDED');

    const stored = await complaint(id);
    expect(stored.status).toBe('deemed_accepted');
    expect(Object.keys(stored.reminders).sort()).toEqual(['1', '3', '7']);
    expect(stored.reminders['1'].escalation).toBe(true);
    expect(stored.reminders['7'].escalation).toBe(false);
    expect(stored.deadlinePassed.effect).toBe('deemed_accepted');
    const actions = stored.history.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual([
      'complaint_received',
      'acknowledgement_sent',
      'department_assigned',
      'department_notified',
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

  it('refuses a rejection without the statement on out-of-court dispute resolution (422), and sends nothing', async () => {
    const { id, reference } = await file();
    const current = await complaint(id);
    const refused = await asStaff(supervisor(), 'POST', '/admin/complaints/{id}/decision', {
      pathParameters: { id },
      body: { outcome: 'rejected', justification: 'Uszkodzenie mechaniczne z winy użytkownika.', version: current.version },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body.errors.map((error: { field: string }) => error.field)).toContain('adrStatement');
    expect((await complaint(id)).decision).toBeUndefined();
    await finished(id);
    const stored = await complaint(id);
    expect(stored.decisionSent).toBeUndefined();
    expect(stored.status).toBe('deemed_accepted');
    const customerEmails = (await emailsAbout(reference)).filter((email) => email.destination.to[0] === validComplaint.customer.email);
    expect(customerEmails).toHaveLength(2); // acknowledgement and the deemed acceptance, no decision
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
    // The deadline passed at the end of the extended due date, not the original one.
    expect(stored.deadlinePassed.at >= `${stored.responseDueBy}`).toBe(true);
    const customerEmails = (await emailsAbout(reference)).filter((email) => email.destination.to[0] === validComplaint.customer.email);
    expect(customerEmails).toHaveLength(3); // acknowledgement, extension notice, deemed resolved
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

it('keeps stored items consistent: every complaint is marked started', async () => {
  const pending = (await storedItems(runtime)).filter((item) => item.pendingWorkflow);
  expect(pending).toHaveLength(0);
});
