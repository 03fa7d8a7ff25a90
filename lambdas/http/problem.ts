import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { DomainError, InvalidHeader, MissingHeader, ValidationFailed, type PassesByItself } from '../core/errors';
import { errorFields, log } from '../adapters/logger';

export const PROBLEM_TYPE_BASE = 'https://reklamacje.example/problems/';

/** What an answer to a failed request may truthfully say about retrying it (see `unexpectedFailureDetail`). */
export interface RequestFacts {
  method?: string;
  /** The request carried an Idempotency-Key and its route honours one (routes.ts, `request.idempotencyKey`). */
  idempotencyKeyHonoured?: boolean;
  /** The route honours an Idempotency-Key, whether or not this request carried one. */
  routeTakesIdempotencyKey?: boolean;
  /** How a caller finds out whether a change took effect, in a sentence (from the route's handler). */
  howToCheck?: string;
}

/** The one place where errors become HTTP answers: RFC 9457 problem details. */
export function problemResponse(error: unknown, instance?: string, request: RequestFacts = {}): APIGatewayProxyResultV2 {
  if (error instanceof DomainError) {
    const body: Record<string, unknown> = {
      type: `${PROBLEM_TYPE_BASE}${error.type}`,
      title: error.title,
      status: error.status,
      detail: error.message,
      ...(instance ? { instance } : {}),
    };
    if (error instanceof ValidationFailed) body.errors = error.issues;
    // RFC 9457 §3.2: an extension member names what was wrong, as `errors` does for fields.
    if (error instanceof MissingHeader || error instanceof InvalidHeader) body.header = error.header;
    // RFC 9110 §10.2.3: when to ask again; every 409 says it (errors.ts): a request still in progress, or a
    // change that raced another.
    const { retryAfterSeconds } = error as Partial<PassesByItself>;
    return problem(error.status, body, typeof retryAfterSeconds === 'number' ? { 'retry-after': String(Math.ceil(retryAfterSeconds)) } : {});
  }
  // By name, not class: importing the mailer here would put the SES client into every HTTP function.
  if (error instanceof Error && error.name === 'EmailTemporarilyUnavailable') {
    log.warn('e-mail service unavailable', errorFields(error));
    const body = {
      type: `${PROBLEM_TYPE_BASE}email-unavailable`,
      title: 'E-mail cannot be sent right now',
      status: 503,
      detail: 'Nothing was changed. Try again in a minute.',
    };
    return problem(503, body, { 'retry-after': '60' });
  }
  log.error('unhandled error', errorFields(error));
  return problem(500, {
    type: `${PROBLEM_TYPE_BASE}internal-error`,
    title: 'Something went wrong on our side',
    status: 500,
    detail: unexpectedFailureDetail(request),
    ...(instance ? { instance } : {}),
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * What is true of a request that failed unexpectedly, somewhere in its work: a read changed nothing; a write
 * under an Idempotency-Key its route honours takes effect at most once however often it is sent (the key's
 * answer is stored with the change, in one transaction); any other write may or may not have taken effect.
 */
export function unexpectedFailureDetail(request: RequestFacts): string {
  const method = request.method?.toUpperCase();
  if (method !== undefined && SAFE_METHODS.has(method)) return 'The request was not completed. It changed nothing, and it is safe to retry it.';
  if (request.idempotencyKeyHonoured) {
    return 'The request may or may not have taken effect. It is safe to retry it with the same Idempotency-Key: it takes effect at most once.';
  }
  return [
    'The request may or may not have taken effect.',
    request.howToCheck ?? 'Check whether it did before sending it again.',
    request.routeTakesIdempotencyKey ? 'Send an Idempotency-Key with it, and a retry with the same key is always safe.' : undefined,
  ]
    .filter(Boolean)
    .join(' ');
}

function problem(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): APIGatewayProxyResultV2 {
  return { statusCode: status, headers: { 'content-type': 'application/problem+json', ...headers }, body: JSON.stringify(body) };
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}
