import { customerReplySchema, customerView, StatusNotFound, statusLookupSchema } from '../../lambdas/core/customer-status';
import { TooManyAttempts } from '../../lambdas/core/errors';
import type { Complaint, HistoryEntry } from '../../lambdas/core/complaint';
import { newReference } from '../../lambdas/core/reference';
import { lookUpStatus, STATUS_LIMITS, type AttemptCounter, type StatusLookupPorts } from '../../lambdas/use-cases/look-up-status';

// The status page's rules: what a customer sees of the history, and that a wrong address reads exactly as an
// unknown reference.

const NOW = new Date('2026-11-23T09:00:00Z');
const REFERENCE = newReference(() => 7);

const complaint = {
  id: 'c-1',
  reference: REFERENCE,
  status: 'assigned',
  receivedOn: '2026-11-20',
  responseDueBy: '2026-12-04',
  customer: { name: 'Anna Kowalska', email: 'Anna@Example.com' },
} as Complaint;

const entry = (action: string, actor: string, after?: Record<string, unknown>): HistoryEntry => ({
  at: '2026-11-20T10:00:00.000Z',
  actor,
  action,
  after,
});

const history: HistoryEntry[] = [
  entry('complaint_received', 'customer', { channel: 'web' }),
  entry('acknowledgement_sent', 'workflow', { messageId: 'm-1' }),
  entry('department_assigned', 'workflow', { departmentId: 'returns', reason: 'rule: returns' }),
  entry('department_notified', 'workflow', { departmentId: 'returns' }),
  entry('note_added', 'jan.returns', { text: 'Klient dzwonił, bardzo zdenerwowany' }),
  entry('department_assigned', 'marek.supervisor', { departmentId: 'service', reason: 'assigned by Marek Nowak' }),
  entry('information_requested', 'jan.returns', { question: 'Proszę o zdjęcie tabliczki.' }),
  entry('reminder_sent', 'workflow', { offset: 3 }),
  entry('deadline_extended', 'marek.supervisor', { responseDueBy: '2026-12-18', reason: 'ekspertyza' }),
  entry('decision_recorded', 'jan.returns', { outcome: 'accepted' }),
  entry('decision_sent', 'workflow', { messageId: 'm-2' }),
];

describe("the customer's view of a complaint", () => {
  const view = customerView(complaint, history);

  it('shows the steps meant for the customer, a reassignment only once', () => {
    expect(view.history.map((event) => event.event)).toEqual([
      'received',
      'acknowledged',
      'assigned',
      'information_requested',
      'extended',
      'answered',
    ]);
  });

  it('never shows internal notes, staff, departments, reasons or reminders', () => {
    const shown = JSON.stringify(view);
    for (const secret of ['jan.returns', 'marek', 'Marek Nowak', 'returns', 'service', 'zdenerwowany', 'ekspertyza', 'reminder', 'workflow']) {
      expect(shown).not.toContain(secret);
    }
  });

  it('tells the question asked and the new due date, which the customer was told anyway', () => {
    expect(view.history.find((event) => event.event === 'information_requested')?.detail).toBe('Proszę o zdjęcie tabliczki.');
    expect(view.history.find((event) => event.event === 'extended')?.detail).toBe('2026-12-18');
  });

  it("shows the customer's own answer, and offers the reply form only while a question waits for one", () => {
    const request = { messageId: 'm-q', sentAt: '2026-11-21T10:00:00.000Z', question: 'Zdjęcie?', requestedBy: 'jan.returns' };
    const asked = { ...complaint, informationRequest: { ...request, requestedAt: '2026-11-21T10:00:01.000Z' } } as Complaint;
    expect(customerView(asked, history).awaitingReply).toBe(true);
    // Sent but its history entry not written yet: the customer was not asked yet as far as the product knows.
    expect(customerView({ ...asked, informationRequest: request }, history).awaitingReply).toBe(false);
    const answered = { ...asked, customerReply: { at: '2026-11-22T08:00:00.000Z', toRequest: 'm-q', digest: 'd', attachments: 0 } };
    const withAnswer = [...history, entry('customer_replied', 'customer', { text: 'Zdjęcie w załączniku.', toRequest: 'm-q' })];
    const view = customerView(answered, withAnswer);
    expect(view.awaitingReply).toBe(false);
    expect(view.history.at(-1)).toEqual({ at: '2026-11-20T10:00:00.000Z', event: 'replied', detail: 'Zdjęcie w załączniku.' });
    expect(customerView({ ...asked, status: 'decided' }, history).awaitingReply).toBe(false);
  });

  it("reads a form's attachments field (ids separated by spaces) as the JSON list, and an empty one as none", () => {
    const base = { reference: REFERENCE, email: 'anna@example.com', text: 'Odpowiedź.' };
    const id = '6f1c2a9e-1b2c-4d3e-8f90-0123456789ab';
    expect(customerReplySchema.parse({ ...base, attachments: ` ${id}  ${id.replace('ab', 'cd')} ` }).attachments).toEqual([
      id,
      id.replace('ab', 'cd'),
    ]);
    expect(customerReplySchema.parse({ ...base, attachments: '' }).attachments).toEqual([]);
    expect(customerReplySchema.parse(base).attachments).toEqual([]);
  });

  it.each([
    ['deemed_accepted', 'deemed_accepted'],
    ['deemed_resolved_for_customer', 'deemed_accepted'],
    ['none', undefined],
  ])('reads a passed deadline with effect %s as %s', (effect, event) => {
    const shown = customerView(complaint, [entry('deadline_passed', 'workflow', { effect })]).history;
    expect(shown[0]?.event).toBe(event);
  });
});

describe('looking a status up', () => {
  function ports(counts: Record<string, number> = {}): StatusLookupPorts {
    const attempts: AttemptCounter = {
      async countAttempt(key) {
        counts[key] = (counts[key] ?? 0) + 1;
        return counts[key];
      },
    };
    return {
      complaints: {
        findByReference: async (reference) => (reference === REFERENCE ? complaint : undefined),
        history: async () => ({ entries: history }),
      },
      attempts,
      now: () => NOW,
    };
  }
  const lookup = (reference: string, email: string) => statusLookupSchema.parse({ reference, email });

  it('opens the complaint for its reference and e-mail address, whatever the case and spaces', async () => {
    const view = await lookUpStatus(lookup(REFERENCE.toLowerCase(), ' anna@example.COM '), '192.0.2.1', ports());
    expect(view.reference).toBe(REFERENCE);
    expect(view.status).toBe('in_progress');
  });

  it('answers a wrong e-mail address exactly as an unknown reference', async () => {
    const wrongAddress = await lookUpStatus(lookup(REFERENCE, 'bob@example.com'), '192.0.2.1', ports()).catch((error: unknown) => error);
    const unknown = await lookUpStatus(
      lookup(
        newReference(() => 3),
        'anna@example.com',
      ),
      '192.0.2.1',
      ports(),
    ).catch((error: unknown) => error);
    expect(wrongAddress).toBeInstanceOf(StatusNotFound);
    expect(unknown).toBeInstanceOf(StatusNotFound);
    expect((wrongAddress as Error).message).toBe((unknown as Error).message);
  });

  it(`refuses attempt ${STATUS_LIMITS.perReference + 1} on one reference within the window, from any client`, async () => {
    const counts: Record<string, number> = {};
    const world = ports(counts);
    for (let attempt = 1; attempt <= STATUS_LIMITS.perReference; attempt += 1) {
      await expect(lookUpStatus(lookup(REFERENCE, 'bob@example.com'), `192.0.2.${attempt}`, world)).rejects.toBeInstanceOf(StatusNotFound);
    }
    const refused = await lookUpStatus(lookup(REFERENCE, 'anna@example.com'), '198.51.100.1', world).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TooManyAttempts);
    expect((refused as TooManyAttempts).waitSeconds).toBeGreaterThan(0);
    expect((refused as TooManyAttempts).waitSeconds).toBeLessThanOrEqual(STATUS_LIMITS.windowSeconds);
  });

  it(`refuses attempt ${STATUS_LIMITS.perClient + 1} from one client within the window, whatever the references`, async () => {
    const world = ports();
    for (let attempt = 1; attempt <= STATUS_LIMITS.perClient; attempt += 1) {
      await expect(
        lookUpStatus(
          lookup(
            newReference(() => attempt % 32),
            'x@example.com',
          ),
          '192.0.2.9',
          world,
        ),
      ).rejects.toBeInstanceOf(StatusNotFound);
    }
    await expect(lookUpStatus(lookup(REFERENCE, 'anna@example.com'), '192.0.2.9', world)).rejects.toBeInstanceOf(TooManyAttempts);
  });

  it('refuses what cannot be a reference before any lookup (the check symbol)', () => {
    expect(statusLookupSchema.safeParse({ reference: 'RK-12345-67890', email: 'a@example.com' }).success).toBe(false);
  });
});
