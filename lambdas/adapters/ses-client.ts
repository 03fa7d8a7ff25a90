import { sesClient as newSesClient, type SesClient } from './aws-wire/sesv2-api';

// The SES client, made once per process (see clients.ts for why each service has a module of its own).
let sesClient: SesClient | undefined;

export function ses(): SesClient {
  sesClient ??= newSesClient();
  return sesClient;
}
