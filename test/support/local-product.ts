import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../local/runtime';
import { COMPLAINTS_TABLE, localDynamoDbClient } from '../../local/dynamodb';

export interface SentEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
}

export const validComplaint = {
  customer: { name: 'Anna Kowalska', email: 'anna@example.com', phone: '+48600700800' },
  orderNumber: 'ZAM-2026-11-0042',
  product: 'Czajnik KE-200',
  purchaseDate: '2026-10-30',
  description: 'Czajnik przestał grzać po dwóch tygodniach.',
  desiredRemedy: 'replacement',
  privacyNoticeAccepted: true,
  language: 'pl',
};

/**
 * Tests that file many complaints from this one address (127.0.0.1) raise the public form's per-client limit
 * (20 per 15 minutes); test/integration/public-form-guards.test.ts tests the limit itself.
 */
export const MANY_COMPLAINTS_PER_CLIENT = 100_000;

/** The local product in this process, with Retry pauses shortened so failure paths run in milliseconds. */
export async function startLocalProduct(options: RuntimeOptions = {}): Promise<Runtime> {
  return startRuntime({ workflow: { retryIntervalMs: 5, ...options.workflow }, intakeLimitPerClient: MANY_COMPLAINTS_PER_CLIENT, ...options });
}

/**
 * The ports a product listens on, to start it again on the same ones: the handlers keep the endpoints they were
 * loaded with, as a warm Lambda would, so a restart in the same process must not move them.
 */
export function portsOf(runtime: Runtime): { api: number; dynamodb: number; ses: number; stepFunctions: number } {
  const port = (url: string) => Number(new URL(url).port);
  return {
    api: port(runtime.urls.api),
    dynamodb: port(runtime.urls.dynamodb),
    ses: port(runtime.urls.mailbox),
    stepFunctions: port(runtime.urls.stepFunctions),
  };
}

export async function mailbox(runtime: Runtime): Promise<SentEmail[]> {
  const response = await fetch(`${runtime.urls.mailbox}/store`);
  return ((await response.json()) as { emails: SentEmail[] }).emails;
}

/** Raw DynamoDB items ({ S }, { M }, …): what is really stored, read without the product's own code. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StoredItem = Record<string, any>;

export async function storedItems(runtime: Runtime): Promise<StoredItem[]> {
  const client = localDynamoDbClient(runtime.urls.dynamodb);
  const { Items = [] } = await client.send(new ScanCommand({ TableName: COMPLAINTS_TABLE }));
  client.destroy();
  return Items;
}

export function postComplaint(runtime: Runtime, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${runtime.urls.api}/complaints`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
