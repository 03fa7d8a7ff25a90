import * as z from '../core/zod';
import { waitPorts } from './compose';
import { registerWait } from '../use-cases/workflow-steps';
import { complaintStep, workflowStep } from './workflow-step';

const input = z.extend(complaintStep, {
  taskToken: z.string().check(z.minLength(1)),
  plannedVersion: z.number().check(z.int()),
  wakeAt: z.isoDateTime,
});

export const handler = workflowStep('AwaitChangeOrTimer', input, (wait) => registerWait(wait, waitPorts()));
