import { readdirSync, readFileSync } from 'node:fs';
import { Server } from 'node:net';
import type { Runtime } from '../../local/runtime';
import { mailbox, postComplaint, startLocalProduct, storedItems, validComplaint } from '../support/local-product';

// Step Functions on a thread of its own at a lower priority (local/stepfunctions-thread.ts), as `npm start` and
// the bench run it: the same ASL and handlers, the runtime's calls answered across the threads.

let runtime: Runtime;

beforeAll(async () => {
  runtime = await startLocalProduct({ workflowThread: true, log: () => undefined });
});

afterAll(async () => {
  await runtime.stop();
});

/** Nice values of this process's threads, by thread name (Linux: /proc/self/task/<tid>/stat, field 19). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

it('acknowledges and assigns a complaint through the workflow on its own thread, and answers for its execution and history', async () => {
  const { id } = (await (await postComplaint(runtime, validComplaint)).json()) as { id: string };
  await runtime.settled();
  const complaint = (await storedItems(runtime)).find((item) => item.PK?.S === `COMPLAINT#${id}` && item.SK?.S === 'COMPLAINT');
  expect(complaint).toMatchObject({ status: { S: 'assigned' }, acknowledgement: { M: expect.any(Object) } });
  expect((await mailbox(runtime)).filter((email) => email.destination.to.includes(validComplaint.customer.email))).toHaveLength(1);
  expect(await runtime.stepFunctions.execution(id)).toMatchObject({ name: id, status: 'RUNNING' });
  const history = await runtime.stepFunctions.history(id);
  expect(history[0]).toMatchObject({ type: 'ExecutionStarted' });
  expect(Number.isFinite(new Date(history[0]!.timestamp).getTime())).toBe(true); // a Date across the threads
  expect((await runtime.stepFunctions.executions()).map((execution) => execution.name)).toContain(id);
});

it("runs the workflows' thread at nice 19 and leaves this thread at 0", () => {
  const values = threadNiceValues();
  expect(values[0]).toBe(0); // the first task is the process's main thread
  expect(values).toContain(19);
});

it("serves the mailbox from the workflows' thread: no server on this thread listens on its port", async () => {
  const port = Number(new URL(runtime.urls.mailbox).port);
  expect((await fetch(`${runtime.urls.mailbox}/store`)).status).toBe(200);
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  const listening = handles.flatMap((handle) => {
    const address = handle instanceof Server ? handle.address() : null;
    return address && typeof address === 'object' ? [address.port] : [];
  });
  expect(listening).toContain(Number(new URL(runtime.urls.api).port)); // the API's server is here
  expect(listening).not.toContain(port);
});

it.each([
  ['stepFunctionsFault', { stepFunctionsFault: () => undefined }],
  ['sesFault', { sesFault: () => undefined }],
])('refuses %s, which would not reach the other thread', async (_name, fault) => {
  await expect(startLocalProduct({ workflowThread: true, ...fault })).rejects.toThrow(/leave workflowThread off/);
});
