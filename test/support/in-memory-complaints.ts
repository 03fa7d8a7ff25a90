import { receiptOf, type Complaint, type HistoryEntry } from '../../lambdas/core/complaint';
import { openQuestion } from '../../lambdas/core/customer-status';
import { IdempotencyKeyInUse, NotFound, VersionConflict } from '../../lambdas/core/errors';
import type {
  ComplaintRepository,
  SendClaims,
  StaffPrecondition,
  StoredSendClaim,
  StoredStaffAnswer,
  WorkflowFact,
} from '../../lambdas/use-cases/ports';
import { historyEntryOf } from '../../lambdas/use-cases/workflow-facts';
import type { AttemptCounter } from '../../lambdas/use-cases/look-up-status';

// An in-memory ComplaintRepository for use-case tests: the port's promises (each fact once, its conditions,
// versions, preconditions, history in order) kept in a Map, without DynamoDB. The DynamoDB adapter keeps the
// same promises with condition expressions (test/integration covers it against the stand-in).

const deepCopy = <T>(value: T): T => structuredClone(value);

export function inMemoryComplaints() {
  const complaints = new Map<string, Complaint>();
  const histories = new Map<string, HistoryEntry[]>();
  const references = new Map<string, string>();
  const keys = new Map<string, { fingerprint: string; receipt: ReturnType<typeof receiptOf> }>();
  const staffAnswers = new Map<string, StoredStaffAnswer>();
  /** Upload slots (attachment ids) claimed for ever, by complaint id. */
  const attachmentClaims = new Map<string, string>();
  const claimedByOthers = (ids: readonly string[], complaintId: string) =>
    ids.filter((id) => attachmentClaims.has(id) && attachmentClaims.get(id) !== complaintId);
  /** Attempts per key and window: one table, so counted alone (`attempts`) or in a create alike. */
  const attemptCounts = new Map<string, number>();
  const counterOf = (key: string, window: { start: Date }) => `${key}@${window.start.toISOString()}`;
  /** Faults to inject: the next staff changes throw this error before anything is written. */
  const failures: Error[] = [];

  const factApplies = (complaint: Complaint, fact: WorkflowFact): boolean => {
    switch (fact.kind) {
      case 'acknowledgement':
        return !complaint.acknowledgement;
      case 'assignment':
        return !complaint.assignment && (!fact.assigned || ['received', 'acknowledged'].includes(complaint.status));
      case 'status':
        return fact.from.includes(complaint.status);
      case 'departmentNotified':
        return (
          complaint.assignment?.departmentId === fact.value.departmentId && complaint.departmentNotified?.departmentId !== fact.value.departmentId
        );
      case 'reminder':
        return !complaint.reminders?.[String(fact.offset)];
      case 'decisionSent':
        return Boolean(complaint.decision) && !complaint.decisionSent;
      case 'bounceAlert':
        return complaint.bounceAlert?.bounced !== fact.value.bounced;
      case 'extensionNotice':
      case 'extensionLapsed':
        return Boolean(complaint.extension) && !complaint.extension?.noticeSent && !complaint.extension?.lapsedAt;
      case 'deadlinePassed':
        return !complaint.deadlinePassed && !complaint.decisionSent && (!complaint.decisionPosted || !complaint.decisionPosted.withinTerm);
      case 'deadlineEmail':
        return Boolean(complaint.deadlinePassed) && !complaint.deadlinePassed?.[fact.field];
      case 'informationRequestSent':
        return true;
      case 'replyForwarded':
        return complaint.customerReply?.toRequest === fact.value.toRequest && complaint.replyForwarded?.toRequest !== fact.value.toRequest;
      case 'platformLookup':
        return complaint.platformLookup?.state === 'pending';
    }
  };

  const applyFact = (complaint: Complaint, fact: WorkflowFact): void => {
    switch (fact.kind) {
      case 'acknowledgement':
        complaint.acknowledgement = fact.value;
        return;
      case 'platformLookup':
        complaint.platformLookup = fact.value;
        Object.assign(complaint, fact.enrichment ?? {});
        return;
      case 'assignment':
        complaint.assignment = fact.value;
        if (fact.assigned) complaint.status = 'assigned';
        if (fact.notified) complaint.departmentNotified = fact.notified;
        return;
      case 'status':
        complaint.status = fact.to;
        return;
      case 'departmentNotified':
        complaint.departmentNotified = fact.value;
        return;
      case 'reminder':
        complaint.reminders = { ...complaint.reminders, [String(fact.offset)]: { sentAt: fact.value.sentAt } };
        return;
      case 'decisionSent':
        complaint.decisionSent = fact.value;
        complaint.status = 'closed';
        return;
      case 'extensionNotice':
        complaint.extension = { ...complaint.extension!, noticeSent: fact.value };
        return;
      case 'bounceAlert':
        complaint.bounceAlert = fact.value;
        return;
      case 'extensionLapsed':
        complaint.extension = { ...complaint.extension!, lapsedAt: fact.at };
        complaint.responseDueBy = fact.responseDueBy;
        complaint.internalTarget = fact.internalTarget;
        return;
      case 'deadlinePassed':
        complaint.deadlinePassed = fact.value;
        if (fact.status) complaint.status = fact.status;
        return;
      case 'deadlineEmail':
        complaint.deadlinePassed = { ...complaint.deadlinePassed!, [fact.field]: fact.value };
        return;
      case 'informationRequestSent':
        complaint.informationRequest = fact.value;
        return;
      case 'replyForwarded':
        complaint.replyForwarded = fact.value;
        return;
    }
  };

  const preconditionHolds: Record<StaffPrecondition, (complaint: Complaint, messageId?: string) => boolean> = {
    undecided: (complaint) => !complaint.decision && (!complaint.deadlinePassed || complaint.deadlinePassed.effect === 'none'),
    not_posted: (complaint) => !complaint.decisionPosted,
    not_acknowledged_offline: (complaint) => !complaint.acknowledgedOffline,
    information_request_pending: (complaint, messageId) =>
      complaint.informationRequest?.messageId === messageId && !complaint.informationRequest?.requestedAt,
    information_request_open: (complaint, messageId) => openQuestion(complaint)?.messageId === messageId,
  };

  const repository: ComplaintRepository = {
    async create({ complaint, entry, idempotency, attempt }) {
      const held = idempotency && keys.get(idempotency.key);
      if (held) return { outcome: 'idempotency_key_used', fingerprint: held.fingerprint, receipt: held.receipt };
      const taken = claimedByOthers(
        (complaint.attachments ?? []).map((file) => file.id),
        complaint.id,
      );
      if (taken.length > 0) return { outcome: 'attachments_claimed', ids: taken };
      if (references.has(complaint.reference)) return { outcome: 'reference_taken' };
      if (attempt) {
        const count = attemptCounts.get(counterOf(attempt.key, attempt.window)) ?? 0;
        if (count >= attempt.limit) return { outcome: 'over_limit' };
        attemptCounts.set(counterOf(attempt.key, attempt.window), count + 1);
      }
      complaints.set(complaint.id, deepCopy({ ...complaint, history: [] }));
      histories.set(complaint.id, [entry]);
      references.set(complaint.reference, complaint.id);
      if (idempotency) keys.set(idempotency.key, { fingerprint: idempotency.fingerprint, receipt: receiptOf(complaint) });
      for (const file of complaint.attachments ?? []) attachmentClaims.set(file.id, complaint.id);
      return { outcome: 'created', receipt: receiptOf(complaint) };
    },
    async intakeAnswer(_scope, key) {
      return keys.get(key);
    },
    async get(id) {
      const complaint = complaints.get(id);
      return complaint && deepCopy(complaint);
    },
    async findByReference(reference) {
      const id = references.get(reference);
      return id === undefined ? undefined : repository.get(id);
    },
    async history(id, page) {
      const all = histories.get(id) ?? [];
      // Entry i is event i + 1, as in the table.
      const end = page.before !== undefined ? Number(page.before) : page.through !== undefined ? Math.min(page.through, all.length) : all.length;
      const start = Math.max(0, end - page.limit);
      return { entries: deepCopy(all.slice(start, end)), ...(start > 0 ? { before: String(start) } : {}) };
    },
    async record(id, fact, ...together) {
      const complaint = complaints.get(id);
      if (!complaint) return false;
      // All or none, each fact's condition checked against the complaint as it was (as in one DynamoDB update).
      const facts = [fact, ...together];
      if (!facts.every((each) => factApplies(complaint, each))) return false;
      for (const each of facts) applyFact(complaint, deepCopy(each));
      for (const each of facts) {
        const entry = historyEntryOf(each);
        if (entry) histories.get(id)!.push(entry);
      }
      return true;
    },
    async applyStaffChange(change) {
      const complaint = complaints.get(change.id);
      if (!complaint) throw new NotFound(`No complaint ${change.id}`);
      if (change.expectedVersion !== undefined && complaint.version !== change.expectedVersion) {
        throw new VersionConflict(`The complaint is at version ${complaint.version}, not ${change.expectedVersion}: reload it and try again.`);
      }
      if (change.precondition && !preconditionHolds[change.precondition.holds](complaint, change.precondition.messageId))
        throw change.precondition.failure();
      const failure = failures.shift();
      if (failure) throw failure;
      const idempotency = change.idempotency ?? undefined;
      const scopedKey = idempotency && `${idempotency.scope}#${idempotency.key}`;
      const taken = scopedKey && staffAnswers.get(scopedKey);
      if (taken && taken.expiresAt >= Date.parse(change.entry.at) / 1000)
        throw new IdempotencyKeyInUse('A request with this key was stored meanwhile.');
      const claimed = change.claimAttachments && claimedByOthers(change.claimAttachments.ids, change.id);
      if (claimed && claimed.length > 0) throw change.claimAttachments!.failure(claimed);
      for (const id of change.claimAttachments?.ids ?? []) attachmentClaims.set(id, change.id);
      Object.assign(complaint, deepCopy(change.set), { version: complaint.version + 1 });
      const history = histories.get(change.id)!;
      history.push(deepCopy(change.entry));
      if (idempotency && scopedKey) {
        const { history: _history, workflowWait: _wait, ...state } = deepCopy(complaint);
        staffAnswers.set(scopedKey, { ...idempotency, complaint: { ...state, history: [] }, eventSequence: history.length });
      }
      return deepCopy(complaint);
    },
    async staffAnswer(scope, key) {
      const stored = staffAnswers.get(`${scope}#${key}`);
      if (!stored) return undefined;
      const wait = complaints.get(stored.complaint.id)?.workflowWait;
      return deepCopy({ ...stored, complaint: { ...stored.complaint, ...(wait ? { workflowWait: wait } : {}) } });
    },
    async recordDelivery() {
      return false;
    },
    async storeWait(id, wait) {
      const complaint = complaints.get(id);
      if (!complaint) return false;
      complaint.workflowWait = wait;
      return complaint.version === wait.plannedVersion;
    },
  };
  const attempts: AttemptCounter = {
    async countAttempt(key, window) {
      const count = (attemptCounts.get(counterOf(key, window)) ?? 0) + 1;
      attemptCounts.set(counterOf(key, window), count);
      return count;
    },
  };
  return {
    repository,
    /** The attempt counters of the same table (adapters/attempt-counter.ts). */
    attempts,
    historyOf: (id: string) => histories.get(id) ?? [],
    /** The next staff change fails with `error` before it is written, as a DynamoDB error would. */
    failNextStaffChange: (error: Error) => failures.push(error),
  };
}

/**
 * In-memory send-once claims (lambdas/adapters/send-claims.ts keeps the same promises with conditions):
 * `sesSent` plays SES's Send event, kept on the claim as the Send event's handler would.
 */
export function inMemorySendClaims() {
  const claims = new Map<string, StoredSendClaim>();
  const id = (complaintId: string, key: string) => `${complaintId}#${key}`;
  const own = (claim: { complaintId: string; key: string; attempt: string }) => {
    const stored = claims.get(id(claim.complaintId, claim.key));
    return stored && stored.attempt === claim.attempt && !stored.sent ? stored : undefined;
  };
  const port: SendClaims = {
    async claim(claim) {
      const stored = claims.get(id(claim.complaintId, claim.key));
      if (stored) return structuredClone(stored);
      claims.set(id(claim.complaintId, claim.key), structuredClone(claim));
      return undefined;
    },
    async read(complaintId, key) {
      const stored = claims.get(id(complaintId, key));
      return stored && structuredClone(stored);
    },
    async takeOver(earlier, next) {
      const stored = own(earlier);
      if (!stored) return false;
      Object.assign(stored, { attempt: next.attempt, claimedAtMs: next.claimedAtMs, released: false, email: next.email });
      return true;
    },
    async release(claim) {
      const stored = own(claim);
      if (stored) stored.released = true;
    },
    async keepSendEvidence(evidence) {
      const stored = own(evidence);
      if (!stored) return false;
      stored.sent = { messageId: evidence.messageId, sentAt: evidence.at };
      return true;
    },
  };
  return { port, claims };
}
