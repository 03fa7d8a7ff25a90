import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { replaceFile } from './state-file';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import sesServer from 'aws-ses-v2-local';
import type * as storeTypes from 'aws-ses-v2-local/dist/store';
import { SES_TAG_VALUE } from '../lambdas/core/delivery-evidence';

// aws-ses-v2-local keeps its mailbox in memory. So that the mailbox a person reads survives `npm start`
// stopping, even killed, every e-mail is appended to a file under the data folder before SES answers the
// sender: the stand-in's own store is wrapped, so what it accepted is on disk by the time it says so.
//
// It publishes no events either. SES publishes a Send event for every e-mail sent through a configuration set
// with an event destination (lib/email.ts: to EventBridge, on to recordDelivery), carrying the e-mail's tags;
// the send-once path depends on it (lambdas/use-cases/send-once.ts). So each line of the mailbox file also
// keeps the e-mail's tags and configuration set, and the Send events are published from that file, from where
// the last run left off: an e-mail accepted just before a kill still gets its event after the restart, as SES
// publishes it whatever became of the sender. Delivery events are not made up: nothing delivers the mail.

const MAILBOX_FILE = 'mailbox.jsonl';
/** How far the Send events of the mailbox file have been published (lines), across restarts. */
const EVENTS_OFFSET_FILE = 'ses-events-offset.json';
/** The mailbox as the first versions saved it, read once so an older data folder keeps its e-mails. */
const LEGACY_MAILBOX_FILE = 'mailbox.json';
/**
 * SES publishes its events seconds after accepting an e-mail, not at once: a second here, so that the local
 * product sees its events in the order AWS shows them (the sender's record first, usually).
 */
const SEND_EVENT_DELAY_MS = 1_000;
const IDLE_POLL_MS = 100;
const MAX_BACKOFF_MS = 10_000;

/** An e-mail as the mailbox file keeps it: what the stand-in stored, and what SES's events would carry. */
type MailboxLine = storeTypes.Email & { tags?: Record<string, string[]>; configurationSet?: string };

// The module object itself (not an import's copy of it), since the server calls `store.saveEmail` through it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const store = require('aws-ses-v2-local/dist/store') as { -readonly [K in keyof typeof storeTypes]: (typeof storeTypes)[K] };
const originalSave = store.saveEmail;
/** E-mails the stand-in stored whose answer has not gone out yet: written to the file with the answer. */
const answering = new Map<string, storeTypes.Email>();
store.saveEmail = (email: storeTypes.Email) => {
  answering.set(email.messageId, email);
  originalSave(email);
};

/** The one instance's state (the stand-in's store is module-wide, so there is one). */
let mailbox: { file?: string; lines: MailboxLine[] } | undefined;

function savedEmails(dataDir: string): MailboxLine[] {
  const lines = existsSync(path.join(dataDir, MAILBOX_FILE)) ? readFileSync(path.join(dataDir, MAILBOX_FILE), 'utf8').split('\n') : [];
  // A line cut short by a kill in the middle of a write is the one e-mail SES had not yet confirmed.
  return lines.flatMap((line) => {
    try {
      return line ? [JSON.parse(line) as MailboxLine] : [];
    } catch {
      return [];
    }
  });
}

function legacyEmails(dataDir: string): storeTypes.Email[] {
  const legacy = path.join(dataDir, LEGACY_MAILBOX_FILE);
  return existsSync(legacy) ? (JSON.parse(readFileSync(legacy, 'utf8')) as storeTypes.Email[]) : [];
}

/** An error the stand-in answers instead of accepting an e-mail, as SES v2's REST API answers one. */
export interface SesFault {
  type: string;
  statusCode: number;
}

/** An SES event as EventBridge hands it to a rule's target. */
export type SesEvent = Record<string, unknown>;

export interface SesStandIn {
  url: string;
  /**
   * Starts publishing Send events to `deliver` (recordDelivery), once the handlers can be loaded. `caughtUp`
   * resolves once the events of the e-mails accepted before this start have been handled: SES publishes them
   * whatever happened to the sender, so after a kill they are there before the product's steps run again.
   */
  publishEvents(deliver: (event: SesEvent) => Promise<unknown>, log?: (line: string) => void): { caughtUp: Promise<void>; stop(): Promise<void> };
  close(): Promise<void>;
}

export async function startSes(options: {
  port: number;
  dataDir?: string;
  /** Fault injection for tests (SES throttling or an outage): asked for every send, answered instead of it. */
  fault?: () => SesFault | undefined;
}): Promise<SesStandIn> {
  const lines = options.dataDir ? savedEmails(options.dataDir) : [];
  if (options.dataDir && store.getStoreReadonly().emails.length === 0) {
    mkdirSync(options.dataDir, { recursive: true });
    for (const email of [...legacyEmails(options.dataDir), ...lines]) originalSave(email);
  }
  mailbox = { file: options.dataDir ? path.join(options.dataDir, MAILBOX_FILE) : undefined, lines };
  const offsetFile = options.dataDir && path.join(options.dataDir, EVENTS_OFFSET_FILE);
  let published = offsetFile && existsSync(offsetFile) ? Number(JSON.parse(readFileSync(offsetFile, 'utf8'))) : 0;
  const server: Server = await sesServer({ host: '127.0.0.1', port: options.port });
  const stopPublishing: (() => Promise<void>)[] = [];
  takeRequestsFirst(server, options.fault ?? (() => undefined));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    publishEvents(deliver, log) {
      let stopped = false;
      const backlog = lines.length;
      let caughtUp: () => void = () => undefined;
      const caughtUpPromise = new Promise<void>((resolve) => (caughtUp = resolve));
      let wake: (() => void) | undefined;
      const pause = (ms: number) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => ((wake = undefined), resolve()), ms);
          wake = () => (clearTimeout(timer), (wake = undefined), resolve());
        });
      const loop = async () => {
        let failures = 0;
        while (!stopped) {
          if (published >= backlog) caughtUp();
          const line = lines[published];
          if (!line) {
            await pause(IDLE_POLL_MS);
            continue;
          }
          const due = line.at * 1000 + SEND_EVENT_DELAY_MS - Date.now();
          if (due > 0) {
            await pause(Math.min(due, SEND_EVENT_DELAY_MS));
            continue;
          }
          try {
            if (line.configurationSet) await deliver(sendEvent(line));
            failures = 0;
            published += 1;
            if (offsetFile) replaceFile(offsetFile, JSON.stringify(published));
          } catch (error) {
            failures += 1;
            log?.(`SES event for ${line.messageId} not delivered (${failures} in a row): ${error instanceof Error ? error.name : String(error)}`);
            await pause(Math.min(MAX_BACKOFF_MS, 200 * 2 ** failures));
          }
        }
        caughtUp();
      };
      const running = loop();
      const stop = async () => {
        stopped = true;
        wake?.();
        await running;
      };
      stopPublishing.push(stop);
      return { caughtUp: caughtUpPromise, stop };
    },
    async close() {
      for (const stop of stopPublishing) await stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      mailbox = undefined;
    },
  };
}

/** The Send event SES publishes through EventBridge for an e-mail (its `detail` as SES documents it). */
function sendEvent(line: MailboxLine): SesEvent {
  const timestamp = new Date(line.at * 1000).toISOString();
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Email Sent',
    source: 'aws.ses',
    account: '000000000000',
    time: timestamp,
    region: 'eu-central-1',
    resources: [],
    detail: {
      eventType: 'Send',
      mail: {
        timestamp,
        source: line.from,
        messageId: line.messageId,
        destination: [...line.destination.to, ...line.destination.cc, ...line.destination.bcc],
        headersTruncated: false,
        tags: line.tags ?? {},
      },
      send: {},
    },
  };
}

interface SendRequestBody {
  ConfigurationSetName?: string;
  EmailTags?: { Name?: unknown; Value?: unknown }[];
}

const isSend = (request: IncomingMessage) => request.method === 'POST' && (request.url ?? '').split('?')[0] === '/v2/email/outbound-emails';

/**
 * Puts this wrapper in front of aws-ses-v2-local's own request listener, which then sees only what passes:
 * the fault check (only the SES API's sends are refused; the mailbox view, GET /store, stays readable, as a
 * person's is), SES's own check of tag names and values, which the stand-in skips, and the e-mail's line in the
 * mailbox file, with its tags, written before the answer goes out. The wrapper reads a send's body itself and
 * hands it on parsed (Express's JSON parser leaves a body already read alone).
 */
function takeRequestsFirst(server: Server, fault: () => SesFault | undefined): void {
  const standIn = server.listeners('request') as ((...args: unknown[]) => void)[];
  server.removeAllListeners('request');
  const passOn = (request: IncomingMessage, response: ServerResponse) => {
    for (const listener of standIn) listener.call(server, request, response);
  };
  const refuse = (response: ServerResponse, statusCode: number, type: string, message: string) => {
    response.writeHead(statusCode, { 'content-type': 'application/json', 'x-amzn-errortype': type });
    response.end(JSON.stringify({ message }));
  };
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const refusal = request.method === 'POST' ? fault() : undefined;
    if (refusal) {
      request.resume();
      refuse(response, refusal.statusCode, refusal.type, `Injected fault: ${refusal.type}`);
      return;
    }
    if (!isSend(request)) {
      passOn(request, response);
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body: SendRequestBody;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SendRequestBody;
      } catch {
        refuse(response, 400, 'BadRequestException', 'The request body is not valid JSON');
        return;
      }
      const tags = body.EmailTags ?? [];
      const badTag = tags.find(
        (tag) => typeof tag.Name !== 'string' || !SES_TAG_VALUE.test(tag.Name) || typeof tag.Value !== 'string' || !SES_TAG_VALUE.test(tag.Value),
      );
      if (badTag) {
        refuse(
          response,
          400,
          'BadRequestException',
          `Invalid tag ${JSON.stringify(badTag)}: names and values may hold only ASCII letters, numbers, _ and -`,
        );
        return;
      }
      (request as IncomingMessage & { body?: unknown }).body = body;
      keepAcceptedEmail(response, body);
      passOn(request, response);
    });
  });
}

/** When the stand-in answers a send with its message id, the e-mail goes into the mailbox file first. */
function keepAcceptedEmail(response: ServerResponse, body: SendRequestBody): void {
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  response.end = ((...args: unknown[]) => {
    const [chunk] = args;
    let messageId: string | undefined;
    try {
      messageId = (JSON.parse(String(chunk)) as { MessageId?: string }).MessageId;
    } catch {
      messageId = undefined;
    }
    const email = messageId === undefined ? undefined : answering.get(messageId);
    if (email && response.statusCode === 200 && mailbox) {
      answering.delete(email.messageId);
      const tags: Record<string, string[]> = {};
      for (const tag of body.EmailTags ?? []) tags[String(tag.Name)] = [...(tags[String(tag.Name)] ?? []), String(tag.Value)];
      if (body.ConfigurationSetName) tags['ses:configuration-set'] = [body.ConfigurationSetName];
      const line: MailboxLine = { ...email, tags, ...(body.ConfigurationSetName ? { configurationSet: body.ConfigurationSetName } : {}) };
      if (mailbox.file) appendFileSync(mailbox.file, `${JSON.stringify(line)}\n`);
      mailbox.lines.push(line);
    }
    return end(...args);
  }) as typeof response.end;
}
