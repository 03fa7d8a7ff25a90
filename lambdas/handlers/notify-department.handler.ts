import { stepPorts } from '../adapters/compose';
import { notifyDepartment } from '../use-cases/workflow-steps';
import { complaintStep, workflowStep } from './workflow-step';

export const handler = workflowStep('NotifyDepartment', complaintStep, ({ complaintId }) => notifyDepartment(complaintId, stepPorts()));
