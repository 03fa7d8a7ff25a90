import { sendOnce } from '../../lambdas/use-cases/send-once';

// Send once and record: what happens when the record cannot be written right after SES accepted the e-mail.

const now = () => new Date('2026-11-30T10:00:00Z');

function harness(failingRecords: number) {
  const sent: string[] = [];
  const records: unknown[] = [];
  const pauses: number[] = [];
  let failuresLeft = failingRecords;
  return {
    sent,
    records,
    pauses,
    run: () =>
      sendOnce(
        undefined,
        async () => {
          sent.push('e-mail');
          return `message-${sent.length}`;
        },
        async (record) => {
          if (failuresLeft-- > 0) throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
          records.push(record);
        },
        now,
        async (ms) => {
          pauses.push(ms);
        },
      ),
  };
}

it('records an e-mail SES accepted even when the first writes of its record fail, and sends it once', async () => {
  const { run, sent, records, pauses } = harness(3);
  await expect(run()).resolves.toEqual({ messageId: 'message-1', sentAt: '2026-11-30T10:00:00.000Z' });
  expect(sent).toHaveLength(1);
  expect(records).toEqual([{ messageId: 'message-1', sentAt: '2026-11-30T10:00:00.000Z' }]);
  expect(pauses).toEqual([500, 1_000, 2_000]);
});

it('fails as before when the record still cannot be written after its retries (about 7.5 s)', async () => {
  const { run, sent, records, pauses } = harness(100);
  await expect(run()).rejects.toThrow('throttled');
  expect(sent).toHaveLength(1);
  expect(records).toEqual([]);
  expect(pauses.reduce((sum, ms) => sum + ms, 0)).toBe(7_500);
});

it('sends nothing when the e-mail is already recorded', async () => {
  const recorded = { messageId: 'earlier', sentAt: '2026-11-29T10:00:00.000Z' };
  const send = jest.fn();
  await expect(sendOnce(recorded, send, jest.fn(), now)).resolves.toBe(recorded);
  expect(send).not.toHaveBeenCalled();
});
