import type { DeliveryEvidence } from '../core/delivery-evidence';
import { handlingDepartment, STAFF_LANGUAGE, type DepartmentRules } from '../core/department-rules';
import type { PolicyRegistry } from '../core/deadline-policy';
import { bouncedAnswerAlertEmail } from '../core/templates';
import type { ComplaintRepository, Mailer } from './ports';
import { sendOnce, type SendOncePorts } from './send-once';

// Under art. 61 KC an answer is given when it reaches the customer (domain.md: for `metBy: receipt` the product
// keeps the evidence of delivery, "with a fallback plan when an e-mail bounces"). The workflow has finished by
// the time SES reports a bounce; the people who can still act are told at once, with the due date and the
// fallback: the printed letter, or another way to the customer.

export interface BouncedAnswerPorts extends SendOncePorts {
  complaints: ComplaintRepository;
  mailer: Mailer;
  policies: PolicyRegistry;
  departments: DepartmentRules;
  companyName: string;
}

/** The records whose bounce means the customer has not read the answer (or the notice that extends its term). */
const ANSWERS = { decisionSent: 'decision', 'extension.noticeSent': 'extension_notice' } as const;

/** Alerts the supervisor and the department, once per bounced message, when a bounce leaves the customer unanswered. */
export async function alertBouncedAnswer(evidence: DeliveryEvidence, ports: BouncedAnswerPorts): Promise<boolean> {
  if (evidence.delivery !== 'bounced' || !(evidence.record in ANSWERS)) return false;
  const what = ANSWERS[evidence.record as keyof typeof ANSWERS];
  const complaint = await ports.complaints.get(evidence.complaintId);
  if (!complaint) return false;
  const policy = ports.policies.policyFor(complaint.policyId);
  const department = handlingDepartment(complaint, ports.departments);
  const alerted = complaint.bounceAlert?.bounced === evidence.messageId ? complaint.bounceAlert : undefined;
  await sendOnce(
    {
      email: { complaintId: complaint.id, name: `bounce alert: ${evidence.messageId}`, record: 'bounceAlert' },
      recorded: alerted,
      send: (attempt) =>
        ports.mailer.send({
          attempt,
          to: department.supervisorEmail,
          cc: [department.email],
          ...bouncedAnswerAlertEmail({
            language: STAFF_LANGUAGE,
            companyName: ports.companyName,
            reference: complaint.reference,
            departmentName: department.name,
            what,
            responseDueBy: complaint.responseDueBy,
            metBy: policy.metBy,
          }),
        }),
      record: (sent) =>
        ports.complaints.record(complaint.id, { kind: 'bounceAlert', value: { ...sent, bounced: evidence.messageId, record: evidence.record } }),
    },
    ports,
  );
  return true;
}
