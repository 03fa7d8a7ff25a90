import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { readBody } from '../../lambdas/http/request-body';
import { matchRoute } from '../../lambdas/http/routes';
import { problemResponse } from '../../lambdas/http/problem';
import { EmailTemporarilyUnavailable } from '../../lambdas/adapters/mailer';
import * as errors from '../../lambdas/core/errors';
import {
  DomainError,
  IdempotencyKeyInUse,
  MalformedRequest,
  PayloadTooLarge,
  UnsupportedMediaType,
  ValidationFailed,
  VersionConflict,
} from '../../lambdas/core/errors';
import { httpHandler } from '../../lambdas/http/http-handler';
import { validated } from '../../lambdas/core/validation';
import { complaintSubmissionSchema } from '../../lambdas/core/complaint';

function event(body: string, contentType?: string): APIGatewayProxyEventV2 {
  return { headers: contentType ? { 'Content-Type': contentType } : {}, body, isBase64Encoded: false } as unknown as APIGatewayProxyEventV2;
}

describe('reading a request body', () => {
  it('turns dotted form names into nested objects', () => {
    const body = readBody(event('customer.name=Anna&customer.email=a%40b.pl&desiredRemedy=refund', 'application/x-www-form-urlencoded'), 1000);
    expect(body).toEqual({ customer: { name: 'Anna', email: 'a@b.pl' }, desiredRemedy: 'refund' });
  });

  it('reads JSON whatever the charset parameter', () => {
    expect(readBody(event('{"a":1}', 'application/json; charset=utf-8'), 1000)).toEqual({ a: 1 });
  });

  it.each([
    ['__proto__.polluted=1', MalformedRequest],
    ['customer=x&customer.name=y', MalformedRequest],
    ['customer..name=y', MalformedRequest],
  ])('refuses the form %s without touching any prototype', (form, error) => {
    expect(() => readBody(event(form, 'application/x-www-form-urlencoded'), 1000)).toThrow(error);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a body over the limit with 413, an unknown media type with 415 and bad JSON with 400', () => {
    expect(() => readBody(event('x'.repeat(11), 'application/json'), 10)).toThrow(PayloadTooLarge);
    expect(() => readBody(event('x', 'text/plain'), 10)).toThrow(UnsupportedMediaType);
    expect(() => readBody(event('x'), 10)).toThrow(UnsupportedMediaType);
    expect(() => readBody(event('{', 'application/json'), 10)).toThrow(MalformedRequest);
  });
});

describe('the route table', () => {
  it('finds a route and tells which methods a known path answers', () => {
    expect(matchRoute('POST', '/complaints').match?.route.function).toBe('intake');
    expect(matchRoute('GET', '/complaints')).toEqual({ allowed: ['POST'] });
    expect(matchRoute('GET', '/nowhere')).toEqual({ allowed: [] });
  });

  it('refuses a path parameter that is not valid percent-encoding with a 400, not a crash', () => {
    expect(() => matchRoute('GET', '/admin/complaints/%E0%A4%A')).toThrow(MalformedRequest);
  });
});

describe('problem details', () => {
  it('name each bad field of a validation failure', () => {
    const answer = problemResponse(new ValidationFailed([{ field: 'customer.email', message: 'must be an e-mail address' }]), '/complaints');
    expect(answer).toMatchObject({ statusCode: 422, headers: { 'content-type': 'application/problem+json' } });
    const body = JSON.parse((answer as { body: string }).body);
    expect(body).toMatchObject({ status: 422, instance: '/complaints', errors: [{ field: 'customer.email' }] });
  });

  // zod/mini brings no messages of its own (every issue would read "Invalid input"): lambdas/core/zod.ts installs
  // zod's English ones, which a field without a message of its own answers with.
  it("say in zod's English words what is wrong with a field that has no message of its own", () => {
    const sent = {
      customer: { name: 'A'.repeat(201), email: 'anna@example.com' },
      description: 5,
      desiredRemedy: 'repair',
      privacyNoticeAccepted: 'on',
      language: 'de',
    };
    let failure: unknown;
    try {
      validated(complaintSubmissionSchema, sent);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ValidationFailed);
    expect((failure as ValidationFailed).issues).toEqual([
      { field: 'customer.name', message: 'Too big: expected string to have <=200 characters' },
      { field: 'description', message: 'Invalid input: expected string, received number' },
      { field: 'language', message: 'Invalid option: expected one of "pl"|"en"' },
    ]);
  });

  it('tell staff to retry, with 503 and Retry-After, when e-mail cannot be sent for now', () => {
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const answer = problemResponse(new EmailTemporarilyUnavailable('TooManyRequestsException: slow down')) as {
      statusCode: number;
      headers: Record<string, string>;
    };
    spy.mockRestore();
    expect(answer.statusCode).toBe(503);
    expect(answer.headers['retry-after']).toBe('60');
  });

  it('ask a client to come back in a second (409, Retry-After) while a request with the same Idempotency-Key is in progress', () => {
    const answer = problemResponse(new IdempotencyKeyInUse('still in progress')) as { statusCode: number; headers: Record<string, string> };
    expect(answer.statusCode).toBe(409);
    expect(answer.headers['retry-after']).toBe('1');
  });

  it('give a version conflict Retry-After: 1, the time after which reading the complaint again is worth it', () => {
    const answer = problemResponse(new VersionConflict('decided meanwhile')) as { statusCode: number; headers: Record<string, string> };
    expect(answer.statusCode).toBe(409);
    expect(answer.headers['retry-after']).toBe('1');
  });

  it('give every 409 of the domain errors a Retry-After of 1 to 60 seconds, but the end of a term, which no retry changes', () => {
    const conflicts = (Object.values(errors) as unknown[])
      .filter((value): value is new (argument: never) => DomainError => typeof value === 'function' && value.prototype instanceof DomainError)
      // Each constructor takes a message or the seconds to wait, for which 3 stands in (a 422 takes field issues).
      .filter((Error) => Error !== errors.ValidationFailed)
      .map((Conflict) => new Conflict(3 as never))
      .filter((error) => error.status === 409);
    expect(conflicts.map((error) => error.name).sort()).toEqual([
      'CustomerHasNoEmail',
      'EarlierRequestUnfinished',
      'EmailBeingSent',
      'IdempotencyKeyInUse',
      'TermEnded',
      'VersionConflict',
    ]);
    expect((problemResponse(new errors.TermEnded('ended')) as { headers: Record<string, string> }).headers['retry-after']).toBeUndefined();
    for (const error of conflicts.filter((conflict) => conflict.name !== 'TermEnded')) {
      const retryAfter = Number((problemResponse(error) as { headers: Record<string, string> }).headers['retry-after']);
      expect({ error: error.name, retryAfterWithinBounds: retryAfter >= 1 && retryAfter <= 60 }).toEqual({
        error: error.name,
        retryAfterWithinBounds: true,
      });
    }
  });

  it('hide the details of an unexpected error behind a 500', () => {
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const answer = problemResponse(new Error('connection string postgres://secret'));
    spy.mockRestore();
    expect((answer as { statusCode: number }).statusCode).toBe(500);
    expect((answer as { body: string }).body).not.toContain('secret');
  });
});

describe('the answer to an unexpected failure (500)', () => {
  const failing = (options?: Parameters<typeof httpHandler>[1]) =>
    httpHandler(() => Promise.reject(new Error('DynamoDB went away mid-request')), options);
  const eventOf = (method: string, headers: Record<string, string> = {}) =>
    ({ rawPath: '/somewhere', routeKey: `${method} /somewhere`, headers, requestContext: { http: { method } } }) as unknown as APIGatewayProxyEventV2;
  const detailOf = async (handler: ReturnType<typeof failing>, event: APIGatewayProxyEventV2) => {
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const answer = (await handler(event)) as { statusCode: number; body: string };
      expect(answer.statusCode).toBe(500);
      return (JSON.parse(answer.body) as { detail: string }).detail;
    } finally {
      spy.mockRestore();
    }
  };
  const keyed = { takesIdempotencyKey: () => true, howToCheck: 'Look at the complaint.' };

  it('says a read is safe to retry, and nothing of an Idempotency-Key', async () => {
    const detail = await detailOf(failing(keyed), eventOf('GET'));
    expect(detail).toMatch(/safe to retry/);
    expect(detail).not.toMatch(/Idempotency-Key/);
  });

  it('promises a safe retry with the same Idempotency-Key only to a write that carried one, on a route that honours it', async () => {
    const detail = await detailOf(failing(keyed), eventOf('POST', { 'Idempotency-Key': 'k-1' }));
    expect(detail).toMatch(/may or may not have taken effect/);
    expect(detail).toMatch(/safe to retry it with the same Idempotency-Key/);
  });

  it('tells a write without a key that it may have taken effect, how to check, and that a key would make a retry safe', async () => {
    const detail = await detailOf(failing(keyed), eventOf('POST'));
    expect(detail).toMatch(/may or may not have taken effect/);
    expect(detail).toContain('Look at the complaint.');
    expect(detail).not.toMatch(/safe to retry it with the same/);
    expect(detail).toMatch(/Send an Idempotency-Key/);
  });

  it('never mentions an Idempotency-Key on a route that ignores one, even if the request carried it', async () => {
    const detail = await detailOf(failing({ takesIdempotencyKey: () => false }), eventOf('POST', { 'idempotency-key': 'k-2' }));
    expect(detail).toMatch(/may or may not have taken effect/);
    expect(detail).not.toMatch(/Idempotency-Key/);
    expect(detail).not.toMatch(/safe to retry/);
  });
});
