import { stepPorts } from '../adapters/compose';
import { assignDepartmentStep } from '../use-cases/workflow-steps';
import { complaintStep, workflowStep } from './workflow-step';

export const handler = workflowStep('AssignDepartment', complaintStep, ({ complaintId }) => assignDepartmentStep(complaintId, stepPorts()));
