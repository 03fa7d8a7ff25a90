import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GetSecretValueCommand } from './aws-wire/secrets-manager-api';
import { InvalidConfiguration } from '../core/errors';
import { parsedConfiguration } from '../core/validation';
import { webhookSourcesSchema, type WebhookSources } from '../core/webhook-sources';
import { repositoryConfigDirectory } from './config-files';
import { secretsManager } from './secrets-client';

// The webhook sources and their secrets, read once per process on first use: in AWS the value of the Secrets
// Manager secret the stateful stack declares (WEBHOOK_SOURCES_SECRET_ARN; only the webhook function may read
// it), locally the committed demo file config/webhooks.local.json, of the same shape. Checked at once against
// the schema; a broken value is named by field, never echoed (it holds secrets). A failed read is not kept, so
// the next request tries again.

export const LOCAL_WEBHOOK_SOURCES_FILE = path.join(repositoryConfigDirectory, 'webhooks.local.json');

export function webhookSourcesFrom(env: { WEBHOOK_SOURCES_SECRET_ARN?: string; LAMBDA_TASK_ROOT?: string }): () => Promise<WebhookSources> {
  let pending: Promise<WebhookSources> | undefined;
  const read = async (): Promise<WebhookSources> => {
    let json: string | undefined;
    let origin: string;
    if (env.WEBHOOK_SOURCES_SECRET_ARN !== undefined) {
      origin = 'the webhook sources secret';
      ({ SecretString: json } = await secretsManager().send(new GetSecretValueCommand({ SecretId: env.WEBHOOK_SOURCES_SECRET_ARN })));
    } else if (env.LAMBDA_TASK_ROOT !== undefined) {
      // Never the demo secrets in AWS.
      throw new InvalidConfiguration('Missing environment variable WEBHOOK_SOURCES_SECRET_ARN: the webhook function has no sources');
    } else {
      origin = LOCAL_WEBHOOK_SOURCES_FILE;
      json = readFileSync(LOCAL_WEBHOOK_SOURCES_FILE, 'utf8');
    }
    let value: unknown;
    try {
      value = JSON.parse(json ?? '');
    } catch {
      throw new InvalidConfiguration(`${origin} is not valid JSON`);
    }
    return parsedConfiguration(webhookSourcesSchema, value, (problems) => new InvalidConfiguration(`${origin}: ${problems}`)).sources;
  };
  return () =>
    (pending ??= read().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}
