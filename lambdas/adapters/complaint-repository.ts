import {
  GetCommand,
  isTransactionCanceled,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDocumentClient,
  type TransactWriteItem,
} from './aws-wire/dynamodb-api';
import { isServiceError } from './aws-wire/service-errors';
import { complaintSchema, historyEntrySchema, OPEN, receiptOf, type Complaint, type ComplaintReceipt, type HistoryEntry } from '../core/complaint';
import type { ComplaintRepository, CountedAttempt, StaffIdempotency, StaffPrecondition, WorkflowFact } from '../use-cases/ports';
import { attemptCount } from './attempt-counter';
import { historyEntryOf } from '../use-cases/workflow-facts';
import { complaintEvent } from '../core/complaint-events';
import { stopsTheTerm } from '../core/response-term';
import { departmentIndexAttributes, dueKeyOf, indexAttributes, keys } from './table-design';
import { ComplaintBusy, IdempotencyKeyInUse, IdempotencyKeyReused, InvalidCursor, NotFound, VersionConflict } from '../core/errors';

// The complaint item holds the complaint as it is now, small and bounded; every change also writes one
// event item beside it (PK = the complaint, SK = EVENT#<sequence>): the entry of the audit trail and the
// domain event at once, in the same transaction as the change. `eventSequence` on the complaint item is the
// last event's number; a change is conditioned on it, so two changes can never take the same number.

const isConditionFailure = (error: unknown) => isServiceError(error, 'ConditionalCheckFailedException');

/** The staff preconditions, as conditions on the complaint item. */
const PRECONDITIONS: Record<StaffPrecondition, { expression: string; names?: Record<string, string>; values?: Record<string, unknown> }> = {
  undecided: {
    expression: 'attribute_not_exists(decision) AND (attribute_not_exists(deadlinePassed) OR deadlinePassed.effect = :noEffect)',
    values: { ':noEffect': 'none' },
  },
  not_posted: { expression: 'attribute_not_exists(decisionPosted)' },
  not_acknowledged_offline: { expression: 'attribute_not_exists(acknowledgedOffline)' },
  information_request_pending: {
    expression: 'informationRequest.messageId = :pendingMessageId AND attribute_not_exists(informationRequest.requestedAt)',
  },
  information_request_open: {
    expression:
      'informationRequest.messageId = :pendingMessageId AND attribute_exists(informationRequest.requestedAt)' +
      ' AND (attribute_not_exists(customerReply) OR customerReply.toRequest <> :pendingMessageId)' +
      ` AND attribute_not_exists(decision) AND #status IN (${OPEN.map((status) => `:${status}`).join(', ')})`,
    names: { '#status': 'status' },
    values: Object.fromEntries(OPEN.map((status) => [`:${status}`, status])),
  },
};

/** How often a change is tried again when another change took the next event number first. */
const SEQUENCE_ATTEMPTS = 12;
/**
 * The first retry reads afresh at once (the number known was merely stale); each later one first pauses a time
 * drawn at random (full jitter) up to SEQUENCE_BACKOFF_MS × 2^(attempt - 2), at most SEQUENCE_BACKOFF_CAP_MS.
 * Without it, a dozen changes to one complaint at once (a team adding notes together) retried in lockstep and
 * some lost every round (a 500). At most ~2.6 s of pauses in all, inside the staff API's 10 s.
 */
const SEQUENCE_BACKOFF_MS = 20;
const SEQUENCE_BACKOFF_CAP_MS = 400;
const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(SEQUENCE_BACKOFF_CAP_MS, SEQUENCE_BACKOFF_MS * 2 ** (attempt - 2))));

const EVENT_PREFIX = 'EVENT#';

/**
 * What the customer sent, which never changes after intake, is an item of its own (COMPLAINT#id /
 * COMPLAINT#SUBMISSION): the complaint item, rewritten on every change (twice per KB in a transaction), then
 * stays around 1 KB whatever the description holds (up to 10,000 characters). The order number stays on the
 * complaint item too, because an index is keyed on it.
 */
const SUBMISSION_FIELDS = [
  'customer',
  'product',
  'purchaseDate',
  'description',
  'desiredRemedy',
  'privacyNoticeAccepted',
  'language',
  'answerByEmail',
] as const;

function split(complaint: Record<string, unknown>): { state: Record<string, unknown>; submission: Record<string, unknown> } {
  const state: Record<string, unknown> = {};
  const submission: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(complaint)) {
    ((SUBMISSION_FIELDS as readonly string[]).includes(field) ? submission : state)[field] = value;
  }
  return { state, submission };
}

/**
 * The decision, likewise: its texts (a justification of up to 10,000 characters, the ADR statement, the appeal
 * routes, payment details) are written once and never changed, so they are stored in the decision's own event
 * item (complaint.decided, in the decision's transaction), the audit record of what was decided, and the
 * complaint item keeps what the workflow's conditions and the lists read, plus the event's number
 * (`decisionEvent`) to read them from. An item of their own beside the complaint (COMPLAINT#DECISION, where
 * decisions recorded before are still read from) cost 2 WCU more per decision: an item's first KB is paid
 * whether it holds 50 bytes or 1,000, and the event item (~300 B) had the room. Reading a decided complaint
 * takes one GetItem more (½–1 RCU, a few times in a decided complaint's life). Every later write of the
 * complaint (sending the answer, closing it, the delivery evidence) then stays ~1 KB.
 */
// Only `delivery`: the conditions read it (a decision waiting to be posted), and every read merges the full
// decision from its event (written in the same transaction). Outcome, remedy, when and by whom were
// ≈ 95 B more on an item rewritten at every change, which took it over 1 KB at the decision (2 WCU more in a
// transaction, twice: the decision and its sending).
const DECISION_SUMMARY_FIELDS = ['delivery'] as const;

function decisionSummary(decision: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(DECISION_SUMMARY_FIELDS.filter((field) => decision[field] !== undefined).map((field) => [field, decision[field]]));
}

function toComplaint(item: Record<string, unknown> | undefined): Complaint | undefined {
  return item ? complaintSchema.parse(item) : undefined;
}

function reasons(error: unknown): string[] | undefined {
  return isTransactionCanceled(error) ? (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None') : undefined;
}

/** One change: the update of the complaint item, as an expression with its condition, names and values. */
interface Change {
  /** `SET …` clauses, without the keyword. */
  set: string;
  /** Attributes the change removes (`REMOVE …`). */
  remove?: readonly string[];
  condition: string;
  names?: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * A keyed staff write's answer, put in the change's own transaction: the complaint item as the change leaves
 * it (the item read for the change, with the change applied; ~1–2 KB, so 2 WCU, doubled in a transaction)
 * and the change's event number, from which the history as it was then can be read again. What the customer
 * sent is not copied: it never changes after intake, and it is the bulk of a complaint (up to 10,000 characters).
 */
function staffAnswerItem(idempotency: StaffIdempotency, complaint: Record<string, unknown>, eventSequence: number) {
  const { PK: _pk, SK: _sk, ...state } = complaint;
  return {
    ...keys.idempotency(idempotency.scope, idempotency.key),
    fingerprint: idempotency.fingerprint,
    status: idempotency.status,
    complaint: state,
    eventSequence,
    expiresAt: idempotency.expiresAt,
  };
}

/** The `REMOVE …` part of an update expression (with its leading space), or nothing. */
const removal = (names: readonly string[] | undefined) => (names && names.length > 0 ? ` REMOVE ${names.join(', ')}` : '');

/** The item without the attributes a change removes. */
function without(item: Record<string, unknown>, names: readonly string[] | undefined): Record<string, unknown> {
  return names ? Object.fromEntries(Object.entries(item).filter(([name]) => !names.includes(name))) : item;
}

/**
 * A change that stops the complaint's term takes it off the due-date lists (lambdas/core/response-term.ts):
 * without `dueKey` the complaint leaves allShardsByDue and departmentShardsByDue (a delete in each, 1 WCU, as
 * the status change's rewrite would have been), and its later writes (the answer sent, closing, delivery
 * evidence) touch two list indexes instead of four: 2 WCU fewer per answered complaint's life.
 */
const TERM_INDEX_KEYS = ['dueKey'] as const;

/** A key may be taken again once expired, before DynamoDB's TTL (which can lag by days) deletes its record. */
/** Counts the attempt as a part of a transaction, refused once the window's count has reached the limit. */
function countWithin(tableName: string, attempt: CountedAttempt) {
  const update = attemptCount(tableName, attempt.key, attempt.window);
  // Object.assign as in create (below): the fields of the spreads they replace, in the same order.
  return {
    Update: Object.assign({}, update, {
      ConditionExpression: 'attribute_not_exists(attempts) OR attempts < :limit',
      ExpressionAttributeValues: Object.assign({}, update.ExpressionAttributeValues, { ':limit': attempt.limit }),
    }),
  };
}

const KEY_FREE = 'attribute_not_exists(PK) OR expiresAt < :nowSeconds';

/**
 * The claim of one upload slot (attachment id) by a complaint, for ever. A claim the complaint already holds is
 * no conflict: a retried write whose first try was stored after all must not take the complaint's own files
 * for another's (and have them deleted).
 */
function attachmentClaim(tableName: string, attachmentId: string, complaintId: string) {
  return {
    Put: {
      TableName: tableName,
      Item: Object.assign(keys.attachmentClaim(attachmentId), { attachmentId, complaintId }),
      ConditionExpression: 'attribute_not_exists(PK) OR complaintId = :complaintId',
      ExpressionAttributeValues: { ':complaintId': complaintId },
    },
  };
}

export function dynamoComplaintRepository(client: DynamoDocumentClient, tableName: string): ComplaintRepository {
  const sequences = lastSeenSequences();
  const complaintItem = async (id: string) => {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.complaint(id), ConsistentRead: true }));
    if (Item) sequences.saw(id, Number(Item.eventSequence ?? 0));
    return Item;
  };

  /** The complaint as it is now: its item and its submission's, in one query. */
  async function complaintWithSubmission(id: string): Promise<Record<string, unknown> | undefined> {
    const { Items = [] } = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :complaint)',
        ExpressionAttributeValues: { ':pk': keys.complaint(id).PK, ':complaint': keys.complaint(id).SK },
        ConsistentRead: true,
      }),
    );
    const state = Items.find((item) => item.SK === keys.complaint(id).SK);
    if (state) sequences.saw(id, Number(state.eventSequence ?? 0));
    const submission = Items.find((item) => item.SK === keys.submission(id).SK);
    const wait = Items.find((item) => item.SK === keys.wait(id).SK);
    const decision = state?.decision ? await decisionOf(id, state, Items) : undefined;
    return (
      state && {
        ...submission,
        ...state,
        ...(decision ? { decision } : {}),
        ...(wait ? { workflowWait: wait.workflowWait } : {}),
      }
    );
  }

  /** The decision in full: from its event, or from COMPLAINT#DECISION for a decision recorded before that. */
  async function decisionOf(id: string, state: Record<string, unknown>, items: Record<string, unknown>[]): Promise<unknown> {
    const stored = items.find((item) => item.SK === keys.decision(id).SK);
    if (stored) return stored.decision;
    if (state.decisionEvent === undefined) return undefined;
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: keys.event(id, Number(state.decisionEvent)),
        ConsistentRead: true,
        ProjectionExpression: 'decision',
      }),
    );
    return Item?.decision;
  }

  /**
   * Applies a change and stores its event, numbered after the last one, in one transaction, with the answer
   * to an Idempotency-Key if `keyed` gives one (from the item as read and the event's number). Answers
   * 'written', 'refused' (the change's own condition failed), 'missing' (no such complaint) or 'key_taken'.
   */
  async function changeWithEvent(
    id: string,
    change: Change,
    /** One entry per event, numbered in this order after the last event. */
    entries: readonly HistoryEntry[],
    keyed?: { record: (item: Record<string, unknown>, eventSequence: number) => Record<string, unknown>; nowSeconds: number },
    /** Items of the complaint's partition written with the change (the complaint's condition guards them too). */
    alsoPut: Record<string, unknown>[] = [],
    /** Items of the complaint's partition updated with the change (the submission a platform lookup completes). */
    alsoUpdate: { key: Record<string, string>; set: string; values: Record<string, unknown> }[] = [],
    /** Attributes stored on the first event item besides the event (a decision's texts). */
    eventAttributes: Record<string, unknown> = {},
    /** Upload slots the change claims for the complaint (a customer's reply with files); `taken` names those claimed by another. */
    claims: readonly string[] = [],
  ): Promise<'written' | 'refused' | 'missing' | 'key_taken' | { taken: string[] }> {
    // The number the complaint was last read at (a use case reads it just before it changes it) saves a read;
    // if another change took that number meanwhile, the condition on it refuses the write and we read afresh.
    let known = keyed ? undefined : sequences.last(id);
    for (let attempt = 0; attempt < SEQUENCE_ATTEMPTS; attempt++) {
      if (attempt >= 2) await backoff(attempt);
      let sequence: number;
      let item: Record<string, unknown> | undefined;
      if (known !== undefined) {
        sequence = known;
      } else {
        item = await complaintItem(id);
        if (!item) return 'missing';
        sequence = Number(item.eventSequence ?? 0);
      }
      known = undefined;
      const answer = keyed &&
        item && {
          Put: {
            TableName: tableName,
            Item: keyed.record(item, sequence + 1),
            ConditionExpression: KEY_FREE,
            ExpressionAttributeValues: { ':nowSeconds': keyed.nowSeconds },
          },
        };
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: keys.complaint(id),
                  UpdateExpression: `SET ${change.set}, eventSequence = :nextSequence${removal(change.remove)}`,
                  ConditionExpression: `attribute_exists(PK) AND eventSequence = :sequence AND (${change.condition})`,
                  ExpressionAttributeNames: change.names && Object.keys(change.names).length > 0 ? change.names : undefined,
                  ExpressionAttributeValues: { ...change.values, ':sequence': sequence, ':nextSequence': sequence + entries.length },
                },
              },
              ...entries.map((entry, i) => ({
                Put: {
                  TableName: tableName,
                  Item: { ...keys.event(id, sequence + 1 + i), ...complaintEvent(id, sequence + 1 + i, entry), ...(i === 0 ? eventAttributes : {}) },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              })),
              ...(answer ? [answer] : []),
              ...alsoPut.map((Item) => ({ Put: { TableName: tableName, Item } })),
              ...alsoUpdate.map((update) => ({
                Update: { TableName: tableName, Key: update.key, UpdateExpression: `SET ${update.set}`, ExpressionAttributeValues: update.values },
              })),
              ...claims.map((attachmentId) => attachmentClaim(tableName, attachmentId, id)),
            ],
          }),
        );
        sequences.saw(id, sequence + entries.length);
        return 'written';
      } catch (error) {
        const codes = reasons(error);
        if (!codes) throw error;
        if (codes.includes('TransactionConflict')) continue;
        if (answer && codes[1 + entries.length] === 'ConditionalCheckFailed') return 'key_taken';
        const firstClaim = codes.length - claims.length;
        const taken = claims.filter((_, i) => codes[firstClaim + i] === 'ConditionalCheckFailed');
        // Only when the change itself held: a complaint changed meanwhile is tried again, a refused change says why.
        if (taken.length > 0 && codes[0] !== 'ConditionalCheckFailed') return { taken };
        // The condition failed: because another change took the number (try again), or because of the change's own.
        const now = await complaintItem(id);
        if (!now) return 'missing';
        if (Number(now.eventSequence ?? 0) !== sequence) {
          // A keyed change reads the item again: the key's answer is made from it.
          known = keyed ? undefined : Number(now.eventSequence ?? 0);
          continue;
        }
        return 'refused';
      }
    }
    throw new ComplaintBusy(`Complaint ${id} kept changing; this change was not stored after ${SEQUENCE_ATTEMPTS} attempts. Send it again.`);
  }

  return {
    async create({ complaint, entry, idempotency, attempt }) {
      const { history: _history, ...stored } = complaint;
      const { state, submission } = split(stored);
      const receipt = receiptOf(complaint);
      const put = (Item: Record<string, unknown>) => ({ Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' } });
      // Each item is its key with its attributes assigned to it, the same attributes in the same order as
      // spreading them into a literal: on Node 20 (V8 11.3, what runs the local product) every field defined
      // after a spread costs ~2-3 µs, and these items had some twenty.
      const items: TransactWriteItem[] = [
        put(Object.assign(keys.complaint(complaint.id), { reminders: {} }, state, indexAttributes(complaint), { eventSequence: 1 })),
        put(Object.assign(keys.reference(complaint.reference), { reference: complaint.reference, complaintId: complaint.id })),
        put(Object.assign(keys.event(complaint.id, 1), complaintEvent(complaint.id, 1, entry))),
        put(Object.assign(keys.submission(complaint.id), submission)),
        ...(idempotency
          ? [
              put(
                Object.assign(keys.idempotency(idempotency.scope, idempotency.key), {
                  fingerprint: idempotency.fingerprint,
                  answer: receipt,
                  expiresAt: idempotency.expiresAt,
                }),
              ),
            ]
          : []),
      ];
      // One claim per upload slot, after the parts above so that they keep their places in the cancellation
      // reasons: ~100 B each, 2 WCU in the transaction, so ten files add 20 WCU to filing their complaint.
      const claimed = (complaint.attachments ?? []).map((attachment) => ({ id: attachment.id, at: items.length }));
      for (const { id } of claimed) items.push(attachmentClaim(tableName, id, complaint.id));
      // Last, so that the other parts keep their places in the cancellation reasons.
      const counted = attempt ? items.push(countWithin(tableName, attempt)) - 1 : undefined;
      for (let round = 0; round < SEQUENCE_ATTEMPTS; round++) {
        try {
          await client.send(new TransactWriteCommand({ TransactItems: items }));
          return { outcome: 'created', receipt };
        } catch (error) {
          const codes = reasons(error);
          if (!codes) throw error;
          if (codes.includes('TransactionConflict')) {
            await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** round));
            continue;
          }
          if (counted !== undefined && codes[counted] === 'ConditionalCheckFailed') return { outcome: 'over_limit' };
          if (idempotency && codes[4] === 'ConditionalCheckFailed') {
            const { Item } = await client.send(
              new GetCommand({ TableName: tableName, Key: keys.idempotency(idempotency.scope, idempotency.key), ConsistentRead: true }),
            );
            if (Item) return { outcome: 'idempotency_key_used', fingerprint: String(Item.fingerprint), receipt: Item.answer as ComplaintReceipt };
            continue; // it expired in between: try again
          }
          const taken = claimed.filter(({ at }) => codes[at] === 'ConditionalCheckFailed').map(({ id }) => id);
          if (taken.length > 0) return { outcome: 'attachments_claimed', ids: taken };
          if (codes[1] === 'ConditionalCheckFailed') return { outcome: 'reference_taken' };
          throw error;
        }
      }
      throw new Error(`Complaint ${complaint.id} could not be stored after ${SEQUENCE_ATTEMPTS} attempts`);
    },

    async intakeAnswer(scope, key) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.idempotency(scope, key), ConsistentRead: true }));
      return Item ? { fingerprint: String(Item.fingerprint), receipt: Item.answer as ComplaintReceipt } : undefined;
    },

    async get(id) {
      return toComplaint(await complaintWithSubmission(id));
    },

    async findByReference(reference) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.reference(reference) }));
      return Item ? this.get(String(Item.complaintId)) : undefined;
    },

    async history(id, page) {
      // `through` N starts the newest-first query just after event N, so N is the first entry read.
      const start =
        page.before !== undefined ? decodeHistoryCursor(page.before, id) : page.through !== undefined ? keys.event(id, page.through + 1) : undefined;
      const { Items = [], LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :events)',
          ExpressionAttributeValues: { ':pk': keys.complaint(id).PK, ':events': EVENT_PREFIX },
          ScanIndexForward: false,
          Limit: page.limit,
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      const entries = Items.map((item) => historyEntrySchema.parse(item)).reverse();
      return { entries, ...(LastEvaluatedKey ? { before: encodeHistoryCursor(LastEvaluatedKey) } : {}) };
    },

    async record(id, fact, ...together) {
      const facts = [fact, ...together];
      const update = facts.length === 1 ? workflowUpdate(id, fact) : combinedUpdate(facts.map((each) => workflowUpdate(id, each)));
      const entries = facts.flatMap((each) => historyEntryOf(each) ?? []);
      const change = {
        set: update.expression.replace(/^SET /, ''),
        remove: update.remove,
        condition: update.condition,
        names: update.names,
        values: update.values,
      };
      // A platform lookup completes the submission too (it is never recorded together with another fact).
      const alsoUpdate = update.submission ? [{ key: keys.submission(id), ...update.submission }] : [];
      if (entries.length > 0) return (await changeWithEvent(id, change, entries, undefined, [], alsoUpdate)) === 'written';
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.complaint(id),
            UpdateExpression: `${update.expression}${removal(update.remove)}`,
            ConditionExpression: `attribute_exists(PK) AND ${update.condition}`,
            ExpressionAttributeNames: update.names,
            ExpressionAttributeValues: update.values,
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async applyStaffChange(change) {
      const precondition = change.precondition && PRECONDITIONS[change.precondition.holds];
      const names: Record<string, string> = { ...precondition?.names };
      const values: Record<string, unknown> = {
        ...precondition?.values,
        ...(change.precondition?.messageId !== undefined ? { ':pendingMessageId': change.precondition.messageId } : {}),
        ':one': 1,
      };
      // The lists find a complaint by its department and its due date: their lookup attributes move with them.
      const set = {
        ...change.set,
        ...(change.set.assignment ? departmentIndexAttributes(change.id, change.set.assignment.departmentId) : {}),
        ...(change.set.responseDueBy ? { dueKey: dueKeyOf(change.id, change.set.responseDueBy) } : {}),
        ...(change.set.decision ? { decision: decisionSummary(change.set.decision) } : {}),
      };
      // The decision's texts go into its event; the complaint item notes the event's number (see decisionOf).
      const decisionTexts = change.set.decision ? { decision: change.set.decision } : {};
      const remove = stopsTheTerm(change.set) && !('dueKey' in set) ? TERM_INDEX_KEYS : undefined;
      const assignments = Object.entries(set).map(([field, value], i) => {
        names[`#f${i}`] = field;
        values[`:v${i}`] = value;
        return `#f${i} = :v${i}`;
      });
      const conditions = ['attribute_exists(PK)'];
      if (change.expectedVersion !== undefined) {
        conditions.push('version = :expected');
        values[':expected'] = change.expectedVersion;
      }
      if (precondition) conditions.push(`(${precondition.expression})`);
      const idempotency = change.idempotency ?? undefined;
      const outcome = await changeWithEvent(
        change.id,
        {
          set: [...assignments, 'version = version + :one', ...(change.set.decision ? ['decisionEvent = :nextSequence'] : [])].join(', '),
          remove,
          condition: conditions.join(' AND '),
          names,
          values,
        },
        [change.entry],
        idempotency && {
          record: (item, eventSequence) =>
            staffAnswerItem(idempotency, without({ ...item, ...set, version: Number(item.version) + 1, eventSequence }, remove), eventSequence),
          // The change's own time, from the product clock: an expired key is free again.
          nowSeconds: Math.floor(Date.parse(change.entry.at) / 1000),
        },
        [],
        [],
        decisionTexts,
        change.claimAttachments?.ids,
      );
      if (outcome === 'key_taken') throw new IdempotencyKeyInUse('A request with this Idempotency-Key was stored meanwhile.');
      if (typeof outcome === 'object') throw change.claimAttachments!.failure(outcome.taken);
      const current = await this.get(change.id);
      if (outcome === 'missing' || !current) throw new NotFound(`No complaint ${change.id}`);
      if (outcome === 'written') return current;
      // Say which condition failed from the complaint as it is now (a miss costs one read, never a wrong answer).
      if (change.expectedVersion !== undefined && current.version !== change.expectedVersion) {
        throw new VersionConflict(`The complaint is at version ${current.version}, not ${change.expectedVersion}: reload it and try again.`);
      }
      if (change.precondition) throw change.precondition.failure();
      throw new Error(`The change to complaint ${change.id} was refused`);
    },

    async staffAnswer(scope, key) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.idempotency(scope, key), ConsistentRead: true }));
      if (!Item) return undefined;
      // The staff member's registrations share their keys (one key, one request), but answer with a receipt.
      if (typeof Item.status !== 'number' || !Item.complaint)
        throw new IdempotencyKeyReused('This Idempotency-Key was first used to register a complaint.');
      const stored = Item.complaint as Record<string, unknown>;
      // What the customer sent (which never changes) and the workflow's wait as they are now, the rest as it was.
      const now = (await complaintWithSubmission(String(stored.id))) ?? {};
      const current = Object.fromEntries([...SUBMISSION_FIELDS, 'workflowWait'].filter((field) => field in now).map((field) => [field, now[field]]));
      // A decision is recorded once and never changed: its texts as they are now are the ones it was stored with.
      const decision = stored.decision && now.decision ? { decision: now.decision } : {};
      const { history: _history, ...complaint } = complaintSchema.parse({ ...current, ...stored, ...decision });
      return {
        fingerprint: String(Item.fingerprint),
        status: Item.status,
        complaint: { ...complaint, history: [] },
        eventSequence: Number(Item.eventSequence),
        expiresAt: Number(Item.expiresAt),
      };
    },

    async recordDelivery(evidence) {
      const path = evidence.record.split('.');
      const names = Object.fromEntries(path.map((segment, i) => [`#r${i}`, segment]));
      const record = path.map((_, i) => `#r${i}`).join('.');
      const entry: HistoryEntry = {
        at: evidence.at,
        actor: 'ses',
        action: `email_${evidence.delivery}`,
        after: { record: evidence.record, messageId: evidence.messageId },
      };
      const outcome = await changeWithEvent(
        evidence.complaintId,
        {
          set: `${record}.delivery = :delivery, ${record}.deliveryAt = :at`,
          // Evidence belongs to the message it is about; a bounce never overwrites a later delivery.
          condition: `${record}.messageId = :messageId AND (attribute_not_exists(${record}.delivery) OR ${record}.delivery <> :delivered)`,
          names,
          values: { ':delivery': evidence.delivery, ':at': evidence.at, ':messageId': evidence.messageId, ':delivered': 'delivered' },
        },
        [entry],
      );
      return outcome === 'written';
    },

    async storeWait(id, wait) {
      // The wait is an item of its own (an AWS task token is ~1 KB: on the complaint item it would double the
      // cost of every later change). Stored first, then the complaint's version read: a staff change either
      // happened before that read (seen here: false, the caller wakes the workflow) or after the wait was
      // stored (the staff action finds the token and wakes it). A wake of a token already answered is harmless.
      await client.send(new PutCommand({ TableName: tableName, Item: { ...keys.wait(id), workflowWait: wait } }));
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.complaint(id), ConsistentRead: true, ProjectionExpression: 'version' }),
      );
      return Item !== undefined && Item.version === wait.plannedVersion;
    },
  };
}

// A history cursor names the last event read; it is only ever the complaint's own.
function encodeHistoryCursor(key: Record<string, unknown>): string {
  return Buffer.from(String(key.SK).slice(EVENT_PREFIX.length)).toString('base64url');
}

function decodeHistoryCursor(cursor: string, id: string): Record<string, string> {
  const sequence = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{10}$/.test(sequence)) throw new InvalidCursor('before');
  return { PK: keys.complaint(id).PK, SK: `${EVENT_PREFIX}${sequence}` };
}

interface UpdateSpec {
  /** `SET …` */
  expression: string;
  /** Attributes removed with it (`REMOVE …`, added when the update is sent). */
  remove?: readonly string[];
  condition: string;
  names?: Record<string, string>;
  values: Record<string, unknown>;
  /** `a = :a, …` on the submission item, in the same transaction (only facts with a history entry). */
  submission?: { set: string; values: Record<string, unknown> };
}

/**
 * Several facts as one update: every SET and every condition, each fact's placeholders renamed apart (two
 * facts may both say `:value` or `#status`). The update applies only if all the conditions hold.
 */
function combinedUpdate(updates: readonly UpdateSpec[]): UpdateSpec {
  const parts = updates.map((update, i) => {
    const rename = (text: string) => text.replace(/([:#])(\w+)/g, `$1f${i}_$2`);
    const renamed = <T>(entries: Record<string, T> | undefined) =>
      Object.fromEntries(Object.entries(entries ?? {}).map(([name, value]) => [rename(name), value]));
    return {
      set: rename(update.expression.replace(/^SET /, '')),
      condition: `(${rename(update.condition)})`,
      names: renamed(update.names),
      values: renamed(update.values),
    };
  });
  const names = Object.assign({}, ...parts.map((part) => part.names)) as Record<string, string>;
  const remove = [...new Set(updates.flatMap((update) => update.remove ?? []))];
  return {
    expression: `SET ${parts.map((part) => part.set).join(', ')}`,
    ...(remove.length > 0 ? { remove } : {}),
    condition: parts.map((part) => part.condition).join(' AND '),
    ...(Object.keys(names).length > 0 ? { names } : {}),
    values: Object.assign({}, ...parts.map((part) => part.values)) as Record<string, unknown>,
  };
}

/**
 * The workflow's own bookkeeping. Each fact is written once (its condition says when it is already there)
 * and does not bump `version`: version counts staff edits, which is what a stale staff write must not
 * overwrite and what tells a waiting workflow that something new happened.
 */
function workflowUpdate(id: string, fact: WorkflowFact): UpdateSpec {
  switch (fact.kind) {
    case 'acknowledgement':
      return {
        expression: 'SET acknowledgement = :value',
        condition: 'attribute_not_exists(acknowledgement)',
        values: { ':value': fact.value },
      };
    case 'assignment':
      return {
        expression:
          `SET assignment = :value, listDepartment = :department, departmentShard = :departmentShard` +
          `${fact.assigned ? ', #status = :assigned' : ''}${fact.notified ? ', departmentNotified = :notified' : ''}`,
        condition: fact.assigned ? 'attribute_not_exists(assignment) AND #status IN (:received, :acknowledged)' : 'attribute_not_exists(assignment)',
        ...(fact.assigned ? { names: { '#status': 'status' } } : {}),
        values: {
          ':value': fact.value,
          ':department': fact.value.departmentId,
          ':departmentShard': departmentIndexAttributes(id, fact.value.departmentId).departmentShard,
          ...(fact.assigned ? { ':assigned': 'assigned', ':received': 'received', ':acknowledged': 'acknowledged' } : {}),
          ...(fact.notified ? { ':notified': fact.notified } : {}),
        },
      };
    case 'status': {
      const from = Object.fromEntries(fact.from.map((status, i) => [`:from${i}`, status]));
      return {
        expression: 'SET #status = :to',
        condition: `#status IN (${Object.keys(from).join(', ')})`,
        names: { '#status': 'status' },
        values: { ':to': fact.to, ...from },
      };
    }
    case 'departmentNotified':
      return {
        expression: 'SET departmentNotified = :value',
        condition:
          'assignment.departmentId = :department AND (attribute_not_exists(departmentNotified) OR departmentNotified.departmentId <> :department)',
        values: { ':value': fact.value, ':department': fact.value.departmentId },
      };
    case 'reminder':
      // SES's message id and whether it escalated go into the reminder's history entry only (workflow-facts.ts:
      // escalation_sent): ≈ 25 + 12 B a reminder here, on an item rewritten at every change. The planner needs
      // only that the reminder went out.
      return {
        expression: 'SET reminders.#offset = :value',
        condition: 'attribute_exists(reminders) AND attribute_not_exists(reminders.#offset)',
        names: { '#offset': String(fact.offset) },
        values: { ':value': { sentAt: fact.value.sentAt } },
      };
    case 'decisionSent':
      return {
        expression: 'SET decisionSent = :value, #status = :closed',
        // An e-mailed decision took it off the due-date lists already; this covers one decided before that was so.
        remove: TERM_INDEX_KEYS,
        condition: 'attribute_exists(decision) AND attribute_not_exists(decisionSent)',
        names: { '#status': 'status' },
        values: { ':value': fact.value, ':closed': 'closed' },
      };
    case 'extensionNotice':
      return {
        expression: 'SET extension.noticeSent = :value',
        condition: 'attribute_exists(extension) AND attribute_not_exists(extension.noticeSent) AND attribute_not_exists(extension.lapsedAt)',
        values: { ':value': fact.value },
      };
    case 'bounceAlert':
      return {
        expression: 'SET bounceAlert = :value',
        condition: 'attribute_not_exists(bounceAlert) OR bounceAlert.bounced <> :bounced',
        values: { ':value': fact.value, ':bounced': fact.value.bounced },
      };
    case 'extensionLapsed':
      // Only a complaint whose term runs gets here (the planner looks at the notice after any answer), so it
      // goes back on the due-date lists under the ordinary date.
      return {
        expression: 'SET extension.lapsedAt = :at, responseDueBy = :due, internalTarget = :target, dueKey = :dueKey',
        condition: 'attribute_exists(extension) AND attribute_not_exists(extension.noticeSent) AND attribute_not_exists(extension.lapsedAt)',
        values: { ':at': fact.at, ':due': fact.responseDueBy, ':target': fact.internalTarget, ':dueKey': dueKeyOf(id, fact.responseDueBy) },
      };
    case 'deadlinePassed':
      return {
        expression: fact.status ? 'SET deadlinePassed = :value, #status = :status' : 'SET deadlinePassed = :value',
        // Only an answer that went out in time stops the term: a decision not yet sent, or a letter not posted
        // (or posted too late), has not answered the customer, and the term can still pass.
        condition:
          'attribute_not_exists(deadlinePassed) AND attribute_not_exists(decisionSent) AND (attribute_not_exists(decisionPosted) OR decisionPosted.withinTerm = :late)',
        ...(fact.status ? { names: { '#status': 'status' } } : {}),
        ...(stopsTheTerm({ status: fact.status }) ? { remove: TERM_INDEX_KEYS } : {}),
        values: { ':value': fact.value, ':late': false, ...(fact.status ? { ':status': fact.status } : {}) },
      };
    case 'deadlineEmail':
      return {
        expression: `SET deadlinePassed.${fact.field} = :value`,
        condition: `attribute_exists(deadlinePassed) AND attribute_not_exists(deadlinePassed.${fact.field})`,
        values: { ':value': fact.value },
      };
    case 'platformLookup': {
      // Once: only a lookup still pending is settled. What the platform told completes the customer and the
      // product on the submission, and the order number, the items and the e-mail's index on the complaint.
      const enrichment = fact.enrichment;
      const state: Record<string, unknown> = {
        platformLookup: fact.value,
        ...(enrichment?.orderNumber ? { orderNumber: enrichment.orderNumber } : {}),
        ...(enrichment?.shopDetails ? { shopDetails: enrichment.shopDetails } : {}),
        ...(enrichment?.customer.email ? { customerEmail: enrichment.customer.email.toLowerCase() } : {}),
      };
      const submission: Record<string, unknown> = enrichment
        ? {
            customer: enrichment.customer,
            ...(enrichment.product ? { product: enrichment.product } : {}),
            ...(enrichment.purchaseDate ? { purchaseDate: enrichment.purchaseDate } : {}),
          }
        : {};
      const clauses = (fields: Record<string, unknown>, prefix: string) =>
        Object.keys(fields)
          .map((field) => `${field} = :${prefix}${field}`)
          .join(', ');
      const valuesOf = (fields: Record<string, unknown>, prefix: string) =>
        Object.fromEntries(Object.entries(fields).map(([field, value]) => [`:${prefix}${field}`, value]));
      return {
        expression: `SET ${clauses(state, '')}`,
        condition: 'platformLookup.#lookupState = :pending',
        names: { '#lookupState': 'state' },
        values: { ...valuesOf(state, ''), ':pending': 'pending' },
        ...(Object.keys(submission).length > 0 ? { submission: { set: clauses(submission, 's_'), values: valuesOf(submission, 's_') } } : {}),
      };
    }
    case 'informationRequestSent':
      // Every question is a new e-mail: the record of the last one sent is replaced, never refused.
      return { expression: 'SET informationRequest = :value', condition: 'attribute_exists(PK)', values: { ':value': fact.value } };
    case 'replyForwarded':
      return {
        expression: 'SET replyForwarded = :value',
        condition: 'customerReply.toRequest = :toRequest AND (attribute_not_exists(replyForwarded) OR replyForwarded.toRequest <> :toRequest)',
        values: { ':value': fact.value, ':toRequest': fact.value.toRequest },
      };
  }
}

/**
 * The event number each complaint was last seen at by this repository (one per Lambda container), so a change
 * right after a read needs no read of its own. Only ever a first guess: the write is conditioned on it.
 */
function lastSeenSequences(limit = 1_000) {
  const seen = new Map<string, number>();
  return {
    saw(id: string, sequence: number) {
      seen.delete(id);
      seen.set(id, sequence);
      if (seen.size > limit) seen.delete(seen.keys().next().value!);
    },
    last: (id: string) => seen.get(id),
  };
}
