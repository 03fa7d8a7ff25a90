import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { complaintSchema, complaintSubmissionSchema, customerSchema } from '../../lambdas/core/complaint';
import { statusLookupSchema } from '../../lambdas/core/customer-status';
import { subscriptionRequestSchema } from '../../lambdas/core/outbound-webhooks';
import { complaintCreatedEventSchema, complaintCreatedExample } from '../../lambdas/core/complaint-created-event';
import {
  decisionRequestSchema,
  extensionRequestSchema,
  informationRequestSchema,
  listQuerySchema,
  noteRequestSchema,
} from '../../lambdas/core/staff-requests';
import { newReference } from '../../lambdas/core/reference';
import * as z from '../../lambdas/core/zod';
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

const issuesOf = (schema: z.core.$ZodType, value: unknown) => {
  const parsed = z.safeParse(schema, value);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
};

describe("staff texts, which reach the customer's e-mail, the status page and other staff's terminals", () => {
  const decision = { outcome: 'rejected', justification: 'Uszkodzenie mechaniczne z winy użytkownika.', version: 3 };
  const extension = { reason: 'Czekamy na opinię serwisu producenta.', stillToEstablish: 'Przyczyna usterki grzałki.', version: 3 };
  const hostile = [
    ['a NUL and a BEL', 'Proszę o zdjęcie\u0000 tabliczki\u0007 znamionowej.'],
    ['a terminal escape', 'Proszę o zdjęcie \u001b[31mtabliczki\u001b[0m znamionowej.'],
    ['a C1 control (8-bit CSI)', 'Proszę o zdjęcie \u009b31m tabliczki znamionowej.'],
    ['a right-to-left override', 'Proszę o zdjęcie \u202Eakzcilbat znamionowej.'],
    ['a lone surrogate half at the end', 'Proszę o zdjęcie tabliczki znamionowej \ud83d'],
  ] as const;

  it.each(hostile)('refuse %s in a note, a question, an extension and a justification (422 naming the field)', (_, text) => {
    expect(issuesOf(noteRequestSchema, { text })).toEqual(['text']);
    expect(issuesOf(informationRequestSchema, { question: text })).toEqual(['question']);
    expect(issuesOf(extensionRequestSchema, { ...extension, reason: text })).toEqual(['reason']);
    expect(issuesOf(extensionRequestSchema, { ...extension, stillToEstablish: text })).toEqual(['stillToEstablish']);
    expect(issuesOf(decisionRequestSchema, { ...decision, justification: text })).toEqual(['justification']);
    expect(issuesOf(decisionRequestSchema, { ...decision, adrStatement: text })).toEqual(['adrStatement']);
  });

  it.each([
    ['a NUL', 'Kierownik\u0000reklamacji'],
    ['a line break (CRLF)', 'Kierownik\r\nBcc: ktos@example.com'],
    ['a right-to-left override', 'Kierownik \u202Eiijcamalker'],
    ['a lone surrogate half', 'Kierownik \udc00'],
  ])('refuse %s in the one-line texts of a decision: signer, position, payment', (_, text) => {
    for (const field of ['signerName', 'signerPosition', 'paymentAmount', 'paymentMethod']) {
      expect([field, issuesOf(decisionRequestSchema, { ...decision, [field]: text })]).toEqual([field, [field]]);
    }
  });

  it('keep newlines and tabs in multi-line texts, a CRLF stored as one LF, trimmed, with the same limits as before', () => {
    const note = noteRequestSchema.parse({ text: '  Klient dzwonił.\r\n\tPrześle zdjęcia.  ' });
    expect(note.text).toBe('Klient dzwonił.\n\tPrześle zdjęcia.');
    expect(issuesOf(noteRequestSchema, { text: 'x'.repeat(5_000) })).toEqual([]);
    expect(issuesOf(noteRequestSchema, { text: 'x'.repeat(5_001) })).toEqual(['text']);
    expect(issuesOf(noteRequestSchema, { text: '   ' })).toEqual(['text']);
    expect(issuesOf(informationRequestSchema, { question: 'Zdjęcie?' })).toEqual(['question']);
    expect(issuesOf(informationRequestSchema, { question: 'Zdjęcie? 🐢 Proszę.' })).toEqual([]);
    expect(issuesOf(extensionRequestSchema, { ...extension, reason: 'x'.repeat(2_001) })).toEqual(['reason']);
    expect(issuesOf(decisionRequestSchema, { ...decision, justification: 'x'.repeat(10_001) })).toEqual(['justification']);
    expect(issuesOf(decisionRequestSchema, { ...decision, adrStatement: 'Nie zgadzamy się.' })).toEqual(['adrStatement']);
    expect(issuesOf(decisionRequestSchema, { ...decision, paymentMethod: 'ok' })).toEqual(['paymentMethod']);
    expect(decisionRequestSchema.parse({ ...decision, signerPosition: '  Kierownik działu reklamacji ' }).signerPosition).toBe(
      'Kierownik działu reklamacji',
    );
  });

  it('still read a decision stored before its texts were checked, so its complaint does not become a 500', () => {
    const stored = complaintSchema.parse({
      ...validComplaint,
      id: '3b0c6f2e-8a1d-4c55-9f3e-2d7b1a0c9e11',
      reference: 'RK-7XK4M-9QPZT',
      status: 'decided',
      channel: 'web',
      policyId: 'consumer',
      receivedAt: '2026-11-23T09:14:03.120Z',
      receivedOn: '2026-11-23',
      responseDueBy: '2026-12-07',
      version: 4,
      customer: { ...validComplaint.customer, email: `${'a'.repeat(100)}@example.com` },
      decision: {
        outcome: 'rejected',
        justification: 'Bez \u202Ezasadna',
        signerPosition: 'Kierownik\u0000',
        decidedAt: '2026-11-24T09:00:00.000Z',
        decidedBy: 'jan.returns',
      },
    });
    expect(stored.decision?.justification).toBe('Bez \u202Ezasadna');
  });

  it("refuse control characters in a webhook subscription's description and in a shop's ids", () => {
    const subscription = { url: 'https://example.com/hook', events: ['complaint.received'] };
    expect(issuesOf(subscriptionRequestSchema, { ...subscription, description: 'CRM\u001b]0;owned\u0007' })).toEqual(['description']);
    expect(issuesOf(subscriptionRequestSchema, { ...subscription, description: 'CRM sklepu' })).toEqual([]);
    const event = { ...complaintCreatedExample, data: { ...complaintCreatedExample.data, returnId: 'RMA-\u202E1877' } };
    expect(issuesOf(complaintCreatedEventSchema, event)).toEqual(['data.returnId']);
  });
});

describe('e-mail addresses', () => {
  const email = (address: string) => z.safeParse(customerSchema.shape.email, address);

  it('take an internationalised domain, stored in its ASCII (punycode) form, which SES takes', () => {
    expect(email('anna@bücher.de')).toEqual({ success: true, data: 'anna@xn--bcher-kva.de' });
    expect(email(' Anna@BÜCHER.de ')).toEqual({ success: true, data: 'Anna@xn--bcher-kva.de' });
    expect(email('anna@xn--bcher-kva.de')).toEqual({ success: true, data: 'anna@xn--bcher-kva.de' });
    expect(email('zofia@żółw.pl')).toEqual({ success: true, data: 'zofia@xn--w-uga1v8h.pl' });
  });

  it('leave an ASCII address exactly as typed', () => {
    expect(email('Anna.Kowalska+reklamacje@Example.COM')).toEqual({ success: true, data: 'Anna.Kowalska+reklamacje@Example.COM' });
  });

  it('refuse a local part over 64 characters and a domain label over 63 (RFC 5321), with one precise message', () => {
    expect(email(`${'a'.repeat(64)}@example.com`).success).toBe(true);
    expect(email(`${'a'.repeat(100)}@example.com`).error?.issues.map((issue) => issue.message)).toEqual([
      'must have at most 64 characters before the @',
    ]);
    expect(email(`anna@${'b'.repeat(63)}.de`).success).toBe(true);
    expect(email(`anna@${'b'.repeat(70)}.de`).error?.issues.map((issue) => issue.message)).toEqual([
      'must have at most 63 characters in each part of its domain (between dots)',
    ]);
    // A Unicode label is counted in its ASCII form, as DNS counts it.
    expect(email(`anna@${'ü'.repeat(60)}.de`).success).toBe(false);
  });

  it('refuse what no IDNA conversion makes an address of, as before', () => {
    // A newline or a slash in a domain is refused, not dropped or cut at as the URL parser (and node:url) would.
    for (const address of [
      'anna@bü\u202Echer.de',
      'anna@bü cher.de',
      'anna@bü\ncher.de',
      'anna@bü/cher.de',
      'anna@bü:25',
      'anna@',
      'anna',
      'anna@bücher',
    ]) {
      expect([address, email(address).error?.issues.map((issue) => issue.message)]).toEqual([address, ['must be an e-mail address']]);
    }
  });

  it('look a complaint up by either form: the status page and the staff list read the stored form', () => {
    const lookup = (address: string) => statusLookupSchema.parse({ reference: newReference(), email: address }).email;
    expect(lookup('anna@bücher.de')).toBe('anna@xn--bcher-kva.de');
    expect(lookup('anna@xn--bcher-kva.de')).toBe('anna@xn--bcher-kva.de');
    expect(listQuerySchema.parse({ email: 'anna@bücher.de' }).email).toBe('anna@xn--bcher-kva.de');
    // An address stored before the length limits can still be looked up.
    expect(lookup(`${'a'.repeat(100)}@example.com`)).toBe(`${'a'.repeat(100)}@example.com`);
  });
});

describe('whole numbers in the staff list query', () => {
  const query = (parameters: Record<string, string>) => z.safeParse(listQuerySchema, parameters);

  it.each([[''], [' '], ['0x10'], ['1e2'], ['7.5'], ['-1']])(
    'refuse dueWithinDays=%j (422), as limit is, rather than read it as a number',
    (value) => {
      expect(query({ dueWithinDays: value }).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
        'dueWithinDays: must be a whole number from 0 to 366',
      ]);
      expect(query({ limit: value }).error?.issues.map((issue) => issue.path.join('.'))).toEqual(['limit']);
    },
  );

  it('read digits as before, and a limit left out as 25', () => {
    expect(query({ dueWithinDays: '0', limit: '100' }).data).toMatchObject({ dueWithinDays: 0, limit: 100 });
    expect(query({ dueWithinDays: '7' }).data).toMatchObject({ dueWithinDays: 7, limit: 25 });
    expect(query({ dueWithinDays: '367' }).success).toBe(false);
  });
});
