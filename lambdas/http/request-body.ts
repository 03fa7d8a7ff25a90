import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MalformedRequest, PayloadTooLarge, UnsupportedMediaType } from '../core/errors';

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const headers = event.headers ?? {};
  // The first name that matches in any case, as a scan of the entries found it, without building them: a
  // request reads several headers.
  for (const key of Object.keys(headers)) if (key.toLowerCase() === wanted) return headers[key];
  return undefined;
}

/** The raw bytes as the client sent them (webhook signatures are computed over these). */
export function rawBody(event: APIGatewayProxyEventV2): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

/**
 * Reads a JSON or HTML-form body into a plain object. A form's dotted names (`customer.email`) become nested
 * objects, so both encodings meet the same schema.
 */
export function readBody(event: APIGatewayProxyEventV2, maxBytes: number): unknown {
  const bytes = rawBody(event);
  if (bytes.length > maxBytes) throw new PayloadTooLarge(`The body has ${bytes.length} bytes; at most ${maxBytes} are accepted.`);
  const mediaType = (header(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const text = utf8(bytes);
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new MalformedRequest('The body is not valid JSON.');
    }
  }
  if (mediaType === 'application/x-www-form-urlencoded') return formToObject(formFields(text));
  throw new UnsupportedMediaType(
    `Send application/json or application/x-www-form-urlencoded${mediaType ? `, not ${mediaType}` : ' with a Content-Type header'}.`,
  );
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text; bytes that are not UTF-8 are refused, never read as replacement characters. */
function utf8(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new MalformedRequest('The body is not valid UTF-8.');
  }
}

/** A form's fields, decoded strictly: a percent-encoded byte sequence that is not UTF-8 is refused. */
function formFields(text: string): [string, string][] {
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      throw new MalformedRequest('A form field is not valid percent-encoded UTF-8.');
    }
  };
  return text
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      return at < 0 ? [decode(pair), ''] : [decode(pair.slice(0, at)), decode(pair.slice(at + 1))];
    });
}

const UNSAFE_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * The most dot-separated parts a form field name may have. The deepest field of our forms has two
 * (`customer.email`); four leave room without letting a name of thousands of parts build (and every later
 * walk over the body descend) an object as deep, which overflowed the stack answering a form post.
 */
export const MAX_FORM_NAME_SEGMENTS = 4;

/** A field name in an answer: a name is up to the whole body, and the answer need not carry it back. */
const shown = (name: string) => (name.length > 64 ? `${name.slice(0, 64)}…` : name);

function formToObject(params: Iterable<[string, string]>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, value] of params) {
    const path = name.split('.', MAX_FORM_NAME_SEGMENTS + 1);
    if (path.length > MAX_FORM_NAME_SEGMENTS) {
      throw new MalformedRequest(
        `The form field name "${shown(name)}" has more than ${MAX_FORM_NAME_SEGMENTS} dot-separated parts; at most ${MAX_FORM_NAME_SEGMENTS} are accepted.`,
      );
    }
    if (path.some((segment) => segment === '' || UNSAFE_SEGMENTS.has(segment))) {
      throw new MalformedRequest(`The form field name "${shown(name)}" is not valid.`);
    }
    let node = root;
    for (const segment of path.slice(0, -1)) {
      const next = node[segment];
      if (next !== undefined && (typeof next !== 'object' || next === null)) {
        throw new MalformedRequest(`The form field "${shown(name)}" conflicts with another field.`);
      }
      node = (next as Record<string, unknown> | undefined) ?? (node[segment] = {});
    }
    const leaf = path[path.length - 1]!;
    if (typeof node[leaf] === 'object') throw new MalformedRequest(`The form field "${shown(name)}" conflicts with another field.`);
    node[leaf] = value;
  }
  return root;
}

/**
 * A body's fields back to their dotted form names (strings only), to fill a form in again: the inverse of
 * formToObject. It goes no deeper than a form name can (MAX_FORM_NAME_SEGMENTS), so a JSON body nested
 * thousands deep, sent by a client that asked for a page, is walked only as far as a form field could be.
 */
export function formValues(body: unknown): Record<string, string> {
  const flat: Record<string, string> = {};
  const walk = (value: unknown, prefix: string, depth: number) => {
    if (!value || typeof value !== 'object' || depth > MAX_FORM_NAME_SEGMENTS) return;
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const name = prefix ? `${prefix}.${key}` : key;
      if (typeof inner === 'string') flat[name] = inner;
      else walk(inner, name, depth + 1);
    }
  };
  walk(body, '', 1);
  return flat;
}
