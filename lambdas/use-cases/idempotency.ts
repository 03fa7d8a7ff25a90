import { createHash } from 'node:crypto';
import * as z from '../core/zod';
import type { StaffMember } from '../core/staff';

// What every door that takes an Idempotency-Key (IETF httpapi draft) shares: the key's form, how long its
// answer is kept, whose keys they are, and the fingerprint that tells a retry from another request.

// A key is opaque to us, but unbounded keys would become unbounded table keys.
export const idempotencyKeySchema = z.string().check(z.minLength(1), z.maxLength(255), z.regex(/^[\x21-\x7e]+$/, 'must be printable ASCII'));

// 24 h is the retention the IETF draft suggests clients can rely on (DynamoDB TTL removes the record later).
export const IDEMPOTENCY_RETENTION_SECONDS = 24 * 60 * 60;

/** A staff member's keys are theirs alone: two people (or the public) may pick the same key. */
export const staffIdempotencyScope = (staff: Pick<StaffMember, 'id'>) => `staff#${staff.id}`;

/** The same request, the same fingerprint, whatever the key order of its JSON. */
export function fingerprintOf(asked: unknown): string {
  return createHash('sha256').update(canonicalJson(asked)).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
