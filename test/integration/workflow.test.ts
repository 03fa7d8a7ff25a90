import { handlerOf } from '../../local/handlers';
import type { Runtime } from '../../local/runtime';
import { LOCAL_STATE_MACHINE_ARN } from '../../local/stepfunctions-server';
import { mailbox, postComplaint, startLocalProduct, storedItems, validComplaint } from '../support/local-product';
import { taskFaults } from '../support/faults';

// These run statemachines/complaint-workflow.asl.json itself, with its Retry and Catch, through the local
// Step Functions stand-in, against dynalite and aws-ses-v2-local; only the Retry pauses are shortened.

let runtime: Runtime;
const faults = taskFaults();

beforeAll(async () => {
  runtime = await startLocalProduct({ workflow: { retryIntervalMs: 1, wrapTask: faults.wrapTask } });
});
afterEach(() => faults.clear());
afterAll(async () => {
  await runtime.stop();
});

/** Files a complaint through the API and waits until its workflow has gone as far as it can. */
async function file(body: object = validComplaint): Promise<{ id: string; reference: string }> {
  const response = await postComplaint(runtime, body);
  expect(response.status).toBe(201);
  const receipt = (await response.json()) as { id: string; reference: string };
  await runtime.settled();
  return receipt;
}

async function complaintItem(id: string) {
  return (await storedItems(runtime)).find((item) => item.PK?.S === `COMPLAINT#${id}`);
}

async function emailsAbout(reference: string) {
  return (await mailbox(runtime)).filter((email) => email.subject.includes(reference));
}

describe('the complaint workflow', () => {
  it('acknowledges a complaint once, in Polish, with the reference, and records what it sent', async () => {
    const { id, reference } = await file();
    const emails = (await emailsAbout(reference)).filter((email) => email.destination.to[0] === 'anna@example.com');
    expect(emails).toHaveLength(1);
    expect(emails[0]!.destination.to).toEqual(['anna@example.com']);
    expect(emails[0]!.subject).toMatch(/reklamac/i);
    expect(emails[0]!.body.text).toContain(reference);
    const item = await complaintItem(id);
    expect(item?.acknowledgement?.M?.messageId?.S).toBe(emails[0]!.messageId);
    // …and goes on: assigned, and now waiting for a decision or its first reminder.
    expect(item?.status?.S).toBe('assigned');
    const wait = (await storedItems(runtime)).find((stored) => stored.PK?.S === `COMPLAINT#${id}` && stored.SK?.S === 'COMPLAINT#WAIT');
    expect(wait?.workflowWait?.M?.taskToken?.S).toBeDefined();
    expect((await runtime.stepFunctions.execution(id))?.status).toBe('RUNNING');
  });

  it('writes in English when the customer asks for it', async () => {
    const { reference } = await file({ ...validComplaint, language: 'en' });
    const [email] = (await emailsAbout(reference)).filter((sent) => sent.destination.to[0] === 'anna@example.com');
    expect(email?.subject).toMatch(/complaint/i);
  });

  it('retries an e-mail refused for throttling, then sends it exactly once', async () => {
    faults.failNext('Advance', 'EmailTemporarilyUnavailable', 3);
    const { id, reference } = await file();
    expect((await emailsAbout(reference)).filter((email) => email.destination.to[0] === 'anna@example.com')).toHaveLength(1);
    expect((await runtime.stepFunctions.execution(id))?.status).toBe('RUNNING');
    expect((await complaintItem(id))?.workflowAttention).toBeUndefined();
  });

  it('retries DynamoDB throttling inside a step under its own name, then goes on as usual', async () => {
    faults.failNext('Advance', 'StorageTemporarilyUnavailable', 4);
    const { id, reference } = await file();
    expect((await emailsAbout(reference)).filter((email) => email.destination.to[0] === 'anna@example.com')).toHaveLength(1);
    expect((await runtime.stepFunctions.execution(id))?.status).toBe('RUNNING');
    expect((await complaintItem(id))?.workflowAttention).toBeUndefined();
    const failed = (await runtime.stepFunctions.history(id)).filter((event) => event.type === 'TaskFailed');
    expect(failed.map((event) => (event.taskFailedEventDetails as { error: string }).error)).toEqual(Array(4).fill('StorageTemporarilyUnavailable'));
  });

  it('sends no second e-mail when the step runs again after it succeeded', async () => {
    const { id, reference } = await file();
    const before = await emailsAbout(reference);
    const again = (await handlerOf('advanceComplaint')({ complaintId: id })) as { action: string };
    expect(again.action).toBe('wait');
    expect(await emailsAbout(reference)).toEqual(before);
  });

  it('gives up on a permanent rejection visibly: the complaint is flagged and the execution fails', async () => {
    faults.failNext('Advance', 'EmailPermanentlyRejected', 1);
    const { id, reference } = await file();
    const execution = await runtime.stepFunctions.execution(id);
    expect(execution?.status).toBe('FAILED');
    const attention = (await complaintItem(id))?.workflowAttention?.M;
    expect(attention?.step?.S).toBe('Advance');
    expect(attention?.error?.S).toBe('EmailPermanentlyRejected');
    expect(await emailsAbout(reference)).toHaveLength(0);
    expect(execution?.error).toBe('WorkflowStepFailed');
  });

  it('fails an execution whose complaint does not exist without making a stub complaint item', async () => {
    const id = '00000000-0000-4000-8000-00000000dead';
    const response = await fetch(runtime.urls.stepFunctions, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.StartExecution' },
      body: JSON.stringify({ stateMachineArn: LOCAL_STATE_MACHINE_ARN, name: id, input: JSON.stringify({ complaintId: id }) }),
    });
    expect(response.status).toBe(200);
    await runtime.settled();
    const execution = await runtime.stepFunctions.execution(id);
    expect(execution?.status).toBe('FAILED');
    expect(execution?.error).toBe('WorkflowStepFailed');
    expect(await complaintItem(id)).toBeUndefined();
  });

  it('stops retrying an outage after its bounded attempts and flags the complaint', async () => {
    faults.failNext('Advance', 'EmailTemporarilyUnavailable', 1000);
    const { id } = await file();
    expect((await runtime.stepFunctions.execution(id))?.status).toBe('FAILED');
    expect((await complaintItem(id))?.workflowAttention?.M?.error?.S).toBe('EmailTemporarilyUnavailable');
  });
});
