import type { Language } from '../complaint';
import { facts, paragraph, staffLetter, type RenderedEmail } from './email-layout';
import { formatCalendarDate, type CalendarDate } from './wording';

export interface DepartmentAssignmentEmailInput {
  language: Language;
  companyName: string;
  reference: string;
  departmentName: string;
  responseDueBy: CalendarDate;
  /** The day the answer should go out so that it reaches the customer before the due date. */
  internalTarget: CalendarDate;
  /** Which assignment rule matched, in words. */
  reason: string;
}

/**
 * To the department: a complaint is theirs, why, and by when. It carries no customer contact details or
 * description (an internal mailbox is not where personal data should spread); staff read those in the panel.
 */
export function departmentAssignmentEmail(input: DepartmentAssignmentEmailInput): RenderedEmail {
  const { language, reference, departmentName } = input;
  const due = formatCalendarDate(input.responseDueBy, language);
  const target = formatCalendarDate(input.internalTarget, language);
  const copy =
    language === 'pl'
      ? {
          subject: `Reklamacja ${reference} przydzielona do działu: ${departmentName}`,
          intro: `Reklamacja ${reference} została przydzielona do działu: ${departmentName}.`,
          rows: [
            ['Numer reklamacji', reference],
            ['Dział', departmentName],
            ['Powód przydziału', input.reason],
            ['Cel wewnętrzny', target],
            ['Termin odpowiedzi', due],
          ] as const,
          action: `Prosimy wysłać odpowiedź do ${target}, aby dotarła do klienta przed upływem terminu ${due}.`,
          where: 'Dane klienta i opis reklamacji są dostępne w panelu obsługi reklamacji.',
        }
      : {
          subject: `Complaint ${reference} assigned to ${departmentName}`,
          intro: `Complaint ${reference} has been assigned to ${departmentName}.`,
          rows: [
            ['Reference', reference],
            ['Department', departmentName],
            ['Why this department', input.reason],
            ['Internal target', target],
            ['Response due by', due],
          ] as const,
          action: `Please send the answer by ${target} so that it reaches the customer before the deadline of ${due}.`,
          where: "The customer's details and the description are in the complaints panel.",
        };
  return staffLetter({ language, companyName: input.companyName, reference }, copy.subject, [
    paragraph(copy.intro),
    facts(copy.rows),
    paragraph(copy.action),
    paragraph(copy.where),
  ]);
}
