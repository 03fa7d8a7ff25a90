import * as z from 'zod';
import { waitPorts } from './compose';
import { registerWait } from '../use-cases/workflow-steps';
import { complaintStep, workflowStep } from './workflow-step';

const input = complaintStep.extend({ taskToken: z.string().min(1), plannedVersion: z.number().int(), wakeAt: z.iso.datetime() });

export const handler = workflowStep('AwaitChangeOrTimer', input, (wait) => registerWait(wait, waitPorts()));
