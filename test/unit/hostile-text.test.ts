import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { complaintSubmissionSchema } from '../../lambdas/core/complaint';
import { MalformedRequest } from '../../lambdas/core/errors';
import { readBody } from '../../lambdas/http/request-body';
import { validComplaint } from '../support/local-product';

// Text that is not what it seems is refused, never stored disguised or silently repaired.

const event = (body: Buffer, contentType: string) =>
  ({ headers: { 'content-type': contentType }, body: body.toString('base64'), isBase64Encoded: true }) as unknown as APIGatewayProxyEventV2;

describe('a body that is not UTF-8', () => {
  it('is refused as malformed (400), not read with replacement characters: JSON', () => {
    const bytes = Buffer.concat([Buffer.from('{"customer":{"name":"Ann'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}')]);
    expect(() => readBody(event(bytes, 'application/json'), 65_536)).toThrow(MalformedRequest);
  });

  it('is refused as malformed (400) in a form too, where the bytes come percent-encoded', () => {
    expect(() => readBody(event(Buffer.from('customer.name=Ann%C3%28'), 'application/x-www-form-urlencoded'), 65_536)).toThrow(MalformedRequest);
  });

  it('reads proper UTF-8 and percent-encoding as before', () => {
    expect(readBody(event(Buffer.from('customer.name=Zofia+%C5%BB%C3%B3%C5%82w'), 'application/x-www-form-urlencoded'), 65_536)).toEqual({
      customer: { name: 'Zofia Żółw' },
    });
  });
});

describe('characters that disguise text', () => {
  const issues = (overrides: Record<string, unknown>) => {
    const parsed = complaintSubmissionSchema.safeParse({ ...validComplaint, ...overrides });
    return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
  };

  it.each([
    ['a NUL', 'Anna\u0000Kowalska'],
    ['a line break', 'Anna\nKowalska'],
    ['a right-to-left override (U+202E)', 'Anna \u202Eakswolak'],
    ['a directional isolate (U+2066)', 'Anna \u2066Kowalska'],
    ['a lone surrogate half', 'Anna \ud800'],
  ])('refuse %s in a one-line field such as the name (422 naming customer.name)', (_, name) => {
    expect(issues({ customer: { ...validComplaint.customer, name } })).toEqual(['customer.name']);
  });

  it('refuse control characters other than newlines and tabs in the description', () => {
    expect(issues({ description: 'Czajnik nie działa.\u0007' })).toEqual(['description']);
    expect(issues({ description: 'Czajnik nie działa.\n\tOd wczoraj.\r\nProszę o wymianę.' })).toEqual([]);
  });

  it('keep letters of every script, emoji included (surrogate pairs are whole characters)', () => {
    expect(issues({ customer: { ...validComplaint.customer, name: 'Zoë Żółw 🐢 Ωμέγα' } })).toEqual([]);
  });
});

describe('text of nothing that shows', () => {
  const issues = (overrides: Record<string, unknown>) => {
    const parsed = complaintSubmissionSchema.safeParse({ ...validComplaint, ...overrides });
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it.each([
    ['a zero-width space', '\u200b'],
    ['a Hangul filler', '\u3164'],
    ['combining marks alone', '\u0301\u0301'],
  ])('is no name: %s', (_, name) => {
    expect(issues({ customer: { ...validComplaint.customer, name } })).toEqual(['customer.name: is required']);
  });

  it('does not count towards the minimum of a description: zero-width spaces, blank Braille patterns', () => {
    for (const description of ['\u200b'.repeat(10), '\u2800'.repeat(12), `Zepsuty${'\u200b'.repeat(5)}`]) {
      expect(issues({ description })).toEqual(['description: must say what is wrong in at least 10 characters']);
    }
    // A word with a joiner in it (e.g. an emoji sequence) still counts its letters.
    expect(issues({ description: 'Czajnik 👩\u200d🔧 nie grzeje' })).toEqual([]);
  });
});

describe("a browser's line breaks (CRLF)", () => {
  const form = (description: string) => complaintSubmissionSchema.safeParse({ ...validComplaint, description });

  it("count one character each, as the textarea's maxlength counted them, and are stored as LF", () => {
    const lines = Array.from({ length: 100 }, () => 'x'.repeat(99));
    const parsed = form(lines.join('\r\n')); // 9,999 characters as the browser counted them
    expect(parsed.success && parsed.data.description).toBe(lines.join('\n'));
    expect(form([...lines, 'xx'].join('\r\n')).success).toBe(false); // 10,002
  });
});
