import { dynamo } from '../adapters/clients';
import { readEnvironment } from '../adapters/config';
import { dynamoComplaintRepository } from '../adapters/complaint-repository';
import { dynamoIdempotencyStore } from '../adapters/idempotency-store';
import { newComplaintId } from '../adapters/ids';
import { log } from '../adapters/logger';
import type { ComplaintReceipt } from '../core/complaint';
import { loadPolicyRegistry } from '../core/policy-config';
import { newReference } from '../core/reference';
import { httpHandler } from '../http/http-handler';
import { json } from '../http/problem';
import { header, readBody } from '../http/request-body';
import { submitComplaint, type Reservation, type SubmitComplaintPorts } from '../use-cases/submit-complaint';

// A complaint is text; attachments arrive separately (presigned uploads), so 64 KiB is generous.
const MAX_BODY_BYTES = 64 * 1024;

const env = readEnvironment();
const ports: SubmitComplaintPorts = {
  complaints: dynamoComplaintRepository(dynamo(), env.TABLE_NAME),
  idempotency: dynamoIdempotencyStore<Reservation, ComplaintReceipt>(dynamo(), env.TABLE_NAME, 'complaints'),
  policies: loadPolicyRegistry(env.DEFAULT_POLICY),
  now: () => new Date(),
  newId: newComplaintId,
  newReference: () => newReference(),
};

export const handler = httpHandler(async (event) => {
  const body = readBody(event, MAX_BODY_BYTES);
  const { receipt, replayed } = await submitComplaint(
    { body, idempotencyKey: header(event, 'idempotency-key'), channel: 'web' },
    ports,
  );
  log.info('complaint received', { complaintId: receipt.id, reference: receipt.reference, replayed });
  return json(201, receipt, {
    location: `/complaints/${encodeURIComponent(receipt.reference)}`,
    ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
  });
});
