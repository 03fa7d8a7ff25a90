import type { Language } from '../../core/complaint';
import type { CustomerEvent, CustomerStatus, CustomerStatusView } from '../../core/customer-status';
import { MAX_REPLY_CHARACTERS } from '../../core/reply-limit';
import type { FieldIssue } from '../../core/errors';
import { formatCalendarDate, formatWarsawDateTime } from '../../core/templates/wording';
import { errorText, renderAttachmentField } from './complaint-form-page';
import type { BodyProblem } from './form-problems';
import { errorSummary, escapeHtml, pagePaths, renderPage } from './page-layout';

// The customer's pages after filing: the confirmation (reference and due date) and the status page (ask with
// reference and e-mail, see status, due date and the history meant for customers).

const copy = {
  pl: {
    receivedTitle: 'Reklamacja przyjęta',
    sentTitle: 'Formularz wysłany',
    sentIntro: 'Dziękujemy. Jeśli wysłałeś(-aś) reklamację, potwierdzenie z jej numerem przyjdzie e-mailem w ciągu kilku minut.',
    receivedIntro: 'Dziękujemy. Przyjęliśmy Twoją reklamację.',
    reference: 'Numer reklamacji',
    dueBy: 'Odpowiemy najpóźniej do',
    receivedNext: 'Potwierdzenie wysłaliśmy na Twój adres e-mail. Zachowaj numer reklamacji: z nim i adresem e-mail sprawdzisz jej status.',
    checkStatus: 'Sprawdź status reklamacji',
    statusTitle: 'Status reklamacji',
    statusIntro: 'Podaj numer reklamacji z potwierdzenia i adres e-mail, z którego ją złożono.',
    referenceLabel: 'Numer reklamacji',
    referenceHint: 'Na przykład RK-7XK4M-9QPZT.',
    emailLabel: 'Adres e-mail',
    required: 'wymagane',
    show: 'Pokaż status',
    status: 'Status',
    receivedOn: 'Data przyjęcia',
    history: 'Przebieg',
    another: 'Sprawdź inną reklamację',
    notFound: 'Nie znaleźliśmy reklamacji o tym numerze i adresie e-mail. Sprawdź oba pola.',
    tooMany: (minutes: number) => `Zbyt wiele prób. Spróbuj ponownie za ${minutes} min.`,
    // A post whose body could not be read (form-problems.ts): nothing of it is known, not even the reference.
    unreadable: {
      malformed: 'Nie udało się odczytać formularza. Wyślij go jeszcze raz.',
      get tooLarge() {
        return `Formularz był za duży, by go odczytać. Podaj numer reklamacji i adres e-mail jeszcze raz; odpowiedź może mieć najwyżej ${MAX_REPLY_CHARACTERS.toLocaleString('pl-PL')} znaków.`;
      },
      unsupported: 'Nie udało się odczytać formularza. Wyślij go jeszcze raz z tej strony.',
    } satisfies Record<BodyProblem, string>,
    reply: {
      heading: 'Odpowiedz na nasze pytanie',
      intro: 'Czekamy na Twoją odpowiedź na pytanie powyżej. Możesz dołączyć zdjęcia lub dokumenty.',
      label: 'Twoja odpowiedź',
      // A getter: toLocaleString loads ICU's locale data (~30 ms), which a cold start should not pay for a form
      // most pages never show.
      get hint() {
        return `Do ${MAX_REPLY_CHARACTERS.toLocaleString('pl-PL')} znaków.`;
      },
      send: 'Wyślij odpowiedź',
      sent: 'Dziękujemy. Twoja odpowiedź została przekazana osobie rozpatrującej reklamację.',
      alreadyAnswered: 'Na to pytanie odpowiedź już została wysłana albo reklamacja została już rozpatrzona.',
      errors: { text: 'Wpisz odpowiedź na pytanie.', attachments: 'Nie udało się dołączyć pliku. Dołącz go ponownie.' },
    },
    errors: { reference: 'Podaj numer reklamacji, na przykład RK-7XK4M-9QPZT.', email: 'Podaj adres e-mail, na przykład anna@example.com.' },
    statuses: {
      received: 'Przyjęta',
      in_progress: 'W rozpatrzeniu',
      answered: 'Rozpatrzona – odpowiedź wysłana',
      deemed_accepted: 'Uznana (nie odpowiedzieliśmy w terminie)',
    } satisfies Record<CustomerStatus, string>,
    events: {
      received: 'Reklamacja złożona',
      acknowledged: 'Potwierdziliśmy przyjęcie',
      assigned: 'Reklamacja przekazana do rozpatrzenia',
      information_requested: 'Poprosiliśmy o dodatkowe informacje',
      replied: 'Twoja odpowiedź',
      extended: 'Termin odpowiedzi przedłużony do',
      answered: 'Odpowiedź wysłana',
      deemed_accepted: 'Reklamacja uznana z powodu upływu terminu',
    } satisfies Record<CustomerEvent, string>,
  },
  en: {
    receivedTitle: 'Complaint received',
    sentTitle: 'Form sent',
    sentIntro: 'Thank you. If you sent a complaint, a confirmation with its reference will arrive by e-mail within a few minutes.',
    receivedIntro: 'Thank you. We have received your complaint.',
    reference: 'Reference',
    dueBy: 'We will answer by',
    receivedNext: 'We have sent a confirmation to your e-mail address. Keep the reference: with it and your e-mail address you can check the status.',
    checkStatus: 'Check the status of the complaint',
    statusTitle: 'Complaint status',
    statusIntro: 'Enter the reference from the confirmation and the e-mail address you filed the complaint with.',
    referenceLabel: 'Reference',
    referenceHint: 'For example RK-7XK4M-9QPZT.',
    emailLabel: 'E-mail address',
    required: 'required',
    show: 'Show status',
    status: 'Status',
    receivedOn: 'Received on',
    history: 'History',
    another: 'Check another complaint',
    notFound: 'We found no complaint with this reference and e-mail address. Check both fields.',
    tooMany: (minutes: number) => `Too many attempts. Try again in ${minutes} min.`,
    unreadable: {
      malformed: 'The form could not be read. Please send it again.',
      get tooLarge() {
        return `The form was too large to be read. Enter the reference and e-mail address again; an answer can have at most ${MAX_REPLY_CHARACTERS.toLocaleString('en-GB')} characters.`;
      },
      unsupported: 'The form could not be read. Please send it again from this page.',
    } satisfies Record<BodyProblem, string>,
    reply: {
      heading: 'Answer our question',
      intro: 'We are waiting for your answer to the question above. You can attach photos or documents.',
      label: 'Your answer',
      get hint() {
        return `Up to ${MAX_REPLY_CHARACTERS.toLocaleString('en-GB')} characters.`;
      },
      send: 'Send the answer',
      sent: 'Thank you. Your answer has been passed on to the person considering the complaint.',
      alreadyAnswered: 'This question has been answered already, or the complaint has been decided.',
      errors: { text: 'Enter your answer to the question.', attachments: 'A file could not be attached. Attach it again.' },
    },
    errors: { reference: 'Enter a reference such as RK-7XK4M-9QPZT.', email: 'Enter an e-mail address, for example anna@example.com.' },
    statuses: {
      received: 'Received',
      in_progress: 'Being considered',
      answered: 'Answered – the answer has been sent',
      deemed_accepted: 'Accepted (we did not answer in time)',
    } satisfies Record<CustomerStatus, string>,
    events: {
      received: 'Complaint filed',
      acknowledged: 'We confirmed receipt',
      assigned: 'Complaint passed on for consideration',
      information_requested: 'We asked for more information',
      replied: 'Your answer',
      extended: 'Answer date extended to',
      answered: 'Answer sent',
      deemed_accepted: 'Complaint accepted because the deadline passed',
    } satisfies Record<CustomerEvent, string>,
  },
} as const;

const other = (language: Language): Language => (language === 'pl' ? 'en' : 'pl');

export function renderReceiptPage(language: Language, reference: string, responseDueBy: string): string {
  const words = copy[language];
  const main = [
    `<h1>${words.receivedTitle}</h1>`,
    `<div class="panel" role="status">`,
    `<p>${words.receivedIntro}</p>`,
    '<dl class="facts">',
    `<dt>${words.reference}</dt><dd><strong class="reference" id="reference">${escapeHtml(reference)}</strong></dd>`,
    `<dt>${words.dueBy}</dt><dd id="response-due-by"><time datetime="${escapeHtml(responseDueBy)}">${escapeHtml(formatCalendarDate(responseDueBy, language))}</time></dd>`,
    '</dl>',
    '</div>',
    `<p>${words.receivedNext}</p>`,
    `<p><a href="${escapeHtml(pagePaths.status(language, reference))}">${words.checkStatus}</a></p>`,
  ].join('\n');
  return renderPage({ language, title: words.receivedTitle, otherLanguageHref: pagePaths.received(other(language), reference, responseDueBy), main });
}

/**
 * What a post with a filled honeypot is sent to (core/honeypot.ts), and what anyone opening the confirmation
 * without a reference sees: thanks, and where the reference will come from. It names no complaint.
 */
export function renderSentPage(language: Language): string {
  const words = copy[language];
  const main = [
    `<h1>${words.sentTitle}</h1>`,
    `<div class="panel" role="status"><p>${words.sentIntro}</p></div>`,
    `<p><a href="${escapeHtml(pagePaths.status(language))}">${words.checkStatus}</a></p>`,
  ].join('\n');
  return renderPage({ language, title: words.sentTitle, otherLanguageHref: pagePaths.received(other(language)), main });
}

export interface StatusFormState {
  language: Language;
  reference?: string;
  email?: string;
  /** Field errors (reference, email), or a message about the whole lookup (not found, too many attempts). */
  errors?: readonly FieldIssue[];
  notFound?: boolean;
  retryAfterSeconds?: number;
  /** The post's body could not be read at all (400, 413, 415). */
  unreadable?: BodyProblem;
}

export function renderStatusLookup(state: StatusFormState): string {
  const { language } = state;
  const words = copy[language];
  const fieldErrors = new Map<string, string>();
  for (const issue of state.errors ?? []) {
    if (issue.field === 'reference' || issue.field === 'email') fieldErrors.set(issue.field, words.errors[issue.field]);
  }
  const listed = [
    ...[...fieldErrors].map(([field, message]) => ({ href: `#status-${field}`, message })),
    ...(state.notFound ? [{ href: '#status-reference', message: words.notFound }] : []),
    ...(state.retryAfterSeconds ? [{ href: '#status-reference', message: words.tooMany(Math.ceil(state.retryAfterSeconds / 60)) }] : []),
    ...(state.unreadable ? [{ href: '#status-reference', message: words.unreadable[state.unreadable] }] : []),
  ];
  const input = (name: 'reference' | 'email', label: string, type: string, autocomplete: string, hint?: string) => {
    const id = `status-${name}`;
    const error = fieldErrors.get(name);
    const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    return [
      `<div class="field${error ? ' field--error' : ''}">`,
      `<label for="${id}">${label} <span class="marker">(${words.required})</span></label>`,
      hint ? `<p class="hint" id="${id}-hint">${hint}</p>` : '',
      error ? `<p class="field-error" id="${id}-error">${errorText(language, error)}</p>` : '',
      `<input type="${type}" id="${id}" name="${name}" value="${escapeHtml((name === 'reference' ? state.reference : state.email) ?? '')}" autocomplete="${autocomplete}" required aria-required="true"${error ? ' aria-invalid="true"' : ''}${describedBy ? ` aria-describedby="${describedBy}"` : ''}>`,
      '</div>',
    ]
      .filter(Boolean)
      .join('\n');
  };
  const main = [
    `<h1>${words.statusTitle}</h1>`,
    errorSummary(language, listed),
    `<p>${words.statusIntro}</p>`,
    // The address carries the language, as the complaint form's does: a body that cannot be read is answered in it.
    `<form id="status-form" method="post" action="/complaints/status?lang=${language}" novalidate>`,
    `<input type="hidden" name="language" value="${language}">`,
    input('reference', words.referenceLabel, 'text', 'off', words.referenceHint),
    input('email', words.emailLabel, 'email', 'email'),
    `<button type="submit" class="button">${words.show}</button>`,
    '</form>',
  ].join('\n');
  return renderPage({
    language,
    title: words.statusTitle,
    otherLanguageHref: pagePaths.status(other(language), state.reference),
    main,
    hasErrors: listed.length > 0,
  });
}

/** The status page's reply form, as it was sent and what became of it. */
export interface ReplyState {
  /** The reference and e-mail address the page was asked with: the reply form sends them again. */
  lookup: { reference: string; email: string };
  text?: string;
  errors?: readonly FieldIssue[];
  /** The reply was stored (or was stored before: the same reply again). */
  sent?: boolean;
  /** A reply came when no question waited for one. */
  alreadyAnswered?: boolean;
}

export function renderStatusResult(language: Language, view: CustomerStatusView, reply?: ReplyState): string {
  const words = copy[language];
  const date = (value: string) => escapeHtml(formatCalendarDate(value, language));
  const events = view.history.map((entry) => {
    const when = `<time datetime="${escapeHtml(entry.at)}">${escapeHtml(formatWarsawDateTime(entry.at, language))}</time>`;
    const what =
      entry.event === 'extended' && entry.detail
        ? `${words.events.extended} ${date(entry.detail)}`
        : `${words.events[entry.event]}${entry.detail ? `: <q>${escapeHtml(entry.detail)}</q>` : ''}`;
    return `<li>${when} – ${what}</li>`;
  });
  const form = view.awaitingReply && reply ? replyForm(language, reply) : undefined;
  const main = [
    `<h1>${words.statusTitle}</h1>`,
    form
      ? form.summary
      : errorSummary(language, reply?.alreadyAnswered ? [{ href: '#complaint-history', message: words.reply.alreadyAnswered }] : []),
    reply?.sent ? `<div class="panel" role="status"><p>${words.reply.sent}</p></div>` : '',
    '<div class="panel">',
    '<dl class="facts">',
    `<dt>${words.reference}</dt><dd><strong class="reference" id="reference">${escapeHtml(view.reference)}</strong></dd>`,
    `<dt>${words.status}</dt><dd id="complaint-status">${words.statuses[view.status]}</dd>`,
    `<dt>${words.receivedOn}</dt><dd>${date(view.receivedOn)}</dd>`,
    `<dt>${words.dueBy}</dt><dd id="response-due-by"><time datetime="${escapeHtml(view.responseDueBy)}">${date(view.responseDueBy)}</time></dd>`,
    '</dl>',
    '</div>',
    `<h2>${words.history}</h2>`,
    `<ol class="history" id="complaint-history">`,
    ...events,
    '</ol>',
    form?.html ?? '',
    `<p><a href="${escapeHtml(pagePaths.status(language))}">${words.another}</a></p>`,
  ]
    .filter(Boolean)
    .join('\n');
  return renderPage({
    language,
    title: words.statusTitle,
    otherLanguageHref: pagePaths.status(other(language), view.reference),
    main,
    // The page's script uploads the reply's files, as the complaint form's.
    script: form !== undefined,
    hasErrors: form?.hasErrors || reply?.alreadyAnswered,
  });
}

/**
 * The answer to an information request: the text, and files uploaded by the page's script (the complaint form's
 * attachments field; without JavaScript the text alone is sent). Reference and e-mail travel as hidden fields:
 * they are what the customer just typed, on a page that is never cached.
 */
function replyForm(language: Language, reply: ReplyState): { html: string; summary: string; hasErrors: boolean } {
  const words = copy[language].reply;
  const textError = reply.errors?.some((issue) => issue.field === 'text') ? words.errors.text : undefined;
  const filesError = reply.errors?.some((issue) => issue.field.startsWith('attachments')) ? words.errors.attachments : undefined;
  const listed = [
    ...(textError ? [{ href: '#reply-text', message: textError }] : []),
    ...(filesError ? [{ href: '#f-attachments', message: filesError }] : []),
  ];
  const describedBy = ['reply-text-hint', textError ? 'reply-text-error' : ''].filter(Boolean).join(' ');
  const html = [
    `<h2 id="reply-heading">${words.heading}</h2>`,
    `<p>${words.intro}</p>`,
    `<form id="reply-form" method="post" action="/complaints/status/reply?lang=${language}" novalidate data-language="${language}" aria-labelledby="reply-heading">`,
    `<input type="hidden" name="language" value="${language}">`,
    `<input type="hidden" name="reference" value="${escapeHtml(reply.lookup.reference)}">`,
    `<input type="hidden" name="email" value="${escapeHtml(reply.lookup.email)}">`,
    '<input type="hidden" name="attachments" value="">',
    `<div class="field${textError ? ' field--error' : ''}">`,
    `<label for="reply-text">${words.label} <span class="marker">(${copy[language].required})</span></label>`,
    `<p class="hint" id="reply-text-hint">${escapeHtml(words.hint)}</p>`,
    textError ? `<p class="field-error" id="reply-text-error">${errorText(language, textError)}</p>` : '',
    `<textarea id="reply-text" name="text" rows="8" maxlength="${MAX_REPLY_CHARACTERS}" required aria-required="true"${textError ? ' aria-invalid="true"' : ''} aria-describedby="${describedBy}">${escapeHtml(reply.text ?? '')}</textarea>`,
    '</div>',
    renderAttachmentField(language, filesError),
    `<p class="form-status" id="form-status" role="status" aria-live="polite"></p>`,
    `<button type="submit" class="button">${words.send}</button>`,
    '</form>',
  ]
    .filter(Boolean)
    .join('\n');
  return { html, summary: errorSummary(language, listed), hasErrors: listed.length > 0 };
}
