import type { SentEmail } from '../support/local-product';
import { validComplaint } from '../support/local-product';
import { asStaff } from '../support/staff-event';
import { timelineHarness } from '../support/timeline';

// Staff act between two reminders, which are four working days apart: at 100,000 times real speed that
// is about five seconds of real time to act in, enough on a busy machine (see test/support/timeline.ts).

jest.setTimeout(40_000);
const { supervisor, until, complaint, finished, emailsAbout, file } = timelineHarness(100_000);

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

