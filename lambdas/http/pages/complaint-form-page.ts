import type { Language } from '../../core/complaint';
import type { FieldIssue } from '../../core/errors';
import { HONEYPOT_FIELD } from '../../core/honeypot';
import { complaintFormFields, errorId, fieldId, formCopy, formError, hintId, remedyOptions, type FormField } from './complaint-form-fields';
import { errorSummary, escapeHtml, pagePaths, renderPage } from './page-layout';

// The complaint form. Rendered empty at build time as the static page (web/site.ts), and by the intake
// function with what was sent and what was wrong when a plain form post (no JavaScript) fails validation.
// `novalidate`: the browser's own bubbles would stop a post without JavaScript before the server could list
// every error at once; the script (web/complaint-form.ts) validates with the API's schema instead.

export interface ComplaintFormState {
  language: Language;
  /** What was sent, by dotted field name. */
  values?: Readonly<Record<string, string>>;
  errors?: readonly FieldIssue[];
  /** What went wrong with the post as a whole (not a field): a too large body, too many posts, a fault of ours. */
  problem?: { heading: string; message: string };
}

export function renderComplaintForm(state: ComplaintFormState): string {
  const { language } = state;
  const copy = formCopy[language];
  const values = state.values ?? {};
  const errors = new Map<string, string>();
  const listed: { href: string; message: string }[] = [];
  for (const issue of state.errors ?? []) {
    const { field, message } = formError(language, issue);
    if (errors.has(field)) continue;
    errors.set(field, message);
    const target = complaintFormFields.find((candidate) => candidate.name === field);
    listed.push({ href: target ? `#${target.kind === 'radio' ? fieldId(field, remedyOptions[0]) : fieldId(field)}` : '#complaint-form', message });
  }
  const field = (name: string) => complaintFormFields.find((candidate) => candidate.name === name)!;
  const render = (name: string) => renderField(field(name), language, values, errors.get(name));
  const main = [
    `<h1>${copy.title}</h1>`,
    state.problem
      ? errorSummary(language, [{ href: '#complaint-form', message: state.problem.message }], state.problem.heading)
      : errorSummary(language, listed),
    `<p>${copy.intro}</p>`,
    `<p class="hint">${copy.requiredNote}</p>`,
    // The language in the address too, so that an answer to a body that could not be read is in the page's language.
    `<form id="complaint-form" class="complaint-form" method="post" action="/complaints?lang=${language}" novalidate data-language="${language}">`,
    `<input type="hidden" name="language" value="${language}">`,
    honeypot(language),
    `<fieldset><legend>${copy.customerLegend}</legend>`,
    render('customer.name'),
    render('customer.email'),
    render('customer.phone'),
    '</fieldset>',
    `<fieldset><legend>${copy.purchaseLegend}</legend>`,
    render('product'),
    render('orderNumber'),
    render('purchaseDate'),
    '</fieldset>',
    render('description'),
    render('attachments'),
    render('desiredRemedy'),
    render('answerByEmail'),
    render('privacyNoticeAccepted'),
    `<p class="form-status" id="form-status" role="status" aria-live="polite"></p>`,
    `<button type="submit" class="button">${copy.submit}</button>`,
    '</form>',
  ].join('\n');
  return renderPage({
    language,
    title: copy.title,
    otherLanguageHref: pagePaths.form(language === 'pl' ? 'en' : 'pl'),
    main,
    script: true,
    hasErrors: listed.length > 0 || state.problem !== undefined,
  });
}

/** The attachments field as the form has it, for another form the same script enhances (the status page's reply). */
export function renderAttachmentField(language: Language, error?: string): string {
  return renderField(
    complaintFormFields.find((field) => field.kind === 'file')!,
    language,
    {},
    error,
  );
}

function renderField(field: FormField, language: Language, values: Readonly<Record<string, string>>, error: string | undefined): string {
  const copy = formCopy[language];
  const id = fieldId(field.name);
  const label = escapeHtml(copy.labels[field.name]!);
  const marker = `<span class="marker">(${field.required ? copy.required : copy.optional})</span>`;
  const hint = copy.hints[field.name];
  const describedBy = [hint ? hintId(field.name) : '', error ? errorId(field.name) : ''].filter(Boolean).join(' ');
  const hintHtml = hint ? `<p class="hint" id="${hintId(field.name)}">${escapeHtml(hint)}</p>` : '';
  // The error element is always there (empty when all is well), so the script fills it in place.
  const errorHtml = `<p class="field-error" id="${errorId(field.name)}"${error ? '' : ' hidden'}>${error ? errorText(language, error) : ''}</p>`;
  const invalid = error ? ' aria-invalid="true"' : '';
  const described = describedBy ? ` aria-describedby="${describedBy}"` : '';
  const required = field.required ? ' required aria-required="true"' : '';
  const value = values[field.name] ?? '';
  const wrapper = (inner: string) => `<div class="field${error ? ' field--error' : ''}" data-field="${field.name}">\n${inner}\n</div>`;

  switch (field.kind) {
    case 'radio': {
      const options = remedyOptions
        .map((option) => {
          const optionId = fieldId(field.name, option);
          const checked = value === option ? ' checked' : '';
          // `required` alone: ARIA allows aria-required on a radio group, not on a radio button.
          return `<div class="choice"><input type="radio" id="${optionId}" name="${field.name}" value="${option}"${checked}${invalid}${field.required ? ' required' : ''}><label for="${optionId}">${escapeHtml(copy.remedies[option]!)}</label></div>`;
        })
        .join('\n');
      return wrapper(`<fieldset id="${id}" class="choices"${described}><legend>${label} ${marker}</legend>\n${errorHtml}\n${options}\n</fieldset>`);
    }
    case 'checkbox': {
      const checked = value === 'on' || value === 'true' ? ' checked' : '';
      return wrapper(
        `${errorHtml}\n<div class="choice"><input type="checkbox" id="${id}" name="${field.name}"${checked}${invalid}${described}${required}><label for="${id}">${label} ${marker}</label></div>`,
      );
    }
    case 'file': {
      // Shown by the script, which uploads each file as it is chosen; no `name`, so a post without JavaScript
      // carries nothing of it. The list below says, politely, what happened to each file.
      const accept = 'image/jpeg,image/png,image/webp,image/heic,.heic,application/pdf';
      return [
        `<div class="field${error ? ' field--error' : ''}" data-field="${field.name}" id="${id}-field" hidden>`,
        `<label for="${id}">${label} ${marker}</label>`,
        hintHtml,
        errorHtml,
        `<input type="file" id="${id}" multiple accept="${accept}"${invalid}${described}>`,
        `<ul class="attachment-list" id="${id}-list" aria-live="polite"></ul>`,
        '</div>',
        `<noscript><p class="hint">${escapeHtml(copy.files.noScript)}</p></noscript>`,
      ].join('\n');
    }
    case 'textarea':
      return wrapper(
        `<label for="${id}">${label} ${marker}</label>\n${hintHtml}\n${errorHtml}\n<textarea id="${id}" name="${field.name}" rows="8"${field.maxLength ? ` maxlength="${field.maxLength}"` : ''}${invalid}${described}${required}>${escapeHtml(value)}</textarea>`,
      );
    case 'text':
    case 'email':
    case 'tel':
    case 'date': {
      const autocomplete = field.autocomplete ? ` autocomplete="${field.autocomplete}"` : '';
      const maxLength = field.maxLength ? ` maxlength="${field.maxLength}"` : '';
      return wrapper(
        `<label for="${id}">${label} ${marker}</label>\n${hintHtml}\n${errorHtml}\n<input type="${field.kind}" id="${id}" name="${field.name}" value="${escapeHtml(value)}"${autocomplete}${maxLength}${invalid}${described}${required}>`,
      );
    }
  }
}

/**
 * The honeypot (core/honeypot.ts): hidden by the stylesheet (display: none, so neither eyes nor screen readers
 * meet it), out of the tab order, never autofilled; its label tells anyone who does meet it to leave it empty.
 */
function honeypot(language: Language): string {
  const label = language === 'pl' ? 'Zostaw to pole puste' : 'Leave this field empty';
  return `<div class="trap"><label for="f-${HONEYPOT_FIELD}">${label}</label><input type="text" id="f-${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" value="" tabindex="-1" autocomplete="off"></div>`;
}

/** "Błąd:" read before the message, for those who cannot see its colour. */
export function errorText(language: Language, message: string): string {
  return `<span class="visually-hidden">${language === 'pl' ? 'Błąd:' : 'Error:'}</span> ${escapeHtml(message)}`;
}
