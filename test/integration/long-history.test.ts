import { LOCAL_CURSOR_KEY, type Runtime } from '../../local/runtime';
import { cursorSeal } from '../../lambdas/core/cursor-seal';
import { mailbox, postComplaint, startLocalProduct, storedItems, validComplaint } from '../support/local-product';
import { asStaff, demoStaff } from '../support/staff-event';
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { COMPLAINTS_TABLE, localDynamoDbClient } from '../../local/dynamodb';

// A complaint's history is items beside it, so it can grow without bound while the complaint item stays
// small; the staff API hands it out a page at a time.

jest.setTimeout(120_000);
let runtime: Runtime;
beforeAll(async () => {
  runtime = await startLocalProduct();
});
afterAll(async () => {
  await runtime.stop();
});

const supervisor = demoStaff((staff) => staff.role === 'supervisor');
const NOTES = 120;
const NOTE = (i: number) => `Notatka ${String(i).padStart(3, '0')}: ${'rozmowa z klientem, ustalenia i dalsze kroki. '.repeat(120)}`.slice(0, 5_000);

it('takes 120 notes of 5,000 characters on one complaint, keeps the complaint item small, and pages the whole history', async () => {
  const { id } = (await (await postComplaint(runtime, validComplaint)).json()) as { id: string };
  await runtime.settled();
  for (let i = 1; i <= NOTES; i++) {
    const added = await asStaff(supervisor, 'POST', '/admin/complaints/{id}/notes', { pathParameters: { id }, body: { text: NOTE(i) } });
    expect(added.statusCode).toBe(201);
  }

  // Far below DynamoDB's 400 KB item limit, whatever the history holds (the notes alone are 600,000 characters).
  const complaintItem = (await storedItems(runtime)).find((item) => item.PK?.S === `COMPLAINT#${id}` && item.SK?.S === 'COMPLAINT');
  expect(Buffer.byteLength(JSON.stringify(complaintItem))).toBeLessThan(8 * 1024);

  const shown = await asStaff(supervisor, 'GET', '/admin/complaints/{id}', { pathParameters: { id } });
  expect(shown.statusCode).toBe(200);
  expect(shown.body.history).toHaveLength(50);
  expect(shown.body.history.at(-1)).toMatchObject({ action: 'note_added', after: { text: NOTE(NOTES) } });
  expect(Buffer.byteLength(JSON.stringify(shown.body))).toBeLessThan(300 * 1024);

  const entries = [...shown.body.history];
  let before: string | undefined = shown.body.olderHistory;
  while (before) {
    const page = await asStaff(supervisor, 'GET', '/admin/complaints/{id}/history', { pathParameters: { id }, query: { before, limit: '40' } });
    expect(page.statusCode).toBe(200);
    entries.unshift(...page.body.entries);
    before = page.body.before;
  }
  const notes = entries.filter((entry) => entry.action === 'note_added').map((entry) => entry.after.text);
  expect(notes).toEqual(Array.from({ length: NOTES }, (_, i) => NOTE(i + 1)));
  expect(entries[0].action).toBe('complaint_received');
  const times = entries.map((entry) => entry.at);
  expect([...times].sort()).toEqual(times);
});

it('keeps a decision of 10,000 characters in its decided event, off the complaint item, and sends and shows it whole', async () => {
  const { id, reference } = (await (await postComplaint(runtime, validComplaint)).json()) as { id: string; reference: string };
  await runtime.settled();
  const justification = `Uzasadnienie: ${'oględziny wykazały wadę fabryczną grzałki, którą usuniemy. '.repeat(200)}`.slice(0, 10_000);
  const current = await asStaff(supervisor, 'GET', '/admin/complaints/{id}', { pathParameters: { id } });
  const decided = await asStaff(supervisor, 'POST', '/admin/complaints/{id}/decision', {
    pathParameters: { id },
    body: { outcome: 'accepted', remedy: 'replacement', justification, version: current.body.version },
  });
  expect(decided.statusCode).toBe(200);
  expect(decided.body.decision.justification).toBe(justification);
  await runtime.settled();

  const items = (await storedItems(runtime)).filter((item) => item.PK?.S === `COMPLAINT#${id}`);
  const complaintItem = items.find((item) => item.SK?.S === 'COMPLAINT');
  // The decision's texts are in its event (complaint.decided), the audit record of what was decided.
  const decisionItem = items.find((item) => item.SK?.S === `EVENT#${String(complaintItem?.decisionEvent?.N).padStart(10, '0')}`);
  // The complaint item, rewritten by every later change (the answer sent, the complaint closed), stays small.
  expect(Buffer.byteLength(JSON.stringify(complaintItem))).toBeLessThan(3 * 1024);
  expect(complaintItem?.decision?.M?.justification).toBeUndefined();
  expect(decisionItem?.type?.S).toBe('complaint.decided');
  expect(decisionItem?.decision?.M?.justification?.S).toBe(justification);
  expect(items.some((item) => item.SK?.S === 'COMPLAINT#DECISION')).toBe(false);

  const shown = await asStaff(supervisor, 'GET', '/admin/complaints/{id}', { pathParameters: { id } });
  expect(shown.body).toMatchObject({ status: 'closed', decision: { outcome: 'accepted', justification } });
  // The history shows the entry, not the texts again.
  const decidedEntry = shown.body.history.find((entry: { action: string }) => entry.action === 'decision_recorded');
  expect(decidedEntry).toBeDefined();
  expect(JSON.stringify(decidedEntry)).not.toContain(justification);

  // A decision recorded before its texts went into its event (an item of its own, and no decisionEvent) still reads whole.
  const client = localDynamoDbClient(runtime.urls.dynamodb);
  await client.send(
    new PutItemCommand({ TableName: COMPLAINTS_TABLE, Item: { ...complaintItem, SK: { S: 'COMPLAINT' }, decisionEvent: undefined } as never }),
  );
  await client.send(
    new PutItemCommand({
      TableName: COMPLAINTS_TABLE,
      Item: { PK: { S: `COMPLAINT#${id}` }, SK: { S: 'COMPLAINT#DECISION' }, decision: decisionItem!.decision },
    }),
  );
  await client.send(
    new UpdateItemCommand({ TableName: COMPLAINTS_TABLE, Key: { PK: decisionItem!.PK, SK: decisionItem!.SK }, UpdateExpression: 'REMOVE decision' }),
  );
  client.destroy();
  const legacy = await asStaff(supervisor, 'GET', '/admin/complaints/{id}', { pathParameters: { id } });
  expect(legacy.body).toMatchObject({ status: 'closed', decision: { outcome: 'accepted', justification } });
  const answer = (await mailbox(runtime)).find((email) => email.subject.includes(reference) && email.body.text?.includes('Uzasadnienie'));
  expect(answer?.body.text).toContain(justification.slice(-60).trim());
});

it("refuses another complaint's history cursor, a tampered one and one sealed under another secret (400)", async () => {
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) ids.push(((await (await postComplaint(runtime, validComplaint)).json()) as { id: string }).id);
  const [mine, theirs] = ids as [string, string];
  for (let i = 0; i < 3; i++) {
    await asStaff(supervisor, 'POST', '/admin/complaints/{id}/notes', { pathParameters: { id: theirs }, body: { text: `Notatka ${i}` } });
  }
  const firstPage = await asStaff(supervisor, 'GET', '/admin/complaints/{id}/history', { pathParameters: { id: theirs }, query: { limit: '1' } });
  const cursor = firstPage.body.before as string;
  expect(cursor).toEqual(expect.any(String));
  const [sequence, seal] = cursor.split('.') as [string, string];
  const forged = [
    ["another complaint's cursor", mine, cursor],
    ['a tampered sequence', theirs, `${Buffer.from('0000000001').toString('base64url')}.${seal}`],
    ['sealed under another secret', theirs, cursorSeal('another deployment, another secret: 32+ bytes').seal(`history:${theirs}`, sequence)],
    ['a list cursor', theirs, cursorSeal(LOCAL_CURSOR_KEY).seal('list', sequence)],
  ] as const;
  for (const [name, id, before] of forged) {
    const page = await asStaff(supervisor, 'GET', '/admin/complaints/{id}/history', { pathParameters: { id }, query: { before } });
    expect([name, page.statusCode, page.body.type, page.body.detail]).toEqual([
      name,
      400,
      expect.stringMatching(/invalid-cursor$/),
      expect.stringMatching(/^The query parameter before cannot be used/),
    ]);
  }
  expect(
    (await asStaff(supervisor, 'GET', '/admin/complaints/{id}/history', { pathParameters: { id: theirs }, query: { before: cursor } })).statusCode,
  ).toBe(200);
});

it('refuses a history cursor it did not hand out (400), reading nothing', async () => {
  const { id } = (await (await postComplaint(runtime, validComplaint)).json()) as { id: string };
  const forged = await asStaff(supervisor, 'GET', '/admin/complaints/{id}/history', {
    pathParameters: { id },
    query: { before: Buffer.from('EVENT#x').toString('base64url') },
  });
  expect(forged.statusCode).toBe(400);
  expect(forged.body.type).toMatch(/^https:\/\//);
});
