import { checkDefinition, ExecutionFailed, runExecution, type Definition, type EnginePorts } from '../../local/asl/interpreter';
import { stateTransitions, type HistoryEvent, type NewEvent } from '../../local/asl/history';
import type { Json } from '../../local/asl/paths';
import { TaskTokens } from '../../local/task-tokens';
import { localDefinition } from '../../local/workflow-engine';

// The States-language behaviours the product relies on, pinned as the AWS documentation states them
// (docs.aws.amazon.com/step-functions: "Handling errors", "Task state", "Wait for a callback with the task
// token", "Processing input and output"), run on the local engine with a clock the test moves by hand.

const DAY = 86_400_000;

function manualClock(start = Date.parse('2026-11-23T09:00:00Z')) {
  let now = start;
  const sleepers: { at: number; wake: () => void }[] = [];
  return {
    now: () => new Date(now),
    sleepUntil(at: Date, signal: AbortSignal) {
      if (at.getTime() <= now) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const sleeper = { at: at.getTime(), wake: resolve };
        sleepers.push(sleeper);
        signal.addEventListener(
          'abort',
          () => {
            sleepers.splice(sleepers.indexOf(sleeper), 1);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    },
    /** Moves the clock on, waking each timer in turn, and lets the engine react between them. */
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        await flush();
        const next = sleepers.filter((sleeper) => sleeper.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        now = next.at;
        sleepers.splice(sleepers.indexOf(next), 1);
        next.wake();
      }
      now = until;
      await flush();
    },
    pendingTimers: () => sleepers.length,
  };
}

/** Lets the engine run until it waits again (its retry pauses of 0 ms are real timers). */
const flush = async () => {
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (let j = 0; j < 5; j++) await new Promise((resolve) => setImmediate(resolve));
  }
};

type Resource = (parameters: Json) => Promise<Json> | Json;

function harness(definition: Definition, resources: Record<string, Resource>, options: { retryPausesOnClock?: boolean } = {}) {
  checkDefinition(definition);
  const clock = manualClock();
  const tokens = new TaskTokens();
  const events: (NewEvent & { at: Date })[] = [];
  const calls: Record<string, number> = {};
  const ports: EnginePorts = {
    now: clock.now,
    sleepUntil: clock.sleepUntil,
    record: (event) => events.push({ ...event, at: clock.now() }),
    issueToken: () => tokens.issue('conformance'),
    retryIntervalMs: options.retryPausesOnClock ? undefined : 0,
    random: () => 1,
    async runTask(resource, parameters, task) {
      calls[task.stateName] = (calls[task.stateName] ?? 0) + 1;
      const run = resources[resource];
      if (!run) throw new Error(`no resource ${resource}`);
      return run(parameters);
    },
  };
  const execution = {
    executionArn: 'arn:aws:states:eu-central-1:0:execution:m:e',
    name: 'e',
    stateMachineArn: 'arn:aws:states:eu-central-1:0:stateMachine:m',
    startTime: clock.now(),
  };
  const controller = new AbortController();
  return {
    clock,
    tokens,
    events,
    calls,
    run: (input: Json) => {
      const result = runExecution(definition, input, execution, ports, controller.signal);
      result.catch(() => undefined);
      return result;
    },
    scheduled: (state: string) => events.filter((event, i) => event.type === 'TaskScheduled' && lastEntered(events.slice(0, i)) === state).length,
  };
}

function lastEntered(events: NewEvent[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const details = events[i]!.stateEnteredEventDetails as { name: string } | undefined;
    if (details) return details.name;
  }
  return undefined;
}

const failing = (name: string) => () => {
  const error = new Error(`${name} happened`);
  error.name = name;
  throw error;
};

const task = (resource: string, extra: object = {}) => ({ Type: 'Task', Resource: resource, End: true, ...extra });
const LAMBDA = 'arn:aws:states:::lambda:invoke';
const CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

describe('Retry and Catch', () => {
  it('evaluates Retry before Catch: an error both name is retried MaxAttempts times, then caught', async () => {
    const h = harness(
      {
        StartAt: 'Work',
        States: {
          Work: {
            ...task(LAMBDA, {
              Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 2 }],
              Catch: [{ ErrorEquals: ['Boom'], Next: 'Handled', ResultPath: '$.error' }],
            }),
            End: undefined,
            Next: 'Done',
          },
          Handled: { Type: 'Pass', End: true },
          Done: { Type: 'Succeed' },
        },
      },
      { [LAMBDA]: failing('Boom') },
    );
    const output = await h.run({ id: 1 });
    expect(h.calls.Work).toBe(3);
    // A Lambda function's error reaches the workflow with its errorType as Error and the whole error as Cause.
    expect(output).toEqual({ id: 1, error: { Error: 'Boom', Cause: JSON.stringify({ errorType: 'Boom', errorMessage: 'Boom happened' }) } });
  });

  it('consults only the first retrier that names the error, and never retries with MaxAttempts 0', async () => {
    const h = harness(
      {
        StartAt: 'Work',
        States: {
          Work: task(LAMBDA, {
            Retry: [
              { ErrorEquals: ['Boom'], MaxAttempts: 0 },
              { ErrorEquals: ['States.ALL'], MaxAttempts: 5 },
            ],
          }),
        },
      },
      { [LAMBDA]: failing('Boom') },
    );
    await expect(h.run({})).rejects.toMatchObject({ error: 'Boom' });
    expect(h.calls.Work).toBe(1);
  });

  it('waits IntervalSeconds × BackoffRate^n between attempts, capped by MaxDelaySeconds', async () => {
    const definition = {
      StartAt: 'Work',
      States: {
        Work: task(LAMBDA, { Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 10, BackoffRate: 3, MaxDelaySeconds: 60, MaxAttempts: 4 }] }),
      },
    } as Definition;
    const h = harness(definition, { [LAMBDA]: failing('Boom') }, { retryPausesOnClock: true });
    const result = h.run({});
    await h.clock.advance(1000 * (10 + 30 + 60 + 60) - 1);
    expect(h.calls.Work).toBe(4);
    await h.clock.advance(1);
    await expect(result).rejects.toBeInstanceOf(ExecutionFailed);
    expect(h.calls.Work).toBe(5);
    const attempts = h.events
      .filter((event) => event.type === 'TaskScheduled')
      .map((event) => (event.at.getTime() - h.events[0]!.at.getTime()) / 1000);
    expect(attempts).toEqual([0, 10, 40, 100, 160]);
  });

  it('matches States.TaskFailed to any task error except a timeout, and States.ALL to a timeout too', async () => {
    const definition = {
      StartAt: 'Wait',
      States: {
        Wait: {
          ...task(CALLBACK, {
            TimeoutSeconds: 1,
            Catch: [
              { ErrorEquals: ['States.TaskFailed'], Next: 'Failed' },
              { ErrorEquals: ['States.ALL'], Next: 'Other' },
            ],
          }),
          End: undefined,
          Next: 'Failed',
        },
        Failed: { Type: 'Pass', Result: 'task failed', End: true },
        Other: { Type: 'Pass', Result: 'something else', End: true },
      },
    } as Definition;
    const h = harness(definition, { [LAMBDA]: () => null });
    const result = h.run({});
    await h.clock.advance(1000);
    expect(await result).toBe('something else');
  });

  it('never retries or catches States.Runtime (a path that is not in the input)', async () => {
    const definition = {
      StartAt: 'Work',
      States: {
        Work: task(LAMBDA, {
          Parameters: { 'id.$': '$.missing' },
          Retry: [{ ErrorEquals: ['States.ALL'] }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
        }),
        Caught: { Type: 'Succeed' },
      },
    } as Definition;
    const h = harness(definition, { [LAMBDA]: () => null });
    await expect(h.run({})).rejects.toMatchObject({ error: 'States.Runtime' });
    expect(h.calls.Work).toBeUndefined();
  });
});

describe('timeouts', () => {
  it('re-arms TimeoutSeconds on every attempt: a retried 1-second timer waits once per attempt', async () => {
    // The bug the review found: States.Timeout in a callback wait's Retry makes one timer wait 1 + MaxAttempts times.
    const definition = {
      StartAt: 'Wait',
      States: { Wait: task(CALLBACK, { TimeoutSeconds: 1, Retry: [{ ErrorEquals: ['States.Timeout'], MaxAttempts: 5 }] }) },
    } as Definition;
    const h = harness(definition, { [LAMBDA]: () => null });
    const result = h.run({});
    await h.clock.advance(10_000);
    await expect(result).rejects.toMatchObject({ error: 'States.Timeout' });
    expect(h.scheduled('Wait')).toBe(6);
    expect(h.events.filter((event) => event.type === 'TaskTimedOut').map((event) => event.at.getTime() - h.events[0]!.at.getTime())).toEqual([
      1000, 2000, 3000, 4000, 5000, 6000,
    ]);
  });

  it('reads TimeoutSecondsPath from the state input, not from the input after Parameters', async () => {
    const definition = {
      StartAt: 'Wait',
      States: {
        Wait: task(CALLBACK, {
          Parameters: { 'token.$': '$$.Task.Token' },
          TimeoutSecondsPath: '$.timer.seconds',
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'TimedOut' }],
        }),
        TimedOut: { Type: 'Succeed' },
      },
    } as Definition;
    const h = harness(definition, { [LAMBDA]: () => null });
    const result = h.run({ timer: { seconds: 90 } });
    await h.clock.advance(89_000);
    expect(h.events.some((event) => event.type === 'TaskTimedOut')).toBe(false);
    await h.clock.advance(1_000);
    await result;
    expect(h.events.find((event) => event.type === 'TaskScheduled')?.taskScheduledEventDetails).toMatchObject({ timeoutInSeconds: 90 });
  });

  it('times a 60-day timer on the clock: still waiting after 59 days, timed out at 60', async () => {
    const definition = {
      StartAt: 'Wait',
      States: {
        Wait: task(CALLBACK, { TimeoutSeconds: 60 * 86_400, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Due' }] }),
        Due: { Type: 'Succeed' },
      },
    } as Definition;
    const h = harness(definition, { [LAMBDA]: () => null });
    let done = false;
    const result = h.run({}).then(() => (done = true));
    await h.clock.advance(59 * DAY);
    expect(done).toBe(false);
    await h.clock.advance(DAY);
    await result;
    expect(done).toBe(true);
  });

  it('gives a Task no time limit unless it has one (Standard workflows have no default)', async () => {
    const definition = { StartAt: 'Wait', States: { Wait: task(CALLBACK) } } as Definition;
    const h = harness(definition, { [LAMBDA]: () => null });
    // Never settles: the task waits for a token nobody sends, which is the point.
    void h.run({});
    await h.clock.advance(300 * DAY);
    expect(h.events.some((event) => event.type === 'TaskTimedOut')).toBe(false);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it('ends a callback Task that gets no heartbeat within HeartbeatSeconds; a heartbeat restarts the count', async () => {
    let token = '';
    const definition = {
      StartAt: 'Wait',
      States: {
        Wait: task(CALLBACK, {
          Parameters: { 'token.$': '$$.Task.Token' },
          HeartbeatSeconds: 10,
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Silent', ResultPath: '$.error' }],
        }),
        Silent: { Type: 'Succeed' },
      },
    } as Definition;
    const h = harness(definition, { [LAMBDA]: (parameters) => ((token = (parameters as { token: string }).token), null) });
    const result = h.run({});
    await h.clock.advance(8_000);
    h.tokens.heartbeat(token);
    await h.clock.advance(8_000);
    expect(h.events.some((event) => event.type === 'TaskTimedOut')).toBe(false);
    await h.clock.advance(2_000);
    expect(await result).toEqual({ error: { Error: 'States.HeartbeatTimeout', Cause: 'No heartbeat within 10 s' } });
  });
});

describe('callbacks and data flow', () => {
  const callbackDefinition = {
    StartAt: 'Wait',
    States: {
      Wait: {
        ...task(CALLBACK, {
          Parameters: { 'token.$': '$$.Task.Token', 'id.$': '$.id' },
          TimeoutSeconds: 3600,
          ResultSelector: { 'answer.$': '$.decision' },
          ResultPath: '$.result',
          Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'TimedOut' }],
        }),
        End: undefined,
        Next: 'Answered',
      },
      Answered: { Type: 'Succeed' },
      TimedOut: { Type: 'Pass', Result: 'timed out', ResultPath: '$.result', End: true },
    },
  } as Definition;

  it('continues with SendTaskSuccess output, through ResultSelector and ResultPath', async () => {
    let token = '';
    const h = harness(callbackDefinition, { [LAMBDA]: (parameters) => ((token = (parameters as { token: string }).token), { StatusCode: 200 }) });
    const result = h.run({ id: 'c-1' });
    await h.clock.advance(60_000);
    h.tokens.succeed(token, { decision: 'accepted', ignored: true });
    expect(await result).toEqual({ id: 'c-1', result: { answer: 'accepted' } });
    expect(h.events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('times out a callback nobody answers, and ResultPath null keeps the input as it was', async () => {
    const h = harness(callbackDefinition, { [LAMBDA]: () => null });
    const result = h.run({ id: 'c-2' });
    await h.clock.advance(3_600_000);
    expect(await result).toEqual({ id: 'c-2', result: 'timed out' });
    expect(h.events.map((event) => event.type)).toContain('TaskTimedOut');
  });

  it('applies InputPath, Parameters with intrinsics, OutputPath, and a Choice on the result', async () => {
    const definition = {
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: LAMBDA,
          InputPath: '$.complaint',
          Parameters: { 'key.$': "States.Format('COMPLAINT#{}', $.id)" },
          ResultPath: '$.stored',
          OutputPath: '$.stored',
          Next: 'Route',
        },
        Route: { Type: 'Choice', Choices: [{ Variable: '$.Payload.count', NumericGreaterThan: 1, Next: 'Many' }], Default: 'One' },
        Many: { Type: 'Pass', Result: 'many', End: true },
        One: { Type: 'Pass', Result: 'one', End: true },
      },
    } as Definition;
    const h = harness(definition, {
      [LAMBDA]: (parameters) => ({ Payload: { count: (parameters as { key: string }).key === 'COMPLAINT#7' ? 2 : 1 } }),
    });
    expect(await h.run({ complaint: { id: '7' } })).toBe('many');
  });

  it('refuses, when loading, a feature the local engine does not implement', () => {
    expect(() => checkDefinition({ StartAt: 'M', States: { M: { Type: 'Map', End: true } } })).toThrow(/does not implement Map states/);
    expect(() => checkDefinition({ StartAt: 'P', States: { P: { Type: 'Pass', End: true, Assign: { x: 1 } } } } as unknown as Definition)).toThrow(
      /Assign/,
    );
  });
});

describe('the complaint workflow (statemachines/complaint-workflow.asl.json) with AWS timeouts', () => {
  it('waits once per timer and goes straight back to Advance when the timer runs out', async () => {
    const definition = localDefinition('complaints');
    const plans: Json[] = [
      { action: 'wait', wakeAt: '2026-11-26T10:32:00.000Z', waitSeconds: 3 * 86_400, version: 3 },
      { action: 'wait', wakeAt: '2026-12-02T10:32:00.000Z', waitSeconds: 6 * 86_400, version: 4 },
      { action: 'finish', why: 'done', version: 5 },
    ];
    const h = harness(definition, {
      [LAMBDA]: (parameters) => {
        const { FunctionName } = parameters as { FunctionName: string };
        return { StatusCode: 200, Payload: FunctionName.endsWith(':advanceComplaint') ? plans.shift()! : null };
      },
    });
    const result = h.run({ complaintId: 'c-1' });
    await h.clock.advance(3 * DAY - 1000);
    expect(h.calls.Advance).toBe(1);
    await h.clock.advance(1000);
    expect(h.calls.Advance).toBe(2);
    await h.clock.advance(6 * DAY);
    await result;
    expect(h.scheduled('AwaitChangeOrTimer')).toBe(2);
    expect(h.calls.Advance).toBe(3);
    expect(stateTransitions(h.events as unknown as HistoryEvent[])).toBe(3 + 3 + 2 + 1);
  });
});

describe('the complaint workflow retries what the real world throws at it', () => {
  const definition = localDefinition('complaints');
  const retriers = definition.States.Advance!.Retry!;
  const byError = (name: string) => retriers.find((retrier) => retrier.ErrorEquals.includes(name))!;
  /** The longest a retrier can keep a step going: every pause at its maximum (no jitter). */
  const longestSeconds = (retrier: (typeof retriers)[number]) =>
    Array.from({ length: retrier.MaxAttempts ?? 3 }, (_, n) =>
      Math.min((retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** n, retrier.MaxDelaySeconds ?? Infinity),
    ).reduce((a, b) => a + b, 0);

  it('backs off SES throttling for hours, with jitter, but for less than a working day', () => {
    const ses = byError('EmailTemporarilyUnavailable');
    expect(ses.JitterStrategy).toBe('FULL');
    expect(longestSeconds(ses) / 3600).toBeGreaterThan(2);
    expect(longestSeconds(ses) / 3600).toBeLessThan(8);
  });

  it('retries DynamoDB throttling and network trouble under StorageTemporarilyUnavailable', () => {
    const storage = byError('StorageTemporarilyUnavailable');
    expect(storage.JitterStrategy).toBe('FULL');
    expect(storage.MaxAttempts).toBeGreaterThanOrEqual(5);
  });

  it('retries a step whose change lost every race to staff changes (ComplaintBusy), with jitter, rather than failing it', () => {
    const busy = byError('ComplaintBusy');
    expect(busy.JitterStrategy).toBe('FULL');
    expect(busy.MaxAttempts).toBeGreaterThanOrEqual(5);
  });

  it('retries DynamoDB throttling while the callback wait stores its token, too', () => {
    const wait = definition.States.AwaitChangeOrTimer!;
    const storage = wait.Retry!.find((retrier) => retrier.ErrorEquals.includes('StorageTemporarilyUnavailable'));
    expect(storage).toMatchObject({ JitterStrategy: 'FULL' });
    expect(storage!.MaxAttempts).toBeGreaterThanOrEqual(5);
  });

  it("retries the Advance step when its Lambda timed out or its runtime died (the step is idempotent), not only Lambda's service errors", () => {
    const errors = definition.States.Advance!.Retry!.flatMap((retrier) => retrier.ErrorEquals);
    expect(errors).toEqual(expect.arrayContaining(['Sandbox.Timedout', 'Lambda.Unknown', 'States.Timeout', 'Lambda.ServiceException']));
  });

  it('never retries the timer of the callback wait', () => {
    const wait = definition.States.AwaitChangeOrTimer!;
    expect(wait.Retry!.flatMap((retrier) => retrier.ErrorEquals)).not.toEqual(expect.arrayContaining(['States.Timeout']));
    expect(wait.Retry!.flatMap((retrier) => retrier.ErrorEquals)).not.toEqual(expect.arrayContaining(['States.ALL']));
    expect(wait.Catch![0]).toMatchObject({ ErrorEquals: ['States.Timeout'], Next: 'Advance' });
  });
});
