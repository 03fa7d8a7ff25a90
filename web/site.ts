import path from 'node:path';
import { buildSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import type { Language } from '../lambdas/core/complaint';
import { renderComplaintForm } from '../lambdas/http/pages/complaint-form-page';
import { FORM_SCRIPT, STYLESHEET } from '../lambdas/http/pages/page-layout';

// The static part of the customer's site, as files: the form in both languages, the stylesheet and the form's
// script. `npm start` serves these (local/static-site.ts); CDK uploads the very same files to S3 (lib/web.ts).
// Pages that depend on a request (confirmation, status, a form sent back with errors) are rendered by the API.

export interface SiteFile {
  contentType: string;
  body: Buffer;
}

const WEB = __dirname;

/** The form's script: web/complaint-form.ts with the API's schema, bundled for the browser. */
export function formScript(): Buffer {
  const result = buildSync({
    entryPoints: [path.join(WEB, 'complaint-form.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    platform: 'browser',
    legalComments: 'none',
    write: false,
  });
  return Buffer.from(result.outputFiles[0]!.contents);
}

/** Every file of the static site by its URL path ('/' and '/en/' are the forms). */
export function siteFiles(): Map<string, SiteFile> {
  const html = (language: Language): SiteFile => ({
    contentType: 'text/html; charset=utf-8',
    body: Buffer.from(renderComplaintForm({ language }), 'utf8'),
  });
  return new Map<string, SiteFile>([
    ['/index.html', html('pl')],
    ['/en/index.html', html('en')],
    [STYLESHEET, { contentType: 'text/css; charset=utf-8', body: readFileSync(path.join(WEB, 'styles.css')) }],
    [FORM_SCRIPT, { contentType: 'text/javascript; charset=utf-8', body: formScript() }],
  ]);
}
