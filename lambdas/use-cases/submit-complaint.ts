import type * as z from '../core/zod';
import {
  complaintSubmissionSchema,
  type Complaint,
  type ComplaintReceipt,
  type IntakeContent,
  type HistoryEntry,
  type IntakeMetadata,
} from '../core/complaint';
import { type FieldIssue, IdempotencyKeyReused, TooManyAttempts, ValidationFailed } from '../core/errors';
import { validated } from '../core/validation';
import { alreadyFiled, inNamedOrder, type AttachmentKeeper } from './attachments';
import type { ComplaintRepository, CountedAttempt } from './ports';
import { secondsLeftIn } from './attempt-limits';
import type { PolicyRegistry } from '../core/deadline-policy';
import { intakeDeadlines, termStartOf } from '../core/deadline-policy';
import { warsawCalendarDate } from '../core/calendar/polish-calendar';
import { warsawInstant } from '../core/calendar/warsaw-time';
import { authorize, type StaffMember } from '../core/staff';
import type { registrationSchema } from '../core/staff-requests';
import { fingerprintOf, IDEMPOTENCY_RETENTION_SECONDS, idempotencyKeySchema, staffIdempotencyScope } from './idempotency';

export interface SubmitComplaintPorts {
  complaints: Pick<ComplaintRepository, 'create'>;
  policies: PolicyRegistry;
  now: () => Date;
  newId: () => string;
  newReference: () => string;
}

export interface SubmitComplaintRequest {
  /**
   * What the complaint says, already checked against its door's own rules (the form's, a mapping's). Only a
   * complaint with a `platformLookup` may lack the customer's name and e-mail: the workflow reads them.
   */
  content: IntakeContent;
  metadata: IntakeMetadata;
  idempotencyKey?: string;
  /** Whose keys these are: the public's (the default) or one staff member's (staffIdempotencyScope). */
  idempotencyScope?: string;
  /** How long the key's answer is kept; 24 hours unless the door's senders retry for longer (webhooks). */
  idempotencyRetentionSeconds?: number;
  /**
   * What makes a later request under the same key the same request: by default what it asks (content and
   * metadata), so a key reused for another complaint is refused; a door whose key names the customer's
   * request itself passes the key, so every later delivery of that request gets the first receipt.
   */
  fingerprint?: string;
  /** A door with a limit counts the request in the transaction that stores the complaint (one round trip). */
  attempt?: CountedAttempt;
  /** The uploads the submission names (slot ids), checked and kept only once everything else about it holds. */
  attachments?: { ids: readonly string[]; keeper: AttachmentKeeper };
}

export interface SubmitComplaintResult {
  receipt: ComplaintReceipt;
  /** True when this answer is the stored answer to an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

// How often a freshly drawn reference may collide before we give up; at 45 bits a single collision is
// already a one-in-ten-million event for a million stored complaints.
const REFERENCE_ATTEMPTS = 5;

/**
 * The one intake use case every entry point calls (public form, admin registration, webhooks). One write:
 * the complaint, its reference claim, its first event, the Idempotency-Key's answer and its attachments' slot
 * claims are stored together or not at all, so a retry, a double click or a crash can neither lose the
 * complaint nor store it twice.
 *
 * Attachments are copied out of quarantine before that write (so a stored complaint never points at a file
 * that is not there), after every check that needs no file, under the complaint's own id (so no other filing
 * can write over them). When the write is refused (its slot claimed by another complaint, the key used for
 * another complaint, the limit spent) or answers an earlier request, the copies are deleted again: nothing is
 * kept for a complaint that was not stored. When the write fails without an answer (it may have been stored),
 * the copies stay: deleting them could leave a stored complaint without its files.
 */
export async function submitComplaint(request: SubmitComplaintRequest, ports: SubmitComplaintPorts): Promise<SubmitComplaintResult> {
  const { content } = request;
  let { metadata } = request;
  const futureDates = datesAfterToday({ purchaseDate: content.purchaseDate }, ports.now());
  if (futureDates.length > 0) throw new ValidationFailed(futureDates);
  const key = request.idempotencyKey === undefined ? undefined : validated(idempotencyKeySchema, request.idempotencyKey, 'Idempotency-Key');
  const complaint = newComplaint(content, metadata, ports);
  const files = request.attachments;
  const kept = files && files.ids.length > 0 ? await files.keeper.keep(files.ids, complaint.id) : [];
  if (kept.length > 0) {
    complaint.attachments = kept;
    metadata = { ...metadata, attachments: kept };
  }
  // Best effort (attachments.ts, discardKept): a refusal is answered even when its copies cannot be deleted.
  const discardKept = () => (files ? files.keeper.discard(kept) : Promise.resolve());
  const entry: HistoryEntry = {
    at: ports.now().toISOString(),
    actor: metadata.actor,
    action: 'complaint_received',
    after: {
      channel: metadata.channel,
      policyId: complaint.policyId,
      receivedOn: complaint.receivedOn,
      ...(metadata.sourcePlatform ? { sourcePlatform: metadata.sourcePlatform } : {}),
    },
  };
  // Only a key's record keeps the fingerprint and only a replay compares it: a request without a key has
  // nothing to hash (the canonical JSON and its SHA-256 cost some 40 µs).
  const idempotency =
    key === undefined
      ? undefined
      : {
          scope: request.idempotencyScope ?? 'complaints',
          key,
          fingerprint: request.fingerprint ?? requestFingerprint(content, metadata),
          expiresAt: Math.floor(ports.now().getTime() / 1000) + (request.idempotencyRetentionSeconds ?? IDEMPOTENCY_RETENTION_SECONDS),
        };

  for (let attempt = 1; attempt <= REFERENCE_ATTEMPTS; attempt += 1) {
    const stored = await ports.complaints.create({ complaint, entry, idempotency, attempt: request.attempt });
    switch (stored.outcome) {
      case 'created':
        return { receipt: stored.receipt, replayed: false };
      case 'over_limit':
        await discardKept();
        throw new TooManyAttempts(secondsLeftIn(request.attempt!.window, ports.now()));
      case 'idempotency_key_used':
        // Refused or replayed, this complaint is not stored (a replay's files are the first request's copies).
        await discardKept();
        if (stored.fingerprint !== idempotency!.fingerprint)
          throw new IdempotencyKeyReused('This Idempotency-Key was first used with a different complaint.');
        return { receipt: stored.receipt, replayed: true };
      case 'attachments_claimed': {
        await discardKept();
        const ids = files?.ids ?? [];
        throw new ValidationFailed(inNamedOrder(stored.ids.map((id) => alreadyFiled(ids.indexOf(id)))));
      }
      case 'reference_taken':
        complaint.reference = ports.newReference();
        break;
    }
  }
  await discardKept();
  throw new Error(`No free reference found in ${REFERENCE_ATTEMPTS} attempts`);
}

/**
 * The public form's door: its rules (privacy notice, a description that says something), then intake with the
 * attachments it names (checked and kept by `attachments`, when the form names any).
 */
export async function submitPublicForm(
  body: unknown,
  idempotencyKey: string | undefined,
  ports: SubmitComplaintPorts,
  attachments?: AttachmentKeeper,
  attempt?: CountedAttempt,
): Promise<SubmitComplaintResult> {
  const { privacyNoticeAccepted, attachments: ids = [], ...content } = validated(complaintSubmissionSchema, body);
  if (ids.length > 0 && !attachments) throw new ValidationFailed([{ field: 'attachments', message: 'are not accepted here' }]);
  return submitComplaint(
    {
      content,
      metadata: { channel: 'web', actor: 'customer', privacyNoticeAccepted },
      idempotencyKey,
      attempt,
      ...(ids.length > 0 && attachments ? { attachments: { ids, keeper: attachments } } : {}),
    },
    ports,
  );
}

function newComplaint(content: IntakeContent, metadata: IntakeMetadata, ports: SubmitComplaintPorts): Complaint {
  const receivedAt = metadata.receivedOn ? warsawInstant(metadata.receivedOn) : ports.now();
  const receivedOn = metadata.receivedOn ?? warsawCalendarDate(receivedAt);
  const policy = metadata.policyId ? ports.policies.policyFor(metadata.policyId) : ports.policies.defaultPolicy();
  // A guarantee's term counts from the item's delivery when staff know that day; otherwise from the complaint,
  // the earlier of the two when the item is sent after it.
  const { responseDueBy, internalTarget } = intakeDeadlines(policy, termStartOf(policy, { receivedOn, itemDeliveredOn: metadata.itemDeliveredOn }));
  // Object.assign, the same fields in the same order as spreading them: on Node 20 (V8 11.3, what runs the
  // local product) every field an object literal defines after a spread costs ~2-3 µs, this one ~40 µs in all.
  const complaint: Complaint = Object.assign(
    {},
    content,
    metadata.privacyNoticeAccepted ? { privacyNoticeAccepted: true as const } : {},
    metadata.sourcePlatform ? { sourcePlatform: metadata.sourcePlatform } : {},
    metadata.itemDeliveredOn ? { itemDeliveredOn: metadata.itemDeliveredOn } : {},
    metadata.externalId ? { externalId: metadata.externalId } : {},
    metadata.attachments?.length ? { attachments: metadata.attachments } : {},
    // The shop's reason code is the category routing rules read (config/departments.json).
    metadata.shopDetails ? { shopDetails: metadata.shopDetails, category: metadata.shopDetails.reason.code } : {},
    metadata.platformLookup ? { platformLookup: { ...metadata.platformLookup, state: 'pending' as const } } : {},
    {
      id: ports.newId(),
      reference: ports.newReference(),
      status: 'received' as const,
      channel: metadata.channel,
      policyId: policy.id,
      receivedAt: receivedAt.toISOString(),
      receivedOn,
      responseDueBy,
      internalTarget,
      version: 1,
      history: [],
    },
  );
  return complaint;
}

/**
 * Staff register a complaint that came by letter, phone or in person. The deadline counts from its real
 * date of receipt, which cannot lie in the future; the policy may be named (else the deployment's default).
 */
export async function registerComplaint(
  registration: z.infer<typeof registrationSchema>,
  staff: StaffMember,
  idempotencyKey: string | undefined,
  ports: SubmitComplaintPorts,
): Promise<SubmitComplaintResult> {
  authorize(staff, 'complaint:register');
  const { channel, receivedAt, itemDeliveredOn, policy, ...content } = registration;
  const issues = datesAfterToday({ receivedAt, itemDeliveredOn, purchaseDate: content.purchaseDate }, ports.now());
  const known = policy === undefined || ports.policies.has(policy);
  if (!known) issues.push({ field: 'policy', message: `is not a known policy (${ports.policies.ids().join(', ')})` });
  // A delivery date changes nothing under a term that counts from the complaint: refused rather than kept unread.
  const chosen = known ? (policy === undefined ? ports.policies.defaultPolicy() : ports.policies.policyFor(policy)) : undefined;
  if (itemDeliveredOn !== undefined && chosen && chosen.trigger !== 'item_delivered') {
    issues.push({
      field: 'itemDeliveredOn',
      message: `is only for a policy whose term counts from the item's delivery; the ${chosen.id} policy counts from receipt`,
    });
  }
  if (issues.length > 0) throw new ValidationFailed(issues);
  return submitComplaint(
    {
      content,
      metadata: { channel, actor: staff.id, receivedOn: receivedAt, policyId: policy, ...(itemDeliveredOn ? { itemDeliveredOn } : {}) },
      idempotencyKey,
      idempotencyScope: staffIdempotencyScope(staff),
    },
    ports,
  );
}

/**
 * Dates that tell what already happened (a purchase, a letter received) cannot lie after today. "Today" is
 * the product clock's calendar day in Europe/Warsaw, the zone every deadline is counted in, so a purchase
 * made at 00:30 on 1 December in Warsaw (23:30 UTC on 30 November) is accepted as dated 1 December.
 */
function datesAfterToday(dates: Record<string, string | undefined>, now: Date): FieldIssue[] {
  const today = warsawCalendarDate(now);
  return Object.entries(dates)
    .filter(([, date]) => date !== undefined && date > today)
    .map(([field]) => ({ field, message: `cannot be in the future (today is ${today} in Poland)` }));
}

/**
 * Same complaint through the same door, same fingerprint: whether it came as JSON or as a form, whatever
 * the key order. A registration's channel, date and policy are part of what was asked.
 */
export function requestFingerprint(content: IntakeContent, metadata: IntakeMetadata): string {
  // Object.assign rather than a spread followed by fields, for the cost of those on Node 20 (see newComplaint).
  const asked = Object.assign({}, content, {
    channel: metadata.channel,
    receivedOn: metadata.receivedOn,
    itemDeliveredOn: metadata.itemDeliveredOn,
    policyId: metadata.policyId,
    sourcePlatform: metadata.sourcePlatform,
    externalId: metadata.externalId,
    shopDetails: metadata.shopDetails,
    attachments: metadata.attachments?.map((attachment) => attachment.id),
  });
  return fingerprintOf(asked);
}
