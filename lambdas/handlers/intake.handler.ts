import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { publicIntakePorts, uploadSlotPorts } from './compose';
import { errorFields, log } from '../adapters/logger';
import type { Language } from '../core/complaint';
import { DomainError, TooManyAttempts, ValidationFailed } from '../core/errors';
import { parseReference } from '../core/reference';
import { isCalendarDate } from '../core/calendar/calendar-date';
import { httpHandler } from '../http/http-handler';
import { json } from '../http/problem';
import { formValues, header, readBody } from '../http/request-body';
import { renderComplaintForm } from '../http/pages/complaint-form-page';
import { htmlResponse, pagePaths, wantsHtml } from '../http/pages/page-layout';
import { renderReceiptPage, renderSentPage } from '../http/pages/status-page';
import { formProblem } from '../http/pages/form-problems';
import { clientOf } from '../http/client-address';
import { filePublicComplaint } from '../use-cases/file-public-complaint';
import { issueUploadSlots } from '../use-cases/attachments';
import { uploadSlotsRequestSchema } from '../core/attachments';
import { validated } from '../core/validation';

// A complaint is text; attachments arrive separately (presigned uploads), so 64 KiB is generous.
const MAX_BODY_BYTES = 64 * 1024;
// Ten files' names, types and sizes.
const MAX_SLOTS_BODY_BYTES = 8 * 1024;

// What a failed submission's answer may say: POST /complaints honours an Idempotency-Key (routes.ts).
const intakeRoute = {
  takesIdempotencyKey: (event: APIGatewayProxyEventV2) => event.routeKey === 'POST /complaints',
  howToCheck: 'A complaint that was received is acknowledged by e-mail, with its reference, within minutes.',
};

/**
 * POST /complaints answers a script (JSON, 201) or a browser's plain form post (a post that accepts text/html,
 * whatever its body: page-layout.ts, wantsHtml): on success a 303 to the confirmation page (so a reload does not
 * post again); on any failure the form again, with what was sent, the errors of its fields linked to them (422)
 * or what went wrong with the post as a whole (400, 409, 413, 415, 429, 500): a browser never gets problem+json.
 * GET /complaints/received is that confirmation.
 *
 * A filled honeypot (core/honeypot.ts) files nothing: a script gets 202 with `{ "status": "received" }` and no
 * reference, a browser the 303 to a confirmation without one. Both read as success; only the log says more.
 */
export const handler = httpHandler(async (event) => {
  if (event.routeKey === 'GET /complaints/received') return receiptPage(event);
  if (event.routeKey === 'POST /complaints/attachments') return uploadSlots(event);
  const html = wantsHtml(event.headers);
  let body: unknown;
  let language = languageOf(event.queryStringParameters?.lang);
  try {
    body = readBody(event, MAX_BODY_BYTES);
    language = languageOf((body as { language?: unknown } | null)?.language ?? language);
    const filing = await filePublicComplaint(body, header(event, 'idempotency-key'), clientOf(event), publicIntakePorts());
    if (filing.outcome === 'discarded') {
      log.warn('honeypot filled: nothing filed', { form: html });
      if (html) return { statusCode: 303, headers: { location: pagePaths.received(language), 'cache-control': 'no-store' } };
      return json(202, { status: 'received' }, { 'cache-control': 'no-store' });
    }
    const { receipt, replayed } = filing;
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
    if (error instanceof TooManyAttempts) log.warn('complaints limited', { retryAfterSeconds: error.waitSeconds, form: html });
    if (!html) throw error;
    return formFailure(error, language, formValues(body));
  }
}, intakeRoute);

/** Upload slots for the files the page is about to attach: a presigned POST each (use-cases/attachments.ts). */
async function uploadSlots(event: APIGatewayProxyEventV2) {
  const request = validated(uploadSlotsRequestSchema, readBody(event, MAX_SLOTS_BODY_BYTES));
  const slots = await issueUploadSlots(request, clientOf(event), uploadSlotPorts());
  log.info('upload slots issued', { count: slots.length });
  return json(201, { slots }, { 'cache-control': 'no-store' });
}

/** A failed plain form post: the form again, as it was sent, saying what is wrong. */
function formFailure(error: unknown, language: Language, values: Record<string, string>) {
  if (error instanceof ValidationFailed) return htmlResponse(422, renderComplaintForm({ language, values, errors: error.issues }));
  if (!(error instanceof DomainError)) log.error('unhandled error', errorFields(error));
  const { status, heading, message, headers } = formProblem(language, error);
  return htmlResponse(status, renderComplaintForm({ language, values, problem: { heading, message } }), headers);
}

/** The confirmation shows what the redirect carries, checked: a reference whose check symbol holds, a date. */
function receiptPage(event: APIGatewayProxyEventV2) {
  const query = event.queryStringParameters ?? {};
  const language = languageOf(query.lang);
  const reference = parseReference(query.reference ?? '');
  // No reference at all: the thanks without one (what a filled honeypot is sent to); a broken one: the status page.
  if (query.reference === undefined && query.due === undefined) return htmlResponse(200, renderSentPage(language));
  if (!reference || !isCalendarDate(query.due)) return { statusCode: 303, headers: { location: pagePaths.status(language) } };
  return htmlResponse(200, renderReceiptPage(language, reference, query.due));
}

const languageOf = (value: unknown): Language => (value === 'en' ? 'en' : 'pl');
