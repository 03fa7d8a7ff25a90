// The public form's honeypot: a text field people never see (the stylesheet hides it, and its label says to
// leave it empty should a reader meet it), which form-filling bots fill like every other field. A post that
// fills it files nothing and is answered as a success without a reference (see intake.handler.ts): a bot
// that reads the answer learns nothing to adapt to, and no complaint, e-mail or workflow comes of it.

/** A name bots fill gladly; no field of the complaint is called so. */
export const HONEYPOT_FIELD = 'website';

/**
 * The honeypot holds something other than blanks. A JSON client's serializer may write an empty optional field
 * as null (or false): that is no bot's filling, and taking it for one would answer a real complaint with a
 * success and file nothing.
 */
export function honeypotFilled(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  const value = (body as Record<string, unknown>)[HONEYPOT_FIELD];
  return value !== undefined && value !== null && value !== false && !(typeof value === 'string' && value.trim() === '');
}
