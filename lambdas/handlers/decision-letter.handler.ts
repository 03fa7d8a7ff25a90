import { log } from '../adapters/logger';
import { complaintId } from '../http/complaint-id';
import { httpHandler } from '../http/http-handler';
import { staffFromEvent } from '../http/staff-identity';
import { printDecisionLetter } from '../use-cases/staff-actions';
import { letterPorts } from './compose';

// GET /admin/complaints/{id}/decision-letter, a function of its own rather than a route of the staff API: the
// PDF printer (lambdas/adapters/pdf/ and the packed embedded font, ~32 KiB minified; pdf-lib was 1.4 MB) that no other staff
// route needs, and every cold start of the staff API compiled it. Same IAM authorization, staff directory and
// error mapping as the staff API; the answer is the PDF, base64-encoded as API Gateway wants a binary body.
export const handler = httpHandler(async (event) => {
  const staff = staffFromEvent(event, letterPorts().staff);
  const { reference, pdf } = await printDecisionLetter(complaintId(event), staff, letterPorts());
  log.info('staff action', { route: event.routeKey, staffId: staff.id, complaintId: event.pathParameters?.id, status: 200 });
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${reference}.pdf"` },
    body: Buffer.from(pdf).toString('base64'),
    isBase64Encoded: true,
  };
});
