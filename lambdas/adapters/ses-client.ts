import { SESv2Client } from '@aws-sdk/client-sesv2';

// The SES client, made once per process (see clients.ts for why each service has a module of its own).
let sesClient: SESv2Client | undefined;

export function ses(): SESv2Client {
  sesClient ??= new SESv2Client({});
  return sesClient;
}
