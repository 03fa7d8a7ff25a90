import { customerEmailOf, customerNameOf, type Complaint, type SentEmail } from '../core/complaint';
import { acknowledgementEmail } from '../core/templates';
import type { ComplaintRepository, Mailer, WorkflowFact } from './ports';
import { sendOnce, type SendOncePorts } from './send-once';

export interface AcknowledgePorts extends SendOncePorts {
  complaints: ComplaintRepository;
  mailer: Mailer;
  companyName: string;
  /** The customer's status page for a reference, when the deployment has pages (PUBLIC_BASE_URL). */
  statusPageUrl?: (reference: string, language: Complaint['language']) => string;
}

/**
 * Workflow step 1: the customer learns the reference and the date by which the company must answer.
 * `complaint`: as read for the plan a moment before, which every action of the workflow works from
 * (workflow-steps.ts); reading it again here cost a query per complaint and guarded nothing the send-once
 * claim and the record's condition do not.
 * `together`: facts recorded in the same change as the acknowledgement (the routing, decided a moment before:
 * one complaint write instead of two). If any of them no longer applies, the acknowledgement is recorded
 * alone: its record is what keeps the e-mail from going out twice.
 */
export async function acknowledgeComplaint(
  complaint: Complaint,
  ports: AcknowledgePorts,
  /** Made when the e-mail has gone out, so what they record happened after it (asked again if the record is retried). */
  together: () => WorkflowFact[] | Promise<WorkflowFact[]> = () => [],
  /** Called when `together` no longer applied and the acknowledgement was recorded alone. */
  whenAlone?: () => Promise<unknown>,
): Promise<SentEmail> {
  const complaintId = complaint.id;
  const email = () =>
    acknowledgementEmail({
      language: complaint.language,
      companyName: ports.companyName,
      reference: complaint.reference,
      customerName: customerNameOf(complaint),
      receivedOn: complaint.receivedOn,
      responseDueBy: complaint.responseDueBy,
      product: complaint.product,
      orderNumber: complaint.orderNumber,
      purchaseDate: complaint.purchaseDate,
      description: complaint.description,
      desiredRemedy: complaint.desiredRemedy,
      statusPageUrl: ports.statusPageUrl?.(complaint.reference, complaint.language),
    });
  const sent = await sendOnce(
    {
      email: { complaintId, name: 'acknowledgement', record: 'acknowledgement' },
      recorded: complaint.acknowledgement,
      send: (attempt) =>
        ports.mailer.send({ to: customerEmailOf(complaint), evidence: { complaintId, record: 'acknowledgement' }, attempt, ...email() }),
      record: async (value) => {
        const alongside = await together();
        if (alongside.length > 0 && (await ports.complaints.record(complaintId, { kind: 'acknowledgement', value }, ...alongside))) return true;
        const alone = await ports.complaints.record(complaintId, { kind: 'acknowledgement', value });
        if (alongside.length > 0) await whenAlone?.();
        return alone;
      },
    },
    ports,
  );
  // The status stays `received` until the department is assigned (with the acknowledgement, or a moment later
  // in the same step): a write for a status nobody would see costs a complaint write and one per list index.
  return sent;
}
