import { ConditionalCheckFailedException, DynamoDBServiceException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { asWorkflowError, StorageTemporarilyUnavailable } from '../../lambdas/adapters/storage-errors';

const sdkError = (name: string, fault: 'client' | 'server', status: number) =>
  new DynamoDBServiceException({ name, $fault: fault, $metadata: { httpStatusCode: status }, message: name });

describe('which storage errors the workflow retries (StorageTemporarilyUnavailable)', () => {
  it.each([
    ['provisioned throughput exceeded', new ProvisionedThroughputExceededException({ $metadata: { httpStatusCode: 400 }, message: 'slow down' })],
    ['throttling', sdkError('ThrottlingException', 'client', 400)],
    ['request limit exceeded', sdkError('RequestLimitExceeded', 'client', 400)],
    ['an internal server error', sdkError('InternalServerError', 'server', 500)],
    ['a 503 from the service', sdkError('ServiceUnavailable', 'server', 503)],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a request that timed out', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
  ])('retries %s under the one name the ASL matches', (_, error) => {
    const named = asWorkflowError(error);
    expect(named).toBeInstanceOf(StorageTemporarilyUnavailable);
    expect((named as Error).name).toBe('StorageTemporarilyUnavailable');
    expect((named as Error).cause).toBe(error);
  });

  it.each([
    ['a failed condition', new ConditionalCheckFailedException({ $metadata: { httpStatusCode: 400 }, message: 'no' })],
    ['a validation error', sdkError('ValidationException', 'client', 400)],
    ['a missing table', sdkError('ResourceNotFoundException', 'client', 400)],
    ['an error of the product', Object.assign(new Error('no decision'), { name: 'NotFound' })],
  ])('leaves %s as it is: it would fail the same way again', (_, error) => {
    expect(asWorkflowError(error)).toBe(error);
  });
});
