import { stepPorts } from '../adapters/compose';
import { acknowledgeComplaint } from '../use-cases/acknowledge-complaint';
import { complaintStep, workflowStep } from './workflow-step';

export const handler = workflowStep('SendAcknowledgement', complaintStep, ({ complaintId }) => acknowledgeComplaint(complaintId, stepPorts()));
