import { matches, operatorNames, type ChoiceRule } from './choice';
import { resourceOf, stateEntered, stateExited, type NewEvent } from './history';
import { applyResultPath, applyTemplate, isSupportedIntrinsic, parseReferencePath, readPath, selectPath, StatesError, type Json } from './paths';

// A Step Functions interpreter for the local runtime and the tests. It runs a definition exactly as written:
// InputPath, Parameters, ResultSelector, ResultPath and OutputPath; Retry before Catch, each attempt with a
// fresh TimeoutSeconds / TimeoutSecondsPath / HeartbeatSeconds; callback Tasks (.waitForTaskToken) with real
// task tokens; Wait states. Time is the product's clock, so a 60-day timer is 60 product days, however fast
// that clock runs and however far past the 24.8 days a JavaScript timer can hold. Features it does not
// implement (Map, Parallel, JSONata, Assign) are refused when the definition is loaded.

export interface StateDefinition {
  Type: string;
  Comment?: string;
  Next?: string;
  End?: boolean;
  InputPath?: string | null;
  OutputPath?: string | null;
  Parameters?: Json;
  ResultSelector?: Json;
  ResultPath?: string | null;
  Result?: Json;
  Resource?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  HeartbeatSecondsPath?: string;
  Retry?: Retrier[];
  Catch?: Catcher[];
  Choices?: ChoiceRule[];
  Default?: string;
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  Error?: string;
  Cause?: string;
  ErrorPath?: string;
  CausePath?: string;
}

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
  Comment?: string;
}

export interface Catcher {
  ErrorEquals: string[];
  ResultPath?: string | null;
  Next: string;
  Comment?: string;
}

export interface Definition {
  StartAt: string;
  States: Record<string, StateDefinition>;
  TimeoutSeconds?: number;
  Comment?: string;
}

/** What ended an execution: a Fail state, an error nothing caught, or a stop. */
export class ExecutionFailed extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string,
  ) {
    super(cause);
    this.name = 'ExecutionFailed';
  }
}

export class ExecutionAborted extends Error {
  override name = 'ExecutionAborted';
}

/** A callback Task's token, and the answer (SendTaskSuccess/Failure) or heartbeats that come for it. */
export interface CallbackToken {
  token: string;
  answered: Promise<unknown>;
  onHeartbeat(listener: () => void): void;
  /** The Task handed the token over; the execution now waits for an answer. */
  submitted(): void;
  cancel(): void;
}

export interface EnginePorts {
  /** Runs a Task's resource with its effective input (after Parameters) and answers its raw result. */
  runTask(resource: string, parameters: Json, task: { stateName: string; signal: AbortSignal }): Promise<Json>;
  issueToken(): CallbackToken;
  /** The product's clock. */
  now(): Date;
  /** Resolves once the product's clock shows `at`; rejects with the signal's reason when it aborts. */
  sleepUntil(at: Date, signal: AbortSignal): Promise<void>;
  record(event: NewEvent): void;
  /** Told when the execution enters a Wait state (true) and leaves it (false): it is idle in between. */
  waiting?(asleep: boolean): void;
  /** Real milliseconds for every Retry pause instead of the definition's (tests only). */
  retryIntervalMs?: number;
  random?: () => number;
}

const DEFAULTS = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 };
const SUPPORTED_TYPES = new Set(['Task', 'Choice', 'Pass', 'Wait', 'Succeed', 'Fail']);
const CALLBACK = '.waitForTaskToken';

/** Refuses, naming the state and the field, what this engine would not run the way AWS does. */
export function checkDefinition(definition: Definition): void {
  const unsupported = (state: string, what: string) => new Error(`State ${state}: the local engine does not implement ${what}`);
  if (!(definition.StartAt in definition.States)) throw new Error(`StartAt names no state: ${definition.StartAt}`);
  for (const [name, state] of Object.entries(definition.States)) {
    if (!SUPPORTED_TYPES.has(state.Type)) throw unsupported(name, `${state.Type} states`);
    for (const field of ['Assign', 'Arguments', 'Output', 'QueryLanguage', 'Credentials', 'ItemProcessor', 'Iterator']) {
      if (field in state) throw unsupported(name, field);
    }
    for (const next of [state.Next, state.Default, ...(state.Catch ?? []).map((c) => c.Next), ...(state.Choices ?? []).map((c) => c.Next)]) {
      if (next !== undefined && !(next in definition.States)) throw new Error(`State ${name} goes to ${next}, which does not exist`);
    }
    const paths = [
      state.InputPath,
      state.OutputPath,
      state.ResultPath,
      state.TimeoutSecondsPath,
      state.HeartbeatSecondsPath,
      state.SecondsPath,
      state.TimestampPath,
    ];
    for (const path of paths) if (typeof path === 'string') parseReferencePath(path.replace(/^\$\$/, '$'));
    for (const template of [state.Parameters, state.ResultSelector]) checkTemplate(name, template);
    for (const rule of state.Choices ?? []) checkRule(name, rule);
  }
}

function checkTemplate(state: string, template: Json | undefined): void {
  if (template === null || typeof template !== 'object') return;
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      if (value.startsWith('$')) parseReferencePath(value.replace(/^\$\$/, '$'));
      else if (!isSupportedIntrinsic(value)) throw new Error(`State ${state}: the local engine does not implement ${value}`);
    } else checkTemplate(state, value);
  }
}

function checkRule(state: string, rule: ChoiceRule): void {
  for (const inner of [...((rule.And as ChoiceRule[]) ?? []), ...((rule.Or as ChoiceRule[]) ?? []), ...(rule.Not ? [rule.Not as ChoiceRule] : [])])
    checkRule(state, inner);
  for (const key of Object.keys(rule)) {
    if (!['Variable', 'Next', 'Comment', 'And', 'Or', 'Not'].includes(key) && !operatorNames.has(key)) {
      throw new Error(`State ${state}: the local engine does not implement the choice operator ${key}`);
    }
  }
}

/** The error name matches an ErrorEquals entry as Step Functions matches it. */
function errorMatches(patterns: readonly string[], error: string): boolean {
  if (error === 'States.Runtime' || error === 'States.DataLimitExceeded') return false; // terminal: never retried or caught
  const timeout = error === 'States.Timeout' || error === 'States.HeartbeatTimeout';
  return patterns.some(
    (pattern) =>
      pattern === error ||
      pattern === 'States.ALL' ||
      (pattern === 'States.TaskFailed' && !timeout && !error.startsWith('States.')) ||
      (pattern === 'States.Timeout' && timeout),
  );
}

interface Failure {
  error: string;
  cause: string;
}

function failureOf(error: unknown): Failure {
  if (error instanceof StatesError) return { error: error.error, cause: error.message };
  if (error instanceof Error) return { error: error.name || 'Error', cause: error.message };
  return { error: 'Error', cause: String(error) };
}

export interface ExecutionContext {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  startTime: Date;
}

/** Runs one execution to its end: resolves with the output, rejects with ExecutionFailed or ExecutionAborted. */
export async function runExecution(
  definition: Definition,
  input: Json,
  execution: ExecutionContext,
  ports: EnginePorts,
  signal: AbortSignal,
): Promise<Json> {
  const contextBase = {
    Execution: {
      Id: execution.executionArn,
      Name: execution.name,
      Input: input,
      StartTime: execution.startTime.toISOString(),
      RoleArn: 'arn:aws:iam::000000000000:role/local',
    },
    StateMachine: { Id: execution.stateMachineArn, Name: execution.stateMachineArn.split(':').pop() },
  };
  ports.record({ type: 'ExecutionStarted', executionStartedEventDetails: { input: JSON.stringify(input), roleArn: contextBase.Execution.RoleArn } });
  try {
    let stateName = definition.StartAt;
    let data: Json = input;
    for (;;) {
      if (signal.aborted) throw new ExecutionAborted('stopped');
      const state = definition.States[stateName]!;
      const entered = ports.now().toISOString();
      ports.record(stateEntered(state.Type, stateName, data));
      const context = (retryCount = 0): Json =>
        ({ ...contextBase, State: { Name: stateName, EnteredTime: entered, RetryCount: retryCount } }) as Json;
      const outcome = await runState(stateName, state, data, context, ports, signal);
      if (outcome.kind === 'fail') {
        throw new ExecutionFailed(outcome.error, outcome.cause);
      }
      if (outcome.kind !== 'caught') ports.record(stateExited(state.Type, stateName, outcome.output));
      data = outcome.output;
      if (outcome.next) {
        stateName = outcome.next;
        continue;
      }
      ports.record({ type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: JSON.stringify(data) } });
      return data;
    }
  } catch (error) {
    if (error instanceof ExecutionAborted || signal.aborted) {
      ports.record({ type: 'ExecutionAborted', executionAbortedEventDetails: {} });
      throw error instanceof ExecutionAborted ? error : new ExecutionAborted('stopped');
    }
    const failure = error instanceof ExecutionFailed ? { error: error.error, cause: error.cause } : failureOf(error);
    ports.record({ type: 'ExecutionFailed', executionFailedEventDetails: failure });
    throw new ExecutionFailed(failure.error, failure.cause);
  }
}

type Outcome = { kind: 'next' | 'caught'; output: Json; next?: string } | { kind: 'fail'; error: string; cause: string };

async function runState(
  name: string,
  state: StateDefinition,
  input: Json,
  context: (retryCount?: number) => Json,
  ports: EnginePorts,
  signal: AbortSignal,
): Promise<Outcome> {
  const next = (output: Json): Outcome => ({ kind: 'next', output, next: state.End ? undefined : state.Next });
  switch (state.Type) {
    case 'Pass': {
      const effective = selectPath(state.InputPath, input, context());
      const result =
        'Result' in state ? state.Result! : state.Parameters !== undefined ? applyTemplate(state.Parameters, effective, context()) : effective;
      return next(selectPath(state.OutputPath, applyResultPath(state.ResultPath, input, result), context()));
    }
    case 'Choice': {
      const effective = selectPath(state.InputPath, input, context());
      const rule = state.Choices!.find((candidate) => matches(candidate, effective, context()));
      const target = rule?.Next ?? state.Default;
      if (!target) return { kind: 'fail', error: 'States.NoChoiceMatched', cause: `No Matches! in state ${name}` };
      return { kind: 'next', output: selectPath(state.OutputPath, effective, context()), next: target };
    }
    case 'Wait': {
      const effective = selectPath(state.InputPath, input, context());
      const until =
        state.Seconds !== undefined
          ? new Date(ports.now().getTime() + state.Seconds * 1000)
          : state.SecondsPath
            ? new Date(ports.now().getTime() + Number(readPath(state.SecondsPath, effective, context())) * 1000)
            : new Date(String(state.Timestamp ?? readPath(state.TimestampPath!, effective, context())));
      ports.waiting?.(true);
      try {
        await ports.sleepUntil(until, signal);
      } finally {
        ports.waiting?.(false);
      }
      return next(selectPath(state.OutputPath, effective, context()));
    }
    case 'Succeed':
      return { kind: 'next', output: selectPath(state.OutputPath, selectPath(state.InputPath, input, context()), context()) };
    case 'Fail': {
      const error = state.ErrorPath ? String(readPath(state.ErrorPath, input, context())) : (state.Error ?? 'States.Fail');
      const cause = state.CausePath ? String(readPath(state.CausePath, input, context())) : (state.Cause ?? '');
      return { kind: 'fail', error, cause };
    }
    case 'Task':
      return runTaskState(name, state, input, context, ports, signal);
    default:
      throw new StatesError('States.Runtime', `Unsupported state type ${state.Type}`);
  }
}

async function runTaskState(
  name: string,
  state: StateDefinition,
  input: Json,
  context: (retryCount?: number) => Json,
  ports: EnginePorts,
  signal: AbortSignal,
): Promise<Outcome> {
  const attempts = (state.Retry ?? []).map(() => 0);
  const { resourceType, resource } = resourceOf(state.Resource!);
  for (let retryCount = 0; ; retryCount++) {
    let failure: Failure;
    try {
      const output = await attemptTask(name, state, input, context(retryCount), ports, signal, { resourceType, resource });
      return { kind: 'next', output, next: state.End ? undefined : state.Next };
    } catch (error) {
      if (signal.aborted) throw new ExecutionAborted('stopped');
      failure = failureOf(error);
    }
    // Retry is evaluated before Catch: the first retrier naming the error decides, and once its attempts
    // are spent the error goes to Catch (a later retrier naming it too is not consulted).
    const index = (state.Retry ?? []).findIndex((retrier) => errorMatches(retrier.ErrorEquals, failure.error));
    const retrier = index >= 0 ? state.Retry![index]! : undefined;
    if (retrier && attempts[index]! < (retrier.MaxAttempts ?? DEFAULTS.MaxAttempts)) {
      const base = (retrier.IntervalSeconds ?? DEFAULTS.IntervalSeconds) * (retrier.BackoffRate ?? DEFAULTS.BackoffRate) ** attempts[index]!;
      const capped = retrier.MaxDelaySeconds !== undefined ? Math.min(base, retrier.MaxDelaySeconds) : base;
      const seconds = retrier.JitterStrategy === 'FULL' ? (ports.random ?? Math.random)() * capped : capped;
      attempts[index]! += 1;
      if (ports.retryIntervalMs !== undefined) await realSleep(ports.retryIntervalMs, signal);
      else await ports.sleepUntil(new Date(ports.now().getTime() + seconds * 1000), signal);
      continue;
    }
    const catcher = (state.Catch ?? []).find((candidate) => errorMatches(candidate.ErrorEquals, failure.error));
    if (catcher) {
      const output = applyResultPath(catcher.ResultPath, input, { Error: failure.error, Cause: failure.cause });
      ports.record(stateExited(state.Type, name, output));
      return { kind: 'caught', output, next: catcher.Next };
    }
    return { kind: 'fail', ...failure };
  }
}

/** One attempt of a Task: its own timeout and heartbeat, armed afresh. */
async function attemptTask(
  name: string,
  state: StateDefinition,
  input: Json,
  context: Json,
  ports: EnginePorts,
  signal: AbortSignal,
  kind: { resourceType: string; resource: string },
): Promise<Json> {
  const callback = state.Resource!.endsWith(CALLBACK);
  const token = callback ? ports.issueToken() : undefined;
  const attempt = new AbortController();
  const stop = () => attempt.abort(signal.reason);
  signal.addEventListener('abort', stop, { once: true });
  try {
    const taskContext = token ? { ...(context as object), Task: { Token: token.token } } : context;
    const effective = selectPath(state.InputPath, input, taskContext);
    const parameters = state.Parameters !== undefined ? applyTemplate(state.Parameters, effective, taskContext) : effective;
    // TimeoutSecondsPath and HeartbeatSecondsPath read the state's input, not the effective input.
    const timeoutSeconds =
      state.TimeoutSeconds ??
      (state.TimeoutSecondsPath ? positiveInteger(readPath(state.TimeoutSecondsPath, input, context), 'TimeoutSecondsPath') : undefined);
    const heartbeatSeconds =
      state.HeartbeatSeconds ??
      (state.HeartbeatSecondsPath ? positiveInteger(readPath(state.HeartbeatSecondsPath, input, context), 'HeartbeatSecondsPath') : undefined);
    ports.record({
      type: 'TaskScheduled',
      taskScheduledEventDetails: {
        ...kind,
        region: 'eu-central-1',
        parameters: JSON.stringify(parameters),
        ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
        ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
      },
    });
    ports.record({ type: 'TaskStarted', taskStartedEventDetails: kind });

    const limits: Promise<never>[] = [];
    const timedOut = (error: string, cause: string) => () => {
      throw new StatesError(error, cause);
    };
    if (timeoutSeconds !== undefined) {
      // The product's clock may run faster than real time so people can watch weeks pass (LOCAL_CLOCK_SPEED);
      // only waiting is sped up, never work. A callback Task's limit is a wait (the workflow's timer) and
      // counts on the product's clock; any other Task's limit bounds the work of its resource, in real time.
      // At the real speed, as in AWS, the two are the same.
      const expiry = token
        ? ports.sleepUntil(new Date(ports.now().getTime() + timeoutSeconds * 1000), attempt.signal)
        : realSleep(timeoutSeconds * 1000, attempt.signal);
      limits.push(expiry.then(timedOut('States.Timeout', `The task did not finish within ${timeoutSeconds} s`)));
    }
    let heartbeat: Promise<never> | undefined;
    if (heartbeatSeconds !== undefined && token) {
      heartbeat = new Promise<never>((_, reject) => {
        let beat = new AbortController();
        const arm = () => {
          beat.abort('beat');
          beat = new AbortController();
          const current = beat;
          attempt.signal.addEventListener('abort', () => current.abort(attempt.signal.reason), { once: true });
          ports.sleepUntil(new Date(ports.now().getTime() + heartbeatSeconds * 1000), current.signal).then(
            () => reject(new StatesError('States.HeartbeatTimeout', `No heartbeat within ${heartbeatSeconds} s`)),
            () => undefined,
          );
        };
        token.onHeartbeat(arm);
        arm();
      });
      limits.push(heartbeat);
    }
    const aborted = new Promise<never>((_, reject) =>
      attempt.signal.addEventListener('abort', () => reject(abortedBy(attempt.signal)), { once: true }),
    );
    const work = (async (): Promise<Json> => {
      const invoked = await ports.runTask(state.Resource!.replace(CALLBACK, ''), parameters, { stateName: name, signal: attempt.signal });
      if (!token) return invoked;
      ports.record({ type: 'TaskSubmitted', taskSubmittedEventDetails: { ...kind, output: JSON.stringify(invoked) } });
      token.submitted();
      return (await token.answered) as Json;
    })();
    work.catch(() => undefined);
    let raw: Json;
    try {
      raw = await Promise.race([work, aborted, ...limits]);
    } catch (error) {
      const failure = failureOf(error);
      if (!(error instanceof ExecutionAborted)) {
        const timeout = failure.error === 'States.Timeout' || failure.error === 'States.HeartbeatTimeout';
        const cause =
          kind.resourceType === 'lambda' && !timeout && !failure.error.startsWith('States.')
            ? JSON.stringify({ errorType: failure.error, errorMessage: failure.cause })
            : failure.cause;
        ports.record(
          timeout
            ? { type: 'TaskTimedOut', taskTimedOutEventDetails: { ...kind, error: failure.error, cause } }
            : { type: 'TaskFailed', taskFailedEventDetails: { ...kind, error: failure.error, cause } },
        );
        throw new StatesError(failure.error, cause);
      }
      throw error;
    }
    ports.record({ type: 'TaskSucceeded', taskSucceededEventDetails: { ...kind, output: JSON.stringify(raw) } });
    const selected = state.ResultSelector !== undefined ? applyTemplate(state.ResultSelector, raw, context) : raw;
    return selectPath(state.OutputPath, applyResultPath(state.ResultPath, input, selected), context);
  } finally {
    attempt.abort(ATTEMPT_OVER);
    signal.removeEventListener('abort', stop);
    token?.cancel();
  }
}

function positiveInteger(value: Json, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new StatesError('States.Runtime', `${field} must point to a positive integer, not ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * The reason an attempt's signal is aborted with once the attempt is over, whatever its outcome: its timers and
 * its race are let go then, and nobody reads what they reject with.
 */
const ATTEMPT_OVER = Symbol('attempt over');

/**
 * What a wait cut short by `signal` rejects with: ExecutionAborted for a stop; the bare reason when the attempt
 * is merely over (every attempt ends so), where an Error's stack, captured twice per Task, was CPU for nothing.
 */
const abortedBy = (signal: AbortSignal): unknown => (signal.reason === ATTEMPT_OVER ? ATTEMPT_OVER : new ExecutionAborted('stopped'));

function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      reject(abortedBy(signal));
    };
    // The listener goes with the pause: a Retry's pauses wait on the execution's own signal, which lives on.
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal.addEventListener('abort', stop, { once: true });
  });
}
