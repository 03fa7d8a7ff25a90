import type { Acknowledgement } from '../core/complaint';
import { statusAfterAcknowledgement } from '../core/complaint-lifecycle';
import { NotFound } from '../core/errors';
import { acknowledgementEmail } from '../core/templates';
import type { ComplaintRepository } from '../adapters/complaint-repository';
import type { Mailer } from '../adapters/mailer';

export interface AcknowledgePorts {
  complaints: ComplaintRepository;
  mailer: Mailer;
  now: () => Date;
  companyName: string;
}

// Concurrent edits by staff bump the version; a few re-reads settle it.
const ATTEMPTS = 5;

/**
 * Sends the acknowledgement at most once per complaint as far as our records go: a retried step finds the
 * recorded message and sends nothing. The one window left (SES accepted, our write lost) errs towards a
 * second e-mail rather than none, because the law cares that the customer hears from us.
 */
export async function acknowledgeComplaint(complaintId: string, ports: AcknowledgePorts): Promise<Acknowledgement> {
  let complaint = await ports.complaints.get(complaintId);
  if (!complaint) throw new NotFound(`No complaint ${complaintId}`);
  if (complaint.acknowledgement) return complaint.acknowledgement;

  const email = acknowledgementEmail({
    language: complaint.language,
    companyName: ports.companyName,
    reference: complaint.reference,
    customerName: complaint.customer.name,
    receivedOn: complaint.receivedOn,
    responseDueBy: complaint.responseDueBy,
    product: complaint.product,
    orderNumber: complaint.orderNumber,
    purchaseDate: complaint.purchaseDate,
    description: complaint.description,
    desiredRemedy: complaint.desiredRemedy,
  });
  const messageId = await ports.mailer.send({ to: complaint.customer.email, ...email });
  const acknowledgement = { messageId, sentAt: ports.now().toISOString() };

  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    if (await ports.complaints.recordAcknowledgement(complaint, acknowledgement, statusAfterAcknowledgement(complaint.status))) {
      return acknowledgement;
    }
    complaint = await ports.complaints.get(complaintId);
    if (!complaint) throw new NotFound(`No complaint ${complaintId}`);
    if (complaint.acknowledgement) return complaint.acknowledgement;
  }
  throw new Error(`Could not record the acknowledgement of ${complaintId} after ${ATTEMPTS} attempts`);
}
