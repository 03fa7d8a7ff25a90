import type { Language } from '../complaint';
import { facts, paragraph, renderLetter, type RenderedEmail } from './email-layout';
import { customerGreeting, formatCalendarDate, signOff, type CalendarDate } from './wording';

export interface ExtensionNoticeEmailInput {
  language: Language;
  companyName: string;
  reference: string;
  customerName: string;
  reason: string;
  stillToEstablish: string;
  newResponseDueBy: CalendarDate;
}

/**
 * The notice that makes a longer term valid in a particularly complex case (financial: art. 7 of the act of
 * 5 August 2015, up to 60 days): the reason for the delay, what must still be established, and the expected
 * date of the answer. It must reach the customer before the original term ends; the workflow sees to that.
 */
export function extensionNoticeEmail(input: ExtensionNoticeEmailInput): RenderedEmail {
  const { language, reference } = input;
  const due = formatCalendarDate(input.newResponseDueBy, language);
  const copy =
    language === 'pl'
      ? {
          subject: `Wydłużenie terminu rozpatrzenia reklamacji ${reference}`,
          intro: `Rozpatrzenie Państwa reklamacji nr ${reference} wymaga więcej czasu, niż przewiduje podstawowy termin.`,
          rows: [
            ['Numer reklamacji', reference],
            ['Przyczyna opóźnienia', input.reason],
            ['Okoliczności, które muszą zostać ustalone', input.stillToEstablish],
            ['Przewidywany termin rozpatrzenia reklamacji i udzielenia odpowiedzi', due],
          ] as const,
          closing: `Odpowiemy najpóźniej do ${due}. Jeśli mają Państwo informacje, które mogą przyspieszyć wyjaśnienie sprawy, prosimy odpowiedzieć na tę wiadomość.`,
        }
      : {
          subject: `Complaint ${reference}: we need more time to answer`,
          intro: `Handling your complaint ${reference} needs more time than the standard time limit allows.`,
          rows: [
            ['Reference', reference],
            ['Reason for the delay', input.reason],
            ['Circumstances still to be established', input.stillToEstablish],
            ['Expected date of our answer', due],
          ] as const,
          closing: `We will answer no later than ${due}. If you have information that could help us clarify the matter sooner, please reply to this message.`,
        };
  return renderLetter({
    language,
    companyName: input.companyName,
    reference,
    subject: copy.subject,
    greeting: customerGreeting(input.customerName, language),
    blocks: [paragraph(copy.intro), facts(copy.rows), paragraph(copy.closing)],
    signOff: signOff(language, input.companyName),
  });
}
