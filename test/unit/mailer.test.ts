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
