import * as z from './zod';

// The checks of every text people type: one line (a name) or several (a description), without what disguises
// text. Shared by every schema that takes text (complaint.ts, staff-requests.ts, outbound-webhooks.ts), in a
// module of its own so that a function bundles these few checks without the complaint's schemas.

// Characters no honest text holds, and that can disguise it: control characters, lone surrogate halves, and
// the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) that reorder what a reader sees.
const DISGUISING = /[\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what these patterns refuse
const CONTROL_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex -- as above; a multi-line text keeps its newlines and tabs
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

// The checks every text field runs, built once and shared: a check keeps nothing of the schema it is attached to
// (only the bounds write into that schema's own bag), so each field need not build its own copies at cold start.
export const trimmed = z.trim();
// A browser posts a textarea's line breaks as CRLF, though its maxlength counted each as one character: one
// line break is one character here too, and the stored text has the same line breaks whichever door it came by.
const lineBreaks = z.overwrite((value: string) => value.replace(/\r\n?/g, '\n'));
// Characters that show nothing on their own: format characters (zero-width spaces and joiners), combining
// marks, and the blank letters (Hangul fillers, the blank Braille pattern). A required text or a minimum
// length counts what is left, so that a name or a description of nothing but these is refused like blanks.
const SHOWS_NOTHING = /[\p{Cf}\p{Mn}\p{Me}\u115F\u1160\u3164\uFFA0\u2800]/gu;
const visibleLength = (value: string) => value.replace(SHOWS_NOTHING, '').trim().length;
/** The minimum as a bound (what the OpenAPI document shows), then counted in what shows, each answering once. */
const atLeast = (min: { length: number; message: string }) => [
  z.minLength(min.length, min.message),
  z.refine<string>((value) => value.length < min.length || visibleLength(value) >= min.length, min.message),
];
export const oneLine = z.refine<string>((value) => !CONTROL_SINGLE_LINE.test(value), 'must be one line without control characters');
const noControlButLineBreaks = z.refine<string>(
  (value) => !CONTROL_MULTI_LINE.test(value),
  'must not contain control characters other than newlines and tabs',
);
export const undisguised = z.refine<string>(
  (value) => !DISGUISING.test(value),
  'must not contain invisible direction overrides or broken characters',
);

/** One line of text (a name, a product): no control characters, no disguising characters. */
export const singleLine = (max: number, min = { length: 1, message: 'is required' }) =>
  z.string().check(trimmed, ...atLeast(min), z.maxLength(max), oneLine, undisguised);

/** Text of several lines (a description): newlines and tabs, but no other control characters. */
export const multiLine = (max: number, min = { length: 1, message: 'is required' }) =>
  z.string().check(lineBreaks, trimmed, ...atLeast(min), z.maxLength(max), noControlButLineBreaks, undisguised);
