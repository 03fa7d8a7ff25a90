import { stepPorts } from '../adapters/compose';
import { handleDeadline } from '../use-cases/workflow-steps';
import { complaintStep, workflowStep } from './workflow-step';

export const handler = workflowStep('HandleDeadline', complaintStep, ({ complaintId }) => handleDeadline(complaintId, stepPorts()));
