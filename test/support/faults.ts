type TaskRun = (input: Record<string, unknown>) => Promise<unknown>;

/**
 * Injects failures into workflow Tasks of the local runtime: `failNext('Advance',
 * 'EmailTemporarilyUnavailable', 2)` makes the next two runs of that state throw an error of that name, as
 * the Lambda would, before the real step runs.
 */
export function taskFaults() {
  const pending = new Map<string, { name: string; remaining: number }>();
  return {
    failNext(state: string, name: string, times: number) {
      pending.set(state, { name, remaining: times });
    },
    clear() {
      pending.clear();
    },
    wrapTask(state: string, run: TaskRun): TaskRun {
      return async (input) => {
        const fault = pending.get(state);
        if (fault && fault.remaining > 0) {
          fault.remaining -= 1;
          const error = new Error(`injected ${fault.name}`);
          error.name = fault.name;
          throw error;
        }
        return run(input);
      };
    },
  };
}
