import { SendEmailCommand, SESv2Client, SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { evidenceTags } from '../core/delivery-evidence';
import type { Mailer } from '../use-cases/ports';

/** Worth retrying later (throttling, an outage): the workflow backs off on this error name. */
export class EmailTemporarilyUnavailable extends Error {
  override name = 'EmailTemporarilyUnavailable';
}

/** Retrying cannot help (rejected address or content, suspended account): surfaced, never swallowed. */
export class EmailPermanentlyRejected extends Error {
  override name = 'EmailPermanentlyRejected';
}

const TRANSIENT = new Set(['TooManyRequestsException', 'LimitExceededException', 'SendingPausedException', 'ThrottlingException']);

export function sesMailer(client: SESv2Client, from: string, configurationSet?: string): Mailer {
  return {
    async send(email) {
      try {
        const { MessageId } = await client.send(
          new SendEmailCommand({
            FromEmailAddress: from,
            Destination: { ToAddresses: [email.to], CcAddresses: email.cc },
            ConfigurationSetName: configurationSet,
            EmailTags: email.evidence ? evidenceTags(email.evidence) : undefined,
            Content: {
              Simple: {
                Subject: { Data: email.subject, Charset: 'UTF-8' },
                Body: { Text: { Data: email.text, Charset: 'UTF-8' }, Html: { Data: email.html, Charset: 'UTF-8' } },
              },
            },
          }),
        );
        if (!MessageId) throw new EmailTemporarilyUnavailable('SES answered without a message id');
        return MessageId;
      } catch (error) {
        throw classify(error);
      }
    },
  };
}

function classify(error: unknown): Error {
  if (error instanceof EmailTemporarilyUnavailable || error instanceof EmailPermanentlyRejected) return error;
  const name = error instanceof Error ? error.name : 'Unknown';
  const message = error instanceof Error ? error.message : String(error);
  const serverFault = error instanceof SESv2ServiceException && error.$fault === 'server';
  const networkFault = !(error instanceof SESv2ServiceException);
  if (TRANSIENT.has(name) || serverFault || networkFault) return new EmailTemporarilyUnavailable(`${name}: ${message}`);
  return new EmailPermanentlyRejected(`${name}: ${message}`);
}
