import type { Language } from '../../core/complaint';
import type { CustomerEvent, CustomerStatus, CustomerStatusView } from '../../core/customer-status';
import type { FieldIssue } from '../../core/errors';
import { formatCalendarDate } from '../../core/templates/wording';
import { errorText } from './complaint-form-page';
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
      extended: 'Answer date extended to',
      answered: 'Answer sent',
      deemed_accepted: 'Complaint accepted because the deadline passed',
    } satisfies Record<CustomerEvent, string>,
  },
} as const;

const other = (language: Language): Language => (language === 'pl' ? 'en' : 'pl');

const dateTime: Record<Language, Intl.DateTimeFormat> = {
  pl: new Intl.DateTimeFormat('pl-PL', { timeZone: 'Europe/Warsaw', dateStyle: 'long', timeStyle: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Warsaw', dateStyle: 'long', timeStyle: 'short' }),
};

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
    `<form id="status-form" method="post" action="/complaints/status" novalidate>`,
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

export function renderStatusResult(language: Language, view: CustomerStatusView): string {
  const words = copy[language];
  const date = (value: string) => escapeHtml(formatCalendarDate(value, language));
  const events = view.history.map((entry) => {
    const when = `<time datetime="${escapeHtml(entry.at)}">${escapeHtml(dateTime[language].format(new Date(entry.at)))}</time>`;
    const what =
      entry.event === 'extended' && entry.detail
        ? `${words.events.extended} ${date(entry.detail)}`
        : `${words.events[entry.event]}${entry.detail ? `: <q>${escapeHtml(entry.detail)}</q>` : ''}`;
    return `<li>${when} – ${what}</li>`;
  });
  const main = [
    `<h1>${words.statusTitle}</h1>`,
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
    `<p><a href="${escapeHtml(pagePaths.status(language))}">${words.another}</a></p>`,
  ].join('\n');
  return renderPage({ language, title: words.statusTitle, otherLanguageHref: pagePaths.status(other(language), view.reference), main });
}
