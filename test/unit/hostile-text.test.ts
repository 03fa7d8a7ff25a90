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
