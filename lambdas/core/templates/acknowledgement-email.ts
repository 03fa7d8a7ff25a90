import type { Language } from '../complaint';
import { facts, heading, link, paragraph, renderLetter, type RenderedEmail } from './email-layout';
import { customerGreeting, formatCalendarDate, remedyWords, signOff, type CalendarDate, type Remedy } from './wording';

export interface AcknowledgementEmailInput {
  language: Language;
  companyName: string;
  reference: string;
  customerName: string;
  receivedOn: CalendarDate;
  /** The last day by which the company must answer under the complaint's policy. */
  responseDueBy: CalendarDate;
  product?: string;
  orderNumber?: string;
  purchaseDate?: CalendarDate;
  description: string;
  desiredRemedy: Remedy;
  /** The status page, where the reference and the customer's e-mail address open the complaint. */
  statusPageUrl?: string;
}

/** To the customer: the complaint was received, under which reference, what we understood, and by when we answer. */
export function acknowledgementEmail(input: AcknowledgementEmailInput): RenderedEmail {
  const { language, reference } = input;
  const date = (value: CalendarDate) => formatCalendarDate(value, language);
  const purchased = input.purchaseDate === undefined ? undefined : date(input.purchaseDate);
  const remedy = remedyWords[language][input.desiredRemedy];
  const copy =
    language === 'pl'
      ? {
          subject: `Potwierdzenie przyjęcia reklamacji ${reference}`,
          intro: `Potwierdzamy przyjęcie Państwa reklamacji w dniu ${date(input.receivedOn)}. Nadaliśmy jej numer ${reference}.`,
          due: `Odpowiemy na reklamację najpóźniej do ${date(input.responseDueBy)}.`,
          summary: 'Otrzymaliśmy następujące informacje:',
          rows: [
            ['Numer reklamacji', reference],
            ['Data przyjęcia', date(input.receivedOn)],
            ['Produkt lub usługa', input.product],
            ['Numer zamówienia', input.orderNumber],
            ['Data zakupu', purchased],
            ['Żądanie', remedy],
          ] as const,
          descriptionHeading: 'Opis reklamacji',
          correction: 'Jeśli któraś z tych informacji jest niepełna lub błędna, prosimy odpowiedzieć na tę wiadomość.',
          status: 'Status reklamacji sprawdzą Państwo na stronie',
        }
      : {
          subject: `Acknowledgement of your complaint ${reference}`,
          intro: `We confirm that we received your complaint on ${date(input.receivedOn)}. Its reference number is ${reference}.`,
          due: `We will answer your complaint no later than ${date(input.responseDueBy)}.`,
          summary: 'This is what we received:',
          rows: [
            ['Reference', reference],
            ['Received on', date(input.receivedOn)],
            ['Product or service', input.product],
            ['Order number', input.orderNumber],
            ['Purchase date', purchased],
            ['Remedy requested', remedy],
          ] as const,
          descriptionHeading: 'Description',
          correction: 'If any of this is incomplete or wrong, please reply to this message.',
          status: 'You can check the status of your complaint at',
        };
  return renderLetter({
    language,
    companyName: input.companyName,
    reference,
    subject: copy.subject,
    greeting: customerGreeting(input.customerName, language),
    blocks: [
      paragraph(copy.intro),
      paragraph(copy.due),
      paragraph(copy.summary),
      facts(copy.rows),
      heading(copy.descriptionHeading),
      paragraph(input.description),
      paragraph(copy.correction),
      ...(input.statusPageUrl ? [link(copy.status, input.statusPageUrl)] : []),
    ],
    signOff: signOff(language, input.companyName),
  });
}
