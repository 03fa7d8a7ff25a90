import { randomInt } from 'node:crypto';

// A reference is what a customer reads out on the phone and types into the status page, so it uses Crockford's
// base-32 alphabet (no I, L, O, U: nothing to confuse with 1, 0 or V) and ends in a Luhn mod-32 check
// symbol from the same alphabet (so it stays URL- and e-mail-safe), which catches every single-character
// mistake and nearly every swap of two neighbours. Nine random symbols give 45 bits (3.5e13 values): a status
// lookup that also needs the customer's e-mail cannot be enumerated.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PREFIX = 'RK';
const RANDOM_SYMBOLS = 9;

export type RandomSymbol = (alphabetSize: number) => number;

const cryptoRandom: RandomSymbol = (size) => randomInt(size);

function checkSymbol(symbols: string): string {
  const n = ALPHABET.length;
  let factor = 2;
  let sum = 0;
  for (let i = symbols.length - 1; i >= 0; i -= 1) {
    const addend = factor * ALPHABET.indexOf(symbols[i]!);
    sum += Math.floor(addend / n) + (addend % n);
    factor = factor === 2 ? 1 : 2;
  }
  return ALPHABET[(n - (sum % n)) % n]!;
}

/** A new reference such as `RK-7XK4M-9QPZT`: two groups of five, the last character the check symbol. */
export function newReference(random: RandomSymbol = cryptoRandom): string {
  let symbols = '';
  for (let i = 0; i < RANDOM_SYMBOLS; i += 1) symbols += ALPHABET[random(ALPHABET.length)];
  const full = symbols + checkSymbol(symbols);
  return `${PREFIX}-${full.slice(0, 5)}-${full.slice(5)}`;
}

/**
 * Reads what a person typed: case, spaces and dashes do not matter, and the letters Crockford maps (O→0,
 * I/L→1) are mapped. Returns the canonical reference, or undefined when it cannot be one (wrong length or
 * a failed check symbol), so a mistyped reference is caught before any lookup.
 */
export function parseReference(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!compact.startsWith(PREFIX)) return undefined;
  const body = compact.slice(PREFIX.length);
  if (body.length !== RANDOM_SYMBOLS + 1) return undefined;
  const symbols = body.slice(0, RANDOM_SYMBOLS);
  if ([...symbols].some((symbol) => !ALPHABET.includes(symbol))) return undefined;
  if (checkSymbol(symbols) !== body[RANDOM_SYMBOLS]) return undefined;
  return `${PREFIX}-${body.slice(0, 5)}-${body.slice(5)}`;
}
