import type { Language } from '../complaint';
import { complaintFacts, paragraph, staffLetter, type RenderedEmail } from './email-layout';
import { formatCalendarDate, type CalendarDate } from './wording';

export interface BouncedAnswerAlertEmailInput {
  language: Language;
  companyName: string;
  reference: string;
  departmentName: string;
  /** What bounced: the answer itself, or the notice extending its term. */
  what: 'decision' | 'extension_notice';
  responseDueBy: CalendarDate;
  /** How the policy's term is met: `receipt` (the answer must reach the customer) or `dispatch` (sending suffices). */
  metBy: 'receipt' | 'dispatch';
}

/**
 * To the supervisor and the department: the customer's address refused the answer (a permanent bounce), so the
 * customer has not read it. Where the answer counts when it reaches the customer (art. 61 KC), it has not been
 * given yet: the fallback is the printed letter, or reaching the customer another way, before the due date.
 */
export function bouncedAnswerAlertEmail(input: BouncedAnswerAlertEmailInput): RenderedEmail {
  const { language, reference, departmentName } = input;
  const due = formatCalendarDate(input.responseDueBy, language);
  const copy =
    language === 'pl'
      ? {
          subject: `Odpowiedź nie dotarła: reklamacja ${reference}`,
          bounced: `${input.what === 'decision' ? 'Odpowiedź na reklamację' : 'Zawiadomienie o przedłużeniu terminu reklamacji'} ${reference} (dział: ${departmentName}) nie dotarła do klienta: jego skrzynka odrzuciła wiadomość.`,
          law:
            input.metBy === 'receipt'
              ? `Odpowiedź liczy się dopiero, gdy dotrze do klienta (art. 61 KC), a termin mija z dniem ${due}. Prosimy wydrukować pismo (complaints letter ${reference}) i wysłać je pocztą albo skontaktować się z klientem inaczej, tak aby dotarła przed terminem.`
              : `Wysłanie przed terminem (${due}) wystarcza prawnie, ale klient nie otrzymał odpowiedzi: prosimy wysłać wydrukowane pismo (complaints letter ${reference}) albo skontaktować się z klientem inaczej.`,
        }
      : {
          subject: `Answer not delivered: complaint ${reference}`,
          bounced: `The ${input.what === 'decision' ? 'answer to complaint' : 'notice extending the term of complaint'} ${reference} (department: ${departmentName}) did not reach the customer: their mailbox refused it.`,
          law:
            input.metBy === 'receipt'
              ? `The answer counts only once it reaches the customer (art. 61 KC), and the term ends on ${due}. Please print the letter (complaints letter ${reference}) and post it, or reach the customer another way, so that it arrives in time.`
              : `Sending before the term (${due}) suffices in law, but the customer has not received the answer: please post the printed letter (complaints letter ${reference}) or reach the customer another way.`,
        };
  return staffLetter({ language, companyName: input.companyName, reference }, copy.subject, [
    paragraph(copy.bounced),
    paragraph(copy.law),
    complaintFacts(language, reference, departmentName, due),
  ]);
}
