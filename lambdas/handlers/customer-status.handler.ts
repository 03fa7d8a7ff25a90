import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { replyPorts, statusPorts } from './compose';
import { log } from '../adapters/logger';
import type { Language } from '../core/complaint';
import { customerReplySchema, NoQuestionToAnswer, StatusNotFound, statusLookupSchema, type StatusLookup } from '../core/customer-status';
import { TooManyAttempts, ValidationFailed } from '../core/errors';
import { validated } from '../core/validation';
import { httpHandler } from '../http/http-handler';
import { json, problemResponse } from '../http/problem';
import { readBody } from '../http/request-body';
import { clientOf } from '../http/client-address';
import { htmlResponse, wantsHtml } from '../http/pages/page-layout';
import { bodyProblemOf } from '../http/pages/form-problems';
import { renderStatusLookup, renderStatusResult, type StatusFormState } from '../http/pages/status-page';
import { lookUpStatus } from '../use-cases/look-up-status';
import { replyToInformationRequest } from '../use-cases/customer-reply';

// A reference and an e-mail address: a few hundred bytes; anything much larger is not a status question.
const MAX_LOOKUP_BYTES = 4 * 1024;
// A reply: 5,000 characters of up to 4 bytes each, percent-encoded in a form (3 characters a byte), and ten ids.
const MAX_REPLY_BYTES = 64 * 1024;

const NO_STORE = { 'cache-control': 'no-store' };

/**
 * GET /complaints/status: the lookup form (the acknowledgement e-mail links here with the reference filled in).
 * POST /complaints/status: the lookup; POST /complaints/status/reply: the customer's answer to an information
 * request. Each is answered as a page to a browser's form post (Accept: text/html, page-layout.ts, wantsHtml),
 * whatever went wrong with it, else as JSON.
 */
export const handler = httpHandler(async (event) => {
  if (event.requestContext.http.method === 'GET') {
    const query = event.queryStringParameters ?? {};
    return htmlResponse(200, renderStatusLookup({ language: languageOf(query.lang), reference: query.reference?.slice(0, 40) }));
  }
  const html = wantsHtml(event.headers);
  const replying = event.rawPath.endsWith('/reply');
  // Until the body is read, the page's language is the one its form's address carries (`?lang=`).
  let sent: StatusFormState = { language: languageOf(event.queryStringParameters?.lang) };
  try {
    // Read here, not before the try: a body that cannot be read (400, 413, 415) is answered as a page too.
    const body = readBody(event, replying ? MAX_REPLY_BYTES : MAX_LOOKUP_BYTES) as Record<string, unknown> | null;
    const language = languageOf(body?.language ?? sent.language);
    sent = { language, reference: textOf(body?.reference), email: textOf(body?.email) };
    const lookup = validated(statusLookupSchema, body);
    if (replying) return await reply(event, body, lookup, html);
    const view = await lookUpStatus(lookup, clientOf(event), statusPorts());
    log.info('status looked up', { reference: view.reference });
    return html ? htmlResponse(200, renderStatusResult(sent.language, view, { lookup })) : json(200, view, NO_STORE);
  } catch (error) {
    if (error instanceof StatusNotFound) log.info('status lookup found nothing');
    if (error instanceof TooManyAttempts) log.warn('status lookups limited', { retryAfterSeconds: error.waitSeconds });
    if (!html) return withRetryAfter(problemResponse(error, event.rawPath) as APIGatewayProxyStructuredResultV2, error);
    const unreadable = bodyProblemOf(error);
    if (unreadable) return htmlResponse(unreadable.status, renderStatusLookup({ ...sent, unreadable: unreadable.kind }));
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

/**
 * The reply, for a reference and e-mail address already known to be well-formed. A page that went wrong is shown
 * again with the complaint (one more counted lookup), the text kept and the error named; a wrong pair or too many
 * attempts fall through to the lookup's own answers.
 */
async function reply(event: APIGatewayProxyEventV2, body: Record<string, unknown> | null, lookup: StatusLookup, html: boolean) {
  const { language } = lookup;
  try {
    const view = await replyToInformationRequest(validated(customerReplySchema, body), clientOf(event), replyPorts());
    log.info('customer replied', { reference: view.reference });
    return html ? htmlResponse(200, renderStatusResult(language, view, { lookup, sent: true })) : json(200, view, NO_STORE);
  } catch (error) {
    if (!html || !(error instanceof ValidationFailed || error instanceof NoQuestionToAnswer)) throw error;
    const view = await lookUpStatus(lookup, clientOf(event), statusPorts());
    if (error instanceof NoQuestionToAnswer) {
      return htmlResponse(409, renderStatusResult(language, view, { lookup, alreadyAnswered: true }), {
        'retry-after': String(error.retryAfterSeconds),
      });
    }
    return htmlResponse(422, renderStatusResult(language, view, { lookup, text: textOf(body?.text, 20_000), errors: error.issues }));
  }
}

function withRetryAfter(answer: APIGatewayProxyStructuredResultV2, error: unknown): APIGatewayProxyStructuredResultV2 {
  if (!(error instanceof TooManyAttempts)) return answer;
  return { ...answer, headers: { ...answer.headers, 'retry-after': String(error.waitSeconds) } };
}

const languageOf = (value: unknown): Language => (value === 'en' ? 'en' : 'pl');
const textOf = (value: unknown, max = 300) => (typeof value === 'string' ? value.slice(0, max) : undefined);
