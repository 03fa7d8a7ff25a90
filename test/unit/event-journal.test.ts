import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compactJournal, eventJournal, readJournal, type JournalEntry } from '../../local/event-journal';

// The local table stream's journal (local/event-journal.ts), as dynalite's worker writes it and the outbox reads it.

let folder: string;
let file: string;
beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'reklamacje-event-journal-'));
  file = path.join(folder, 'events.jsonl');
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const eventItem = (id: string, sequence: number) => ({
  table: 'complaints',
  item: {
    PK: { S: `COMPLAINT#${id}` },
    SK: { S: `EVENT#${String(sequence).padStart(10, '0')}` },
    complaintId: { S: id },
    type: { S: 'complaint.received' },
    sequence: { N: String(sequence) },
    at: { S: '2026-12-01T10:00:00.000Z' },
  },
});
const complaintItem = (id: string) => ({
  table: 'complaints',
  item: { PK: { S: `COMPLAINT#${id}` }, SK: { S: 'COMPLAINT' }, description: { S: 'x'.repeat(100) } },
});
const lines = () =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

it('journals the event items before the transaction applies and its outcome after, and hands on the committed events', async () => {
  const committed: JournalEntry[][] = [];
  const observe = eventJournal(file, (events) => committed.push(events));
  const outcome = await observe([complaintItem('c-1'), eventItem('c-1', 1)]);
  const [intent] = lines();
  expect(intent).toMatchObject({ events: [{ table: 'complaints', key: { PK: 'COMPLAINT#c-1', SK: 'EVENT#0000000001' } }] });
  expect(committed).toEqual([]);
  outcome.committed();
  expect(lines()).toEqual([intent, { transaction: intent!.transaction, outcome: 'committed' }]);
  expect(committed).toEqual([
    [
      {
        table: 'complaints',
        key: { PK: 'COMPLAINT#c-1', SK: 'EVENT#0000000001' },
        detail: { complaintId: 'c-1', type: 'complaint.received', sequence: 1, at: '2026-12-01T10:00:00.000Z' },
      },
    ],
  ]);
});

it('journals an aborted transaction as aborted and hands nothing on', async () => {
  const committed: JournalEntry[][] = [];
  const outcome = await eventJournal(file, (events) => committed.push(events))([eventItem('c-2', 1)]);
  outcome.aborted();
  expect(lines().map((line) => line.outcome)).toEqual([undefined, 'aborted']);
  expect(committed).toEqual([]);
  expect(readJournal(file).committed).toEqual([]);
});

it('journals nothing for a transaction without event items', async () => {
  const committed: JournalEntry[][] = [];
  (await eventJournal(file, (events) => committed.push(events))([complaintItem('c-3')])).committed();
  expect(readJournal(file)).toEqual({ base: 0, committed: [], unsettled: new Map() });
  expect(committed).toEqual([]);
});

it('hands on the committed events without a file, for an in-memory table', async () => {
  const committed: JournalEntry[][] = [];
  (await eventJournal(undefined, (events) => committed.push(events))([eventItem('c-4', 2)])).committed();
  expect(committed.flat().map((entry) => entry.detail.sequence)).toEqual([2]);
});

it('reads the committed events in commit order, and an intent without an outcome as unsettled, past a line cut short', async () => {
  const observe = eventJournal(file, () => undefined);
  const first = await observe([eventItem('a', 1)]);
  const second = await observe([eventItem('b', 1)]);
  const open = await observe([eventItem('c', 1)]);
  second.committed();
  first.committed();
  void open; // killed before its outcome
  appendFileSync(file, '{"transaction":"cut-sh');
  const { committed, unsettled } = readJournal(file);
  expect(committed.map((entry) => entry.detail.complaintId)).toEqual(['b', 'a']);
  expect([...unsettled.values()].flat().map((entry) => entry.detail.complaintId)).toEqual(['c']);
});

it('leaves a transaction whose outcome cannot be journalled open for the next start, and hands nothing on now', async () => {
  const committed: JournalEntry[][] = [];
  const outcome = await eventJournal(file, (events) => committed.push(events))([eventItem('c-5', 1)]);
  // The outcome's line cannot be appended: the journal's path is a folder for that moment.
  const intent = readFileSync(file, 'utf8');
  rmSync(file);
  mkdirSync(file);
  const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    expect(() => outcome.committed()).not.toThrow();
    expect(warn.mock.calls).toEqual([[expect.stringContaining('handed on at the next start')]]);
  } finally {
    warn.mockRestore();
  }
  expect(committed).toEqual([]);
  rmSync(file, { recursive: true });
  writeFileSync(file, intent);
  const journal = readJournal(file);
  expect(journal.committed).toEqual([]);
  expect([...journal.unsettled.values()].flat().map((entry) => entry.detail.complaintId)).toEqual(['c-5']);
});

it('drops the committed events before a position, keeps the rest and the open intents, and reads positions as before', async () => {
  const observe = eventJournal(file, () => undefined);
  for (const id of ['a', 'b', 'c']) (await observe([eventItem(id, 1), eventItem(id, 2)])).committed();
  const open = await observe([eventItem('d', 1)]); // killed before its outcome
  const compacted = compactJournal(file, readJournal(file), 4);
  expect(compacted.base).toBe(4);
  expect(readJournal(file)).toEqual(compacted);
  expect(compacted.committed.map((entry) => `${entry.detail.complaintId}${entry.detail.sequence}`)).toEqual(['c1', 'c2']);
  expect([...compacted.unsettled.values()].flat().map((entry) => entry.detail.complaintId)).toEqual(['d']);
  expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('{"base":4}');
  // The open intent settles after the compaction as before it: its outcome line finds it.
  open.committed();
  const after = readJournal(file);
  expect(after.committed.map((entry) => `${entry.detail.complaintId}${entry.detail.sequence}`)).toEqual(['c1', 'c2', 'd1']);
  expect(after.unsettled.size).toBe(0);
});
