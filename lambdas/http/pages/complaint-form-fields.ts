import type { Language } from '../../core/complaint';
import { remedies } from '../../core/complaint';

// The complaint form's fields and words, once, for the page the server renders and for the script in the
// browser (web/complaint-form.ts), which validates with the API's own schema and names errors with these
// messages. Pure data: the browser bundle imports it.

export type FieldKind = 'text' | 'email' | 'tel' | 'date' | 'textarea' | 'radio' | 'checkbox' | 'file';

export interface FormField {
  /** The form field's name: the API's dotted field path. */
  name: string;
  kind: FieldKind;
  required: boolean;
  autocomplete?: string;
  maxLength?: number;
}

export const complaintFormFields: readonly FormField[] = [
  { name: 'customer.name', kind: 'text', required: true, autocomplete: 'name', maxLength: 200 },
  { name: 'customer.email', kind: 'email', required: true, autocomplete: 'email', maxLength: 254 },
  { name: 'customer.phone', kind: 'tel', required: false, autocomplete: 'tel', maxLength: 21 },
  { name: 'orderNumber', kind: 'text', required: false, maxLength: 100 },
  { name: 'product', kind: 'text', required: false, maxLength: 200 },
  { name: 'purchaseDate', kind: 'date', required: false },
  { name: 'description', kind: 'textarea', required: true, maxLength: 10_000 },
  // Uploaded by the script (web/complaint-form.ts) before the form is sent; without JavaScript it is not shown.
  { name: 'attachments', kind: 'file', required: false },
  { name: 'desiredRemedy', kind: 'radio', required: true },
  { name: 'answerByEmail', kind: 'checkbox', required: false },
  { name: 'privacyNoticeAccepted', kind: 'checkbox', required: true },
];

/** The element a field's label and error link point at (a radio group: its first option). */
export const fieldId = (name: string, option?: string) => `f-${name.replace(/\./g, '-')}${option ? `-${option}` : ''}`;
export const errorId = (name: string) => `${fieldId(name)}-error`;
export const hintId = (name: string) => `${fieldId(name)}-hint`;

export const formCopy = {
  pl: {
    title: 'Złóż reklamację',
    intro: 'Opisz, co jest nie tak z produktem lub usługą. Odpowiemy w terminie, który podamy po wysłaniu formularza.',
    requiredNote: 'Pola oznaczone słowem „wymagane” trzeba wypełnić.',
    required: 'wymagane',
    optional: 'nieobowiązkowe',
    customerLegend: 'Twoje dane',
    purchaseLegend: 'Zakup',
    submit: 'Wyślij reklamację',
    sending: 'Wysyłanie…',
    networkError: 'Nie udało się wysłać formularza. Sprawdź połączenie i spróbuj ponownie – Twoje dane są zachowane.',
    files: {
      noScript: 'Aby dołączyć zdjęcia lub dokumenty, włącz JavaScript. Reklamację możesz wysłać i bez nich.',
      uploading: 'wysyłanie…',
      attached: 'dołączony',
      failed: 'nie udało się wysłać',
      remove: 'Usuń',
      stillUploading: 'Poczekaj, aż pliki zostaną wysłane.',
      tooMany: 'Możesz dołączyć najwyżej 10 plików.',
      wrongType: (name: string) => `${name}: dołącz zdjęcie (JPEG, PNG, WebP, HEIC) lub plik PDF.`,
      tooLarge: (name: string) => `${name}: plik może mieć najwyżej 10 MB.`,
      empty: (name: string) => `${name}: plik jest pusty.`,
      notSent: (name: string) => `${name}: nie udało się wysłać pliku. Usuń go i dołącz ponownie.`,
    },
    labels: {
      'customer.name': 'Imię i nazwisko',
      'customer.email': 'Adres e-mail',
      'customer.phone': 'Telefon',
      orderNumber: 'Numer zamówienia',
      product: 'Produkt lub usługa',
      purchaseDate: 'Data zakupu',
      description: 'Opis problemu',
      attachments: 'Zdjęcia lub dokumenty',
      desiredRemedy: 'Czego żądasz?',
      answerByEmail: 'Chcę otrzymać odpowiedź e-mailem',
      privacyNoticeAccepted: 'Zapoznałem(-am) się z informacją o przetwarzaniu danych osobowych w celu rozpatrzenia reklamacji',
    } as Record<string, string>,
    hints: {
      'customer.email': 'Na ten adres wyślemy potwierdzenie i odpowiedź.',
      'customer.phone': 'Na przykład +48 600 700 800.',
      purchaseDate: 'Nie późniejsza niż dziś.',
      description: 'Co najmniej 10 znaków: co się stało i kiedy.',
      attachments: 'Na przykład zdjęcie wady lub paragonu: JPEG, PNG, WebP, HEIC lub PDF, do 10 plików, każdy do 10 MB.',
    } as Record<string, string>,
    remedies: { repair: 'Naprawa', replacement: 'Wymiana', price_reduction: 'Obniżenie ceny', refund: 'Zwrot pieniędzy' } as Record<string, string>,
    errors: {
      'customer.name': 'Podaj imię i nazwisko (do 200 znaków, w jednej linii).',
      'customer.email': 'Podaj adres e-mail, na przykład anna@example.com.',
      'customer.phone': 'Podaj numer telefonu, na przykład +48 600 700 800, albo zostaw pole puste.',
      orderNumber: 'Numer zamówienia może mieć do 100 znaków, w jednej linii.',
      product: 'Nazwa produktu może mieć do 200 znaków, w jednej linii.',
      purchaseDate: 'Podaj prawdziwą datę zakupu, nie późniejszą niż dziś.',
      description: 'Opisz problem w co najmniej 10 znakach (najwyżej 10 000).',
      attachments: 'Nie udało się dołączyć pliku. Usuń go i dołącz ponownie.',
      desiredRemedy: 'Wybierz, czego żądasz.',
      answerByEmail: 'Zaznacz pole albo zostaw je puste.',
      privacyNoticeAccepted: 'Potwierdź, że znasz informację o przetwarzaniu danych osobowych.',
    } as Record<string, string>,
  },
  en: {
    title: 'File a complaint',
    intro: 'Tell us what is wrong with the product or service. We will answer by the date shown once you send the form.',
    requiredNote: 'Fields marked “required” must be filled in.',
    required: 'required',
    optional: 'optional',
    customerLegend: 'Your details',
    purchaseLegend: 'Purchase',
    submit: 'Send complaint',
    sending: 'Sending…',
    networkError: 'The form could not be sent. Check your connection and try again – what you entered is kept.',
    files: {
      noScript: 'To attach photos or documents, turn on JavaScript. You can send the complaint without them.',
      uploading: 'uploading…',
      attached: 'attached',
      failed: 'could not be uploaded',
      remove: 'Remove',
      stillUploading: 'Wait until the files are uploaded.',
      tooMany: 'You can attach at most 10 files.',
      wrongType: (name: string) => `${name}: attach a photo (JPEG, PNG, WebP, HEIC) or a PDF.`,
      tooLarge: (name: string) => `${name}: a file can have at most 10 MB.`,
      empty: (name: string) => `${name}: the file is empty.`,
      notSent: (name: string) => `${name}: the file could not be uploaded. Remove it and attach it again.`,
    },
    labels: {
      'customer.name': 'Full name',
      'customer.email': 'E-mail address',
      'customer.phone': 'Phone',
      orderNumber: 'Order number',
      product: 'Product or service',
      purchaseDate: 'Purchase date',
      description: 'What is wrong',
      attachments: 'Photos or documents',
      desiredRemedy: 'What do you ask for?',
      answerByEmail: 'I want the answer by e-mail',
      privacyNoticeAccepted: 'I have read how my personal data is processed to handle the complaint',
    } as Record<string, string>,
    hints: {
      'customer.email': 'We send the confirmation and the answer to this address.',
      'customer.phone': 'For example +48 600 700 800.',
      purchaseDate: 'Not later than today.',
      description: 'At least 10 characters: what happened and when.',
      attachments: 'For example a photo of the defect or of the receipt: JPEG, PNG, WebP, HEIC or PDF, up to 10 files of 10 MB each.',
    } as Record<string, string>,
    remedies: { repair: 'Repair', replacement: 'Replacement', price_reduction: 'Price reduction', refund: 'Refund' } as Record<string, string>,
    errors: {
      'customer.name': 'Enter your full name (up to 200 characters, on one line).',
      'customer.email': 'Enter an e-mail address, for example anna@example.com.',
      'customer.phone': 'Enter a phone number such as +48 600 700 800, or leave it empty.',
      orderNumber: 'The order number can have up to 100 characters, on one line.',
      product: 'The product can have up to 200 characters, on one line.',
      purchaseDate: 'Enter a real purchase date, not later than today.',
      description: 'Describe the problem in at least 10 characters (at most 10,000).',
      attachments: 'A file could not be attached. Remove it and attach it again.',
      desiredRemedy: 'Choose what you ask for.',
      answerByEmail: 'Tick the box or leave it empty.',
      privacyNoticeAccepted: 'Confirm that you have read how your personal data is processed.',
    } as Record<string, string>,
  },
} satisfies Record<Language, unknown>;

export const remedyOptions = remedies;

/** The field an API error names, and the message the page shows for it, in the page's language. */
export function formError(language: Language, issue: { field: string; message: string }): { field: string; message: string } {
  const known = complaintFormFields.find((field) => field.name === issue.field);
  return { field: known ? issue.field : '', message: (known && formCopy[language].errors[issue.field]) || issue.message };
}
