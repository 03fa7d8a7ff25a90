import type { Assignment, Complaint, ComplaintReceipt, ComplaintStatus, HistoryEntry, PlatformLookup, SentEmail } from '../core/complaint';
import type { OrderEnrichment } from '../core/platforms/shopify';
import type { ComplaintPage } from '../core/complaint-summary';
import type { DeliveryEvidence, DeliveryEvidenceTarget, SendAttempt, SendEvidence } from '../core/delivery-evidence';
import type { CalendarDate } from '../core/calendar/calendar-date';

// The ports the use cases need, declared here in their own words; adapters implement them (DynamoDB, SES,
// Step Functions) and the composition root (lambdas/handlers/compose.ts) wires them. Nothing here names a
// table, an index or a condition expression: tests give the use cases in-memory fakes of these.

export interface ComplaintRepository {
  /**
   * Stores a new complaint with its reference claim, its first event, (under an Idempotency-Key) the answer
   * to replay, (for a door with a limit) the attempt's count and a claim on each of its attachments' upload
   * slots, all in one transaction; says which claim was taken when it could not. A slot is claimed once, ever:
   * no other complaint may name it.
   */
  create(newComplaint: NewComplaint): Promise<CreateOutcome>;
  /**
   * The answer `create` stored under an intake Idempotency-Key, unless none is: a door that would refuse a new
   * complaint (a webhook dated too long ago) still answers a request already filed under the key.
   */
  intakeAnswer(scope: string, key: string): Promise<{ fingerprint: string; receipt: ComplaintReceipt } | undefined>;
  get(id: string): Promise<Complaint | undefined>;
  findByReference(reference: string): Promise<Complaint | undefined>;
  /**
   * A page of the complaint's history, newest entries last; `before` continues to older ones, `through`
   * ends the page at that event (the history as it was right after it).
   */
  history(id: string, page: { limit: number; before?: string; through?: number }): Promise<HistoryPage>;
  /**
   * Writes one fact of the workflow's, once; false when it was already written (or no longer applies). Facts
   * given `together` are written in the same change, all or none: false when any of them no longer applies.
   */
  record(id: string, fact: WorkflowFact, ...together: WorkflowFact[]): Promise<boolean>;
  /**
   * A staff edit: sets fields on the complaint as it was at `expectedVersion` (else VersionConflict),
   * bumps the version and stores its history entry in the same transaction. Returns the complaint as it is now.
   * Under an Idempotency-Key the key's answer is stored in that transaction too; a key already stored
   * refuses the change with IdempotencyKeyInUse (read `staffAnswer` to replay it).
   */
  applyStaffChange(change: StaffChange): Promise<Complaint>;
  /** The answer stored under a staff member's Idempotency-Key, unless none is (or it expired). */
  staffAnswer(scope: string, key: string): Promise<StoredStaffAnswer | undefined>;
  /** Attaches SES's report to the record of the e-mail it is about; false when no such e-mail is recorded. */
  recordDelivery(evidence: DeliveryEvidence): Promise<boolean>;
  /** Stores the callback the workflow waits on, unless staff changed the complaint since it was planned. */
  storeWait(id: string, wait: NonNullable<Complaint['workflowWait']>): Promise<boolean>;
}

export interface NewComplaint {
  complaint: Complaint;
  /** The first entry of its history (complaint_received). */
  entry: HistoryEntry;
  idempotency?: { scope: string; key: string; fingerprint: string; expiresAt: number };
  /** The request's attempt, counted in the same transaction: refused (over_limit) when its count is spent. */
  attempt?: CountedAttempt;
}

/** An attempt counted under `key` in a fixed window, allowed while the window's count is below `limit`. */
export interface CountedAttempt {
  key: string;
  window: { start: Date; seconds: number };
  limit: number;
}

export type CreateOutcome =
  | { outcome: 'created'; receipt: ComplaintReceipt }
  | { outcome: 'over_limit' }
  | { outcome: 'reference_taken' }
  /** Upload slots (attachment ids) another complaint has already claimed. */
  | { outcome: 'attachments_claimed'; ids: string[] }
  | { outcome: 'idempotency_key_used'; fingerprint: string; receipt: ComplaintReceipt };

export interface HistoryPage {
  entries: HistoryEntry[];
  /** Present when older entries exist: pass it as `before`. */
  before?: string;
}

/** Facts a staff change can depend on, checked atomically with it. */
export type StaffPrecondition =
  /** No decision yet, and no deadline passed with a legal effect (silence as acceptance). */
  | 'undecided'
  /** The printed answer was not recorded as posted yet. */
  | 'not_posted'
  /** No acknowledgement given outside the product was recorded yet. */
  | 'not_acknowledged_offline'
  /** The information request whose e-mail is `messageId` is recorded as sent and has no history entry yet. */
  | 'information_request_pending'
  /**
   * The information request whose e-mail is `messageId` is the complaint's latest, was asked (has its history
   * entry), has no answer from the customer yet, and the complaint is open and undecided.
   */
  | 'information_request_open';

export interface StaffChange {
  id: string;
  /** Omitted for additions that cannot conflict (a note): the write then applies to any version. */
  expectedVersion?: number;
  /** Complaint fields as they are after the change (the store keeps its own lookup attributes in step). */
  set: Partial<Complaint>;
  entry: HistoryEntry;
  /** What must still be true when the change is written (checked in the same write), and the error if not. */
  precondition?: { holds: StaffPrecondition; failure: () => Error; messageId?: string };
  /**
   * The request's Idempotency-Key, stored with the change so that a retry replays instead of changing again;
   * null for a change made on another request's behalf, which never takes this request's key.
   */
  idempotency?: StaffIdempotency | null;
  /**
   * Upload slots (attachment ids) the change claims for the complaint, for ever, in the same write (a customer's
   * reply with files): a slot another complaint claimed refuses the change with `failure` of those ids.
   */
  claimAttachments?: { ids: string[]; failure: (taken: string[]) => Error };
}

export interface StaffIdempotency {
  /** Whose key it is: keys are the client's, so two staff members may pick the same one. */
  scope: string;
  key: string;
  /** What was asked (route, complaint, body): the same key with another request is refused. */
  fingerprint: string;
  /** The HTTP status the first answer had. */
  status: number;
  /** Epoch seconds after which the key is forgotten (DynamoDB TTL). */
  expiresAt: number;
}

/** The first answer to a keyed staff write: the complaint as the change left it, and that change's event. */
export interface StoredStaffAnswer {
  fingerprint: string;
  status: number;
  /** Without its history; `history(id, { through: eventSequence })` gives the history as it was then. */
  complaint: Complaint;
  eventSequence: number;
  /** Epoch seconds; an expired answer may still be read until DynamoDB's TTL deletes it. */
  expiresAt: number;
}

export type WorkflowFact =
  | { kind: 'acknowledgement'; value: SentEmail }
  /**
   * With `assigned`, the complaint also moves to `assigned` in the same write (only from received or acknowledged).
   * With `notified`, the department's notice of it, sent a moment before, is recorded in the same write too.
   */
  | { kind: 'assignment'; value: Assignment; assigned?: boolean; notified?: SentEmail & { departmentId: string } }
  | { kind: 'status'; from: ComplaintStatus[]; to: ComplaintStatus }
  | { kind: 'departmentNotified'; value: SentEmail & { departmentId: string } }
  | { kind: 'reminder'; offset: number; value: SentEmail & { escalation: boolean } }
  | { kind: 'decisionSent'; value: SentEmail }
  | { kind: 'extensionNotice'; value: SentEmail }
  /** Staff were told that the customer's mailbox refused the answer (message `bounced`), once per such message. */
  | { kind: 'bounceAlert'; value: SentEmail & { bounced: string; record: string } }
  /** The extension's notice could not go out within the ordinary term: the ordinary due date stands again. */
  | { kind: 'extensionLapsed'; at: string; responseDueBy: CalendarDate; internalTarget: CalendarDate }
  | { kind: 'deadlinePassed'; value: NonNullable<Complaint['deadlinePassed']>; status?: ComplaintStatus }
  | { kind: 'deadlineEmail'; field: 'supervisorAlerted' | 'customerNotified'; value: SentEmail }
  /** The platform lookup settled (done or failed, with why), with what it told; refused unless it was pending. */
  | { kind: 'platformLookup'; value: PlatformLookup & { at: string }; enrichment?: Omit<OrderEnrichment, 'lookup'> }
  /**
   * Staff's question e-mailed to the customer, recorded as soon as SES accepted it (it replaces an earlier
   * one); the staff change that follows writes its history entry. No history entry of its own.
   */
  | { kind: 'informationRequestSent'; value: SentEmail & { question: string; requestedBy: string } }
  /** The department was e-mailed the customer's answer to the information request `toRequest`, once per answer. */
  | { kind: 'replyForwarded'; value: SentEmail & { toRequest: string; departmentId: string } };

export interface OutgoingEmail {
  to: string;
  cc?: string[];
  /** Where SES's delivery and bounce events for this message are to be recorded (see delivery-evidence.ts). */
  evidence?: DeliveryEvidenceTarget;
  /** The send-once attempt this e-mail is (send-once.ts): SES's Send event names it, so a retry can find it. */
  attempt?: SendAttempt;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Sends one e-mail and returns the provider's message id. */
  send(email: OutgoingEmail): Promise<string>;
}

/**
 * One attempt's claim on one e-mail of the send-once path (send-once.ts), written before the e-mail is sent.
 * A claim stays after its e-mail is recorded; only one without a record on the complaint means anything.
 */
export interface SendClaim extends SendAttempt {
  /** The e-mail as its use case names it ("acknowledgement", "reminder 3"); `key` is its hash. */
  email: string;
  /** Where its record lands on the complaint ("acknowledgement", "reminders.3"). */
  record: string;
  /** Real time the attempt began (epoch ms), not the product clock: SES's event latency is real time. */
  claimedAtMs: number;
}

export interface StoredSendClaim extends SendClaim {
  /** SES's word that this attempt was accepted (its Send event), kept when the record was not on the complaint. */
  sent?: { messageId: string; sentAt: string };
  /** SES refused this attempt's e-mail: the next attempt may send at once. */
  released?: boolean;
}

export interface SendClaims {
  /** Claims the e-mail for this attempt; when it was claimed before, answers that claim and writes nothing. */
  claim(claim: SendClaim): Promise<StoredSendClaim | undefined>;
  read(complaintId: string, key: string): Promise<StoredSendClaim | undefined>;
  /** Hands a claim SES never confirmed to a new attempt; false when another attempt or SES's evidence came first. */
  takeOver(earlier: StoredSendClaim, next: SendClaim): Promise<boolean>;
  /** Gives this attempt's claim up: SES refused the e-mail, so the next attempt may send at once. */
  release(claim: SendClaim): Promise<void>;
  /**
   * Keeps SES's Send event on the attempt's claim, unless the complaint already records that message (the
   * usual case: reads only). True when it was kept.
   */
  keepSendEvidence(evidence: SendEvidence): Promise<boolean>;
}

export interface WorkflowStarter {
  /** Starts the complaint's workflow; starting it again is harmless. */
  start(complaintId: string): Promise<void>;
}

export interface WorkflowWaker {
  /** Ends the workflow's wait at once, so it plans again with what changed. */
  wake(taskToken: string): Promise<void>;
}

export type ListScope =
  | { kind: 'all' }
  | { kind: 'department'; department: string }
  | { kind: 'customerEmail'; email: string }
  | { kind: 'orderNumber'; orderNumber: string };

export interface ListRequest {
  scope: ListScope;
  /** Newest received first, or earliest due first (a customer's or an order's complaints: always newest). */
  order: 'newest' | 'urgent';
  filter: {
    statuses?: readonly string[];
    channel?: string;
    sourcePlatform?: string;
    /** Due on or before this calendar date. */
    dueOnOrBefore?: string;
    departments?: readonly string[];
  };
  limit: number;
  cursor?: string;
}

export type ListPage = ComplaintPage;

export interface ComplaintLists {
  list(request: ListRequest): Promise<ListPage>;
}
