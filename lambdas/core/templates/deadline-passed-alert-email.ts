import type { Language } from '../complaint';
import { complaintFacts, paragraph, staffLetter, type RenderedEmail } from './email-layout';
import { formatCalendarDate, type CalendarDate, type SilenceEffect } from './wording';

export interface DeadlinePassedAlertEmailInput {
  language: Language;
  companyName: string;
  reference: string;
  departmentName: string;
  responseDueBy: CalendarDate;
  /** What the policy says the silence means; 'none' still leaves a late answer to send. */
  silence: SilenceEffect;
}

/** To the supervisor: the due date passed without an answer, and what that now means for the company. */
export function deadlinePassedAlertEmail(input: DeadlinePassedAlertEmailInput): RenderedEmail {
  const { language, reference, departmentName, silence } = input;
  const due = formatCalendarDate(input.responseDueBy, language);
  const copy =
    language === 'pl'
      ? {
          subject: `Termin minął: reklamacja ${reference} bez odpowiedzi`,
          passed: `Termin na odpowiedź na reklamację ${reference} (dział: ${departmentName}) upłynął z dniem ${due}, a odpowiedź nie została wysłana.`,
          effect: {
            deemed_accepted: 'Z mocy prawa reklamację uważa się za uznaną: należy zrealizować żądanie klienta.',
            deemed_resolved_for_customer: 'Z mocy prawa reklamację uważa się za rozpatrzoną zgodnie z wolą klienta: należy zrealizować jego żądanie.',
            none: 'Przepisy nie wiążą z tym uznania reklamacji, ale odpowiedź jest spóźniona: prosimy wysłać ją niezwłocznie.',
          }[silence],
        }
      : {
          subject: `Deadline passed: complaint ${reference} unanswered`,
          passed: `The time limit for answering complaint ${reference} (department: ${departmentName}) ended on ${due}, and no answer was sent.`,
          effect: {
            deemed_accepted: "By law the complaint is now deemed accepted: the customer's demand must be carried out.",
            deemed_resolved_for_customer:
              "By law the complaint is now deemed resolved in the customer's favour: the customer's demand must be carried out.",
            none: 'The law does not treat this as acceptance, but the answer is late: please send it without delay.',
          }[silence],
        };
  return staffLetter({ language, companyName: input.companyName, reference }, copy.subject, [
    paragraph(copy.passed),
    paragraph(copy.effect),
    complaintFacts(language, reference, departmentName, due),
  ]);
}
