// Execution history in the shape GetExecutionHistory answers in AWS (HistoryEvent): the same event types
// and detail fields, so the ordinary SFN client and the AWS CLI read a local execution as they would a
// deployed one. Counting the `…StateEntered` events gives the state transitions that AWS bills.

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  [details: string]: unknown;
}

export type NewEvent = { type: string } & Record<string, unknown>;

const STATE_EVENT_PREFIX: Record<string, string> = {
  Task: 'TaskState',
  Choice: 'ChoiceState',
  Pass: 'PassState',
  Wait: 'WaitState',
  Succeed: 'SucceedState',
  Fail: 'FailState',
  Map: 'MapState',
  Parallel: 'ParallelState',
};

export function stateEntered(stateType: string, name: string, input: unknown): NewEvent {
  return { type: `${STATE_EVENT_PREFIX[stateType]}Entered`, stateEnteredEventDetails: { name, input: JSON.stringify(input) } };
}

export function stateExited(stateType: string, name: string, output: unknown): NewEvent {
  return { type: `${STATE_EVENT_PREFIX[stateType]}Exited`, stateExitedEventDetails: { name, output: JSON.stringify(output) } };
}

/** `arn:aws:states:::lambda:invoke.waitForTaskToken` → { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' }. */
export function resourceOf(arn: string): { resourceType: string; resource: string } {
  const match = /^arn:aws:states:::([\w-]+):(.+)$/.exec(arn);
  return match ? { resourceType: match[1]!, resource: match[2]! } : { resourceType: 'lambda', resource: arn };
}

/** The number of state transitions in a history: what AWS bills, and what the quota counts. */
export function stateTransitions(events: readonly { type: string }[]): number {
  return events.filter((event) => event.type.endsWith('StateEntered')).length;
}
