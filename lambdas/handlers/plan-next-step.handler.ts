import { stepPorts } from '../adapters/compose';
import { planNextStep } from '../use-cases/workflow-steps';
import { complaintStep, workflowStep } from './workflow-step';

export const handler = workflowStep('PlanNextStep', complaintStep, ({ complaintId }) => planNextStep(complaintId, stepPorts()));
