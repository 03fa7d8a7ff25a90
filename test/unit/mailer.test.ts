import { SESv2Client, SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { EmailPermanentlyRejected, EmailTemporarilyUnavailable, sesMailer } from '../../lambdas/adapters/mailer';

function failingClient(error: unknown): SESv2Client {
  return { send: async () => Promise.reject(error) } as unknown as SESv2Client;
}

function sesError(name: string, fault: 'client' | 'server') {
  return new SESv2ServiceException({ name, $fault: fault, $metadata: {}, message: name });
}

const email = { to: 'a@example.com', subject: 's', text: 't', html: '<p>t</p>' };

describe('the SES mailer names its failures for the workflow', () => {
  it.each([
    ['throttling', sesError('TooManyRequestsException', 'client'), EmailTemporarilyUnavailable],
    ['a daily quota', sesError('LimitExceededException', 'client'), EmailTemporarilyUnavailable],
    ['a server fault', sesError('InternalFailure', 'server'), EmailTemporarilyUnavailable],
    ['a network failure', new Error('ECONNRESET'), EmailTemporarilyUnavailable],
    ['a rejected message', sesError('MessageRejected', 'client'), EmailPermanentlyRejected],
    ['a suspended account', sesError('AccountSuspendedException', 'client'), EmailPermanentlyRejected],
  ])('%s', async (_case, error, expected) => {
    await expect(sesMailer(failingClient(error), 'from@example.com').send(email)).rejects.toBeInstanceOf(expected);
  });
});

describe('the SES mailer says whether a failed send may still have gone out', () => {
  const withStatus = (error: SESv2ServiceException, httpStatusCode: number) => Object.assign(error, { $metadata: { httpStatusCode } });
  it.each([
    ['throttling: refused before any work', sesError('TooManyRequestsException', 'client'), false],
    ['503: refused before any work', withStatus(sesError('ServiceUnavailable', 'server'), 503), false],
    ['a refused connection: never reached SES', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), false],
    ['a 500: SES may have accepted it first', withStatus(sesError('InternalFailure', 'server'), 500), true],
    ['a connection reset after the request went out', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
  ])('%s', async (_case, error, mayHaveBeenSent) => {
    await expect(sesMailer(failingClient(error), 'from@example.com').send(email)).rejects.toMatchObject({ mayHaveBeenSent });
  });
});
