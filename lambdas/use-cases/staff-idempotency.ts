import type { Complaint } from '../core/complaint';
import { DomainError, IdempotencyKeyReused } from '../core/errors';
import type { StaffMember } from '../core/staff';
import { validated } from '../core/validation';
import type { ComplaintRepository, StaffIdempotency } from './ports';
import { viewOf, type StaffPorts } from './staff-actions';
import { fingerprintOf, IDEMPOTENCY_RETENTION_SECONDS, idempotencyKeySchema, staffIdempotencyScope } from './idempotency';

/** A staff write as the Idempotency-Key sees it. */
export interface KeyedStaffRequest {
  /** The Idempotency-Key header, if the client sent one. */
  key: string | undefined;
  /** What was asked (route, complaint, body): a key is refused with any other request than its first. */
  asked: unknown;
  /** The status of a first answer. */
  status: number;
}

export interface StaffWriteAnswer {
  status: number;
  /** The complaint as staff read it (viewOf): as the write left it. */
  complaint: Complaint;
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

/**
 * Every staff write that changes a complaint, with the same Idempotency-Key semantics as intake: the key's
 * answer is stored in the change's own transaction (the repository's applyStaffChange), so a retry or an
 * exact replay of a signed request (SigV4 accepts one for 15 minutes) gets the first answer again and
 * changes nothing; the same key with another request is a 422. Of requests racing under one key, one
 * change is stored and the others answer with it, or (its answer not readable yet) a 409 to retry.
 * `write` is the use case, given ports whose staff changes carry the key; it needs no code of its own for it.
 */
export async function keyedStaffWrite(
  request: KeyedStaffRequest,
  staff: StaffMember,
  ports: StaffPorts,
  write: (ports: StaffPorts) => Promise<Complaint>,
): Promise<StaffWriteAnswer> {
  if (request.key === undefined) return { status: request.status, complaint: await viewOf(await write(ports), ports), replayed: false };
  const key = validated(idempotencyKeySchema, request.key, 'Idempotency-Key');
  const scope = staffIdempotencyScope(staff);
  const fingerprint = fingerprintOf(request.asked);
  const nowSeconds = Math.floor(ports.now().getTime() / 1000);

  const stored = async (): Promise<Omit<StaffWriteAnswer, 'replayed'> | undefined> => {
    const answer = await ports.complaints.staffAnswer(scope, key);
    if (!answer || answer.expiresAt < nowSeconds) return undefined;
    if (answer.fingerprint !== fingerprint) throw new IdempotencyKeyReused('This Idempotency-Key was first used with a different request.');
    return { status: answer.status, complaint: await viewOf(answer.complaint, ports, answer.eventSequence) };
  };
  const replay = async () => {
    const answer = await stored();
    return answer && { ...answer, replayed: true };
  };

  // Read first: a replayed decision must get its answer, not the 409 that deciding twice would be.
  const earlier = await replay();
  if (earlier) return earlier;
  const idempotency: StaffIdempotency = { scope, key, fingerprint, status: request.status, expiresAt: nowSeconds + IDEMPOTENCY_RETENTION_SECONDS };
  const complaints: ComplaintRepository = {
    ...ports.complaints,
    // A change made on another request's behalf (idempotency: null) never takes this request's key.
    applyStaffChange: (change) => ports.complaints.applyStaffChange(change.idempotency === null ? change : { ...change, idempotency }),
  };
  try {
    const complaint = await write({ ...ports, complaints });
    // The first answer is read the way a replay reads it (one read more), so the two are equal by construction
    // even when the workflow, woken by the change, moved the complaint on meanwhile.
    const first = await stored();
    return { ...(first ?? { status: request.status, complaint: await viewOf(complaint, ports) }), replayed: false };
  } catch (error) {
    // A request racing under the same key may have been stored first, and made this one fail (the key taken,
    // the version moved on, the decision made): then this one is a retry of it and gets its answer.
    if (error instanceof DomainError) {
      const raced = await replay();
      if (raced) return raced;
    }
    throw error;
  }
}
