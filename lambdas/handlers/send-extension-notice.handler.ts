import { stepPorts } from '../adapters/compose';
import { sendExtensionNotice } from '../use-cases/workflow-steps';
import { complaintStep, workflowStep } from './workflow-step';

export const handler = workflowStep('SendExtensionNotice', complaintStep, ({ complaintId }) => sendExtensionNotice(complaintId, stepPorts()));
