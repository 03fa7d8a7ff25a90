import * as z from '../core/zod';
import { lookUpPlatformOrder } from '../use-cases/look-up-platform-order';
import { platformLookupPorts } from './compose-platforms';
import { workflowStep } from './workflow-step';

// `givenUp`: the ASL's Catch passes the error that outlasted its Retry (Error and Cause, as Step Functions names them).
const input = z.object({
  complaintId: z.string().check(z.minLength(1)),
  givenUp: z.optional(z.object({ Error: z.string(), Cause: z.optional(z.string()) })),
});

export const handler = workflowStep('LookUpPlatformOrder', input, async ({ complaintId, givenUp }) => ({
  lookup: await lookUpPlatformOrder(complaintId, platformLookupPorts(), givenUp && { error: givenUp.Error, cause: causeOf(givenUp.Cause) }),
}));

/** A Lambda error's Cause is its JSON ({ errorType, errorMessage, … }); the message is what staff can read. */
function causeOf(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause.slice(0, 300);
  } catch {
    return cause.slice(0, 300);
  }
}
