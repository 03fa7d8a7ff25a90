import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { complaintSchema, type Acknowledgement, type Complaint, type ComplaintStatus } from '../core/complaint';
import { keys, PENDING, tableDesign } from './table-design';

export interface ComplaintRepository {
  /** Reserves a reference for a complaint id; false if another complaint already holds it. */
  claimReference(reference: string, complaintId: string): Promise<boolean>;
  /** Stores a new complaint, marked as waiting for its workflow. False if that id is already stored. */
  create(complaint: Complaint): Promise<boolean>;
  get(id: string): Promise<Complaint | undefined>;
  findByReference(reference: string): Promise<Complaint | undefined>;
  /** Complaints whose workflow start is not yet confirmed, oldest first. */
  pendingWorkflowStarts(limit: number): Promise<Complaint[]>;
  markWorkflowStarted(id: string): Promise<void>;
  /**
   * Records the acknowledgement on the complaint as it was read (optimistic lock on `version`); false when
   * the complaint changed since, or already has an acknowledgement.
   */
  recordAcknowledgement(complaint: Complaint, acknowledgement: Acknowledgement, status: ComplaintStatus): Promise<boolean>;
}

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
            Item: { ...keys.complaint(complaint.id), ...complaint, pendingWorkflow: PENDING },
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

    async pendingWorkflowStarts(limit) {
      const index = tableDesign.indexes.pendingWorkflow;
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'pendingWorkflow',
          KeyConditionExpression: '#pending = :pending',
          ExpressionAttributeNames: { '#pending': index.partitionKey },
          ExpressionAttributeValues: { ':pending': PENDING },
          Limit: limit,
        }),
      );
      return Items.map((item) => complaintSchema.parse(item));
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

    async recordAcknowledgement(complaint, acknowledgement, status) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.complaint(complaint.id),
            UpdateExpression: 'SET acknowledgement = :acknowledgement, #status = :status, version = :next',
            ConditionExpression: 'version = :version AND attribute_not_exists(acknowledgement)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':acknowledgement': acknowledgement,
              ':status': status,
              ':version': complaint.version,
              ':next': complaint.version + 1,
            },
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
