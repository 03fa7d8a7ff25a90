import { stepPorts } from './compose';
import { advanceComplaint } from '../use-cases/workflow-steps';
import { complaintStep, workflowStep } from './workflow-step';

export const handler = workflowStep('Advance', complaintStep, ({ complaintId }) => advanceComplaint(complaintId, stepPorts()));
