import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { intakePorts } from './compose';
import { log } from '../adapters/logger';
import type { Language } from '../core/complaint';
import { ValidationFailed } from '../core/errors';
import { parseReference } from '../core/reference';
import { isCalendarDate } from '../core/calendar/calendar-date';
import { httpHandler } from '../http/http-handler';
import { json } from '../http/problem';
import { header, readBody } from '../http/request-body';
import { renderComplaintForm } from '../http/pages/complaint-form-page';
import { htmlResponse, pagePaths, wantsHtml } from '../http/pages/page-layout';
import { renderReceiptPage } from '../http/pages/status-page';
import { submitPublicForm } from '../use-cases/submit-complaint';

// A complaint is text; attachments arrive separately (presigned uploads), so 64 KiB is generous.
const MAX_BODY_BYTES = 64 * 1024;

// What a failed submission's answer may say: POST /complaints honours an Idempotency-Key (routes.ts).
const intakeRoute = {
  takesIdempotencyKey: (event: APIGatewayProxyEventV2) => event.routeKey === 'POST /complaints',
  howToCheck: 'A complaint that was received is acknowledged by e-mail, with its reference, within minutes.',
};

/**
 * POST /complaints answers a script (JSON, 201) or a browser's plain form post: on success a 303 to the
 * confirmation page (so a reload does not post again), on invalid input the form again with what was sent and
 * every error listed and linked to its field (422). GET /complaints/received is that confirmation.
 */
export const handler = httpHandler(async (event) => {
  if (event.routeKey === 'GET /complaints/received') return receiptPage(event);
  const html = wantsHtml(event.headers);
  const body = readBody(event, MAX_BODY_BYTES);
  const language = languageOf((body as { language?: unknown } | null)?.language);
  try {
    const { receipt, replayed } = await submitPublicForm(body, header(event, 'idempotency-key'), intakePorts());
    log.info('complaint received', { complaintId: receipt.id, reference: receipt.reference, replayed, form: html });
    if (html) {
      return {
        statusCode: 303,
        headers: { location: pagePaths.received(language, receipt.reference, receipt.responseDueBy), 'cache-control': 'no-store' },
      };
    }
    return json(201, receipt, {
      // The customer's view of the complaint: the status page, where reference and e-mail open it.
      location: pagePaths.status(language, receipt.reference),
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
  } catch (error) {
    if (html && error instanceof ValidationFailed) {
      return htmlResponse(422, renderComplaintForm({ language, values: flatten(body), errors: error.issues }));
    }
    throw error;
  }
}, intakeRoute);

/** The confirmation shows what the redirect carries, checked: a reference whose check symbol holds, a date. */
function receiptPage(event: APIGatewayProxyEventV2) {
  const query = event.queryStringParameters ?? {};
  const language = languageOf(query.lang);
  const reference = parseReference(query.reference ?? '');
  if (!reference || !isCalendarDate(query.due)) return { statusCode: 303, headers: { location: pagePaths.status(language) } };
  return htmlResponse(200, renderReceiptPage(language, reference, query.due));
}

const languageOf = (value: unknown): Language => (value === 'en' ? 'en' : 'pl');

/** A form's nested fields back to their dotted names, to fill the form in again. */
function flatten(value: unknown, prefix = ''): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  const flat: Record<string, string> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (inner && typeof inner === 'object') Object.assign(flat, flatten(inner, name));
    else if (typeof inner === 'string') flat[name] = inner;
  }
  return flat;
}
