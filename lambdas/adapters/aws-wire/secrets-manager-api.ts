import { jsonProtocolClient, JsonCommand, type JsonClient } from './aws-json-protocol';
import type { TransportOptions } from './signed-transport';

// Secrets Manager's JSON 1.1 API (X-Amz-Target: secretsmanager.<Operation>): reading a secret's current value.

export interface GetSecretValueCommandInput {
  SecretId: string;
  VersionId?: string;
  VersionStage?: string;
}
export interface GetSecretValueCommandOutput {
  ARN?: string;
  Name?: string;
  VersionId?: string;
  SecretString?: string;
  /** Base64, as the JSON protocol sends a blob (the SDK decoded it to bytes; nothing here stores binary secrets). */
  SecretBinary?: string;
  VersionStages?: string[];
}

export class GetSecretValueCommand extends JsonCommand<GetSecretValueCommandInput, GetSecretValueCommandOutput> {
  readonly operation = 'GetSecretValue';
}

export type SecretsManagerClient = JsonClient;

export function secretsManagerClient(options?: TransportOptions): SecretsManagerClient {
  return jsonProtocolClient(
    { endpointId: 'SECRETS_MANAGER', endpointPrefix: 'secretsmanager', signingName: 'secretsmanager' },
    { version: '1.1', targetPrefix: 'secretsmanager' },
    options,
  );
}
