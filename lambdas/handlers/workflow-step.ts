import * as z from '../core/zod';
import { log } from '../adapters/logger';
import { asWorkflowError } from '../adapters/storage-errors';

/**
 * A workflow step's Lambda entry: validates the input the ASL passes and logs the outcome. Errors keep
 * their names (EmailTemporarilyUnavailable, StorageTemporarilyUnavailable…), which is what the ASL's Retry
 * and Catch match on.
 */
export function workflowStep<S extends z.core.$ZodType, R>(step: string, input: S, run: (input: z.infer<S>) => Promise<R>) {
  return async (event: unknown): Promise<R> => {
    const parsed = z.parse(input, event);
    const complaintId = (parsed as { complaintId?: string }).complaintId;
    try {
      const result = await run(parsed);
      log.info('workflow step done', { step, complaintId });
      return result;
    } catch (caught) {
      const error = asWorkflowError(caught);
      log.warn('workflow step failed', { step, complaintId, error: error instanceof Error ? error.name : String(error) });
      throw error;
    }
  };
}

export const complaintStep = z.object({ complaintId: z.string().check(z.minLength(1)) });
