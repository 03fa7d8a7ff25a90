import { readFileSync, writeFileSync } from 'node:fs';
import type * as z from '../lambdas/core/zod';
import { channels, languages, outcomes, remedies, statuses, type Complaint, type ComplaintReceipt } from '../lambdas/core/complaint';
import { appealRouteIds } from '../lambdas/core/company-profile';
import { parseReference } from '../lambdas/core/reference';
import type {
  acknowledgementRecordSchema,
  assignmentRequestSchema,
  decisionPostingSchema,
  decisionRequestSchema,
  extensionRequestSchema,
  informationRequestSchema,
  listQuerySchema,
  noteRequestSchema,
  registrationSchema,
} from '../lambdas/core/staff-requests';
import type { ComplaintPage } from '../lambdas/core/complaint-summary';
import type { attachmentLinkSchema } from '../lambdas/core/attachments';

type AttachmentLink = z.output<typeof attachmentLinkSchema>;
import { ApiError, type AdminApi } from './admin-api';
import { changed, complaintDetails, complaintList, registered } from './format';
import { webhookCommands } from './webhook-commands';

// One entry per command: its options (for parseArgs and the usage text alike) and what it asks the API.
// The request bodies are typed by the server's own zod schemas, so a renamed field fails the type check here.

export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The command whose usage to print; the general usage when absent. */
    readonly command?: string,
  ) {
    super(message);
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** Placeholder of the value in the usage text, e.g. `N`. */
  value?: string;
  description: string;
  required?: boolean;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandContext {
  values: OptionValues;
  positionals: string[];
  api: AdminApi;
}

/** What a command answers: the API's JSON (for --json) and the same for a person. */
export interface CommandResult {
  json: unknown;
  text: string;
}

export interface Command {
  name: string;
  /** Positional arguments, all required. */
  positionals: readonly string[];
  summary: string;
  options: Record<string, OptionSpec>;
  run(context: CommandContext): Promise<CommandResult>;
}

export const globalOptions: Record<string, OptionSpec> = {
  api: { type: 'string', value: 'URL', description: 'the API (env COMPLAINTS_API_URL; default http://127.0.0.1:3000)' },
  as: {
    type: 'string',
    value: 'STAFF_ID',
    description:
      'sign with this demo key from config/staff.local.json (env COMPLAINTS_STAFF; local product only); otherwise the AWS credential chain',
  },
  region: { type: 'string', value: 'REGION', description: 'the signing region (env AWS_REGION; default eu-central-1)' },
  json: { type: 'boolean', description: "print the API's JSON answer" },
  help: { type: 'boolean', short: 'h', description: 'print this help' },
};

const text = (values: OptionValues, name: string): string | undefined => values[name] as string | undefined;

function required(values: OptionValues, name: string, command: string): string {
  const value = text(values, name);
  if (value === undefined || value === '') throw new UsageError(`${command} needs --${name}`, command);
  return value;
}

function wholeNumber(value: string | undefined, option: string, command: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${option} must be a whole number, not "${value}"`, command);
  return Number(value);
}

const requiredVersion = (values: OptionValues, command: string) => wholeNumber(required(values, 'version', command), 'version', command)!;

const complaintPath = (id: string, tail = '') => `/admin/complaints/${encodeURIComponent(id)}${tail}`;

/** Staff quote references (RK-…) from letters and calls; the API addresses complaints by id, so find it. */
async function complaintIdOf(argument: string, api: AdminApi): Promise<string> {
  const reference = parseReference(argument);
  if (!reference) return argument;
  const page = await api.send<ComplaintPage>({ method: 'GET', path: '/admin/complaints', query: { reference } });
  const found = page.complaints[0];
  if (!found) throw new ApiError(404, { title: 'Not found', detail: `No complaint ${reference} that you may see.` });
  return found.id;
}

const versionOption: OptionSpec = {
  type: 'string',
  value: 'N',
  required: true,
  description: 'the version you read (from show); a stale one is refused with 409',
};
const one = (values: readonly string[]) => values.join('|');

type ListQueryParameters = { [K in keyof z.input<typeof listQuerySchema>]?: string };

const list: Command = {
  name: 'list',
  positionals: [],
  summary: 'List complaints, newest first, or the most urgent first.',
  options: {
    status: { type: 'string', value: one(statuses), description: 'only complaints in this status' },
    department: { type: 'string', value: 'ID', description: 'only this department (agents: one of theirs)' },
    'due-within': { type: 'string', value: 'N', description: 'open complaints due within N days' },
    overdue: { type: 'boolean', description: 'open complaints past their due date' },
    channel: { type: 'string', value: one(channels), description: 'only complaints that came this way' },
    'source-platform': { type: 'string', value: 'NAME', description: 'only complaints from this shop platform' },
    sort: { type: 'string', value: 'newest|urgent', description: 'newest received first (default) or earliest due first' },
    limit: { type: 'string', value: 'N', description: 'at most N complaints (1–100; default 25)' },
    cursor: { type: 'string', value: 'CURSOR', description: 'the next page, as printed below the last one' },
    reference: { type: 'string', value: 'RK-…', description: 'find by reference' },
    email: { type: 'string', value: 'ADDRESS', description: "find by the customer's e-mail" },
    order: { type: 'string', value: 'NUMBER', description: 'find by order number' },
  },
  async run({ values, api }) {
    const query: ListQueryParameters = {
      status: text(values, 'status'),
      department: text(values, 'department'),
      dueWithinDays: text(values, 'due-within'),
      overdue: values.overdue ? 'true' : undefined,
      channel: text(values, 'channel'),
      sourcePlatform: text(values, 'source-platform'),
      sort: text(values, 'sort'),
      limit: text(values, 'limit'),
      cursor: text(values, 'cursor'),
      reference: text(values, 'reference'),
      email: text(values, 'email'),
      orderNumber: text(values, 'order'),
    };
    wholeNumber(query.dueWithinDays, 'due-within', 'list');
    wholeNumber(query.limit, 'limit', 'list');
    const page = await api.send<ComplaintPage>({ method: 'GET', path: '/admin/complaints', query });
    return { json: page, text: complaintList(page) };
  },
};

const show: Command = {
  name: 'show',
  positionals: ['id'],
  summary: 'A complaint with its history (the audit trail).',
  options: {},
  async run({ positionals: [argument], api }) {
    const complaint = await api.send<Complaint>({ method: 'GET', path: complaintPath(await complaintIdOf(argument!, api)) });
    return { json: complaint, text: complaintDetails(complaint) };
  },
};

const assign: Command = {
  name: 'assign',
  positionals: ['id'],
  summary: 'Assign the complaint to a department (supervisor, admin).',
  options: {
    department: { type: 'string', value: 'ID', required: true, description: 'the department, e.g. returns' },
    version: versionOption,
  },
  async run({ values, positionals: [argument], api }) {
    const body: z.input<typeof assignmentRequestSchema> = {
      departmentId: required(values, 'department', 'assign'),
      version: requiredVersion(values, 'assign'),
    };
    const complaint = await api.send<Complaint>({ method: 'POST', path: complaintPath(await complaintIdOf(argument!, api), '/assignment'), body });
    return { json: complaint, text: changed('assign', complaint) };
  },
};

const note: Command = {
  name: 'note',
  positionals: ['id'],
  summary: "Add a note to the complaint's history.",
  options: { text: { type: 'string', value: 'TEXT', required: true, description: 'the note' } },
  async run({ values, positionals: [argument], api }) {
    const body: z.input<typeof noteRequestSchema> = { text: required(values, 'text', 'note') };
    const complaint = await api.send<Complaint>({ method: 'POST', path: complaintPath(await complaintIdOf(argument!, api), '/notes'), body });
    return { json: complaint, text: changed('note', complaint) };
  },
};

const ask: Command = {
  name: 'ask',
  positionals: ['id'],
  summary: 'E-mail the customer a question about the complaint.',
  options: { question: { type: 'string', value: 'TEXT', required: true, description: 'the question (at least 10 characters)' } },
  async run({ values, positionals: [argument], api }) {
    const body: z.input<typeof informationRequestSchema> = { question: required(values, 'question', 'ask') };
    const complaint = await api.send<Complaint>({
      method: 'POST',
      path: complaintPath(await complaintIdOf(argument!, api), '/information-requests'),
      body,
    });
    return { json: complaint, text: changed('ask', complaint) };
  },
};

const extend: Command = {
  name: 'extend',
  positionals: ['id'],
  summary: "Extend the answer deadline where the complaint's policy allows it (supervisor, admin).",
  options: {
    reason: { type: 'string', value: 'TEXT', required: true, description: 'why the answer needs longer (told to the customer)' },
    'still-to-establish': { type: 'string', value: 'TEXT', required: true, description: 'what remains to be established (told to the customer)' },
    version: versionOption,
  },
  async run({ values, positionals: [argument], api }) {
    const body: z.input<typeof extensionRequestSchema> = {
      reason: required(values, 'reason', 'extend'),
      stillToEstablish: required(values, 'still-to-establish', 'extend'),
      version: requiredVersion(values, 'extend'),
    };
    const complaint = await api.send<Complaint>({ method: 'POST', path: complaintPath(await complaintIdOf(argument!, api), '/extension'), body });
    return { json: complaint, text: changed('extend', complaint) };
  },
};

const decide: Command = {
  name: 'decide',
  positionals: ['id'],
  summary: 'Record the decision; the workflow sends it to the customer at once.',
  options: {
    outcome: { type: 'string', value: one(outcomes), required: true, description: 'the decision' },
    remedy: { type: 'string', value: one(remedies), description: 'what the customer gets' },
    justification: { type: 'string', value: 'TEXT', description: 'the reasons (required by some policies, and for a rejection)' },
    'signer-name': { type: 'string', value: 'NAME', description: 'who signs the answer' },
    'signer-position': { type: 'string', value: 'TITLE', description: "the signer's position" },
    'adr-statement': {
      type: 'string',
      value: 'TEXT',
      description: "overrides the company's statement on out-of-court dispute resolution (config/company.json)",
    },
    'appeal-route': {
      type: 'string',
      multiple: true,
      value: one(appealRouteIds),
      description: "a route from the company's configuration (default: every route it offers)",
    },
    'payment-due-by': {
      type: 'string',
      value: 'YYYY-MM-DD',
      description: 'the date an accepted payment will be paid by (financial: at most 30 days on)',
    },
    'payment-amount': { type: 'string', value: 'TEXT', description: 'the amount paid or credited, e.g. "120,00 zł"' },
    'payment-method': { type: 'string', value: 'TEXT', description: 'how it is paid or credited' },
    version: versionOption,
  },
  async run({ values, positionals: [argument], api }) {
    const body = {
      outcome: required(values, 'outcome', 'decide'),
      remedy: text(values, 'remedy'),
      justification: text(values, 'justification'),
      signerName: text(values, 'signer-name'),
      signerPosition: text(values, 'signer-position'),
      adrStatement: text(values, 'adr-statement'),
      appealRoutes: values['appeal-route'] as string[] | undefined,
      paymentDueBy: text(values, 'payment-due-by'),
      paymentAmount: text(values, 'payment-amount'),
      paymentMethod: text(values, 'payment-method'),
      version: requiredVersion(values, 'decide'),
    } as z.input<typeof decisionRequestSchema>; // the enums are the server's to check: it names every bad field
    const complaint = await api.send<Complaint>({ method: 'POST', path: complaintPath(await complaintIdOf(argument!, api), '/decision'), body });
    return { json: complaint, text: changed('decide', complaint) };
  },
};

type Registration = z.input<typeof registrationSchema>;

function readBodyFile(file: string): Partial<Registration> {
  let content: string;
  try {
    content = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --file ${file}: ${(error as Error).message}`, 'register');
  }
  try {
    const parsed: unknown = JSON.parse(content);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed;
  } catch (error) {
    throw new UsageError(`--file ${file} is not a JSON object: ${(error as Error).message}`, 'register');
  }
}

/** Drops what was not given, so a flag never blanks a field the file set. */
function given<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

const register: Command = {
  name: 'register',
  positionals: [],
  summary: 'Register a complaint received by letter, phone, e-mail or in person; its deadline counts from --received-at.',
  options: {
    file: { type: 'string', value: 'body.json', description: 'the request body as JSON (- reads standard input); flags below override its fields' },
    channel: { type: 'string', value: 'letter|phone|in_person|email', description: 'how the complaint arrived' },
    'received-at': { type: 'string', value: 'YYYY-MM-DD', description: 'the day it was received' },
    'item-delivered-on': {
      type: 'string',
      value: 'YYYY-MM-DD',
      description: 'guarantee: the day the item reached you; the term counts from it (art. 580 KC)',
    },
    policy: { type: 'string', value: 'ID', description: "the deadline policy (default: the deployment's)" },
    name: { type: 'string', value: 'NAME', description: "the customer's name" },
    email: { type: 'string', value: 'ADDRESS', description: "the customer's e-mail (every answer goes there)" },
    phone: { type: 'string', value: 'NUMBER', description: "the customer's phone" },
    order: { type: 'string', value: 'NUMBER', description: 'the order number' },
    product: { type: 'string', value: 'TEXT', description: 'the product' },
    'purchase-date': { type: 'string', value: 'YYYY-MM-DD', description: 'the day of purchase' },
    description: { type: 'string', value: 'TEXT', description: 'what is wrong (at least 10 characters)' },
    remedy: { type: 'string', value: one(remedies), description: 'what the customer asks for' },
    language: { type: 'string', value: one(languages), description: 'the language of the e-mails to the customer' },
    'privacy-notice-accepted': { type: 'boolean', description: 'the customer acknowledged the privacy notice' },
    'answer-by-email': { type: 'boolean', description: 'the customer asked for the answer by e-mail (financial: otherwise it goes by post)' },
    'idempotency-key': {
      type: 'string',
      value: 'KEY',
      description: 'by default each run has a fresh key (its own retries reuse it); give one to retry in a later run without registering twice',
    },
  },
  async run({ values, api }) {
    const file = text(values, 'file');
    const fromFile = file === undefined ? {} : readBodyFile(file);
    const customer = given({ name: text(values, 'name'), email: text(values, 'email'), phone: text(values, 'phone') });
    const body = {
      ...fromFile,
      ...given({
        channel: text(values, 'channel'),
        receivedAt: text(values, 'received-at'),
        itemDeliveredOn: text(values, 'item-delivered-on'),
        policy: text(values, 'policy'),
        orderNumber: text(values, 'order'),
        product: text(values, 'product'),
        purchaseDate: text(values, 'purchase-date'),
        description: text(values, 'description'),
        desiredRemedy: text(values, 'remedy'),
        language: text(values, 'language'),
        privacyNoticeAccepted: values['privacy-notice-accepted'] ? true : undefined,
        answerByEmail: values['answer-by-email'] ? true : undefined,
      }),
      ...(Object.keys(customer).length > 0 ? { customer: { ...fromFile.customer, ...customer } } : {}),
    } as Registration; // checked by the server, which names every missing or invalid field
    if (Object.keys(body).length === 0) throw new UsageError('register needs --file or the complaint as flags', 'register');
    const idempotencyKey = text(values, 'idempotency-key');
    const receipt = await api.send<ComplaintReceipt>({
      method: 'POST',
      path: '/admin/complaints',
      body,
      headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : undefined,
    });
    return { json: receipt, text: registered(receipt) };
  },
};

const letter: Command = {
  name: 'letter',
  positionals: ['id'],
  summary: 'Save the decision as a printable letter (PDF), for an answer that goes by post.',
  options: { out: { type: 'string', value: 'FILE', description: 'where to save it (default: <reference>.pdf)' } },
  async run({ values, positionals: [argument], api }) {
    const id = await complaintIdOf(argument!, api);
    const { bytes } = await api.download({ method: 'GET', path: complaintPath(id, '/decision-letter') });
    const out = text(values, 'out') ?? `${parseReference(argument!) ?? id}.pdf`;
    writeFileSync(out, bytes);
    return {
      json: { file: out, bytes: bytes.length },
      text: `Saved the letter to ${out} (${bytes.length} bytes). Post it, then: complaints posted ${argument} --on YYYY-MM-DD --version N`,
    };
  },
};

const attachments: Command = {
  name: 'attachments',
  positionals: ['id'],
  summary: "The complaint's photos and PDFs with a download link each (links work for 5 minutes; the scan verdict beside each).",
  options: {},
  async run({ positionals: [argument], api }) {
    const id = await complaintIdOf(argument!, api);
    const complaint = await api.send<Complaint>({ method: 'GET', path: complaintPath(id) });
    const links = await Promise.all(
      (complaint.attachments ?? []).map((attachment) =>
        api.send<AttachmentLink>({ method: 'GET', path: complaintPath(id, `/attachments/${encodeURIComponent(attachment.id)}`) }),
      ),
    );
    const lines = links.map(
      (link) =>
        `${link.name}  (${link.type}, ${Math.ceil(link.size / 1024)} KB, ${link.scan === 'not_scanned' ? 'not scanned' : link.scan})\n  ${link.url}`,
    );
    return {
      json: links,
      text: links.length === 0 ? 'No attachments.' : [...lines, `Links work until ${links[0]!.expiresAt}.`].join('\n'),
    };
  },
};

const posted: Command = {
  name: 'posted',
  positionals: ['id'],
  summary: 'Record the day the printed decision was posted; the deadline checks this date, and the complaint closes.',
  options: {
    on: { type: 'string', value: 'YYYY-MM-DD', required: true, description: 'the posting date (the stamp on the receipt)' },
    version: versionOption,
  },
  async run({ values, positionals: [argument], api }) {
    const body: z.input<typeof decisionPostingSchema> = { postedOn: required(values, 'on', 'posted'), version: requiredVersion(values, 'posted') };
    const complaint = await api.send<Complaint>({
      method: 'POST',
      path: complaintPath(await complaintIdOf(argument!, api), '/decision-posting'),
      body,
    });
    return { json: complaint, text: changed('posted', complaint) };
  },
};

const acknowledged: Command = {
  name: 'acknowledged',
  positionals: ['id'],
  summary: 'Record an acknowledgement of receipt given outside the product (handed over, by letter or phone).',
  options: {
    on: { type: 'string', value: 'YYYY-MM-DD', required: true, description: 'the day it was given' },
    how: { type: 'string', value: 'handed_over|letter|phone', required: true, description: 'how it was given' },
  },
  async run({ values, positionals: [argument], api }) {
    const body = { on: required(values, 'on', 'acknowledged'), how: required(values, 'how', 'acknowledged') } as z.input<
      typeof acknowledgementRecordSchema
    >;
    const complaint = await api.send<Complaint>({
      method: 'POST',
      path: complaintPath(await complaintIdOf(argument!, api), '/acknowledgement'),
      body,
    });
    return { json: complaint, text: changed('acknowledged', complaint) };
  },
};

export const commands: readonly Command[] = [
  list,
  show,
  attachments,
  register,
  assign,
  note,
  ask,
  extend,
  decide,
  letter,
  posted,
  acknowledged,
  ...webhookCommands,
];
