import type { Language } from '../complaint';
import { paragraph, renderLetter, type RenderedEmail } from './email-layout';
import { customerGreeting, signOff } from './wording';

export interface InformationRequestEmailInput {
  language: Language;
  companyName: string;
  reference: string;
  customerName: string;
  /** What staff need to know, as they wrote it. */
  question: string;
}

/** Staff ask the customer for something the complaint is missing. */
export function informationRequestEmail(input: InformationRequestEmailInput): RenderedEmail {
  const { language, reference } = input;
  const copy =
    language === 'pl'
      ? {
          subject: `Prośba o dodatkowe informacje do reklamacji ${reference}`,
          intro: `Aby rozpatrzyć Państwa reklamację nr ${reference}, potrzebujemy dodatkowych informacji:`,
          reply: `Prosimy odpowiedzieć na tę wiadomość, zachowując numer reklamacji ${reference} w temacie.`,
        }
      : {
          subject: `Complaint ${reference}: we need more information`,
          intro: `To handle your complaint ${reference}, we need some more information:`,
          reply: `Please reply to this message, keeping the reference ${reference} in the subject.`,
        };
  return renderLetter({
    language,
    companyName: input.companyName,
    reference,
    subject: copy.subject,
    greeting: customerGreeting(input.customerName, language),
    blocks: [paragraph(copy.intro), paragraph(input.question), paragraph(copy.reply)],
    signOff: signOff(language, input.companyName),
  });
}
