import type { ComplaintRepository } from '../adapters/complaint-repository';
import type { WorkflowStarter } from '../adapters/workflow-client';

export interface StartWorkflowPorts {
  complaints: Pick<ComplaintRepository, 'markWorkflowStarted'>;
  workflow: WorkflowStarter;
}

/** Start first, then clear the marker: a crash in between leaves a marker whose retry is a harmless no-op. */
export async function startComplaintWorkflow(complaintId: string, ports: StartWorkflowPorts): Promise<void> {
  await ports.workflow.start(complaintId);
  await ports.complaints.markWorkflowStarted(complaintId);
}
