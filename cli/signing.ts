import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { staffDirectorySchema } from '../lambdas/core/staff';

// Every /admin route is behind API Gateway's IAM authorizer (AWS SigV4, service execute-api). The request is
// signed exactly as the AWS SDK signs its own calls, so the same signature passes in AWS and locally, where
// the server recomputes it with the same SignatureV4 class against the demo keys.

export type Credentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

export class CredentialsUnavailable extends Error {
  override readonly name = 'CredentialsUnavailable';
}

export const DEMO_STAFF_FILE = path.resolve(__dirname, '../config/staff.local.json');

/** The demo key of a staff member from `config/staff.local.json`: for the local product only. */
export function demoCredentials(staffId: string, file = DEMO_STAFF_FILE): Credentials {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CredentialsUnavailable(`--as needs the demo keys in ${file}, which cannot be read`);
  }
  // The same schema the local server reads the file with: what the CLI signs with is what it verifies against.
  const { staff } = staffDirectorySchema.parse(JSON.parse(text));
  const member = staff.find((candidate) => candidate.id === staffId);
  if (!member?.localAccessKeyId || !member.localSecretAccessKey) {
    const known = staff.filter((candidate) => candidate.localAccessKeyId).map(({ id }) => id);
    throw new CredentialsUnavailable(`No demo key for staff member "${staffId}" in ${file}; known: ${known.join(', ')}`);
  }
  return { accessKeyId: member.localAccessKeyId, secretAccessKey: member.localSecretAccessKey };
}

/**
 * The standard AWS credential chain (environment, SSO, shared profiles, process, web identity, ECS/EC2), as
 * every AWS tool resolves it; loaded only when used, so local runs never touch ~/.aws.
 */
export function awsCredentials(): Credentials {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { defaultProvider } = require('@aws-sdk/credential-provider-node') as typeof import('@aws-sdk/credential-provider-node');
  return defaultProvider();
}

export interface OutgoingRequest {
  method: string;
  url: URL;
  /** Lower-case names; `host` is added from the URL. */
  headers: Record<string, string>;
  body?: string;
}

/**
 * Signs what fetch will send: the method, the URL's host (with its port), path and query, the headers given and
 * the body. Returns the headers to send; `host` is left to fetch, which derives the same value from the URL.
 */
export async function signedHeaders(
  request: OutgoingRequest,
  options: { credentials: Credentials; region: string; signingDate?: Date },
): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: 'execute-api', region: options.region, credentials: options.credentials, sha256: Sha256 });
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of request.url.searchParams) {
    const existing = query[name];
    query[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      port: request.url.port ? Number(request.url.port) : undefined,
      path: request.url.pathname,
      query,
      headers: { ...request.headers, host: request.url.host },
      body: request.body,
    },
    { signingDate: options.signingDate },
  );
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  return headers;
}
