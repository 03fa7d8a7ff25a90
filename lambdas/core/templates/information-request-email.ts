import type { Language } from '../complaint';
import { link, paragraph, renderLetter, type RenderedEmail } from './email-layout';
import { customerGreeting, signOff } from './wording';

export interface InformationRequestEmailInput {
  language: Language;
  companyName: string;
  reference: string;
  customerName: string;
  /** What staff need to know, as they wrote it. */
  question: string;
  /** The complaint's status page, whose form takes the answer (and files) onto the complaint. */
  statusPageUrl?: string;
}

/**
 * Staff ask the customer for something the complaint is missing. The answer goes through the status page's
 * form, which stores it on the complaint and tells the department: the product receives no e-mail, so the
 * letter never asks for a reply to itself.
 */
export function informationRequestEmail(input: InformationRequestEmailInput): RenderedEmail {
  const { language, reference } = input;
  const copy =
    language === 'pl'
      ? {
          subject: `Prośba o dodatkowe informacje do reklamacji ${reference}`,
          intro: `Aby rozpatrzyć Państwa reklamację nr ${reference}, potrzebujemy dodatkowych informacji:`,
          answerAt: 'Odpowiedź (i ewentualne pliki) prosimy przekazać na stronie reklamacji',
          answerQuoting: `Prosimy o odpowiedź przez stronę statusu reklamacji, podając numer ${reference}.`,
        }
      : {
          subject: `Complaint ${reference}: we need more information`,
          intro: `To handle your complaint ${reference}, we need some more information:`,
          answerAt: 'Please give your answer (and any files) on your complaint’s page',
          answerQuoting: `Please answer through the complaint status page, quoting the reference ${reference}.`,
        };
  return renderLetter({
    language,
    companyName: input.companyName,
    reference,
    subject: copy.subject,
    greeting: customerGreeting(input.customerName, language),
    blocks: [
      paragraph(copy.intro),
      paragraph(input.question),
      input.statusPageUrl ? link(copy.answerAt, input.statusPageUrl) : paragraph(copy.answerQuoting),
    ],
    signOff: signOff(language, input.companyName),
  });
}
