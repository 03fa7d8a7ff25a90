import { signedTransport, type Interceptor, type TransportOptions } from './signed-transport';

// SES v2's REST-JSON API for the one operation the Lambdas use: SendEmail, `POST /v2/email/outbound-emails`
// with the input as the JSON body. Input shape as the SDK's (the fields this product sends).

interface Text {
  Data: string;
  Charset?: string;
}

export interface SendEmailCommandInput {
  FromEmailAddress: string;
  Destination: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  ReplyToAddresses?: string[];
  ConfigurationSetName?: string;
  /** What SES hands back with every sending event of this e-mail (delivery evidence: lambdas/core/delivery-evidence.ts). */
  EmailTags?: { Name: string; Value: string }[];
  Content: { Simple: { Subject: Text; Body: { Text?: Text; Html?: Text } } };
}
export interface SendEmailCommandOutput {
  MessageId?: string;
}

export class SendEmailCommand {
  constructor(readonly input: SendEmailCommandInput) {}
}

export interface SesClient {
  send(command: SendEmailCommand): Promise<SendEmailCommandOutput>;
  /** See signed-transport.ts: a seam under the retries, for tests that inject SES's failures. */
  intercept(interceptor: Interceptor): () => void;
}

export function sesClient(options?: TransportOptions): SesClient {
  // SES v2's endpoint is email.<region>.amazonaws.com and it signs as `ses`.
  const transport = signedTransport({ endpointId: 'SESV2', endpointPrefix: 'email', signingName: 'ses' }, options);
  return {
    async send(command) {
      return transport.send({
        path: '/v2/email/outbound-emails',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(command.input),
      });
    },
    intercept: (interceptor) => transport.intercept(interceptor),
  };
}
