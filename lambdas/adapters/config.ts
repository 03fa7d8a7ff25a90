import * as z from '../core/zod';
import { InvalidConfiguration } from '../core/errors';
import { parsedConfiguration } from '../core/validation';

// Configuration is read once, at cold start, and fails fast naming what is missing (STYLE.md §4). Only small
// settings travel in the environment (Lambda allows 4 KB in all); files such as the staff directory are read by
// config-files.ts.
const environmentSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  STATE_MACHINE_ARN: z.optional(z.string().check(z.minLength(1))),
  SENDER_ADDRESS: z.optional(z.email()),
  COMPANY_NAME: z._default(z.string().check(z.minLength(1)), 'Sklep Przykładowy sp. z o.o.'),
  SES_CONFIGURATION_SET: z.optional(z.string().check(z.minLength(1))),
  DEFAULT_POLICY: z.optional(z.string().check(z.minLength(1))),
  /** Where customers reach the pages (the CloudFront address or the shop's own domain): e-mails link to them. */
  PUBLIC_BASE_URL: z.optional(z.url({ protocol: /^https?$/ })),
  /** The secret with the webhook sources and their secrets (AWS); locally config/webhooks.local.json. */
  WEBHOOK_SOURCES_SECRET_ARN: z.optional(z.string().check(z.startsWith('arn:'))),
  /** The secret the staff API seals its cursors with (lambdas/core/cursor-seal.ts): its ARN in AWS… */
  CURSOR_KEY_SECRET_ARN: z.optional(z.string().check(z.startsWith('arn:'))),
  /** …or, locally, the key itself. */
  CURSOR_KEY: z.optional(z.string().check(z.minLength(32))),
  /** …and, locally, the key a rotation replaced: cursors it sealed still open (the secret's AWSPREVIOUS in AWS). */
  CURSOR_PREVIOUS_KEY: z.optional(z.string().check(z.minLength(32))),
  /** Complaints one client may file through the public form per 15 minutes (use-cases/file-public-complaint.ts). */
  INTAKE_LIMIT_PER_CLIENT: z.optional(z.coerce.number().check(z.int(), z.gte(1))),
  /** The state machine that makes one outbound webhook delivery with its retries (statemachines/webhook-delivery.asl.json). */
  WEBHOOK_DELIVERY_STATE_MACHINE_ARN: z.optional(z.string().check(z.minLength(1))),
  /**
   * `true` lets subscriber URLs be http: and loopback (local/runtime.ts sets it, so tests can receive on
   * 127.0.0.1). Refused in Lambda: in AWS subscribers are HTTPS on public addresses only.
   */
  OUTBOUND_WEBHOOKS_ALLOW_LOOPBACK: z.optional(z.literal('true')),
  /** The private bucket of the customers' attachments (lib/stateful-stack.ts; locally the S3 stand-in's). */
  ATTACHMENTS_BUCKET: z.optional(z.string().check(z.minLength(3))),
  /** Lambda sets it; the local runtime too. */
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'eu-central-1'),
  /** The S3 stand-in's address, locally (the SDK's own variable name, as for the other services). */
  AWS_ENDPOINT_URL_S3: z.optional(z.url()),
});

export type Environment = z.infer<typeof environmentSchema>;

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  return parsedConfiguration(
    environmentSchema,
    env,
    (problems) => new InvalidConfiguration(`Invalid or missing environment variables: ${problems}`),
    '(environment)',
  );
}

export function required<K extends keyof Environment>(env: Environment, name: K): NonNullable<Environment[K]> {
  const value = env[name];
  if (value === undefined) throw new Error(`Missing environment variable ${name}`);
  return value;
}
