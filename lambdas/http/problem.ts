import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { DomainError, ValidationFailed } from '../core/errors';
import { errorFields, log } from '../adapters/logger';

export const PROBLEM_TYPE_BASE = 'https://reklamacje.example/problems/';

/** The one place where errors become HTTP answers: RFC 9457 problem details. */
export function problemResponse(error: unknown, instance?: string): APIGatewayProxyResultV2 {
  if (error instanceof DomainError) {
    const body: Record<string, unknown> = {
      type: `${PROBLEM_TYPE_BASE}${error.type}`,
      title: error.title,
      status: error.status,
      detail: error.message,
      ...(instance ? { instance } : {}),
    };
    if (error instanceof ValidationFailed) body.errors = error.issues;
    return problem(error.status, body);
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
    return { statusCode: 503, headers: { 'content-type': 'application/problem+json', 'retry-after': '60' }, body: JSON.stringify(body) };
  }
  log.error('unhandled error', errorFields(error));
  return problem(500, {
    type: `${PROBLEM_TYPE_BASE}internal-error`,
    title: 'Something went wrong on our side',
    status: 500,
    detail: 'The request was not completed. It is safe to retry it with the same Idempotency-Key.',
  });
}

function problem(status: number, body: Record<string, unknown>): APIGatewayProxyResultV2 {
  return { statusCode: status, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify(body) };
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}
