import { STATUS_CODES } from 'node:http';
import type { Complaint, ComplaintReceipt, HistoryEntry } from '../lambdas/core/complaint';
import type { ComplaintPage } from '../lambdas/core/complaint-summary';

// What staff read in a terminal. Pure functions of what the API answered, so they are tested without a server.

const NONE = '—';

// What a terminal would act on or reorder rather than show: C0 and C1 control characters and DEL (ESC starts the
// escape sequences that recolour, move the cursor or retitle the window; U+009B is an 8-bit CSI), the bidirectional
// marks, embeddings, overrides and isolates, and lone surrogate halves. The API refuses them in what it stores
// now, but a stored text is shown to other staff, so what is printed is made safe here whatever the API holds.
const ACTED_ON_BY_TERMINALS =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this pattern finds
  /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// The same less what JSON.stringify escapes itself (C0 controls, lone surrogates): for `--json`.
const ACTED_ON_IN_JSON = /[\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

const escaped = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Text as a terminal should show it: every character it would act on written as its escape (ESC as `\u001b`), so
 * one staff member's note cannot recolour, rewrite or reorder another's screen. `lines` keeps newlines and tabs
 * (a description, a note, a whole answer); `one line` escapes them too (a table cell, a name).
 */
export function visible(text: string, keep: 'lines' | 'one line' = 'lines'): string {
  return text.replace(ACTED_ON_BY_TERMINALS, (character) =>
    keep === 'lines' && (character === '\n' || character === '\t') ? character : escaped(character),
  );
}

/** `--json`: the API's answer as exact JSON, with what a terminal would act on written as JSON escapes (the same values). */
export function terminalJson(value: unknown): string {
  return (JSON.stringify(value, null, 2) ?? 'null').replace(ACTED_ON_IN_JSON, escaped);
}

// Staff work in Poland and the product counts its deadlines in Europe/Warsaw, so instants are shown there too.
const warsawMinutes = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Warsaw',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `2026-11-23T09:14:03.120Z` → `2026-11-23 10:14` (Warsaw wall clock). */
export function warsawTime(instant: string): string {
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? instant : warsawMinutes.format(date);
}

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = rows.map((row) => row.map((cell) => visible(cell, 'one line')));
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...cells.map(line)].join('\n');
}

const departmentOf = (complaint: Complaint) => complaint.assignment?.departmentId ?? NONE;

/** `list`: one row per complaint summary (the list API answers summaries, not whole complaints). */
export function complaintList(page: ComplaintPage): string {
  if (page.complaints.length === 0) return 'No complaints match.';
  const rows = page.complaints.map((complaint) => [
    complaint.id,
    complaint.reference,
    complaint.status,
    complaint.department ?? NONE,
    complaint.responseDueBy,
    warsawTime(complaint.receivedAt),
  ]);
  const lines = [table(['ID', 'REFERENCE', 'STATUS', 'DEPARTMENT', 'DUE BY', 'RECEIVED'], rows)];
  if (page.cursor) lines.push('', `More complaints: add --cursor ${page.cursor}`);
  return lines.join('\n');
}

/** Label and value, values aligned; a value over several lines keeps its lines aligned too. */
function fields(entries: readonly (readonly [string, string | undefined])[]): string {
  const present = entries.filter((entry): entry is readonly [string, string] => entry[1] !== undefined && entry[1] !== '');
  const width = Math.max(...present.map(([label]) => label.length));
  return present.map(([label, value]) => `${label.padEnd(width)}  ${indentContinuation(visible(value), width + 2)}`).join('\n');
}

function indentContinuation(text: string, spaces: number): string {
  return text.split('\n').join(`\n${' '.repeat(spaces)}`);
}

function sentAt(sent: { sentAt: string; delivery?: string } | undefined): string | undefined {
  if (!sent) return undefined;
  return sent.delivery ? `${warsawTime(sent.sentAt)} (${sent.delivery})` : warsawTime(sent.sentAt);
}

/** What the workflow read from the shop's platform, or why it could not (then nothing is e-mailed to the customer). */
function platformLookupLine(lookup: Complaint['platformLookup']): string | undefined {
  if (!lookup) return undefined;
  if (lookup.state === 'pending') return `reading order ${lookup.orderId} from ${lookup.source}…`;
  if (lookup.state === 'done') return `order ${lookup.orderId} read from ${lookup.source}`;
  return `FAILED for order ${lookup.orderId} (${lookup.source}): ${lookup.reason ?? 'no reason recorded'}`;
}

/** `show`: the complaint's fields, then its history as a timeline. */
export function complaintDetails(complaint: Complaint): string {
  const { customer, assignment, decision, extension, deadlinePassed, workflowAttention } = complaint;
  const details = fields([
    ['Reference', complaint.reference],
    ['ID', complaint.id],
    ['Status', complaint.status],
    ['Version', String(complaint.version)],
    ['Channel', complaint.channel],
    ['Policy', complaint.policyId],
    ['Received', `${warsawTime(complaint.receivedAt)} (counted from ${complaint.receivedOn})`],
    ['Answer due by', extension ? `${complaint.responseDueBy} (extended from ${extension.previousResponseDueBy})` : complaint.responseDueBy],
    ['Internal target', complaint.internalTarget],
    ['Department', assignment ? `${assignment.departmentId} (${assignment.reason})` : 'not assigned yet'],
    ['Customer', [customer.name, customer.email ? `<${customer.email}>` : '(no e-mail address)', customer.phone].filter(Boolean).join(' ')],
    ['Shop lookup', platformLookupLine(complaint.platformLookup)],
    ['Language', complaint.language],
    ['Order', complaint.orderNumber],
    ['Product', complaint.product],
    ['Purchased', complaint.purchaseDate],
    ['Wants', complaint.desiredRemedy],
    ['Description', complaint.description],
    ['Acknowledged', sentAt(complaint.acknowledgement)],
    [
      'Decision',
      decision &&
        `${decision.outcome}${decision.remedy ? ` (${decision.remedy})` : ''} by ${decision.decidedBy} on ${warsawTime(decision.decidedAt)}`,
    ],
    ['Justification', decision?.justification],
    ['Decision sent', sentAt(complaint.decisionSent)],
    ['Extension', extension && `${extension.reason}\nstill to establish: ${extension.stillToEstablish}`],
    ['Deadline passed', deadlinePassed && `${warsawTime(deadlinePassed.at)}, effect: ${deadlinePassed.effect}`],
    ['NEEDS ATTENTION', workflowAttention && `step ${workflowAttention.step} failed: ${workflowAttention.error}`],
  ]);
  return `${details}\n\nHistory\n${timeline(complaint.history)}`;
}

function showValue(value: unknown): string {
  if (value === null || value === undefined) return NONE;
  if (typeof value === 'string') return visible(value);
  return visible(JSON.stringify(value));
}

/**
 * What an entry changed: `field: before → after` for a field on both sides, `field: value` for one only
 * after, `field: was value` for one only before (an entry may record a prior state the change replaced).
 */
function changes(entry: HistoryEntry): string[] {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return names.map((name) => {
    if (!(name in before)) return `${name}: ${showValue(after[name])}`;
    if (!(name in after)) return `${name}: was ${showValue(before[name])}`;
    return `${name}: ${showValue(before[name])} → ${showValue(after[name])}`;
  });
}

/** One line per entry (when, what, who), with what it changed on the lines below. */
export function timeline(history: readonly HistoryEntry[]): string {
  if (history.length === 0) return '  (no entries)';
  const entries = [...history].sort((a, b) => a.at.localeCompare(b.at));
  const gutter = ' '.repeat(2 + 16 + 2);
  return entries
    .map((entry) => {
      const head = `  ${warsawTime(entry.at)}  ${visible(entry.action.replaceAll('_', ' '), 'one line')}  by ${visible(entry.actor, 'one line')}`;
      const body = changes(entry).map((change) => `${gutter}${indentContinuation(change, gutter.length + 2)}`);
      return [head, ...body].join('\n');
    })
    .join('\n');
}

export function registered(receipt: ComplaintReceipt): string {
  return `Registered ${receipt.reference} (id ${receipt.id}): ${receipt.status}, answer due by ${receipt.responseDueBy}.`;
}

/** The one line a change command prints: what happened and the version to send next. */
export function changed(action: 'assign' | 'note' | 'decide' | 'ask' | 'extend' | 'posted' | 'acknowledged', complaint: Complaint): string {
  const next = `(now version ${complaint.version})`;
  switch (action) {
    case 'assign':
      return `${complaint.reference} assigned to ${departmentOf(complaint)} ${next}.`;
    case 'note':
      return `Note added to ${complaint.reference} ${next}.`;
    case 'decide': {
      const decision = complaint.decision;
      const what = decision ? `${decision.outcome}${decision.remedy ? ` (${decision.remedy})` : ''}` : complaint.status;
      const how =
        decision?.delivery === 'post'
          ? `it goes by post: print it (complaints letter ${complaint.reference}), post it and record the date (complaints posted)`
          : 'the workflow sends it to the customer';
      const warnings = (decision?.warnings ?? []).map((warning) => `\nWarning: ${warning}`).join('');
      return `Decision on ${complaint.reference} recorded: ${what}; ${how} ${next}.${warnings}`;
    }
    case 'posted': {
      const posted = complaint.decisionPosted;
      const when = posted
        ? `posted on ${posted.postedOn}, ${posted.withinTerm ? 'within the term' : `after the term (due ${complaint.responseDueBy})`}`
        : complaint.status;
      return `${complaint.reference}: answer ${when}; the complaint is ${complaint.status} ${next}.`;
    }
    case 'acknowledged':
      return `${complaint.reference}: acknowledgement recorded ${next}.`;
    case 'ask':
      return `Question e-mailed to the customer of ${complaint.reference} ${next}.`;
    case 'extend':
      return `${complaint.reference}: answer now due by ${complaint.responseDueBy}${
        complaint.extension ? ` (was ${complaint.extension.previousResponseDueBy})` : ''
      }; the customer is told why ${next}.`;
  }
}

interface Problem {
  title?: unknown;
  detail?: unknown;
  errors?: unknown;
  message?: unknown;
}

/**
 * An error answer for a person: status and title, the detail, and one line per invalid field. Reads RFC 9457
 * problem details, API Gateway's own `{ "message": … }` answers and plain text alike.
 */
export function problem(status: number, body: unknown): string {
  const reason = STATUS_CODES[status] ?? 'Error';
  const parsed: Problem = body && typeof body === 'object' ? body : {};
  const text = typeof body === 'string' ? body.trim() : undefined;
  const title = typeof parsed.title === 'string' ? parsed.title : typeof parsed.message === 'string' ? parsed.message : undefined;
  const lines = [`Error: HTTP ${status} ${reason}${title ? `: ${title}` : ''}`];
  const errors = Array.isArray(parsed.errors)
    ? parsed.errors.map(
        (issue: { field?: unknown; message?: unknown }) =>
          `  - ${typeof issue.field === 'string' && issue.field ? issue.field : '(body)'}: ${showValue(issue.message)}`,
      )
    : [];
  // A validation problem's detail repeats its errors in one line; the list says it better.
  if (typeof parsed.detail === 'string' && errors.length === 0) lines.push(`  ${parsed.detail}`);
  lines.push(...errors);
  if (text) lines.push(`  ${text}`);
  return visible(lines.join('\n'));
}
