import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

// The Secrets Manager client, made once per process (see clients.ts for why each service has a module of its
// own). Only the admin function reads a secret (the cursor key, sealed-cursors.ts), so only its bundle has it.
let secretsClient: SecretsManagerClient | undefined;

export function secretsManager(): SecretsManagerClient {
  secretsClient ??= new SecretsManagerClient({});
  return secretsClient;
}
