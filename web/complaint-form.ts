// Runs in the browser: type-checked by web/tsconfig.json (DOM types), not by the root tsconfig.json.
import { complaintSubmissionSchema } from '../lambdas/core/complaint';
import type { Language } from '../lambdas/core/complaint';
import { complaintFormFields, errorId, fieldId, formCopy, formError, hintId, remedyOptions } from '../lambdas/http/pages/complaint-form-fields';
import { attachmentTypes, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, type AttachmentType, type UploadSlot } from '../lambdas/core/attachments';

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
const replyForm = document.getElementById('reply-form');
if (replyForm instanceof HTMLFormElement) enhanceReply(replyForm);

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
  const attachments = attachmentField(language);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (sending) return;
    if (attachments.uploading()) {
      status.textContent = copy.files.stillUploading;
      return;
    }
    const body = formObject(form);
    const attached = attachments.ids();
    if (attached.length > 0) body.attachments = attached;
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
        // A file the server refused (attachments.<n>) is named in the files' own error.
        const refused = problem.errors.filter((issue) => issue.field.startsWith('attachments'));
        attachments.refused(refused.map((issue) => Number(issue.field.split('.')[1])));
        showErrors(
          problem.errors.map((issue) =>
            issue.field.startsWith('attachments') ? { field: 'attachments', message: copy.errors.attachments! } : issue,
          ),
          true,
        );
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

interface Attached {
  file: File;
  item: HTMLLIElement;
  state: 'uploading' | 'attached' | 'failed';
  id?: string;
}

/**
 * The attachments field: each chosen file gets an upload slot (POST /complaints/attachments), is uploaded straight
 * to the bucket with the slot's presigned POST, and is listed with what happened to it and a button to remove it;
 * the form then files the complaint with the ids of the files attached. The list is a polite live region, so a
 * screen reader hears "attached" or "could not be uploaded"; a file refused before upload is named in the field's
 * error, announced by the status line.
 */
function attachmentField(language: Language) {
  const copy = formCopy[language];
  const name = 'attachments';
  const wrapper = document.getElementById(`${fieldId(name)}-field`);
  const input = document.getElementById(fieldId(name));
  const list = document.getElementById(`${fieldId(name)}-list`);
  const error = document.getElementById(errorId(name));
  const status = document.getElementById('form-status');
  const files: Attached[] = [];
  if (!wrapper || !(input instanceof HTMLInputElement) || !list || !error || !status) {
    return { ids: () => [] as string[], uploading: () => false, refused: (_positions: number[]) => undefined };
  }
  wrapper.hidden = false;

  const showError = (messages: string[]) => {
    error.hidden = messages.length === 0;
    error.replaceChildren();
    if (messages.length > 0) {
      const prefix = document.createElement('span');
      prefix.className = 'visually-hidden';
      prefix.textContent = language === 'pl' ? 'Błąd:' : 'Error:';
      error.append(prefix, ` ${messages.join(' ')}`);
      status.textContent = messages.join(' ');
    }
    wrapper.classList.toggle('field--error', messages.length > 0);
    if (messages.length > 0) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    input.setAttribute('aria-describedby', [hintId(name), messages.length > 0 ? errorId(name) : ''].filter(Boolean).join(' '));
  };

  const render = (entry: Attached) => {
    const label = entry.state === 'uploading' ? copy.files.uploading : entry.state === 'attached' ? copy.files.attached : copy.files.failed;
    const text = document.createElement('span');
    text.textContent = `${entry.file.name} (${Math.max(1, Math.round(entry.file.size / 1024))} KB): ${label}`;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'link-button';
    remove.textContent = copy.files.remove;
    const hidden = document.createElement('span');
    hidden.className = 'visually-hidden';
    hidden.textContent = ` ${entry.file.name}`;
    remove.append(hidden);
    remove.addEventListener('click', () => {
      files.splice(files.indexOf(entry), 1);
      entry.item.remove();
      showError([]);
      input.focus();
    });
    entry.item.className = `attachment attachment--${entry.state}`;
    entry.item.replaceChildren(text, ' ', remove);
  };

  input.addEventListener('change', () => {
    const chosen = [...(input.files ?? [])];
    input.value = '';
    const problems: string[] = [];
    const accepted: { file: File; type: AttachmentType }[] = [];
    for (const file of chosen) {
      const type = typeOf(file);
      if (files.length + accepted.length >= MAX_ATTACHMENTS) {
        problems.push(copy.files.tooMany);
        break;
      }
      if (!type) problems.push(copy.files.wrongType(file.name));
      else if (file.size > MAX_ATTACHMENT_BYTES) problems.push(copy.files.tooLarge(file.name));
      else if (file.size === 0) problems.push(copy.files.empty(file.name));
      else accepted.push({ file, type });
    }
    showError(problems);
    if (accepted.length > 0) void upload(accepted);
  });

  async function upload(chosen: { file: File; type: AttachmentType }[]): Promise<void> {
    const entries = chosen.map(({ file }) => {
      const entry: Attached = { file, item: document.createElement('li'), state: 'uploading' };
      files.push(entry);
      list!.append(entry.item);
      render(entry);
      return entry;
    });
    let slots: UploadSlot[] = [];
    try {
      const response = await fetch('/complaints/attachments', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ files: chosen.map(({ file, type }) => ({ name: file.name, type, size: file.size })) }),
      });
      if (response.status === 201) slots = ((await response.json()) as { slots: UploadSlot[] }).slots;
    } catch {
      slots = [];
    }
    await Promise.all(
      entries.map(async (entry, index) => {
        const slot = slots[index];
        let uploaded = false;
        if (slot) {
          const body = new FormData();
          for (const [field, value] of Object.entries(slot.fields)) body.append(field, value);
          body.append('file', entry.file);
          uploaded = await fetch(slot.url, { method: 'POST', body }).then(
            (answer) => answer.ok,
            () => false,
          );
        }
        entry.state = uploaded ? 'attached' : 'failed';
        if (uploaded) entry.id = slot!.id;
        render(entry);
      }),
    );
    const failed = entries.filter((entry) => entry.state === 'failed');
    if (failed.length > 0) showError(failed.map((entry) => copy.files.notSent(entry.file.name)));
  }

  return {
    ids: () => files.filter((entry) => entry.state === 'attached').map((entry) => entry.id!),
    uploading: () => files.some((entry) => entry.state === 'uploading'),
    /** The files the server refused, by their position among those sent: marked as failed. */
    refused(positions: number[]) {
      const sent = files.filter((entry) => entry.state === 'attached');
      for (const position of positions) {
        const entry = sent[position];
        if (entry) {
          entry.state = 'failed';
          render(entry);
        }
      }
    },
  };
}

/**
 * The status page's answer to a question: files are uploaded as on the complaint form, then the form posts
 * itself as it would without this script, their ids in its `attachments` field; the server answers with the page.
 */
function enhanceReply(form: HTMLFormElement): void {
  const language: Language = form.dataset.language === 'en' ? 'en' : 'pl';
  const attachments = attachmentField(language);
  const status = document.getElementById('form-status');
  const ids = form.elements.namedItem('attachments');
  form.addEventListener('submit', (event) => {
    if (attachments.uploading()) {
      event.preventDefault();
      if (status) status.textContent = formCopy[language].files.stillUploading;
      return;
    }
    if (ids instanceof HTMLInputElement) ids.value = attachments.ids().join(' ');
  });
}

/** The declared type: what the browser says, or by the name for HEIC (which many browsers leave untyped). */
function typeOf(file: File): AttachmentType | undefined {
  const type = file.type === '' && /\.heic$/i.test(file.name) ? 'image/heic' : file.type;
  return (attachmentTypes as readonly string[]).includes(type) ? (type as AttachmentType) : undefined;
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
