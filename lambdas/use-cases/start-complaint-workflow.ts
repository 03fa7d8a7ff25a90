import type { WorkflowStarter } from './ports';

export interface StartWorkflowPorts {
  workflow: WorkflowStarter;
}

/**
 * The complaint's workflow, started under the complaint's id: Step Functions keeps execution names unique,
 * so a repeated complaint.received event (streams and EventBridge deliver at least once) is the same start.
 */
export async function startComplaintWorkflow(complaintId: string, ports: StartWorkflowPorts): Promise<void> {
  await ports.workflow.start(complaintId);
}
