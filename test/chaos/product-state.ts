import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { COMPLAINTS_TABLE, localDynamoDbClient } from '../../local/dynamodb';

// What the product holds, read from outside it: the table over the DynamoDB port, the mailbox over the SES
// port or from its file. A chaos case judges the product by these, never by what the product says of itself.

/** The product as the cases reach it: its URLs. */
export interface ProductUrls {
  api: string;
  mailbox: string;
  dynamodb: string;
}

export interface StoredComplaint {
  id: string;
  reference: string;
  orderNumber?: string;
  /** Set when the workflow gave up on a step (workflowAttention). */
  attention?: unknown;
}

/** Every complaint in the table, with its order number (which the cases use to mark the Idempotency-Key). */
export async function storedComplaints(dynamodb: string): Promise<StoredComplaint[]> {
  const client = DynamoDBDocumentClient.from(localDynamoDbClient(dynamodb));
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  try {
    do {
      const page = await client.send(new ScanCommand({ TableName: COMPLAINTS_TABLE, ExclusiveStartKey, ConsistentRead: true }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  } finally {
    client.destroy();
  }
  const byPartition = new Map<string, Record<string, unknown>>();
  for (const item of items) {
    const partition = String(item.PK);
    if (!partition.startsWith('COMPLAINT#')) continue;
    if (item.SK === 'COMPLAINT' || item.SK === 'COMPLAINT#SUBMISSION') byPartition.set(partition, { ...byPartition.get(partition), ...item });
  }
  return [...byPartition.entries()]
    .filter(([, item]) => typeof item.reference === 'string')
    .map(([partition, item]) => ({
      id: partition.slice('COMPLAINT#'.length),
      reference: String(item.reference),
      orderNumber: typeof item.orderNumber === 'string' ? item.orderNumber : undefined,
      attention: item.workflowAttention,
    }));
}

export interface MailboxEmail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
}

export async function mailboxEmails(mailbox: string): Promise<MailboxEmail[]> {
  return ((await (await fetch(`${mailbox}/store`)).json()) as { emails: MailboxEmail[] }).emails;
}

/** The mailbox as it survives on disk (local/ses.ts): what `npm start` shows again after any stop. */
export function mailboxFile(dataDir: string): MailboxEmail[] {
  const file = path.join(dataDir, 'mailbox.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as MailboxEmail];
      } catch {
        return []; // a line cut short by a kill: the e-mail SES had not confirmed
      }
    });
}

/** The acknowledgement subjects of lambdas/core/templates/acknowledgement-email.ts, in both languages. */
const ACKNOWLEDGEMENT = /^(Potwierdzenie przyjęcia reklamacji|Acknowledgement of your complaint) (\S+)$/;

/** How many acknowledgement e-mails each reference got. */
export function acknowledgementsByReference(emails: readonly MailboxEmail[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const email of emails) {
    const reference = ACKNOWLEDGEMENT.exec(email.subject)?.[2];
    if (reference) counts.set(reference, (counts.get(reference) ?? 0) + 1);
  }
  return counts;
}

/** Polls until `probe` holds or the time is up; answers whether it held. */
export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
