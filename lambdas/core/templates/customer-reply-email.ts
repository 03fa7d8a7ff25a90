import type { Language } from '../complaint';
import { facts, paragraph, staffLetter, type RenderedEmail } from './email-layout';
import { formatCalendarDate, formatWarsawDateTime, type CalendarDate } from './wording';

export interface CustomerReplyEmailInput {
  language: Language;
  companyName: string;
  reference: string;
  departmentName: string;
  /** When the customer answered (an instant). */
  repliedAt: string;
  /** How many files came with the answer. */
  attachments: number;
  responseDueBy: CalendarDate;
}

/**
 * To the department: the customer answered its question, so the complaint can move on. Like the assignment
 * notice it carries neither the answer nor the files (personal data stays in the panel), only that there is
 * one, when, and the due date, which the request did not move.
 */
export function customerReplyEmail(input: CustomerReplyEmailInput): RenderedEmail {
  const { language, reference } = input;
  const due = formatCalendarDate(input.responseDueBy, language);
  const when = formatWarsawDateTime(input.repliedAt, language);
  const copy =
    language === 'pl'
      ? {
          subject: `Klient odpowiedział na pytanie – reklamacja ${reference}`,
          intro: `Klient odpowiedział na pytanie zadane w reklamacji ${reference}, przydzielonej do działu: ${input.departmentName}.`,
          rows: [
            ['Numer reklamacji', reference],
            ['Odpowiedź z', when],
            ['Załączone pliki', String(input.attachments)],
            ['Termin odpowiedzi', due],
          ] as const,
          where: 'Odpowiedź i pliki są w historii reklamacji w panelu obsługi reklamacji. Termin odpowiedzi się nie zmienił.',
        }
      : {
          subject: `The customer answered the question on complaint ${reference}`,
          intro: `The customer answered the question asked on complaint ${reference}, assigned to ${input.departmentName}.`,
          rows: [
            ['Reference', reference],
            ['Answered on', when],
            ['Attached files', String(input.attachments)],
            ['Response due by', due],
          ] as const,
          where: "The answer and the files are in the complaint's history in the complaints panel. The response deadline has not changed.",
        };
  return staffLetter({ language, companyName: input.companyName, reference }, copy.subject, [
    paragraph(copy.intro),
    facts(copy.rows),
    paragraph(copy.where),
  ]);
}
