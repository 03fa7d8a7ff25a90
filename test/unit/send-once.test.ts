import { EmailTemporarilyUnavailable } from '../../lambdas/adapters/mailer';
import { sendClaimKey } from '../../lambdas/core/delivery-evidence';
import { EmailBeingSent } from '../../lambdas/core/errors';
import { SEND_EVIDENCE_WINDOW_MS, sendOnce, type SendOnceRequest } from '../../lambdas/use-cases/send-once';
import { inMemorySendClaims } from '../support/in-memory-complaints';

// Send once and record: what happens when the record cannot be written right after SES accepted the e-mail,
// and when an earlier attempt claimed the e-mail and was never heard of again (killed, timed out).

const now = () => new Date('2026-11-30T10:00:00Z');
const email = { complaintId: 'c-1', name: 'acknowledgement', record: 'acknowledgement' };
const key = sendClaimKey('acknowledgement');

/** SES, the claims, real time and the pauses, all in memory: a pause moves real time on. */
function harness(options: { failingRecords?: number } = {}) {
  const claims = inMemorySendClaims();
  const sent: { attempt: string }[] = [];
  const records: unknown[] = [];
  const pauses: number[] = [];
  let realTime = 1_000_000;
  let failuresLeft = options.failingRecords ?? 0;
  /** Run during a pause, once real time has moved on (SES's Send event arriving, say). */
  let duringPause: (() => void) | undefined;
  let attempts = 0;
  const ports = {
    sendClaims: claims.port,
    now,
    realTime: () => realTime,
    newAttempt: () => `attempt-${(attempts += 1)}`,
    pause: async (ms: number) => {
      pauses.push(ms);
      realTime += ms;
      duringPause?.();
    },
  };
  const request = (overrides: Partial<SendOnceRequest> = {}): SendOnceRequest => ({
    email,
    recorded: undefined,
    send: async (attempt) => {
      sent.push({ attempt: attempt.attempt });
      return `message-${sent.length}`;
    },
    record: async (record) => {
      if (failuresLeft-- > 0) throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
      records.push(record);
    },
    ...overrides,
  });
  return {
    claims,
    sent,
    records,
    pauses,
    run: (overrides?: Partial<SendOnceRequest>) => sendOnce(request(overrides), ports),
    /** An earlier attempt that claimed the e-mail `ageMs` ago and was never heard of again. */
    async abandonedClaim(ageMs: number) {
      await claims.port.claim({
        complaintId: 'c-1',
        email: 'acknowledgement',
        record: 'acknowledgement',
        key,
        attempt: 'abandoned',
        claimedAtMs: realTime - ageMs,
      });
    },
    /** SES's Send event for the abandoned attempt, kept on its claim. */
    sesConfirms: () =>
      claims.port.keepSendEvidence({ complaintId: 'c-1', key, attempt: 'abandoned', messageId: 'ses-1', at: '2026-11-30T09:59:58.000Z' }),
    onPause: (run: () => void) => (duringPause = run),
  };
}

it('records an e-mail SES accepted even when the first writes of its record fail, and sends it once', async () => {
  const { run, sent, records, pauses } = harness({ failingRecords: 3 });
  await expect(run()).resolves.toEqual({ messageId: 'message-1', sentAt: '2026-11-30T10:00:00.000Z' });
  expect(sent).toHaveLength(1);
  expect(records).toEqual([{ messageId: 'message-1', sentAt: '2026-11-30T10:00:00.000Z' }]);
  expect(pauses).toEqual([500, 1_000, 2_000]);
});

it('fails as before when the record still cannot be written after its retries (about 7.5 s)', async () => {
  const { run, sent, records, pauses } = harness({ failingRecords: 100 });
  await expect(run()).rejects.toThrow('throttled');
  expect(sent).toHaveLength(1);
  expect(records).toEqual([]);
  expect(pauses.reduce((sum, ms) => sum + ms, 0)).toBe(7_500);
});

it('sends nothing and claims nothing when the e-mail is already recorded', async () => {
  const { run, sent, claims } = harness();
  const recorded = { messageId: 'earlier', sentAt: '2026-11-29T10:00:00.000Z' };
  await expect(run({ recorded })).resolves.toBe(recorded);
  expect(sent).toEqual([]);
  expect(claims.claims.size).toBe(0);
});

it('claims the e-mail before sending it, and tags the e-mail with the claiming attempt', async () => {
  const { run, sent, claims } = harness();
  await run();
  expect(sent).toEqual([{ attempt: 'attempt-1' }]);
  expect([...claims.claims.values()]).toEqual([expect.objectContaining({ key, attempt: 'attempt-1', record: 'acknowledgement' })]);
});

it('completes the record from SES Send event of an attempt that died after SES accepted it, and sends nothing', async () => {
  const { run, sent, records, abandonedClaim, sesConfirms } = harness();
  await abandonedClaim(60_000);
  await sesConfirms();
  await expect(run()).resolves.toEqual({ messageId: 'ses-1', sentAt: '2026-11-30T09:59:58.000Z' });
  expect(sent).toEqual([]);
  expect(records).toEqual([{ messageId: 'ses-1', sentAt: '2026-11-30T09:59:58.000Z' }]);
});

it('waits for SES evidence of a young claim, and sends nothing when it comes', async () => {
  const { run, sent, records, pauses, abandonedClaim, sesConfirms, onPause } = harness();
  await abandonedClaim(2_000);
  onPause(() => {
    if (pauses.length === 3) void sesConfirms();
  });
  await expect(run()).resolves.toMatchObject({ messageId: 'ses-1' });
  expect(sent).toEqual([]);
  expect(records).toHaveLength(1);
  expect(pauses).toEqual([500, 500, 500]);
});

it(`sends again when no SES evidence came within ${SEND_EVIDENCE_WINDOW_MS / 1000} s of the earlier claim, as the new attempt`, async () => {
  const { run, sent, pauses, abandonedClaim, claims } = harness();
  await abandonedClaim(5_000);
  await expect(run()).resolves.toEqual({ messageId: 'message-1', sentAt: '2026-11-30T10:00:00.000Z' });
  expect(sent).toEqual([{ attempt: 'attempt-1' }]);
  expect(pauses.reduce((sum, ms) => sum + ms, 0)).toBe(SEND_EVIDENCE_WINDOW_MS - 5_000);
  expect([...claims.claims.values()][0]).toMatchObject({ attempt: 'attempt-1' });
});

it('refuses with a 409 (Retry-After 1 s, the window closing within its seconds left) when asked not to wait for an earlier attempt', async () => {
  const { run, sent, abandonedClaim } = harness();
  await abandonedClaim(3_500);
  const refusal = run({ whileUnconfirmed: 'refuse' });
  await expect(refusal).rejects.toBeInstanceOf(EmailBeingSent);
  await expect(refusal).rejects.toMatchObject({ status: 409, retryAfterSeconds: 1, windowSeconds: 12 });
  expect(sent).toEqual([]);
});

it('gives the claim up when SES refused the e-mail, so that the retry sends at once', async () => {
  const { run, sent, pauses } = harness();
  const refused = async () => {
    throw new EmailTemporarilyUnavailable('TooManyRequestsException: throttled');
  };
  await expect(run({ send: refused })).rejects.toThrow('throttled');
  await expect(run()).resolves.toMatchObject({ messageId: 'message-1' });
  expect(sent).toEqual([{ attempt: 'attempt-2' }]);
  expect(pauses).toEqual([]);
});

it('keeps the claim when SES may have accepted the e-mail (no answer), so that the retry first waits for evidence', async () => {
  const { run, sent, pauses } = harness();
  const unanswered = async () => {
    throw new EmailTemporarilyUnavailable('ECONNRESET', true);
  };
  await expect(run({ send: unanswered })).rejects.toThrow('ECONNRESET');
  await expect(run()).resolves.toMatchObject({ messageId: 'message-1' });
  expect(sent).toEqual([{ attempt: 'attempt-2' }]);
  expect(pauses.reduce((sum, ms) => sum + ms, 0)).toBe(SEND_EVIDENCE_WINDOW_MS);
});
