import { isServiceError } from './aws-wire/service-errors';
import { SendEmailCommand, type SesClient } from './aws-wire/sesv2-api';
import { emailTags } from '../core/delivery-evidence';
import type { Mailer } from '../use-cases/ports';

/**
 * Worth retrying later (throttling, an outage): the workflow backs off on this error name. `mayHaveBeenSent`
 * when SES gave no answer that says it refused (the connection failed after the request went out, or a server
 * error): send-once.ts then keeps the e-mail's claim and waits for SES's evidence before sending it again.
 */
export class EmailTemporarilyUnavailable extends Error {
  override name = 'EmailTemporarilyUnavailable';
  constructor(
    message: string,
    readonly mayHaveBeenSent = false,
  ) {
    super(message);
  }
}

/** Retrying cannot help (rejected address or content, suspended account): surfaced, never swallowed. */
export class EmailPermanentlyRejected extends Error {
  override name = 'EmailPermanentlyRejected';
}

const TRANSIENT = new Set(['TooManyRequestsException', 'LimitExceededException', 'SendingPausedException', 'ThrottlingException']);

export function sesMailer(client: SesClient, from: string, configurationSet?: string): Mailer {
  return {
    async send(email) {
      try {
        const { MessageId } = await client.send(
          new SendEmailCommand({
            FromEmailAddress: from,
            Destination: { ToAddresses: [email.to], CcAddresses: email.cc },
            ConfigurationSetName: configurationSet,
            EmailTags: email.evidence || email.attempt ? emailTags(email) : undefined,
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
  // SES's own retries are spent by now (aws-wire/standard-retry.ts); an error it did not answer (no connection)
  // is a NetworkingError, with the socket's code.
  const serverFault = isServiceError(error) && error.$fault === 'server';
  const networkFault = !isServiceError(error);
  // Throttling and 503 are refusals before any work; another server error, or no answer at all, leaves open
  // whether SES accepted the e-mail (a refused connection does not).
  const refused =
    TRANSIENT.has(name) || (serverFault && error.$metadata.httpStatusCode === 503) || (error as { code?: string }).code === 'ECONNREFUSED';
  if (TRANSIENT.has(name) || serverFault || networkFault) return new EmailTemporarilyUnavailable(`${name}: ${message}`, !refused);
  return new EmailPermanentlyRejected(`${name}: ${message}`);
}
