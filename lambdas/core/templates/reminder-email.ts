import type { Language } from '../complaint';
import { complaintFacts, paragraph, staffLetter, type RenderedEmail } from './email-layout';
import { formatCalendarDate, workingDays, type CalendarDate } from './wording';

export interface ReminderEmailInput {
  language: Language;
  companyName: string;
  reference: string;
  departmentName: string;
  responseDueBy: CalendarDate;
  /** Working days from the day of the reminder to the due date (0: the due date is today). */
  workingDaysLeft: number;
  /** To the supervisor instead of the department: the complaint is close to its deadline and still unanswered. */
  escalation: boolean;
}

/** A reminder to the department, or (escalation) a warning to its supervisor, before the due date. */
export function reminderEmail(input: ReminderEmailInput): RenderedEmail {
  const { language, reference, departmentName, workingDaysLeft, escalation } = input;
  const due = formatCalendarDate(input.responseDueBy, language);
  const copy =
    language === 'pl'
      ? {
          subject: escalation
            ? `Eskalacja: reklamacja ${reference} bez odpowiedzi, termin ${due}`
            : `Przypomnienie: reklamacja ${reference}, termin ${due}`,
          intro: escalation
            ? `Reklamacja ${reference}, przydzielona do działu: ${departmentName}, nadal nie ma odpowiedzi. Prosimy dopilnować, aby odpowiedź została wysłana przed upływem terminu.`
            : `Przypominamy, że reklamacja ${reference} czeka na odpowiedź działu: ${departmentName}.`,
          left: workingDaysLeft === 0 ? `Termin upływa dziś, ${due}.` : `Termin upływa ${due}, za ${workingDays(workingDaysLeft, language)}.`,
        }
      : {
          subject: escalation ? `Escalation: complaint ${reference} unanswered, due ${due}` : `Reminder: complaint ${reference}, due ${due}`,
          intro: escalation
            ? `Complaint ${reference}, assigned to ${departmentName}, still has no answer. Please make sure the answer is sent before the deadline.`
            : `A reminder that complaint ${reference} is waiting for an answer from ${departmentName}.`,
          left: workingDaysLeft === 0 ? `The deadline is today, ${due}.` : `The deadline is ${due}, in ${workingDays(workingDaysLeft, language)}.`,
        };
  return staffLetter({ language, companyName: input.companyName, reference }, copy.subject, [
    paragraph(copy.intro),
    paragraph(copy.left),
    complaintFacts(language, reference, departmentName, due),
  ]);
}
