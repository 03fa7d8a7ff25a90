import { stepPorts } from '../adapters/compose';
import { sendDecision } from '../use-cases/workflow-steps';
import { complaintStep, workflowStep } from './workflow-step';

export const handler = workflowStep('SendDecision', complaintStep, ({ complaintId }) => sendDecision(complaintId, stepPorts()));
