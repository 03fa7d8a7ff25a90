import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MalformedRequest, NotFound } from '../core/errors';

// Complaint ids are UUIDs (lambdas/adapters/ids.ts); anything else names no complaint, and must not reach
// DynamoDB, which refuses over-long keys with an error that would surface as a 500.
const COMPLAINT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The complaint a staff route's path names (`{id}`). */
export function complaintId(event: APIGatewayProxyEventV2): string {
  const id = event.pathParameters?.id;
  if (!id) throw new MalformedRequest('The path names no complaint.');
  if (!COMPLAINT_ID.test(id)) throw new NotFound(`No complaint ${id.slice(0, 64)}`);
  return id.toLowerCase();
}
