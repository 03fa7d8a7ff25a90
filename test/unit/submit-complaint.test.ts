import type { CreateOutcome, NewComplaint } from '../../lambdas/use-cases/ports';
import { receiptOf, type Complaint } from '../../lambdas/core/complaint';
import { ValidationFailed } from '../../lambdas/core/errors';
import { loadPolicyRegistry } from '../../lambdas/core/policy-config';
import { supervisor } from '../support/staff-members';
import { registerComplaint, submitComplaint, submitPublicForm, type SubmitComplaintPorts } from '../../lambdas/use-cases/submit-complaint';
import { registrationSchema } from '../../lambdas/core/staff-requests';

// Intake with in-memory ports: "today" is the product clock's day in Europe/Warsaw, never the UTC day.

function inMemoryPorts(now: string): SubmitComplaintPorts & { stored: Complaint[] } {
  const stored: Complaint[] = [];
  const keys = new Map<string, { fingerprint: string; complaint: Complaint }>();
  const complaints = {
    async create({ complaint, idempotency }: NewComplaint): Promise<CreateOutcome> {
      const held = idempotency && keys.get(idempotency.key);
      if (held) return { outcome: 'idempotency_key_used', fingerprint: held.fingerprint, receipt: receiptOf(held.complaint) };
      if (stored.some((other) => other.reference === complaint.reference)) return { outcome: 'reference_taken' };
      stored.push(structuredClone(complaint));
      if (idempotency) keys.set(idempotency.key, { fingerprint: idempotency.fingerprint, complaint });
      return { outcome: 'created', receipt: receiptOf(complaint) };
    },
  };
  let counter = 0;
  return {
    stored,
    complaints,
    policies: loadPolicyRegistry('consumer'),
    now: () => new Date(now),
    newId: () => `00000000-0000-4000-8000-${String((counter += 1)).padStart(12, '0')}`,
    newReference: () => `RK-TEST0-${String(counter).padStart(5, '0')}`,
  };
}

const submission = {
  customer: { name: 'Anna Kowalska', email: 'anna@example.com' },
  description: 'Czajnik przestał grzać po dwóch tygodniach.',
  desiredRemedy: 'replacement',
  privacyNoticeAccepted: true,
};

async function fieldsRefused(work: Promise<unknown>): Promise<string[]> {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (error === undefined) return [];
  expect(error).toBeInstanceOf(ValidationFailed);
  return (error as ValidationFailed).issues.map((issue) => issue.field);
}

describe('a purchase date on a complaint filed through the public form', () => {
  it.each([
    // now (UTC)             purchaseDate  answer
    ['2026-11-30T12:00:00Z', '2026-11-30', 'accepted', 'today is fine'],
    ['2026-11-30T12:00:00Z', '2026-12-01', 'refused', 'tomorrow has not happened yet'],
    ['2026-11-30T23:30:00Z', '2026-12-01', 'accepted', '23:30 UTC is already 1 December in Warsaw (CET, UTC+1)'],
    ['2026-11-30T22:59:59Z', '2026-12-01', 'refused', '22:59 UTC is still 30 November in Warsaw'],
    ['2026-06-30T22:30:00Z', '2026-07-01', 'accepted', 'in summer time (UTC+2) the Warsaw day starts at 22:00 UTC'],
    ['2026-11-30T12:00:00Z', '2999-01-01', 'refused', 'a typo in the year'],
  ])('at %s a purchase dated %s is %s: %s', async (now, purchaseDate, answer) => {
    const ports = inMemoryPorts(now);
    const fields = await fieldsRefused(submitPublicForm({ ...submission, purchaseDate }, undefined, ports));
    expect(fields).toEqual(answer === 'refused' ? ['purchaseDate'] : []);
    expect(ports.stored).toHaveLength(answer === 'refused' ? 0 : 1);
  });

  it('is refused before anything is stored, so a corrected retry with the same Idempotency-Key is not "reused"', async () => {
    const ports = inMemoryPorts('2026-11-30T12:00:00Z');
    await fieldsRefused(submitPublicForm({ ...submission, purchaseDate: '2026-12-24' }, 'k-1', ports));
    expect(ports.stored).toHaveLength(0);
    const corrected = await submitPublicForm({ ...submission, purchaseDate: '2026-11-24' }, 'k-1', ports);
    expect(corrected.replayed).toBe(false);
    expect(ports.stored).toHaveLength(1);
  });
});

describe('a complaint registered by staff', () => {
  const registration = {
    ...submission,
    desiredRemedy: 'replacement' as const,
    privacyNoticeAccepted: true as const,
    language: 'pl' as const,
    channel: 'letter' as const,
  };

  it('refuses a purchase date after today (Warsaw), storing nothing', async () => {
    const ports = inMemoryPorts('2026-11-30T12:00:00Z');
    const fields = await fieldsRefused(
      registerComplaint({ ...registration, receivedAt: '2026-11-20', purchaseDate: '2026-12-01' }, supervisor, undefined, ports),
    );
    expect(fields).toEqual(['purchaseDate']);
    expect(ports.stored).toHaveLength(0);
  });

  it('names every bad field at once: a future date of receipt, a future purchase and an unknown policy', async () => {
    const ports = inMemoryPorts('2026-11-30T12:00:00Z');
    const fields = await fieldsRefused(
      registerComplaint({ ...registration, receivedAt: '2026-12-02', purchaseDate: '2026-12-01', policy: 'nope' }, supervisor, undefined, ports),
    );
    expect(fields).toEqual(['receivedAt', 'purchaseDate', 'policy']);
  });

  it('refuses a date of receipt before the holiday calendar starts (2011) as a field of the request, years before 1000 included', () => {
    for (const receivedAt of ['0999-12-20', '0001-01-01', '2010-12-31']) {
      const parsed = registrationSchema.safeParse({ ...registration, receivedAt });
      expect(parsed.success ? [] : parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
        ['receivedAt', 'must be 2011-01-01 or later'],
      ]);
    }
    expect(registrationSchema.safeParse({ ...registration, receivedAt: '2011-01-01' }).success).toBe(true);
  });

  it("counts a guarantee's term from the item's delivery to the guarantor when staff give that day (art. 580 KC)", async () => {
    const ports = inMemoryPorts('2026-11-30T12:00:00Z');
    // Handed in at the shop on 10 November, the complaint registered from its letter of 20 November.
    await registerComplaint(
      { ...registration, receivedAt: '2026-11-20', itemDeliveredOn: '2026-11-10', policy: 'guarantee' },
      supervisor,
      undefined,
      ports,
    );
    expect(ports.stored[0]).toMatchObject({ receivedOn: '2026-11-20', itemDeliveredOn: '2026-11-10', responseDueBy: '2026-11-24' });
    // Without it, from the complaint: for an item sent after the complaint, the earlier day.
    await registerComplaint({ ...registration, receivedAt: '2026-11-20', policy: 'guarantee' }, supervisor, undefined, ports);
    expect(ports.stored[1]).toMatchObject({ receivedOn: '2026-11-20', responseDueBy: '2026-12-04' });
    expect(ports.stored[1]?.itemDeliveredOn).toBeUndefined();
  });

  it('refuses a delivery date under a policy that counts from the complaint, or one in the future, storing nothing', async () => {
    const ports = inMemoryPorts('2026-11-30T12:00:00Z');
    expect(
      await fieldsRefused(
        registerComplaint({ ...registration, receivedAt: '2026-11-20', itemDeliveredOn: '2026-11-10' }, supervisor, undefined, ports),
      ),
    ).toEqual(['itemDeliveredOn']);
    expect(
      await fieldsRefused(
        registerComplaint(
          { ...registration, receivedAt: '2026-11-20', itemDeliveredOn: '2026-12-01', policy: 'guarantee' },
          supervisor,
          undefined,
          ports,
        ),
      ),
    ).toEqual(['itemDeliveredOn']);
    expect(ports.stored).toHaveLength(0);
  });

  it('accepts a purchase on the day the letter arrived, today', async () => {
    const ports = inMemoryPorts('2026-11-30T23:30:00Z');
    const fields = await fieldsRefused(
      registerComplaint({ ...registration, receivedAt: '2026-12-01', purchaseDate: '2026-12-01' }, supervisor, undefined, ports),
    );
    expect(fields).toEqual([]);
    expect(ports.stored[0]?.purchaseDate).toBe('2026-12-01');
  });
});

describe('one write per complaint, whatever happens around it', () => {
  it('replays the first answer to a retry under the same Idempotency-Key, storing nothing more', async () => {
    const ports = inMemoryPorts('2026-11-30T12:00:00Z');
    const first = await submitPublicForm(submission, 'k-2', ports);
    const again = await submitPublicForm(submission, 'k-2', ports);
    expect(again).toEqual({ receipt: first.receipt, replayed: true });
    expect(ports.stored).toHaveLength(1);
  });

  it('refuses the same Idempotency-Key with another complaint (422), storing nothing more', async () => {
    const ports = inMemoryPorts('2026-11-30T12:00:00Z');
    await submitPublicForm(submission, 'k-3', ports);
    await expect(submitPublicForm({ ...submission, desiredRemedy: 'refund' }, 'k-3', ports)).rejects.toMatchObject({
      name: 'IdempotencyKeyReused',
    });
    expect(ports.stored).toHaveLength(1);
  });

  it('draws another reference when the one drawn is taken', async () => {
    const ports = inMemoryPorts('2026-11-30T12:00:00Z');
    let draws = 0;
    ports.newReference = () => (draws++ < 2 ? 'RK-SAME0-00000' : `RK-OTHER-0000${draws}`);
    const first = await submitPublicForm(submission, undefined, ports);
    const second = await submitPublicForm(submission, undefined, ports);
    expect(first.receipt.reference).toBe('RK-SAME0-00000');
    expect(second.receipt.reference).not.toBe('RK-SAME0-00000');
    expect(ports.stored.map((complaint) => complaint.reference)).toEqual([first.receipt.reference, second.receipt.reference]);
  });
});

describe('intake for every door', () => {
  const content = {
    customer: { name: 'Sklep Demo', email: 'klient@example.com' },
    description: 'Zepsuty.',
    desiredRemedy: 'refund' as const,
    language: 'pl' as const,
  };

  it('takes a complaint from a source that asks no privacy checkbox and no minimum description, with its metadata', async () => {
    const ports = inMemoryPorts('2026-11-30T12:00:00Z');
    const { receipt } = await submitComplaint(
      { content, metadata: { channel: 'webhook', actor: 'shopify:demo-shop', sourcePlatform: 'shopify', externalId: 'return-4411' } },
      ports,
    );
    expect(receipt.status).toBe('received');
    expect(ports.stored[0]).toMatchObject({ channel: 'webhook', sourcePlatform: 'shopify', externalId: 'return-4411', description: 'Zepsuty.' });
    expect(ports.stored[0]!.privacyNoticeAccepted).toBeUndefined();
  });

  it("keeps the public form's own rules at the form: the privacy notice, and a description of 10 characters or more", async () => {
    const ports = inMemoryPorts('2026-11-30T12:00:00Z');
    const fields = await fieldsRefused(submitPublicForm({ ...content, privacyNoticeAccepted: false }, undefined, ports));
    expect(fields.sort()).toEqual(['description', 'privacyNoticeAccepted']);
    await submitPublicForm(submission, undefined, ports);
    expect(ports.stored[0]).toMatchObject({ channel: 'web', privacyNoticeAccepted: true });
  });

  it('treats the same content from another source as another request under one Idempotency-Key (422)', async () => {
    const ports = inMemoryPorts('2026-11-30T12:00:00Z');
    await submitComplaint(
      { content, metadata: { channel: 'webhook', actor: 'a', sourcePlatform: 'shopify', externalId: 'r-1' }, idempotencyKey: 'k-9' },
      ports,
    );
    await expect(
      submitComplaint(
        { content, metadata: { channel: 'webhook', actor: 'a', sourcePlatform: 'shopify', externalId: 'r-2' }, idempotencyKey: 'k-9' },
        ports,
      ),
    ).rejects.toMatchObject({ name: 'IdempotencyKeyReused' });
  });
});
