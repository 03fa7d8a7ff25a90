import type { Language } from '../complaint';
import { facts, paragraph, renderLetter, type RenderedEmail } from './email-layout';
import { customerGreeting, formatCalendarDate, signOff, type CalendarDate, type SilenceEffect } from './wording';

export interface DeemedAcceptedEmailInput {
  language: Language;
  companyName: string;
  reference: string;
  customerName: string;
  responseDueBy: CalendarDate;
  silence: Exclude<SilenceEffect, 'none'>;
}

/**
 * To the customer when the due date passed without an answer and the law gives silence an effect: the
 * complaint is deemed accepted (consumer: art. 7a ust. 2 of the consumer rights act; telecom) or deemed
 * resolved in the customer's favour (financial: art. 8 of the act of 5 August 2015).
 */
export function deemedAcceptedEmail(input: DeemedAcceptedEmailInput): RenderedEmail {
  const { language, reference, silence } = input;
  const due = formatCalendarDate(input.responseDueBy, language);
  const copy =
    language === 'pl'
      ? {
          subject:
            silence === 'deemed_accepted'
              ? `Reklamacja ${reference} została uznana`
              : `Reklamacja ${reference} została rozpatrzona zgodnie z Państwa wolą`,
          passed: `Termin na odpowiedź na Państwa reklamację nr ${reference} upłynął z dniem ${due}, a nie udzieliliśmy odpowiedzi w tym terminie.`,
          effect:
            silence === 'deemed_accepted'
              ? 'Zgodnie z przepisami oznacza to, że reklamację uważa się za uznaną.'
              : 'Zgodnie z przepisami oznacza to, że reklamację uważa się za rozpatrzoną zgodnie z Państwa wolą.',
          next: 'Skontaktujemy się z Państwem w sprawie realizacji Państwa żądania. Przepraszamy za brak odpowiedzi w terminie.',
          rows: [
            ['Numer reklamacji', reference],
            ['Termin na odpowiedź', due],
          ] as const,
        }
      : {
          subject: silence === 'deemed_accepted' ? `Complaint ${reference} is deemed accepted` : `Complaint ${reference} is resolved in your favour`,
          passed: `The time limit for answering your complaint ${reference} ended on ${due}, and we did not answer within it.`,
          effect:
            silence === 'deemed_accepted'
              ? 'Under the law, this means your complaint is deemed accepted.'
              : 'Under the law, this means your complaint is deemed resolved in your favour.',
          next: 'We will contact you about carrying out what you asked for. We apologise for not answering in time.',
          rows: [
            ['Reference', reference],
            ['Response due by', due],
          ] as const,
        };
  return renderLetter({
    language,
    companyName: input.companyName,
    reference,
    subject: copy.subject,
    greeting: customerGreeting(input.customerName, language),
    blocks: [paragraph(copy.passed), paragraph(copy.effect), facts(copy.rows), paragraph(copy.next)],
    signOff: signOff(language, input.companyName),
  });
}
