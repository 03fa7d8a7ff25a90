import { AwsServiceError, NetworkingError } from '../../lambdas/adapters/aws-wire/service-errors';
import { asWorkflowError, StorageTemporarilyUnavailable } from '../../lambdas/adapters/storage-errors';

// DynamoDB's errors as the client ends a call with them once its own retries are spent (aws-wire/service-errors.ts).
const dynamoError = (name: string, status: number) => new AwsServiceError(name, name, { httpStatusCode: status, attempts: 3 });

describe('which storage errors the workflow retries (StorageTemporarilyUnavailable)', () => {
  it.each([
    ['provisioned throughput exceeded', dynamoError('ProvisionedThroughputExceededException', 400)],
    ['throttling', dynamoError('ThrottlingException', 400)],
    ['request limit exceeded', dynamoError('RequestLimitExceeded', 400)],
    ['an internal server error', dynamoError('InternalServerError', 500)],
    ['a 503 from the service', dynamoError('ServiceUnavailable', 503)],
    ['a reset connection', new NetworkingError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))],
    [
      'a connection closed by the other side',
      new NetworkingError(new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) })),
    ],
    ['a request that timed out', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
  ])('retries %s under the one name the ASL matches', (_, error) => {
    const named = asWorkflowError(error);
    expect(named).toBeInstanceOf(StorageTemporarilyUnavailable);
    expect((named as Error).name).toBe('StorageTemporarilyUnavailable');
    expect((named as Error).cause).toBe(error);
  });

  it.each([
    ['a failed condition', dynamoError('ConditionalCheckFailedException', 400)],
    ['a validation error', dynamoError('ValidationException', 400)],
    ['a missing table', dynamoError('ResourceNotFoundException', 400)],
    ['an error of the product', Object.assign(new Error('no decision'), { name: 'NotFound' })],
  ])('leaves %s as it is: it would fail the same way again', (_, error) => {
    expect(asWorkflowError(error)).toBe(error);
  });
});
