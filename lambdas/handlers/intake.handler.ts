import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { intakePorts } from './compose';
import { log } from '../adapters/logger';
import { httpHandler } from '../http/http-handler';
import { json } from '../http/problem';
import { header, readBody } from '../http/request-body';
import { submitPublicForm } from '../use-cases/submit-complaint';

// A complaint is text; attachments arrive separately (presigned uploads), so 64 KiB is generous.
const MAX_BODY_BYTES = 64 * 1024;

// What a failed submission's answer may say: POST /complaints honours an Idempotency-Key (routes.ts).
const intakeRoute = {
  takesIdempotencyKey: (event: APIGatewayProxyEventV2) => event.routeKey === 'POST /complaints',
  howToCheck: 'A complaint that was received is acknowledged by e-mail, with its reference, within minutes.',
};

export const handler = httpHandler(async (event) => {
  const body = readBody(event, MAX_BODY_BYTES);
  const { receipt, replayed } = await submitPublicForm(body, header(event, 'idempotency-key'), intakePorts());
  log.info('complaint received', { complaintId: receipt.id, reference: receipt.reference, replayed });
  return json(201, receipt, {
    location: `/complaints/${encodeURIComponent(receipt.reference)}`,
    ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
  });
}, intakeRoute);
