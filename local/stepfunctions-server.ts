import http from 'node:http';
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RunOptions, WorkflowEngine } from './workflow-engine';
import { UnknownTaskToken, type TaskTokens } from './task-tokens';

// A stand-in for the Step Functions API, spoken over the same JSON protocol, so that handlers use the real
// SFNClient pointed here by AWS_ENDPOINT_URL_SFN. Executions are kept in dynalite, because the engine
// (aws-local-stepfunctions) holds them in memory only: after a restart, RUNNING ones are run again from
// the start, which is safe because every step is idempotent (a step that already did its work returns the
// recorded result).

export const EXECUTIONS_TABLE = 'local-workflow-executions';
export const LOCAL_STATE_MACHINE_ARN = 'arn:aws:states:eu-central-1:000000000000:stateMachine:complaint-workflow';

type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export interface ExecutionRecord {
  name: string;
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
  close(): Promise<void>;
}

export async function startStepFunctionsStandIn(options: {
  port: number;
  dynamo: DynamoDBClient;
  engine: WorkflowEngine;
  tokens: TaskTokens;
  runOptions?: RunOptions;
  /** Fault injection: an error returned here is answered instead of running the operation. */
  fault?: (operation: string) => { type: string; statusCode: number } | undefined;
  log?: (line: string) => void;
}): Promise<StepFunctionsStandIn> {
  const documents = DynamoDBDocumentClient.from(options.dynamo);
  const inFlight = new Map<string, { done: Promise<void>; abort: () => void }>();

  const arnOf = (name: string) => `${LOCAL_STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}`;

  async function execution(name: string): Promise<ExecutionRecord | undefined> {
    const { Item } = await documents.send(new GetCommand({ TableName: EXECUTIONS_TABLE, Key: { name }, ConsistentRead: true }));
    return Item as ExecutionRecord | undefined;
  }

  function launch(record: ExecutionRecord): void {
    if (inFlight.has(record.name)) return;
    const { result, abort } = options.engine.run(record.name, JSON.parse(record.input), options.runOptions);
    const finish = (fields: Partial<ExecutionRecord>) =>
      documents.send(
        new UpdateCommand({
          TableName: EXECUTIONS_TABLE,
          Key: { name: record.name },
          UpdateExpression: 'SET #status = :status, stopDate = :stop, #output = :output, #error = :error, #cause = :cause',
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: { '#status': 'status', '#output': 'output', '#error': 'error', '#cause': 'cause' },
          ExpressionAttributeValues: {
            ':status': fields.status,
            ':stop': new Date().toISOString(),
            ':output': fields.output ?? null,
            ':error': fields.error ?? null,
            ':cause': fields.cause ?? null,
            ':running': 'RUNNING',
          },
        }),
      );
    const done = result
      .then(
        (output) => finish({ status: 'SUCCEEDED', output: JSON.stringify(output) }),
        (error: unknown) => {
          if (error instanceof Error && error.name === 'ExecutionAbortedError') return undefined; // stopping; resumed at next start
          // The engine wraps what ended the execution (a Fail state's Error and Cause) in an ExecutionError.
          const failure = (error instanceof Error && error.cause instanceof Error ? error.cause : error) as Error;
          options.log?.(`workflow ${record.name} failed: ${failure.name}`);
          return finish({ status: 'FAILED', error: String(failure.name ?? 'Error'), cause: String(failure.message ?? '') });
        },
      )
      .then(() => undefined)
      .catch((error: unknown) => options.log?.(`could not record the end of ${record.name}: ${String(error)}`))
      .finally(() => inFlight.delete(record.name));
    inFlight.set(record.name, { done, abort });
  }

  async function startExecution(body: { stateMachineArn?: string; name?: string; input?: string }) {
    if (body.stateMachineArn !== LOCAL_STATE_MACHINE_ARN) throw new ApiError('StateMachineDoesNotExist', `No state machine ${body.stateMachineArn}`);
    const name = body.name ?? crypto.randomUUID();
    const input = body.input ?? '{}';
    const record: ExecutionRecord = { name, executionArn: arnOf(name), input, status: 'RUNNING', startDate: new Date().toISOString() };
    try {
      await documents.send(new PutCommand({ TableName: EXECUTIONS_TABLE, Item: record, ConditionExpression: 'attribute_not_exists(#name)', ExpressionAttributeNames: { '#name': 'name' } }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // As in AWS: the same name with the same input is the same execution; with other input it is an error.
      const existing = await execution(name);
      if (existing?.input !== input) throw new ApiError('ExecutionAlreadyExists', `Execution ${name} already exists`);
      return { executionArn: existing.executionArn, startDate: Date.parse(existing.startDate) / 1000 };
    }
    launch(record);
    return { executionArn: record.executionArn, startDate: Date.parse(record.startDate) / 1000 };
  }

  async function describeExecution(body: { executionArn?: string }) {
    const name = String(body.executionArn ?? '').split(':').pop() ?? '';
    const record = await execution(name);
    if (!record) throw new ApiError('ExecutionDoesNotExist', `No execution ${body.executionArn}`);
    return {
      executionArn: record.executionArn,
      stateMachineArn: LOCAL_STATE_MACHINE_ARN,
      name: record.name,
      status: record.status,
      input: record.input,
      startDate: Date.parse(record.startDate) / 1000,
      ...(record.stopDate ? { stopDate: Date.parse(record.stopDate) / 1000 } : {}),
      ...(record.output ? { output: record.output } : {}),
      ...(record.error ? { error: record.error } : {}),
      ...(record.cause ? { cause: record.cause } : {}),
    };
  }

  async function executions(): Promise<ExecutionRecord[]> {
    const records: ExecutionRecord[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(new ScanCommand({ TableName: EXECUTIONS_TABLE, ExclusiveStartKey }));
      records.push(...((page.Items ?? []) as ExecutionRecord[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return records;
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
    SendTaskSuccess: (body: { taskToken: string; output: string }) =>
      answerTask(() => options.tokens.succeed(body.taskToken, JSON.parse(body.output ?? '{}'))),
    SendTaskFailure: (body: { taskToken: string; error?: string; cause?: string }) =>
      answerTask(() => options.tokens.fail(body.taskToken, body.error ?? 'TaskFailed', body.cause ?? '')),
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
        const busy = [...inFlight.keys()].some((name) => !options.tokens.isWaiting(name));
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
    async close() {
      for (const entry of inFlight.values()) entry.abort();
      await Promise.allSettled([...inFlight.values()].map((entry) => entry.done));
      await options.engine.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
