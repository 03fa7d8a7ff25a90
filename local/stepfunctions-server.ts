import { appendFileSync, createWriteStream, existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { RunOptions, WorkflowEngine } from './workflow-engine';
import { ExecutionAborted, ExecutionFailed } from './asl/interpreter';
import type { HistoryEvent, NewEvent } from './asl/history';
import { UnknownTaskToken, type TaskTokens } from './task-tokens';

// A stand-in for the Step Functions API, spoken over the same JSON protocol, so that handlers, the SFN
// client and the AWS CLI pointed here by AWS_ENDPOINT_URL_SFN work as against AWS: StartExecution,
// DescribeExecution, ListExecutions, GetExecutionHistory, StopExecution and the task-token calls.
// Executions and their history are kept in memory and in append-only journals; after a restart, RUNNING ones
// are run again from the start (their history goes on), which is safe because every step is idempotent.
// It holds the complaint workflow and any other state machines the runtime gives it (webhook deliveries). An
// execution name is unique across them here, where AWS keeps it unique per state machine: the names the product
// gives (complaint ids, delivery ids) never meet.

/** Where executions were kept before their journal (executions.jsonl): read once at start, never written. */
export const EXECUTIONS_TABLE = 'local-workflow-executions';
export const LOCAL_STATE_MACHINE_ARN = 'arn:aws:states:eu-central-1:000000000000:stateMachine:complaint-workflow';
/** The webhook delivery state machine (statemachines/webhook-delivery.asl.json), in the local Step Functions. */
export const LOCAL_WEBHOOK_DELIVERY_ARN = 'arn:aws:states:eu-central-1:000000000000:stateMachine:webhook-delivery';

type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export interface ExecutionRecord {
  name: string;
  /** Absent for the complaint workflow (records stored before there was more than one state machine). */
  stateMachineArn?: string;
  executionArn: string;
  input: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  output?: string;
  error?: string;
  cause?: string;
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

export interface StepFunctionsStandIn {
  url: string;
  /** Resolves when every execution of this process has finished or waits for a callback or timer. */
  settled(): Promise<void>;
  resumeRunning(): Promise<number>;
  execution(name: string): Promise<ExecutionRecord | undefined>;
  executions(): Promise<ExecutionRecord[]>;
  /** The execution's history events, oldest first (GetExecutionHistory without paging). */
  history(name: string): Promise<HistoryEvent[]>;
  close(): Promise<void>;
}

const epochSeconds = (iso: string | Date) => (typeof iso === 'string' ? Date.parse(iso) : iso.getTime()) / 1000;

export async function startStepFunctionsStandIn(options: {
  port: number;
  dynamo: DynamoDBClient;
  /** The complaint workflow's (LOCAL_STATE_MACHINE_ARN). */
  engine: WorkflowEngine;
  /** Other state machines, by ARN. */
  otherStateMachines?: Record<string, WorkflowEngine>;
  tokens: TaskTokens;
  /** Where the execution history journal is kept; in memory only without one. */
  dataDir?: string;
  /** The product's clock, for the dates an execution and its events carry. */
  now: () => Date;
  runOptions?: RunOptions;
  /** Fault injection: an error returned here is answered instead of running the operation. */
  fault?: (operation: string) => { type: string; statusCode: number } | undefined;
  log?: (line: string) => void;
}): Promise<StepFunctionsStandIn> {
  const inFlight = new Map<string, { done: Promise<void>; abort: () => void }>();

  const engines: Record<string, WorkflowEngine> = { [LOCAL_STATE_MACHINE_ARN]: options.engine, ...options.otherStateMachines };
  const machineOf = (record: ExecutionRecord) => record.stateMachineArn ?? LOCAL_STATE_MACHINE_ARN;
  const knownMachine = (arn: string | undefined): string => {
    if (arn === undefined || !Object.hasOwn(engines, arn)) throw new ApiError('StateMachineDoesNotExist', `No state machine ${arn}`);
    return arn;
  };
  const arnOf = (name: string, machine = LOCAL_STATE_MACHINE_ARN) => `${machine.replace(':stateMachine:', ':execution:')}:${name}`;
  const nameOf = (arn: unknown) =>
    String(arn ?? '')
      .split(':')
      .pop() ?? '';

  // Executions live in memory and, with a data folder, in an append-only journal (executions.jsonl): the record
  // as it is after each start and each end, the last line of a name being the one that holds. A line is written
  // synchronously before StartExecution answers, so a kill after the answer (when the outbox has moved past the
  // complaint's event) loses no execution. As dynalite items they cost a conditional PutItem per start and an
  // UpdateItem per end through the AWS SDK, on this thread and on dynalite's, for what is the stand-in's own
  // bookkeeping: AWS keeps its executions where no request of ours reaches.
  const records = await legacyExecutions(options.dynamo);
  const executionsFile = options.dataDir && path.join(options.dataDir, 'executions.jsonl');
  if (executionsFile && existsSync(executionsFile)) {
    for (const line of readFileSync(executionsFile, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const record = JSON.parse(line) as ExecutionRecord;
        records.set(record.name, record);
      } catch {
        // a line cut short by a kill: written before its answer, so nobody was told of that change
      }
    }
  }
  const keep = (record: ExecutionRecord) => {
    if (executionsFile) appendFileSync(executionsFile, `${JSON.stringify(record)}\n`);
    records.set(record.name, record);
  };

  function execution(name: string): Promise<ExecutionRecord | undefined> {
    const record = records.get(name);
    return Promise.resolve(record && { ...record });
  }

  // Execution history lives in memory and, with a data folder, in an append-only journal
  // (execution-history.jsonl) read back at start: history is written an event at a time, ~25 per wake-up, and
  // as DynamoDB items those writes cost the local product more than the work the events describe.
  const histories = new Map<string, HistoryEvent[]>();
  const historyFile = options.dataDir && path.join(options.dataDir, 'execution-history.jsonl');
  if (historyFile && existsSync(historyFile)) {
    for (const line of readFileSync(historyFile, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const { execution: name, ...event } = JSON.parse(line) as HistoryEvent & { execution: string };
        histories.set(name, [...(histories.get(name) ?? []), { ...event, timestamp: new Date(event.timestamp) }]);
      } catch {
        // a line cut short by a kill: that one event is lost, the execution goes on
      }
    }
  }
  const journal = historyFile ? createWriteStream(historyFile, { flags: 'a' }) : undefined;

  function recorder(name: string): (event: NewEvent) => void {
    const events = histories.get(name) ?? [];
    histories.set(name, events);
    return (event) => {
      const id = events.length + 1;
      const stored: HistoryEvent = { ...event, id, previousEventId: id - 1, timestamp: options.now() };
      events.push(stored);
      journal?.write(`${JSON.stringify({ execution: name, ...stored })}\n`);
    };
  }

  function history(name: string): Promise<HistoryEvent[]> {
    return Promise.resolve([...(histories.get(name) ?? [])]);
  }

  /** Records how a running execution ended; the first end recorded holds (a stop racing the last step's end). */
  function finish(name: string, fields: Pick<ExecutionRecord, 'status' | 'output' | 'error' | 'cause'>): void {
    const record = records.get(name);
    if (record?.status !== 'RUNNING') return;
    const { output, error, cause } = fields;
    keep({
      ...record,
      status: fields.status,
      stopDate: options.now().toISOString(),
      ...(output !== undefined ? { output } : {}),
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
    });
  }

  function launch(record: ExecutionRecord): void {
    if (inFlight.has(record.name)) return;
    const engine = engines[machineOf(record)];
    if (!engine) {
      options.log?.(`execution ${record.name} belongs to no state machine this runtime has (${machineOf(record)})`);
      return;
    }
    const { result, abort } = engine.run(
      { name: record.name, arn: record.executionArn, stateMachineArn: machineOf(record), startDate: new Date(record.startDate) },
      JSON.parse(record.input),
      recorder(record.name),
      options.runOptions,
    );
    let stopping = false;
    const done = result
      .then(
        (output) => finish(record.name, { status: 'SUCCEEDED', output: JSON.stringify(output) }),
        (error: unknown) => {
          if (error instanceof ExecutionAborted) return stopping ? undefined : finish(record.name, { status: 'ABORTED' });
          const failure = error instanceof ExecutionFailed ? error : { error: error instanceof Error ? error.name : 'Error', cause: String(error) };
          options.log?.(`workflow ${record.name} failed: ${failure.error}`);
          return finish(record.name, { status: 'FAILED', error: failure.error, cause: failure.cause });
        },
      )
      .catch((error: unknown) => options.log?.(`could not record the end of ${record.name}: ${String(error)}`))
      .finally(() => inFlight.delete(record.name));
    inFlight.set(record.name, {
      done,
      abort: () => {
        stopping = true; // the process is stopping: the execution stays RUNNING and resumes at the next start
        abort();
      },
    });
    executionAborters.set(record.name, abort);
  }
  /** StopExecution: aborts for good, recorded as ABORTED. */
  const executionAborters = new Map<string, () => void>();

  async function startExecution(body: { stateMachineArn?: string; name?: string; input?: string }) {
    const machine = knownMachine(body.stateMachineArn);
    const name = body.name ?? crypto.randomUUID();
    const input = body.input ?? '{}';
    const record: ExecutionRecord = {
      name,
      ...(machine === LOCAL_STATE_MACHINE_ARN ? {} : { stateMachineArn: machine }),
      executionArn: arnOf(name, machine),
      input,
      status: 'RUNNING',
      startDate: options.now().toISOString(),
    };
    const existing = records.get(name);
    if (existing) {
      // As in AWS: the same name with the same input is the same execution; with other input it is an error.
      if (existing.input !== input || machineOf(existing) !== machine)
        throw new ApiError('ExecutionAlreadyExists', `Execution ${name} already exists`);
      return { executionArn: existing.executionArn, startDate: epochSeconds(existing.startDate) };
    }
    keep(record);
    launch(record);
    return { executionArn: record.executionArn, startDate: epochSeconds(record.startDate) };
  }

  async function existing(executionArn: unknown): Promise<ExecutionRecord> {
    const record = await execution(nameOf(executionArn));
    if (!record) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(executionArn)}'`);
    return record;
  }

  async function describeExecution(body: { executionArn?: string }) {
    const record = await existing(body.executionArn);
    return {
      executionArn: record.executionArn,
      stateMachineArn: machineOf(record),
      name: record.name,
      status: record.status,
      input: record.input,
      inputDetails: { included: true },
      startDate: epochSeconds(record.startDate),
      ...(record.stopDate ? { stopDate: epochSeconds(record.stopDate) } : {}),
      ...(record.output ? { output: record.output, outputDetails: { included: true } } : {}),
      ...(record.error ? { error: record.error } : {}),
      ...(record.cause ? { cause: record.cause } : {}),
    };
  }

  function executions(): Promise<ExecutionRecord[]> {
    return Promise.resolve([...records.values()].map((record) => ({ ...record })));
  }

  /** Pages through a list the way the API does: `nextToken` is the offset of the next page. */
  function page<T>(items: T[], body: { maxResults?: number; nextToken?: string }, defaultSize: number) {
    const size = body.maxResults && body.maxResults > 0 ? Math.min(body.maxResults, 1000) : defaultSize;
    const from = body.nextToken ? Number(Buffer.from(body.nextToken, 'base64url').toString()) : 0;
    if (!Number.isInteger(from) || from < 0) throw new ApiError('InvalidToken', 'Invalid Token');
    const next = from + size < items.length ? Buffer.from(String(from + size)).toString('base64url') : undefined;
    return { items: items.slice(from, from + size), nextToken: next };
  }

  async function listExecutions(body: { stateMachineArn?: string; statusFilter?: ExecutionStatus; maxResults?: number; nextToken?: string }) {
    const machine = knownMachine(body.stateMachineArn);
    const all = (await executions())
      .filter((record) => machineOf(record) === machine && (!body.statusFilter || record.status === body.statusFilter))
      .sort((a, b) => b.startDate.localeCompare(a.startDate));
    const { items, nextToken } = page(all, body, 100);
    return {
      executions: items.map((record) => ({
        executionArn: record.executionArn,
        stateMachineArn: machine,
        name: record.name,
        status: record.status,
        startDate: epochSeconds(record.startDate),
        ...(record.stopDate ? { stopDate: epochSeconds(record.stopDate) } : {}),
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  async function getExecutionHistory(body: {
    executionArn?: string;
    maxResults?: number;
    nextToken?: string;
    reverseOrder?: boolean;
    includeExecutionData?: boolean;
  }) {
    const record = await existing(body.executionArn);
    let events = await history(record.name);
    if (body.reverseOrder) events = events.reverse();
    const { items, nextToken } = page(events, body, 100);
    const withoutData = (event: HistoryEvent) =>
      body.includeExecutionData === false
        ? JSON.parse(JSON.stringify(event, (key, value: unknown) => (['input', 'output', 'parameters'].includes(key) ? undefined : value)))
        : event;
    return {
      events: items.map((event) => ({ ...withoutData(event), timestamp: epochSeconds(event.timestamp) })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  async function stopExecution(body: { executionArn?: string; error?: string; cause?: string }) {
    const record = await existing(body.executionArn);
    const stopDate = options.now();
    if (record.status === 'RUNNING') {
      executionAborters.get(record.name)?.();
      await inFlight.get(record.name)?.done;
      finish(record.name, { status: 'ABORTED', error: body.error, cause: body.cause });
    }
    return { stopDate: epochSeconds(stopDate) };
  }

  function answerTask(answer: () => void) {
    try {
      answer();
      return Promise.resolve({});
    } catch (error) {
      if (error instanceof UnknownTaskToken) return Promise.reject(new ApiError('TaskDoesNotExist', error.message));
      return Promise.reject(error);
    }
  }

  const operations: Record<string, (body: never) => Promise<unknown>> = {
    StartExecution: startExecution,
    DescribeExecution: describeExecution,
    ListExecutions: listExecutions,
    GetExecutionHistory: getExecutionHistory,
    StopExecution: stopExecution,
    SendTaskSuccess: (body: { taskToken: string; output: string }) =>
      answerTask(() => options.tokens.succeed(body.taskToken, JSON.parse(body.output ?? '{}'))),
    SendTaskFailure: (body: { taskToken: string; error?: string; cause?: string }) =>
      answerTask(() => options.tokens.fail(body.taskToken, body.error ?? 'TaskFailed', body.cause ?? '')),
    SendTaskHeartbeat: (body: { taskToken: string }) => answerTask(() => options.tokens.heartbeat(body.taskToken)),
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const operation = String(request.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
      const reply = (status: number, payload: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(payload));
      };
      const fault = options.fault?.(operation);
      if (fault) return reply(fault.statusCode, { __type: fault.type, message: 'Injected fault' });
      const handler = operations[operation];
      if (!handler) return reply(400, { __type: 'UnknownOperationException', message: `${operation} is not supported locally` });
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        return reply(400, { __type: 'SerializationException', message: 'Body is not JSON' });
      }
      handler(body as never).then(
        (result) => reply(200, result),
        (error: unknown) =>
          error instanceof ApiError
            ? reply(error.statusCode, { __type: error.type, message: error.message })
            : reply(500, { __type: 'InternalFailure', message: String(error) }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const address = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${address.port}`,
    async settled() {
      // Twice in a row, so an execution between two steps is not mistaken for one that is waiting.
      let idleChecks = 0;
      while (idleChecks < 2) {
        const busy = [...inFlight.keys()].some(
          (name) => !options.tokens.isWaiting(name) && !Object.values(engines).some((engine) => engine.isSleeping(name)),
        );
        idleChecks = busy ? 0 : idleChecks + 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async resumeRunning() {
      const running = (await executions()).filter((record) => record.status === 'RUNNING');
      running.forEach(launch);
      return running.length;
    },
    execution,
    executions,
    history,
    async close() {
      for (const entry of inFlight.values()) entry.abort();
      await Promise.allSettled([...inFlight.values()].map((entry) => entry.done));
      for (const engine of Object.values(engines)) await engine.idle();
      await new Promise<void>((resolve) => (journal ? journal.end(resolve) : resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Executions kept in dynalite by the versions before the journal, if the data folder has any: read once, so a
 * workflow running when such a version stopped runs on (the journal's lines, read after, take precedence).
 */
async function legacyExecutions(dynamo: DynamoDBClient): Promise<Map<string, ExecutionRecord>> {
  const documents = DynamoDBDocumentClient.from(dynamo);
  const records = new Map<string, ExecutionRecord>();
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: EXECUTIONS_TABLE, ExclusiveStartKey })).catch((error: unknown) => {
      if (error instanceof ResourceNotFoundException) return { Items: [], LastEvaluatedKey: undefined };
      throw error;
    });
    for (const item of (page.Items ?? []) as ExecutionRecord[]) records.set(item.name, item);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return records;
}
