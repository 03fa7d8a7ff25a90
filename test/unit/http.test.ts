import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { formValues, MAX_FORM_NAME_SEGMENTS, readBody } from '../../lambdas/http/request-body';
import { wantsHtml } from '../../lambdas/http/pages/page-layout';
import { matchRoute } from '../../lambdas/http/routes';
import { problemResponse } from '../../lambdas/http/problem';
import { EmailTemporarilyUnavailable } from '../../lambdas/adapters/mailer';
import * as errors from '../../lambdas/core/errors';
import {
  DomainError,
  IdempotencyKeyInUse,
  MalformedRequest,
  NotFound,
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

  it(`takes a form field name of up to ${MAX_FORM_NAME_SEGMENTS} dotted parts, and refuses one of more with a 400 naming why`, () => {
    const form = (name: string) => event(`${name}=1`, 'application/x-www-form-urlencoded');
    expect(readBody(form('a.b.c.d'), 1000)).toEqual({ a: { b: { c: { d: '1' } } } });
    expect(() => readBody(form('a.b.c.d.e'), 1000)).toThrow(MalformedRequest);
    // 30,000 parts (60 KB, under intake's 64 KiB): refused before any object is built, and the answer does not
    // carry the name back whole.
    const deep = Array.from({ length: 30_000 }, () => 'a').join('.');
    let refused: unknown;
    try {
      readBody(form(deep), 64 * 1024);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(MalformedRequest);
    expect((refused as Error).message).toMatch(/has more than 4 dot-separated parts; at most 4 are accepted\.$/);
    expect((refused as Error).message.length).toBeLessThan(200);
  });

  it('refuses a body over the limit with 413, an unknown media type with 415 and bad JSON with 400', () => {
    expect(() => readBody(event('x'.repeat(11), 'application/json'), 10)).toThrow(PayloadTooLarge);
    expect(() => readBody(event('x', 'text/plain'), 10)).toThrow(UnsupportedMediaType);
    expect(() => readBody(event('x'), 10)).toThrow(UnsupportedMediaType);
    expect(() => readBody(event('{', 'application/json'), 10)).toThrow(MalformedRequest);
  });
});

describe("a body's fields as form values again", () => {
  it('gives the dotted names of the strings, the inverse of reading a form', () => {
    const body = readBody(event('customer.name=Anna&customer.email=a%40b.pl&desiredRemedy=refund', 'application/x-www-form-urlencoded'), 1000);
    expect(formValues(body)).toEqual({ 'customer.name': 'Anna', 'customer.email': 'a@b.pl', desiredRemedy: 'refund' });
    expect(formValues({ description: 5, privacyNoticeAccepted: true, customer: null })).toEqual({});
    expect(formValues(undefined)).toEqual({});
  });

  it(`walks no deeper than a form name can be (${MAX_FORM_NAME_SEGMENTS} parts), however deep a JSON body is nested`, () => {
    let deep: Record<string, unknown> = { leaf: 'x' };
    for (let i = 0; i < 100_000; i += 1) deep = { a: deep };
    expect(formValues({ ...deep, name: 'Anna', a: { b: { c: { d: 'kept', e: { f: 'too deep' } } } } })).toEqual({
      name: 'Anna',
      'a.b.c.d': 'kept',
    });
    expect(formValues(deep)).toEqual({});
  });
});

describe('who is answered with pages', () => {
  const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
  it.each([
    ['a browser posting a form', { 'Content-Type': 'application/x-www-form-urlencoded', Accept: browser }, true],
    ['a browser posting multipart (a form with enctype set)', { 'content-type': 'multipart/form-data; boundary=x', accept: browser }, true],
    ['a browser posting text/plain', { 'content-type': 'text/plain', accept: 'text/html' }, true],
    ['a browser posting without a content type', { accept: 'text/html' }, true],
    ['a script asking for JSON', { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, false],
    ['a script preferring JSON over a page', { accept: 'application/json, text/html;q=0.5' }, false],
    ['a client preferring a page over JSON', { accept: 'text/html, application/problem+json;q=0.9' }, true],
    ['a client refusing pages', { accept: 'text/html;q=0' }, false],
    ['a client accepting anything', { 'content-type': 'application/x-www-form-urlencoded', accept: '*/*' }, false],
    ['a client that says nothing', { 'content-type': 'application/x-www-form-urlencoded' }, false],
  ])('%s: %s', (_who, headers, html) => {
    expect(wantsHtml(headers)).toBe(html);
  });
});

describe('the route table', () => {
  it('finds a route and tells which methods a known path answers', () => {
    expect(matchRoute('POST', '/complaints').match?.route.function).toBe('intake');
    expect(matchRoute('GET', '/complaints')).toEqual({ allowed: ['POST'] });
    expect(matchRoute('GET', '/nowhere')).toEqual({ allowed: [] });
  });

  it('answers a path parameter that is not valid percent-encoding as naming nothing (404, saying why), as a bad id is', () => {
    expect(() => matchRoute('GET', '/admin/complaints/%E0%A4%A')).toThrow(NotFound);
    expect(() => matchRoute('POST', '/webhooks/%ZZ')).toThrow(/The path segment "%ZZ" is not valid percent-encoding/);
    // Only once the rest of the path is the route's: another path is not refused for it.
    expect(matchRoute('POST', '/nowhere/%ZZ')).toEqual({ allowed: [] });
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
      'ComplaintBusy',
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
