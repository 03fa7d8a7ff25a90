import type { Language } from '../complaint';
import { staffGreeting, systemSignOff } from './wording';

// Every template describes its message once, as a list of blocks, and this module renders the blocks both as
// plain text and as HTML. Escaping lives here and nowhere else, so no template can forget it.

/** What a template returns; the mailer adds the recipients. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'facts'; rows: ReadonlyArray<readonly [label: string, value: string]> }
  | { kind: 'list'; items: readonly string[] }
  | { kind: 'link'; text: string; href: string };

export const paragraph = (text: string): Block => ({ kind: 'paragraph', text });
export const heading = (text: string): Block => ({ kind: 'heading', text });
export const list = (items: readonly string[]): Block => ({ kind: 'list', items });
/** A link: in the text part the address follows the words, in HTML the words are the link. */
export const link = (text: string, href: string): Block => ({ kind: 'link', text, href });
/** Label–value rows; a row whose value is undefined (an optional field not given) is left out. */
export const facts = (rows: ReadonlyArray<readonly [string, string | undefined]>): Block => ({
  kind: 'facts',
  rows: rows.filter((row): row is readonly [string, string] => row[1] !== undefined),
});

/** What every staff alert about one complaint lists first: its reference, its department and its due date (in words). */
export const complaintFacts = (language: Language, reference: string, departmentName: string, due: string): Block =>
  facts(
    language === 'pl'
      ? [
          ['Numer reklamacji', reference],
          ['Dział', departmentName],
          ['Termin odpowiedzi', due],
        ]
      : [
          ['Reference', reference],
          ['Department', departmentName],
          ['Response due by', due],
        ],
  );

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML element or a quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);
}

/** Escaped, with the line breaks a person typed (a description, a justification) kept visible. */
const escapeLines = (value: string) => escapeHtml(value).replace(/\r\n|\r|\n/g, '<br>');

/**
 * A subject is a single header line: a CR or LF taken from a name or reference would start a new header
 * (header injection), so every line break and other control character becomes a space.
 */
export function singleLine(value: string): string {
  return value.replace(lineBreaksAndControls, ' ').replace(/ {2,}/g, ' ').trim();
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what singleLine() removes
const lineBreaksAndControls = /[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g;

export interface Letter {
  language: Language;
  companyName: string;
  reference: string;
  subject: string;
  greeting: string;
  blocks: readonly Block[];
  /** Closing lines, e.g. "Z poważaniem", a signer, the company. */
  signOff: readonly string[];
}

const FOOTER = {
  pl: (reference: string) => `Prosimy podawać numer reklamacji ${reference} w dalszej korespondencji.`,
  en: (reference: string) => `Please quote the complaint reference ${reference} in any further correspondence.`,
} satisfies Record<Language, (reference: string) => string>;

function blockText(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
    case 'heading':
      return block.text;
    case 'facts':
      return block.rows.map(([label, value]) => `${label}: ${value}`).join('\n');
    case 'list':
      return block.items.map((item) => `- ${item}`).join('\n');
    case 'link':
      return `${block.text}: ${block.href}`;
  }
}

const STYLE = {
  body: 'margin:0;padding:24px;background:#f4f4f5;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#18181b',
  card: 'max-width:600px;margin:0 auto;background:#ffffff;border:1px solid #e4e4e7;border-radius:6px;padding:24px',
  company: 'margin:0 0 24px;font-size:18px;font-weight:bold',
  p: 'margin:0 0 16px',
  h2: 'margin:24px 0 8px;font-size:16px',
  table: 'border-collapse:collapse;margin:0 0 16px',
  th: 'text-align:left;vertical-align:top;padding:4px 16px 4px 0;font-weight:bold;white-space:nowrap',
  td: 'vertical-align:top;padding:4px 0',
  footer: 'max-width:600px;margin:16px auto 0;font-size:12px;color:#71717a',
};

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p style="${STYLE.p}">${escapeLines(block.text)}</p>`;
    case 'heading':
      return `<h2 style="${STYLE.h2}">${escapeHtml(block.text)}</h2>`;
    case 'facts': {
      const rows = block.rows.map(
        ([label, value]) =>
          `<tr><th scope="row" style="${STYLE.th}">${escapeHtml(label)}</th><td style="${STYLE.td}">${escapeLines(value)}</td></tr>`,
      );
      return `<table role="presentation" style="${STYLE.table}">${rows.join('')}</table>`;
    }
    case 'list':
      return `<ul style="${STYLE.p}">${block.items.map((item) => `<li>${escapeLines(item)}</li>`).join('')}</ul>`;
    case 'link':
      return `<p style="${STYLE.p}"><a href="${escapeHtml(block.href)}">${escapeHtml(block.text)}</a></p>`;
  }
}

/** The one layout every e-mail shares: the company's name on top, the blocks, the sign-off, the reference. */
export function renderLetter(letter: Letter): RenderedEmail {
  const subject = singleLine(letter.subject);
  const footer = FOOTER[letter.language](letter.reference);
  const text = [letter.greeting, ...letter.blocks.map(blockText), letter.signOff.join('\n'), `--\n${footer}`].join('\n\n') + '\n';
  const html = [
    '<!doctype html>',
    `<html lang="${letter.language}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="${STYLE.body}">`,
    `<div style="${STYLE.card}">`,
    `<p style="${STYLE.company}">${escapeHtml(letter.companyName)}</p>`,
    `<p style="${STYLE.p}">${escapeHtml(letter.greeting)}</p>`,
    ...letter.blocks.map(blockHtml),
    `<p style="${STYLE.p}">${letter.signOff.map(escapeHtml).join('<br>')}</p>`,
    '</div>',
    `<p style="${STYLE.footer}">${escapeHtml(footer)}</p>`,
    '</body>',
    '</html>',
  ].join('\n');
  return { subject, text, html };
}

/** An e-mail to staff (a department, a supervisor): the product writes it, so it greets plainly and signs as the system. */
export function staffLetter(to: { language: Language; companyName: string; reference: string }, subject: string, blocks: Block[]): RenderedEmail {
  return renderLetter({
    ...to,
    subject,
    greeting: staffGreeting(to.language),
    blocks,
    signOff: systemSignOff(to.language, to.companyName),
  });
}
