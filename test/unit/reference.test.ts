import { newReference, parseReference } from '../../lambdas/core/reference';
import fc from 'fast-check';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

describe('reference numbers', () => {
  it('look like RK-XXXXX-XXXXX in the Crockford alphabet', () => {
    const reference = newReference();
    expect(reference).toMatch(/^RK-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  });

  it('are read back whatever the case, spacing and confusable letters a person typed', () => {
    const reference = newReference(() => 0); // RK-00000-0000?
    const typed = reference.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o');
    expect(parseReference(typed)).toBe(reference);
  });

  it('catch every single mistyped character', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(31), { minLength: 9, maxLength: 9 }), fc.nat(9), fc.nat(31), (digits, position, replacement) => {
        let i = 0;
        const reference = newReference(() => digits[i++]!);
        const compact = reference.replace(/-/g, '').slice(2);
        fc.pre(compact[position] !== ALPHABET[replacement]);
        const typo = compact.slice(0, position) + ALPHABET[replacement] + compact.slice(position + 1);
        expect(parseReference(`RK${typo}`)).toBeUndefined();
      }),
    );
  });

  it('catch a swap of two different neighbouring characters in the random part', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(31), { minLength: 9, maxLength: 9 }), fc.nat(7), (digits, position) => {
        fc.pre(digits[position] !== digits[position + 1]);
        // Luhn mod N misses a swap only of the two symbols whose doubled values wrap onto each other.
        fc.pre(!(digits[position]! + digits[position + 1]! === 31));
        let i = 0;
        const compact = newReference(() => digits[i++]!)
          .replace(/-/g, '')
          .slice(2);
        const swapped = compact.slice(0, position) + compact[position + 1] + compact[position] + compact.slice(position + 2);
        expect(parseReference(`RK${swapped}`)).toBeUndefined();
      }),
    );
  });

  it('reject strings of the wrong length or prefix', () => {
    expect(parseReference('RK-12345')).toBeUndefined();
    expect(parseReference('XX-00000-00000')).toBeUndefined();
    expect(parseReference('')).toBeUndefined();
  });

  it('are not repeated across many draws', () => {
    const seen = new Set(Array.from({ length: 5000 }, () => newReference()));
    expect(seen.size).toBe(5000);
  });
});
