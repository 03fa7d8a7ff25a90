import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { readBody } from '../../lambdas/http/request-body';
import { matchRoute } from '../../lambdas/http/routes';
import { problemResponse } from '../../lambdas/http/problem';
import { EmailTemporarilyUnavailable } from '../../lambdas/adapters/mailer';
import { MalformedRequest, PayloadTooLarge, UnsupportedMediaType, ValidationFailed } from '../../lambdas/core/errors';

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

  it('hide the details of an unexpected error behind a 500', () => {
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const answer = problemResponse(new Error('connection string postgres://secret'));
    spy.mockRestore();
    expect((answer as { statusCode: number }).statusCode).toBe(500);
    expect((answer as { body: string }).body).not.toContain('secret');
  });
});
