import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { statusPorts } from './compose';
import { log } from '../adapters/logger';
import type { Language } from '../core/complaint';
import { StatusNotFound, statusLookupSchema, TooManyAttempts } from '../core/customer-status';
import { ValidationFailed } from '../core/errors';
import { validated } from '../core/validation';
import { httpHandler } from '../http/http-handler';
import { json, problemResponse } from '../http/problem';
import { readBody } from '../http/request-body';
import { clientOf } from '../http/client-address';
import { htmlResponse, wantsHtml } from '../http/pages/page-layout';
import { renderStatusLookup, renderStatusResult } from '../http/pages/status-page';
import { lookUpStatus } from '../use-cases/look-up-status';

// A reference and an e-mail address: a few hundred bytes; anything much larger is not a status question.
const MAX_BODY_BYTES = 4 * 1024;

/**
 * GET /complaints/status: the lookup form (the acknowledgement e-mail links here with the reference filled in).
 * POST /complaints/status: the lookup, answered as a page to a browser's form post, else as JSON.
 */
export const handler = httpHandler(async (event) => {
  if (event.requestContext.http.method === 'GET') {
    const query = event.queryStringParameters ?? {};
    return htmlResponse(200, renderStatusLookup({ language: languageOf(query.lang), reference: query.reference?.slice(0, 40) }));
  }
  const html = wantsHtml(event.headers);
  const body = readBody(event, MAX_BODY_BYTES) as Record<string, unknown> | null;
  const language = languageOf(body?.language);
  const sent = { language, reference: textOf(body?.reference), email: textOf(body?.email) };
  try {
    const lookup = validated(statusLookupSchema, body);
    const view = await lookUpStatus(lookup, clientOf(event), statusPorts());
    log.info('status looked up', { reference: view.reference });
    return html ? htmlResponse(200, renderStatusResult(language, view)) : json(200, view, { 'cache-control': 'no-store' });
  } catch (error) {
    if (error instanceof StatusNotFound) log.info('status lookup found nothing');
    if (error instanceof TooManyAttempts) log.warn('status lookups limited', { retryAfterSeconds: error.waitSeconds });
    if (!html) return withRetryAfter(problemResponse(error, event.rawPath) as APIGatewayProxyStructuredResultV2, error);
    if (error instanceof ValidationFailed) return htmlResponse(422, renderStatusLookup({ ...sent, errors: error.issues }));
    if (error instanceof StatusNotFound) return htmlResponse(404, renderStatusLookup({ ...sent, notFound: true }));
    if (error instanceof TooManyAttempts) {
      return htmlResponse(429, renderStatusLookup({ ...sent, retryAfterSeconds: error.waitSeconds }), {
        'retry-after': String(error.waitSeconds),
      });
    }
    throw error;
  }
});

function withRetryAfter(answer: APIGatewayProxyStructuredResultV2, error: unknown): APIGatewayProxyStructuredResultV2 {
  if (!(error instanceof TooManyAttempts)) return answer;
  return { ...answer, headers: { ...answer.headers, 'retry-after': String(error.waitSeconds) } };
}

const languageOf = (value: unknown): Language => (value === 'en' ? 'en' : 'pl');
const textOf = (value: unknown) => (typeof value === 'string' ? value.slice(0, 300) : undefined);
