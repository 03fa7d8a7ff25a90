import { handlerOf } from '../../local/handlers';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Runtime } from '../../local/runtime';
import { mailbox, portsOf, postComplaint, startLocalProduct, storedItems, validComplaint } from '../support/local-product';

// No complaint is lost between the database write and the workflow: the complaint.received event is written
// with the complaint, and its consumer, the workflow starter (fed by the stream, pipe and event bus in AWS,
// by the outbox here), starts the execution named after the complaint id.

const dataDir = mkdtempSync(path.join(tmpdir(), 'reklamacje-start-'));
let failStarts = 0;
let runtime: Runtime;
let ports: ReturnType<typeof portsOf>;

function start(): Promise<Runtime> {
  return startLocalProduct({
    dataDir,
    ports,
    stepFunctionsFault: (operation) => {
      if (operation !== 'StartExecution' || failStarts <= 0) return undefined;
      failStarts -= 1;
      return { type: 'ServiceUnavailable', statusCode: 503 };
    },
  });
}

beforeAll(async () => {
  runtime = await startLocalProduct({ dataDir });
  ports = portsOf(runtime);
  await runtime.stop();
  runtime = await start();
});
afterAll(async () => {
  await runtime.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The acknowledgements a customer received for this reference. */
async function emailsAbout(reference: string) {
  return (await mailbox(runtime)).filter((email) => email.subject.includes(reference) && email.destination.to[0] === validComplaint.customer.email);
}

async function executionsOf(id: string) {
  return (await runtime.stepFunctions.executions()).filter((execution) => execution.name === id);
}

it('starts the workflow once even when starting it fails at first', async () => {
  failStarts = 4; // more than the SDK's own three attempts: the starter itself must fail and be retried
  const receipt = (await (await postComplaint(runtime, validComplaint)).json()) as { id: string; reference: string };
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && (await emailsAbout(receipt.reference)).length === 0) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await runtime.settled();
  expect(failStarts).toBe(0);
  expect(await executionsOf(receipt.id)).toHaveLength(1);
  expect((await executionsOf(receipt.id))[0]?.status).toBe('RUNNING'); // now waiting for a decision
  expect(await emailsAbout(receipt.reference)).toHaveLength(1);
});

it('starts the workflow of a complaint stored just before the process died, after a restart, once', async () => {
  await runtime.outbox.stop(); // the process "dies" right after the write: nothing starts the workflow
  const receipt = (await (await postComplaint(runtime, validComplaint)).json()) as { id: string; reference: string };
  expect(await executionsOf(receipt.id)).toHaveLength(0);
  await runtime.stop();

  runtime = await start();
  await runtime.settled();
  expect(await executionsOf(receipt.id)).toHaveLength(1);
  expect(await emailsAbout(receipt.reference)).toHaveLength(1);
});

it('resumes a workflow that was waiting when the process stopped, without repeating what it did', async () => {
  const receipt = (await (await postComplaint(runtime, validComplaint)).json()) as { id: string; reference: string };
  await runtime.settled();
  const waitOf = async () =>
    (await storedItems(runtime)).find((stored) => stored.PK?.S === `COMPLAINT#${receipt.id}` && stored.SK?.S === 'COMPLAINT#WAIT');
  const before = await waitOf();
  const eventsOf = async () =>
    (await storedItems(runtime)).filter((stored) => stored.PK?.S === `COMPLAINT#${receipt.id}` && stored.SK?.S.startsWith('EVENT#')).length;
  const eventsBefore = await eventsOf();
  expect(before?.workflowWait).toBeDefined();
  await runtime.stop();

  runtime = await start();
  await runtime.settled();
  const execution = await runtime.stepFunctions.execution(receipt.id);
  expect(execution?.status).toBe('RUNNING');
  const after = await waitOf();
  // Waiting again, on a new token, having sent nothing a second time.
  expect(after?.workflowWait?.M?.taskToken?.S).not.toBe(before?.workflowWait?.M?.taskToken?.S);
  expect(await eventsOf()).toBe(eventsBefore);
  expect(await emailsAbout(receipt.reference)).toHaveLength(1);
});

it('treats a repeated complaint.received event (delivered twice) as the same execution', async () => {
  const receipt = (await (await postComplaint(runtime, validComplaint)).json()) as { id: string; reference: string };
  await runtime.settled();
  const event = {
    version: '0',
    id: 'redelivered',
    'detail-type': 'complaint.received',
    source: 'reklamacje.complaints',
    detail: { complaintId: receipt.id, type: 'complaint.received', sequence: 1, at: new Date().toISOString() },
  };
  await handlerOf('workflowStarter')(event);
  await handlerOf('workflowStarter')(event);
  await runtime.settled();
  expect(await executionsOf(receipt.id)).toHaveLength(1);
  expect(await emailsAbout(receipt.reference)).toHaveLength(1);
});

it('delivers each event to its consumers once, in order, and carries on after a restart where it was', async () => {
  const first = (await (await postComplaint(runtime, validComplaint)).json()) as { id: string };
  await runtime.settled();
  await runtime.stop();
  runtime = await start();
  const second = (await (await postComplaint(runtime, validComplaint)).json()) as { id: string };
  await runtime.settled();
  await runtime.outbox.drain(); // the workflows wrote events of their own meanwhile (acknowledged, assigned)
  for (const id of [first.id, second.id]) expect(await executionsOf(id)).toHaveLength(1);
  type Line = { transaction: string; events?: { detail: { complaintId: string; type: string } }[]; outcome?: string };
  const lines = readFileSync(path.join(dataDir, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);
  const committed = new Set(lines.filter((line) => line.outcome === 'committed').map((line) => line.transaction));
  const events = lines.filter((line) => line.events && committed.has(line.transaction)).flatMap((line) => line.events!);
  expect(events.filter((event) => event.detail.type === 'complaint.received').map((event) => event.detail.complaintId)).toEqual(
    expect.arrayContaining([first.id, second.id]),
  );
  const offsets = JSON.parse(readFileSync(path.join(dataDir, 'event-offsets.json'), 'utf8')) as Record<string, number>;
  expect(offsets.workflowStarter).toBe(events.length);
});
