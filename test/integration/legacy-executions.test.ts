import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Runtime } from '../../local/runtime';
import { startDynamoDb } from '../../local/dynamodb';
import { EXECUTIONS_TABLE, type ExecutionRecord } from '../../local/stepfunctions-server';
import { asStaff, demoStaff } from '../support/staff-event';
import { mailbox, portsOf, postComplaint, startLocalProduct, validComplaint } from '../support/local-product';
import { until } from '../support/until';

// Versions of the local product before the executions journal (executions.jsonl) kept the local Step
// Functions' executions as items of a dynalite table. A data folder written by one of them still starts: its
// executions are read once, and a workflow that was waiting when that version stopped runs on to its end.

jest.setTimeout(60_000);

const dataDir = mkdtempSync(path.join(tmpdir(), 'reklamacje-legacy-executions-'));
let runtime: Runtime | undefined;

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Moves the executions from the journal into the table an older version kept them in, as it left them. */
async function asAnOlderVersionKeptThem(records: ExecutionRecord[]): Promise<void> {
  rmSync(path.join(dataDir, 'executions.jsonl'));
  const dynamodb = await startDynamoDb({ port: 0, path: path.join(dataDir, 'dynamodb') });
  try {
    await dynamodb.client.send(
      new CreateTableCommand({
        TableName: EXECUTIONS_TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'name', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }],
      }),
    );
    const documents = DynamoDBDocumentClient.from(dynamodb.client);
    for (const record of records) await documents.send(new PutCommand({ TableName: EXECUTIONS_TABLE, Item: record }));
  } finally {
    await dynamodb.close();
  }
}

it('runs on a workflow an older version kept in dynalite, from its wait to its end', async () => {
  runtime = await startLocalProduct({ dataDir });
  const ports = portsOf(runtime);
  const filed = await postComplaint(runtime, validComplaint);
  expect(filed.status).toBe(201);
  const { id, reference } = (await filed.json()) as { id: string; reference: string };
  await until('the acknowledgement', async () => (await mailbox(runtime!)).some((email) => email.subject.includes(reference)));
  await runtime.settled();
  const waiting = await runtime.stepFunctions.executions();
  expect(waiting.find((execution) => execution.name === id)?.status).toBe('RUNNING');
  await runtime.stop();
  runtime = undefined;

  await asAnOlderVersionKeptThem(waiting);

  runtime = await startLocalProduct({ dataDir, ports });
  expect((await runtime.stepFunctions.execution(id))?.status).toBe('RUNNING');
  const supervisor = demoStaff((staff) => staff.role === 'supervisor');
  const current = await asStaff(supervisor, 'GET', '/admin/complaints/{id}', { pathParameters: { id } });
  const decided = await asStaff(supervisor, 'POST', '/admin/complaints/{id}/decision', {
    pathParameters: { id },
    body: { outcome: 'accepted', remedy: 'refund', version: current.body.version },
  });
  expect(decided.statusCode).toBe(200);
  const finished = await until('the workflow to finish', async () => {
    const execution = await runtime!.stepFunctions.execution(id);
    return execution?.status === 'RUNNING' ? undefined : execution;
  });
  expect(finished.status).toBe('SUCCEEDED');
  const closed = await asStaff(supervisor, 'GET', '/admin/complaints/{id}', { pathParameters: { id } });
  expect(closed.body.status).toBe('closed');
  expect(closed.body.decisionSent).toBeDefined();
});
