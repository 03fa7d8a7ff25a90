import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { dynamo, stepFunctions } from '../adapters/clients';
import { readEnvironment, required } from '../adapters/config';
import { dynamoComplaintRepository } from '../adapters/complaint-repository';
import { errorFields, log } from '../adapters/logger';
import { PENDING } from '../adapters/table-design';
import { stepFunctionsWorkflowStarter } from '../adapters/workflow-client';
import { startComplaintWorkflow } from '../use-cases/start-complaint-workflow';

const env = readEnvironment();
const ports = {
  complaints: dynamoComplaintRepository(dynamo(), env.TABLE_NAME),
  workflow: stepFunctionsWorkflowStarter(stepFunctions(), required(env, 'STATE_MACHINE_ARN')),
};

/**
 * Fed by the table's stream (in AWS) or by the local outbox (locally): every complaint still marked
 * `pendingWorkflow` gets its workflow. A failed record is reported alone, so Lambda retries just that one
 * (bisecting, a bounded number of times, then to the on-failure queue) and the marker stays for redrive.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (image?.pendingWorkflow?.S !== PENDING || !image.id?.S) continue;
    const complaintId = image.id.S;
    try {
      await startComplaintWorkflow(complaintId, ports);
      log.info('workflow started', { complaintId });
    } catch (error) {
      log.error('workflow start failed', { complaintId, ...errorFields(error) });
      batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? record.eventID ?? complaintId });
    }
  }
  return { batchItemFailures };
};
