import { secretsManagerClient, type SecretsManagerClient } from './aws-wire/secrets-manager-api';

// The Secrets Manager client, made once per process (see clients.ts for why each service has a module of its
// own). Only the admin function (the cursor key, sealed-cursors.ts) and the webhook function (the sources'
// secrets, webhook-sources-store.ts) read a secret, so only their bundles have it.
let secretsClient: SecretsManagerClient | undefined;

export function secretsManager(): SecretsManagerClient {
  secretsClient ??= secretsManagerClient();
  return secretsClient;
}
