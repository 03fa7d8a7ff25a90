import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidConfiguration, InvalidCursor } from './errors';

// Every cursor the API hands out (a list's `cursor`, a history's `before` and `olderHistory`) is sealed: the
// position the store gave, a dot, and an HMAC-SHA256 of it under a deployment secret. A cursor is opened
// before its position is read, so one that was forged, damaged, sealed under another deployment's secret or
// meant for another list is a 400 and never reaches DynamoDB (which answers an impossible start key with an
// error that would surface as a 500). The seal names what the cursor is for (`purpose`: a list, or one
// complaint's history) without carrying it, so a cursor is refused anywhere but where it was handed out.

/** 32 bytes, HMAC-SHA256's own block of security; a shorter secret is a deployment fault. */
export const MIN_KEY_BYTES = 32;

/** The HMAC in base64url: 32 bytes are 43 characters, so a sealed cursor is its position plus 44. */
const MAC_CHARS = 43;
const MAC_BYTES = 32;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface CursorSeal {
  /** The store's position, sealed for `purpose`. */
  seal(purpose: string, position: string): string;
  /**
   * The position a cursor sealed for `purpose` carries; an InvalidCursor (400) naming `parameter`, the query
   * parameter it came in, for any other string.
   */
  open(purpose: string, cursor: string, parameter?: InvalidCursor['parameter']): string;
}

/**
 * Seals with `key`; opens what `key` or one of `previousKeys` sealed. During a rotation of the secret the key it
 * replaced is still accepted, so cursors already handed out keep working until their paging ends, while every
 * new cursor is sealed with the new key; once the old key is dropped its cursors are a 400 like any other.
 */
export function cursorSeal(key: string | Uint8Array, previousKeys: readonly (string | Uint8Array)[] = []): CursorSeal {
  const secrets = [key, ...previousKeys].map((candidate) => {
    const secret = typeof candidate === 'string' ? Buffer.from(candidate, 'utf8') : Buffer.from(candidate);
    if (secret.byteLength < MIN_KEY_BYTES) throw new InvalidConfiguration(`The cursor key must be at least ${MIN_KEY_BYTES} bytes`);
    return secret;
  });
  // The purpose and the position are joined by a byte neither can contain (a position is base64url), so no
  // pair of them signs the same text as another.
  const macWith = (secret: Buffer, purpose: string, position: string) => createHmac('sha256', secret).update(`${purpose}\n${position}`).digest();
  const mac = (purpose: string, position: string) => macWith(secrets[0]!, purpose, position);
  return {
    seal(purpose, position) {
      if (!BASE64URL.test(position)) throw new Error('A cursor position must be base64url');
      return `${position}.${mac(purpose, position).toString('base64url')}`;
    },
    open(purpose, cursor, parameter = 'cursor') {
      const refused = () => new InvalidCursor(parameter);
      const dot = cursor.lastIndexOf('.');
      const position = cursor.slice(0, dot);
      const given = cursor.slice(dot + 1);
      // Checked for shape first, so that what reaches timingSafeEqual is always 32 bytes read from exactly
      // 43 base64url characters (Buffer.from ignores characters outside the alphabet, which would let a
      // changed character pass).
      if (dot <= 0 || !BASE64URL.test(position) || given.length !== MAC_CHARS || !BASE64URL.test(given)) throw refused();
      const presented = Buffer.from(given, 'base64url');
      // 43 characters carry 258 bits: the last character's two spare bits must be zero, as seal writes them.
      if (presented.byteLength !== MAC_BYTES || presented.toString('base64url') !== given) throw refused();
      // Every key is compared, whichever matches, so the time taken does not tell which key sealed it.
      const matches = secrets.map((secret) => timingSafeEqual(presented, macWith(secret, purpose, position)));
      if (!matches.includes(true)) throw refused();
      return position;
    },
  };
}
