import * as z from 'zod';
import { stepPorts } from '../adapters/compose';
import { sendReminder } from '../use-cases/workflow-steps';
import { complaintStep, workflowStep } from './workflow-step';

const input = complaintStep.extend({ offset: z.number().int().positive(), escalation: z.boolean() });

export const handler = workflowStep('SendReminder', input, (reminder) => sendReminder(reminder, stepPorts()));
