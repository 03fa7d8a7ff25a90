import { AwsServiceError, NetworkingError } from '../../lambdas/adapters/aws-wire/service-errors';
import type { SesClient } from '../../lambdas/adapters/aws-wire/sesv2-api';
import { EmailPermanentlyRejected, EmailTemporarilyUnavailable, sesMailer } from '../../lambdas/adapters/mailer';

function failingClient(error: unknown): SesClient {
  return { send: async () => Promise.reject(error), intercept: () => () => undefined };
}

// As the SES client ends a call once its own retries are spent (lambdas/adapters/aws-wire/service-errors.ts).
function sesError(name: string, status: number) {
  return new AwsServiceError(name, name, { httpStatusCode: status, attempts: 1 });
}

const email = { to: 'a@example.com', subject: 's', text: 't', html: '<p>t</p>' };

describe('the SES mailer names its failures for the workflow', () => {
  it.each([
    ['throttling', sesError('TooManyRequestsException', 429), EmailTemporarilyUnavailable],
    ['a daily quota', sesError('LimitExceededException', 400), EmailTemporarilyUnavailable],
    ['a server fault', sesError('InternalFailure', 500), EmailTemporarilyUnavailable],
    ['a network failure', new NetworkingError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })), EmailTemporarilyUnavailable],
    ['a rejected message', sesError('MessageRejected', 400), EmailPermanentlyRejected],
    ['a suspended account', sesError('AccountSuspendedException', 400), EmailPermanentlyRejected],
  ])('%s', async (_case, error, expected) => {
    await expect(sesMailer(failingClient(error), 'from@example.com').send(email)).rejects.toBeInstanceOf(expected);
  });
});

describe('the SES mailer says whether a failed send may still have gone out', () => {
  const lostConnection = (code: string) => new NetworkingError(new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) }));
  it.each([
    ['throttling: refused before any work', sesError('TooManyRequestsException', 429), false],
    ['503: refused before any work', sesError('ServiceUnavailable', 503), false],
    ['a refused connection: never reached SES', lostConnection('ECONNREFUSED'), false],
    ['a 500: SES may have accepted it first', sesError('InternalFailure', 500), true],
    ['a connection reset after the request went out', lostConnection('ECONNRESET'), true],
  ])('%s', async (_case, error, mayHaveBeenSent) => {
    await expect(sesMailer(failingClient(error), 'from@example.com').send(email)).rejects.toMatchObject({ mayHaveBeenSent });
  });
});
