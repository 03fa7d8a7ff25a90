// Runs in the browser: type-checked by web/tsconfig.json (DOM types), not by the root tsconfig.json.
import { complaintSubmissionSchema } from '../lambdas/core/complaint';
import type { Language } from '../lambdas/core/complaint';
import { complaintFormFields, errorId, fieldId, formCopy, formError, hintId, remedyOptions } from '../lambdas/http/pages/complaint-form-fields';

// The complaint form, better with JavaScript: the same schema as the API checks every field before anything
// is sent (inline, as the customer leaves a field, and all at once on submit); the form posts JSON with an
// Idempotency-Key made here, so a double click or a retry after a lost answer files one complaint; nothing the
// customer typed is lost on an error. Without this script the form posts itself and the server answers pages.

interface Issue {
  field: string;
  message: string;
}

const form = document.getElementById('complaint-form');
if (form instanceof HTMLFormElement) enhance(form);

function enhance(form: HTMLFormElement): void {
  const language: Language = form.dataset.language === 'en' ? 'en' : 'pl';
  const copy = formCopy[language];
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
  const status = document.getElementById('form-status')!;
  const summary = document.getElementById('error-summary')!;
  let sending = false;
  // One key per complaint as sent: the same content sent again (a second click, a retry) reuses it.
  let idempotency: { key: string; body: string } | undefined;
  const touched = new Set<string>();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (sending) return;
    const body = formObject(form);
    const issues = validate(body);
    complaintFormFields.forEach((field) => touched.add(field.name));
    if (issues.length > 0) {
      showErrors(issues, true);
      return;
    }
    showErrors([], false);
    const serialized = JSON.stringify(body);
    if (idempotency?.body !== serialized) idempotency = { key: crypto.randomUUID(), body: serialized };
    void send(serialized, idempotency.key);
  });

  // Inline: a field is checked when the customer leaves it, once it holds something or was marked wrong.
  form.addEventListener('focusout', (event) => {
    const name = (event.target as HTMLInputElement | null)?.name;
    if (!name || !complaintFormFields.some((field) => field.name === name)) return;
    const value = (event.target as HTMLInputElement).value;
    if (value === '' && !touched.has(name)) return;
    touched.add(name);
    const issue = validate(formObject(form)).find((candidate) => candidate.field === name);
    showFieldError(name, issue?.message);
  });

  summary.addEventListener('click', (event) => {
    const link = (event.target as HTMLElement).closest('a');
    const target = link && document.getElementById(link.getAttribute('href')!.slice(1));
    if (!target) return;
    event.preventDefault();
    (target.matches('fieldset') ? target.querySelector<HTMLElement>('input') : target)?.focus();
  });

  async function send(body: string, key: string): Promise<void> {
    sending = true;
    button.setAttribute('aria-disabled', 'true');
    status.textContent = copy.sending;
    try {
      const response = await fetch('/complaints', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': key },
        body,
      });
      if (response.status === 201) {
        const receipt = (await response.json()) as { reference: string; responseDueBy: string };
        const query = new URLSearchParams({ reference: receipt.reference, due: receipt.responseDueBy, lang: language });
        window.location.assign(`/complaints/received?${query.toString()}`);
        return;
      }
      const problem = (await response.json().catch(() => ({}))) as { errors?: Issue[]; detail?: string };
      if (response.status === 422 && problem.errors?.length) {
        status.textContent = '';
        showErrors(problem.errors, true);
      } else {
        status.textContent = problem.detail ? `${copy.networkError} (${problem.detail})` : copy.networkError;
      }
    } catch {
      status.textContent = copy.networkError;
    } finally {
      sending = false;
      button.removeAttribute('aria-disabled');
    }
  }

  function validate(body: Record<string, unknown>): Issue[] {
    const parsed = complaintSubmissionSchema.safeParse(body);
    if (parsed.success) return [];
    return parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.'), message: issue.message }));
  }

  function showErrors(issues: readonly Issue[], focusSummary: boolean): void {
    const byField = new Map<string, string>();
    for (const issue of issues) {
      const { field, message } = formError(language, issue);
      if (!byField.has(field)) byField.set(field, message);
    }
    for (const field of complaintFormFields) showFieldError(field.name, byField.get(field.name));
    if (byField.size === 0) {
      summary.hidden = true;
      summary.removeAttribute('role');
      summary.replaceChildren();
      return;
    }
    const heading = document.createElement('h2');
    heading.id = 'error-summary-title';
    heading.textContent = language === 'pl' ? 'Popraw zaznaczone pola' : 'Please correct the marked fields';
    const list = document.createElement('ul');
    for (const [field, message] of byField) {
      const item = document.createElement('li');
      const link = document.createElement('a');
      const known = complaintFormFields.find((candidate) => candidate.name === field);
      link.href = `#${known?.kind === 'radio' ? fieldId(field, remedyOptions[0]) : known ? fieldId(field) : 'complaint-form'}`;
      link.textContent = message;
      item.append(link);
      list.append(item);
    }
    summary.replaceChildren(heading, list);
    summary.setAttribute('role', 'alert');
    summary.setAttribute('aria-labelledby', 'error-summary-title');
    summary.hidden = false;
    document.title = `${language === 'pl' ? 'Błąd' : 'Error'}: ${document.title.replace(/^(Błąd|Error): /, '')}`;
    if (focusSummary) summary.focus();
  }

  function showFieldError(name: string, message: string | undefined): void {
    const shown = message === undefined ? undefined : formError(language, { field: name, message }).message;
    const error = document.getElementById(errorId(name));
    const wrapper = form.querySelector<HTMLElement>(`[data-field="${name}"]`);
    const field = complaintFormFields.find((candidate) => candidate.name === name);
    if (!error || !wrapper || !field) return;
    error.hidden = shown === undefined;
    error.replaceChildren();
    if (shown !== undefined) {
      const prefix = document.createElement('span');
      prefix.className = 'visually-hidden';
      prefix.textContent = language === 'pl' ? 'Błąd:' : 'Error:';
      error.append(prefix, ` ${shown}`);
    }
    wrapper.classList.toggle('field--error', shown !== undefined);
    const controls = field.kind === 'radio' ? [...wrapper.querySelectorAll('input')] : [document.getElementById(fieldId(name))].filter(Boolean);
    for (const control of controls) {
      if (shown === undefined) control!.removeAttribute('aria-invalid');
      else control!.setAttribute('aria-invalid', 'true');
    }
    const described = field.kind === 'radio' ? document.getElementById(fieldId(name)) : controls[0];
    if (described) {
      const ids = [copy.hints[name] ? hintId(name) : '', shown !== undefined ? errorId(name) : ''].filter(Boolean).join(' ');
      if (ids) described.setAttribute('aria-describedby', ids);
      else described.removeAttribute('aria-describedby');
    }
  }
}

/** The form as the API reads it: dotted names become nested objects; an unticked checkbox is absent. */
function formObject(form: HTMLFormElement): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value !== 'string') continue;
    const path = name.split('.');
    let node = root;
    for (const segment of path.slice(0, -1)) node = (node[segment] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1]!] = value;
  }
  return root;
}
