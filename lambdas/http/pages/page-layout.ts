import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Language } from '../../core/complaint';
import { escapeHtml } from '../../core/templates/email-layout';
import { securityHeaders } from './page-security';

// The one layout the customer's pages share: the same on the static form (web/site.ts renders it at build
// time) and on the pages the functions render (confirmation, status, a form sent back with its errors).
// Every value goes through escapeHtml; nothing here writes a script or a style inline.

export { escapeHtml };

/** The browser script of the form (web/complaint-form.ts, bundled); the only script any page loads. */
export const FORM_SCRIPT = '/complaint-form.js';
export const STYLESHEET = '/styles.css';

/** Where each page lives, per language: the form is static, the others are routes of the API. */
export const pagePaths = {
  form: (language: Language) => (language === 'pl' ? '/' : '/en/'),
  // The parameters as literals, not `lang` after a spread: on Node 20 (V8 11.3, the local product's) a field
  // defined after a spread costs microseconds, and every complaint's answer carries one of these links.
  status: (language: Language, reference?: string) =>
    `/complaints/status?${new URLSearchParams(reference ? { reference, lang: language } : { lang: language }).toString()}`,
  received: (language: Language, reference?: string, responseDueBy?: string) =>
    `/complaints/received?${new URLSearchParams(reference && responseDueBy ? { reference, due: responseDueBy, lang: language } : { lang: language }).toString()}`,
};

export interface Page {
  language: Language;
  title: string;
  /** The same page in the other language. */
  otherLanguageHref: string;
  /** The inside of <main>, already escaped HTML. */
  main: string;
  script?: boolean;
  /** The page answers an error: the title says so first, as screen readers read it on load. */
  hasErrors?: boolean;
}

const CHROME = {
  pl: {
    site: 'Reklamacje',
    other: 'English',
    otherLang: 'en',
    skip: 'Przejdź do treści',
    error: 'Błąd',
    newComplaint: 'Złóż reklamację',
    status: 'Sprawdź status',
  },
  en: {
    site: 'Complaints',
    other: 'Polski',
    otherLang: 'pl',
    skip: 'Skip to content',
    error: 'Error',
    newComplaint: 'File a complaint',
    status: 'Check a status',
  },
} as const;

export function renderPage(page: Page): string {
  const chrome = CHROME[page.language];
  const title = `${page.hasErrors ? `${chrome.error}: ` : ''}${page.title} – ${chrome.site}`;
  return [
    '<!doctype html>',
    `<html lang="${page.language}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<link rel="stylesheet" href="${STYLESHEET}">`,
    page.script ? `<script src="${FORM_SCRIPT}" defer></script>` : '',
    '</head>',
    '<body>',
    `<a class="skip-link" href="#main">${chrome.skip}</a>`,
    '<header class="site-header">',
    `<p class="site-name"><a href="${pagePaths.form(page.language)}">${chrome.site}</a></p>`,
    '<nav>',
    `<a href="${pagePaths.form(page.language)}">${chrome.newComplaint}</a>`,
    `<a href="${escapeHtml(pagePaths.status(page.language))}">${chrome.status}</a>`,
    `<a href="${escapeHtml(page.otherLanguageHref)}" lang="${chrome.otherLang}" hreflang="${chrome.otherLang}">${chrome.other}</a>`,
    '</nav>',
    '</header>',
    `<main id="main" tabindex="-1">`,
    page.main,
    '</main>',
    '</body>',
    '</html>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** A page as an HTTP answer, with the security headers (CloudFront sets them too; locally nothing else does). */
export function htmlResponse(statusCode: number, html: string, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...securityHeaders(), ...headers },
    body: html,
  };
}

/**
 * A browser's form post (not a script asking for JSON): it is answered with pages, whatever its body turns out to
 * be. Decided on what the client accepts, not on the body's content type: a browser asks for text/html whatever
 * it sends, and a post whose body is the wrong type or cannot be read is exactly the one that must still get the
 * form back. A client that prefers JSON (application/json or problem+json at a higher q) gets JSON, as does one
 * that names neither (one that accepts anything).
 */
export function wantsHtml(headers: Record<string, string | undefined> | undefined): boolean {
  // The first name that matches in any case, scanning the keys rather than building entries (as header() does).
  let accept = '';
  for (const key of Object.keys(headers ?? {})) {
    if (key.toLowerCase() === 'accept') {
      accept = headers![key] ?? '';
      break;
    }
  }
  let html = 0;
  let json = 0;
  for (const range of accept.toLowerCase().split(',')) {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim());
    const qParameter = parameters.find((parameter) => parameter.startsWith('q='));
    const q = qParameter === undefined ? 1 : Number(qParameter.slice(2));
    if (!Number.isFinite(q)) continue;
    if (type === 'text/html' || type === 'application/xhtml+xml') html = Math.max(html, q);
    else if (type === 'application/json' || type === 'application/problem+json') json = Math.max(json, q);
  }
  return html > 0 && html >= json;
}

/** One error summary for every form: a list of links to the fields, announced when the page loads. */
export function errorSummary(language: Language, errors: readonly { href: string; message: string }[], heading?: string): string {
  if (errors.length === 0) return '<div class="error-summary" id="error-summary" tabindex="-1" hidden></div>';
  heading ??= language === 'pl' ? 'Popraw zaznaczone pola' : 'Please correct the marked fields';
  return [
    '<div class="error-summary" id="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">',
    `<h2 id="error-summary-title">${escapeHtml(heading)}</h2>`,
    '<ul>',
    ...errors.map((error) => `<li><a href="${escapeHtml(error.href)}">${escapeHtml(error.message)}</a></li>`),
    '</ul>',
    '</div>',
  ].join('\n');
}
