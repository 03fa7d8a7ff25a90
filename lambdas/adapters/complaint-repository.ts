import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { complaintSchema, type Assignment, type Complaint, type ComplaintStatus, type HistoryEntry, type SentEmail } from '../core/complaint';
import { indexAttributes, keys, PENDING } from './table-design';
import { NotFound, VersionConflict } from '../core/errors';
import type { DeliveryEvidence } from '../core/delivery-evidence';

export interface ComplaintRepository {
  /** Reserves a reference for a complaint id; false if another complaint already holds it. */
  claimReference(reference: string, complaintId: string): Promise<boolean>;
  /** Stores a new complaint, marked as waiting for its workflow. False if that id is already stored. */
  create(complaint: Complaint): Promise<boolean>;
  get(id: string): Promise<Complaint | undefined>;
  findByReference(reference: string): Promise<Complaint | undefined>;
  markWorkflowStarted(id: string): Promise<void>;
  /** Writes one fact of the workflow's, once; false when it was already written (or no longer applies). */
  record(id: string, fact: WorkflowFact): Promise<boolean>;
  /**
   * A staff edit: sets fields on the complaint as it was at `expectedVersion` (else VersionConflict),
   * bumps the version and appends the audit entry in the same write. Returns the complaint as it is now.
   */
  applyStaffChange(change: StaffChange): Promise<Complaint>;
  /** Attaches SES's report to the record of the e-mail it is about; false when no such e-mail is recorded. */
  recordDelivery(evidence: DeliveryEvidence): Promise<boolean>;
  /** Stores the callback the workflow waits on, unless staff changed the complaint since it was planned. */
  storeWait(id: string, wait: NonNullable<Complaint['workflowWait']>): Promise<boolean>;
}

export interface StaffChange {
  id: string;
  /** Omitted for additions that cannot conflict (a note): the write then applies to any version. */
  expectedVersion?: number;
  set: Record<string, unknown>;
  entry: HistoryEntry;
  /** Extra condition, e.g. that no decision exists yet, with its own names and values. */
  condition?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown>; failure: () => Error };
}

export type WorkflowFact =
  | { kind: 'acknowledgement'; value: SentEmail }
  | { kind: 'assignment'; value: Assignment }
  | { kind: 'status'; from: ComplaintStatus[]; to: ComplaintStatus }
  | { kind: 'departmentNotified'; value: SentEmail & { departmentId: string } }
  | { kind: 'reminder'; offset: number; value: SentEmail & { escalation: boolean } }
  | { kind: 'decisionSent'; value: SentEmail }
  | { kind: 'extensionNotice'; value: SentEmail }
  | { kind: 'deadlinePassed'; value: NonNullable<Complaint['deadlinePassed']>; status?: ComplaintStatus }
  | { kind: 'deadlineEmail'; field: 'supervisorAlerted' | 'customerNotified'; value: SentEmail };

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

function toComplaint(item: Record<string, unknown> | undefined): Complaint | undefined {
  return item ? complaintSchema.parse(item) : undefined;
}

export function dynamoComplaintRepository(client: DynamoDBDocumentClient, tableName: string): ComplaintRepository {
  return {
    async claimReference(reference, complaintId) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.reference(reference), reference, complaintId },
            ConditionExpression: 'attribute_not_exists(PK) OR complaintId = :id',
            ExpressionAttributeValues: { ':id': complaintId },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async create(complaint) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { reminders: {}, ...keys.complaint(complaint.id), ...complaint, ...indexAttributes(complaint), pendingWorkflow: PENDING },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async get(id) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.complaint(id), ConsistentRead: true }));
      return toComplaint(Item);
    },

    async findByReference(reference) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.reference(reference) }));
      return Item ? this.get(String(Item.complaintId)) : undefined;
    },

    async markWorkflowStarted(id) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.complaint(id),
          UpdateExpression: 'REMOVE pendingWorkflow',
          ConditionExpression: 'attribute_exists(PK)',
        }),
      );
    },

    async record(id, fact) {
      const update = workflowUpdate(fact);
      const entry = historyEntryOf(fact);
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.complaint(id),
            UpdateExpression: entry ? `${update.expression}, history = list_append(history, :history)` : update.expression,
            ConditionExpression: `attribute_exists(PK) AND ${update.condition}`,
            ExpressionAttributeNames: update.names,
            ExpressionAttributeValues: { ...update.values, ...(entry ? { ':history': [entry] } : {}) },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async applyStaffChange(change) {
      const names: Record<string, string> = { ...change.condition?.names };
      const values: Record<string, unknown> = { ...change.condition?.values, ':one': 1, ':history': [change.entry] };
      const assignments = Object.entries(change.set).map(([field, value], i) => {
        names[`#f${i}`] = field;
        values[`:v${i}`] = value;
        return `#f${i} = :v${i}`;
      });
      const conditions = ['attribute_exists(PK)'];
      if (change.expectedVersion !== undefined) {
        conditions.push('version = :expected');
        values[':expected'] = change.expectedVersion;
      }
      if (change.condition) conditions.push(`(${change.condition.expression})`);
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.complaint(change.id),
            UpdateExpression: `SET ${[...assignments, 'version = version + :one', 'history = list_append(history, :history)'].join(', ')}`,
            ConditionExpression: conditions.join(' AND '),
            ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        );
        return complaintSchema.parse(Attributes);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // Say which condition failed: read it back once (a miss costs one read, never a wrong answer).
        const current = await this.get(change.id);
        if (!current) throw new NotFound(`No complaint ${change.id}`);
        if (change.expectedVersion !== undefined && current.version !== change.expectedVersion) {
          throw new VersionConflict(`The complaint is at version ${current.version}, not ${change.expectedVersion}: reload it and try again.`);
        }
        throw change.condition ? change.condition.failure() : error;
      }
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
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.complaint(evidence.complaintId),
            UpdateExpression: `SET ${record}.delivery = :delivery, ${record}.deliveryAt = :at, history = list_append(history, :history)`,
            // Evidence belongs to the message it is about; a bounce never overwrites a later delivery.
            ConditionExpression: `${record}.messageId = :messageId AND (attribute_not_exists(${record}.delivery) OR ${record}.delivery <> :delivered)`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ':delivery': evidence.delivery,
              ':at': evidence.at,
              ':messageId': evidence.messageId,
              ':delivered': 'delivered',
              ':history': [entry],
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async storeWait(id, wait) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.complaint(id),
            UpdateExpression: 'SET workflowWait = :wait',
            ConditionExpression: 'attribute_exists(PK) AND version = :planned',
            ExpressionAttributeValues: { ':wait': wait, ':planned': wait.plannedVersion },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}

/** The workflow's facts go into the complaint's history too, so staff read one timeline. */
function historyEntryOf(fact: WorkflowFact): HistoryEntry | undefined {
  const entry = (at: string, action: string, after: Record<string, unknown>): HistoryEntry => ({ at, actor: 'workflow', action, after });
  switch (fact.kind) {
    case 'acknowledgement':
      return entry(fact.value.sentAt, 'acknowledgement_sent', { messageId: fact.value.messageId });
    case 'assignment':
      return entry(fact.value.assignedAt, 'department_assigned', { departmentId: fact.value.departmentId, reason: fact.value.reason });
    case 'departmentNotified':
      return entry(fact.value.sentAt, 'department_notified', { departmentId: fact.value.departmentId });
    case 'reminder':
      return entry(fact.value.sentAt, fact.value.escalation ? 'escalation_sent' : 'reminder_sent', { offset: fact.offset });
    case 'decisionSent':
      return entry(fact.value.sentAt, 'decision_sent', { messageId: fact.value.messageId });
    case 'extensionNotice':
      return entry(fact.value.sentAt, 'extension_notice_sent', { messageId: fact.value.messageId });
    case 'deadlinePassed':
      return entry(fact.value.at, 'deadline_passed', { effect: fact.value.effect });
    case 'deadlineEmail':
      return entry(fact.value.sentAt, fact.field === 'supervisorAlerted' ? 'supervisor_alerted' : 'customer_told_of_deadline', {});
    case 'status':
      return undefined;
  }
}

interface UpdateSpec {
  expression: string;
  condition: string;
  names?: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * The workflow's own bookkeeping. Each fact is written once (its condition says when it is already there)
 * and does not bump `version`: version counts staff edits, which is what a stale staff write must not
 * overwrite and what tells a waiting workflow that something new happened.
 */
function workflowUpdate(fact: WorkflowFact): UpdateSpec {
  switch (fact.kind) {
    case 'acknowledgement':
      return {
        expression: 'SET acknowledgement = :value',
        condition: 'attribute_not_exists(acknowledgement)',
        values: { ':value': fact.value },
      };
    case 'assignment':
      return {
        expression: 'SET assignment = :value, listDepartment = :department',
        condition: 'attribute_not_exists(assignment)',
        values: { ':value': fact.value, ':department': fact.value.departmentId },
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
        condition: 'assignment.departmentId = :department AND (attribute_not_exists(departmentNotified) OR departmentNotified.departmentId <> :department)',
        values: { ':value': fact.value, ':department': fact.value.departmentId },
      };
    case 'reminder':
      return {
        expression: 'SET reminders.#offset = :value',
        condition: 'attribute_exists(reminders) AND attribute_not_exists(reminders.#offset)',
        names: { '#offset': String(fact.offset) },
        values: { ':value': fact.value },
      };
    case 'decisionSent':
      return {
        expression: 'SET decisionSent = :value, #status = :closed',
        condition: 'attribute_exists(decision) AND attribute_not_exists(decisionSent)',
        names: { '#status': 'status' },
        values: { ':value': fact.value, ':closed': 'closed' },
      };
    case 'extensionNotice':
      return {
        expression: 'SET extension.noticeSent = :value',
        condition: 'attribute_exists(extension) AND attribute_not_exists(extension.noticeSent)',
        values: { ':value': fact.value },
      };
    case 'deadlinePassed':
      return {
        expression: fact.status ? 'SET deadlinePassed = :value, #status = :status' : 'SET deadlinePassed = :value',
        // A decision that is waiting to be posted has not reached the customer: the term can still pass.
        condition: 'attribute_not_exists(deadlinePassed) AND (attribute_not_exists(decision) OR decision.delivery = :post) AND attribute_not_exists(decisionPosted)',
        ...(fact.status ? { names: { '#status': 'status' } } : {}),
        values: { ':value': fact.value, ':post': 'post', ...(fact.status ? { ':status': fact.status } : {}) },
      };
    case 'deadlineEmail':
      return {
        expression: `SET deadlinePassed.${fact.field} = :value`,
        condition: `attribute_exists(deadlinePassed) AND attribute_not_exists(deadlinePassed.${fact.field})`,
        values: { ':value': fact.value },
      };
  }
}
