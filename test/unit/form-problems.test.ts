import {
  IdempotencyKeyInUse,
  IdempotencyKeyReused,
  MalformedRequest,
  PayloadTooLarge,
  TooManyAttempts,
  UnsupportedMediaType,
} from '../../lambdas/core/errors';
import { bodyProblemOf, formProblem } from '../../lambdas/http/pages/form-problems';
import { renderStatusLookup } from '../../lambdas/http/pages/status-page';
import { honeypotFilled } from '../../lambdas/core/honeypot';
import { filePublicComplaint, INTAKE_LIMITS } from '../../lambdas/use-cases/file-public-complaint';
import { loadPolicyRegistry } from '../../lambdas/core/policy-config';
import type { AttemptCounter } from '../../lambdas/use-cases/look-up-status';
import { inMemoryComplaints } from '../support/in-memory-complaints';
import { validComplaint } from '../support/local-product';

describe('a plain form post that fails as a whole is answered, in the page language, with', () => {
  it.each([
    [new MalformedRequest('x'), 400, 'Nie udało się odczytać formularza', 'The form could not be read'],
    [new IdempotencyKeyInUse('x'), 409, 'jest właśnie przyjmowany', 'is being received right now'],
    [new PayloadTooLarge('x'), 413, 'Formularz jest za duży', 'The form is too large'],
    [new UnsupportedMediaType('x'), 415, 'Wyślij go jeszcze raz z tej strony', 'send it again from this page'],
    [new IdempotencyKeyReused('x'), 422, 'wysłano już z inną treścią', 'already sent with other content'],
    [new TooManyAttempts(600), 429, 'Spróbuj ponownie za 10 min', 'Try again in 10 min'],
    [new Error('a fault of ours'), 500, 'mogła zostać przyjęta albo nie', 'may or may not have been received'],
  ])('%s: status %i', (error, status, polish, english) => {
    expect(formProblem('pl', error)).toMatchObject({ status, message: expect.stringContaining(polish) });
    expect(formProblem('en', error)).toMatchObject({ status, message: expect.stringContaining(english) });
  });

  it('Retry-After on the problems that pass by themselves (409 in progress, 429), and on no other', () => {
    expect(formProblem('pl', new IdempotencyKeyInUse('x')).headers).toEqual({ 'retry-after': '1' });
    expect(formProblem('pl', new TooManyAttempts(61)).headers).toEqual({ 'retry-after': '61' });
    expect(formProblem('pl', new PayloadTooLarge('x')).headers).toBeUndefined();
    expect(formProblem('pl', new Error('x')).headers).toBeUndefined();
  });
});

describe('a status page post whose body could not be read is answered with the lookup form, in the page language, saying', () => {
  it.each([
    ['malformed', 400, new MalformedRequest('x'), 'Nie udało się odczytać formularza. Wyślij go jeszcze raz.', 'The form could not be read.'],
    ['tooLarge', 413, new PayloadTooLarge('x'), 'Formularz był za duży', 'The form was too large to be read.'],
    ['unsupported', 415, new UnsupportedMediaType('x'), 'Wyślij go jeszcze raz z tej strony', 'send it again from this page'],
  ])('%s: status %i', (kind, status, error, polish, english) => {
    expect(bodyProblemOf(error)).toEqual({ kind, status });
    for (const [language, words] of [
      ['pl', polish],
      ['en', english],
    ] as const) {
      const page = renderStatusLookup({ language, unreadable: bodyProblemOf(error)!.kind });
      expect(page).toContain(`<html lang="${language}">`);
      expect(page).toContain('<div class="error-summary" id="error-summary" role="alert"');
      expect(page).toContain(words);
      // The form posts to an address that carries its language, so that the next unreadable body is answered in it.
      expect(page).toContain(`action="/complaints/status?lang=${language}"`);
    }
  });

  it('nothing for any other error', () => {
    expect(bodyProblemOf(new TooManyAttempts(60))).toBeUndefined();
    expect(bodyProblemOf(new Error('x'))).toBeUndefined();
  });
});

describe('the honeypot', () => {
  it.each([
    [{ website: 'https://spam.example' }, true],
    [{ website: 'x' }, true],
    [{ website: ['a'] }, true],
    [{ website: '' }, false],
    [{ website: '   ' }, false],
    [{ website: null }, false],
    [{ website: false }, false],
    [{ website: 0 }, true],
    [{}, false],
    [null, false],
    ['website=x', false],
  ])('%j filled: %s', (body, filled) => {
    expect(honeypotFilled(body)).toBe(filled);
  });
});

describe('the per-client limit of the public form', () => {
  /** Counts in memory, as the DynamoDB counter does: per key and window start. */
  function memoryCounter(): AttemptCounter & { keys: string[] } {
    const counts = new Map<string, number>();
    return {
      keys: [],
      async countAttempt(key, window) {
        this.keys.push(key);
        const id = `${key}@${window.start.toISOString()}`;
        counts.set(id, (counts.get(id) ?? 0) + 1);
        return counts.get(id)!;
      },
    };
  }

  it(`is ${INTAKE_LIMITS.perClient} per client per 15 minutes by default, refused before any work, with the seconds to the window's end`, async () => {
    const attempts = memoryCounter();
    const now = new Date('2026-11-30T10:05:00Z');
    const created: unknown[] = [];
    const ports = {
      attempts,
      intakeLimitPerClient: INTAKE_LIMITS.perClient,
      now: () => now,
      complaints: {
        create: async (input: unknown) => {
          created.push(input);
          return {
            outcome: 'created' as const,
            receipt: { id: 'c', reference: 'RK', status: 'received' as const, receivedAt: now.toISOString(), responseDueBy: '2026-12-14' },
          };
        },
      },
      policies: loadPolicyRegistry(undefined, undefined),
      newId: () => 'c',
      newReference: () => 'RK',
      attachments: { inspect: async () => undefined, keep: async () => 'never', discard: async () => undefined },
      scanner: { scan: async () => 'not_scanned' as const },
    };
    const bot = { website: 'x' };
    for (let i = 0; i < INTAKE_LIMITS.perClient; i += 1)
      expect(await filePublicComplaint(bot, undefined, '203.0.113.9', ports)).toEqual({ outcome: 'discarded' });
    await expect(filePublicComplaint(bot, undefined, '203.0.113.9', ports)).rejects.toMatchObject({ status: 429, waitSeconds: 10 * 60 });
    expect(created).toEqual([]);
    // The address is kept only as a digest.
    expect(attempts.keys.every((key) => key.startsWith('intake#client#') && !key.includes('203.0.113.9'))).toBe(true);
  });

  it('counts a stored complaint in the transaction that stores it, and any other post on its own: the limit holds across both', async () => {
    const store = inMemoryComplaints();
    const now = new Date('2026-11-30T10:05:00Z');
    let ids = 0;
    const outcomes: string[] = [];
    const complaints = {
      create: async (input: Parameters<typeof store.repository.create>[0]) => {
        const stored = await store.repository.create(input);
        outcomes.push(stored.outcome);
        return stored;
      },
    };
    const ports = {
      attempts: store.attempts,
      intakeLimitPerClient: 4,
      now: () => now,
      complaints,
      policies: loadPolicyRegistry(undefined, undefined),
      newId: () => `00000000-0000-4000-8000-${String((ids += 1)).padStart(12, '0')}`,
      newReference: () => `RK-LIMIT-0000${ids}`,
      attachments: { inspect: async () => undefined, keep: async () => 'never', discard: async () => undefined },
      scanner: { scan: async () => 'not_scanned' as const },
    };
    const client = '203.0.113.9';
    expect(await filePublicComplaint(validComplaint, undefined, client, ports)).toMatchObject({ outcome: 'filed', replayed: false });
    await expect(filePublicComplaint({ ...validComplaint, description: '' }, undefined, client, ports)).rejects.toMatchObject({ status: 422 });
    expect(await filePublicComplaint({ website: 'x' }, undefined, client, ports)).toEqual({ outcome: 'discarded' });
    const fourth = await filePublicComplaint(validComplaint, undefined, client, ports);
    expect(fourth).toMatchObject({ outcome: 'filed' });
    // The fifth post, valid or not, is refused with the seconds to the window's end, and stores nothing.
    await expect(filePublicComplaint(validComplaint, undefined, client, ports)).rejects.toMatchObject({ status: 429, waitSeconds: 10 * 60 });
    await expect(filePublicComplaint({ ...validComplaint, description: '' }, undefined, client, ports)).rejects.toMatchObject({ status: 429 });
    expect(outcomes).toEqual(['created', 'created', 'over_limit']);
    // Another client is counted apart.
    expect(await filePublicComplaint(validComplaint, undefined, '198.51.100.7', ports)).toMatchObject({ outcome: 'filed' });
  });
});
