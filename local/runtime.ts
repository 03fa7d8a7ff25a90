import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { startApiServer } from './api-server';
import { COMPLAINTS_TABLE, startDynamoDb } from './dynamodb';
import { sharedInFlight } from './dynamodb-lanes';
import { countCallsToWorkflows } from './yield-to-api';
import type { WriteMeter } from './dynamodb-transactions';
import { localEventStream, type Outbox } from './outbox';
import { startSes, type SesFault } from './ses';
import { startS3 } from './s3';
import { DEMO_SHOPIFY_ORDERS, startShopifyAdminStandIn, type ShopifyAdminStandIn } from './shopify-admin';
import { LOCAL_WEBHOOK_SOURCES_FILE } from '../lambdas/adapters/webhook-sources-store';
import { LOCAL_STATE_MACHINE_ARN, LOCAL_WEBHOOK_DELIVERY_ARN, type StepFunctionsStandIn } from './stepfunctions-server';
import type { RunOptions } from './workflow-engine';
import { startStepFunctionsService } from './step-functions-service';
import { startStepFunctionsThread } from './stepfunctions-thread';
import { lockDataFolder } from './data-lock';
import { keepClockReading, restoredClockReading } from './product-clock-state';
import { clockFromEnvironment, type Clock } from '../lambdas/adapters/clock';
import { handlerOf } from './handlers';
import type { FunctionName } from '../lambdas/functions';
import { eventConsumers, type EventConsumer } from '../lambdas/event-consumers';
import { enforceFunctionPolicies } from './function-policies';

/** The configuration set the local product sends through, whose Send events the mailbox publishes. */
const LOCAL_CONFIGURATION_SET = 'reklamacje-local';
/** At most this long a start waits for the SES events of the last run's e-mails (see startRuntime). */
const SES_BACKLOG_WAIT_MS = 10_000;

/**
 * The key the local staff API seals its cursors with (lambdas/core/cursor-seal.ts). Fixed, so that a cursor
 * stays good across a restart, as it does across a Lambda's cold starts; it guards nothing (the demo staff
 * keys are in the repository too). In AWS the key is a generated secret (lib/stateful-stack.ts).
 */
export const LOCAL_CURSOR_KEY = 'local cursor key, not a secret: never deployed';

export { LOCAL_WEBHOOK_DELIVERY_ARN };

export interface RuntimeOptions {
  /** Where dynalite and the mailbox keep their data; in memory when absent. */
  dataDir?: string;
  /** 0 picks a free port. */
  ports?: { api?: number; dynamodb?: number; ses?: number; stepFunctions?: number; s3?: number };
  senderAddress?: string;
  companyName?: string;
  workflow?: RunOptions;
  /**
   * Runs Step Functions (the engine and the workflows' steps), the mailbox and the functions the API does not call
   * (event consumers, SES's event handler) on a thread of their own at a lower priority, as in AWS where they run
   * apart: requests are served first and the workflows catch up (see stepfunctions-thread.ts). `npm start` and the bench do. Faults a test injects into the steps
   * (`workflow.wrapTask`, `stepFunctionsFault`, `sesFault`, an interceptor on a client) need them on the test's thread.
   */
  workflowThread?: boolean;
  /** Runs the product's clock this many times faster than real time (e.g. 1440: a day a minute). */
  clockSpeed?: number;
  /**
   * What the product's clock shows when it starts (default: real time, or where a data folder's clock stopped).
   * A test that lives through whole complaints pins its calendar with it: a complaint filed before Christmas has
   * fewer working days to its deadline than one filed in June, so the same test would differ by season.
   */
  clockStartsAt?: Date;
  /** Fault injection for tests: see startStepFunctionsStandIn. */
  stepFunctionsFault?: (operation: string) => { type: string; statusCode: number } | undefined;
  /** Fault injection for tests: an SES outage or throttling, answered instead of sending (see startSes). */
  sesFault?: () => SesFault | undefined;
  log?: (line: string) => void;
  /** Complaints one client may file per 15 minutes through the public form (INTAKE_LIMIT_PER_CLIENT; default 20). */
  intakeLimitPerClient?: number;
  /** Told of the write units of every DynamoDB write (the bench counts them; each write then costs two reads). */
  writeMeter?: WriteMeter;
}

export interface Runtime {
  urls: { api: string; mailbox: string; dynamodb: string; stepFunctions: string; shopifyAdmin: string; s3: string };
  stepFunctions: StepFunctionsStandIn;
  /** The Shopify shops' Admin API (local/shopify-admin.ts), serving the demo orders. */
  shopifyAdmin: ShopifyAdminStandIn;
  /** The product's clock (faster than real time with clockSpeed). */
  clock: Clock;
  outbox: Outbox;
  /** Resolves when every complaint taken in so far has run its workflow as far as it can go now. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the whole product on this machine: the stand-ins, the outbox, and the HTTP API. The handlers read
 * their configuration from the environment at first load, exactly as in Lambda, so it is set here first.
 */
export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  // The local product runs on this machine's Node (20 is supported, package.json "engines"), the functions on
  // Lambda's (lib/bundling.ts). The SDK's notice that its releases after the first week of January 2027 need
  // Node 22 concerns upgrading the lockfile, which the README says; printed by each thread at every start, it
  // read as a fault of this run. Set before the first client is built, and inherited by the worker threads.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (options.workflowThread && (options.workflow?.wrapTask || options.stepFunctionsFault || options.sesFault)) {
    throw new Error(
      'Faults injected into the workflows or the mailbox (workflow.wrapTask, stepFunctionsFault, sesFault) need them on this thread: leave workflowThread off',
    );
  }
  const ports = options.ports ?? {};
  options = { log: (line) => process.stderr.write(`[local] ${line}\n`), ...options };
  // What has started so far, stopped in reverse order when a later part fails to start (a busy port, say),
  // so that a failed start leaves nothing running.
  const started: (() => Promise<void> | void)[] = [];
  const stopStarted = async () => {
    for (const stop of started.reverse()) await stop();
  };
  try {
    if (options.dataDir) {
      mkdirSync(options.dataDir, { recursive: true });
      const lock = lockDataFolder(options.dataDir);
      started.push(() => lock.release());
    }
    // The table's stream, the pipe and the event bus of AWS, locally: see local/outbox.ts.
    // The functions behind the API (the event consumers, SES's event handler) run where the workflows' steps do.
    let invoke: (name: FunctionName, event: unknown) => Promise<unknown> = (name, event) => handlerOf(name)(event);
    const events = localEventStream(options.dataDir, {
      deliver: (consumer, event) => invoke((eventConsumers as Record<string, EventConsumer>)[consumer]!.function, event),
    });
    // The API's requests in flight: while there are any, the workflows' table work waits (local/dynamodb-lanes.ts).
    const apiInFlight = sharedInFlight();
    const dynamodb = await startDynamoDb({
      apiInFlight,
      port: ports.dynamodb ?? 0,
      path: options.dataDir && path.join(options.dataDir, 'dynamodb'),
      events: events.table,
      meter: options.writeMeter,
    });
    started.push(() => dynamodb.close());
    // Known before anything starts, so that the handlers read their links from the environment at first load.
    const reserved = ports.api ? undefined : await reservePort();
    if (reserved) started.push(() => reserved.release());
    const apiPort = ports.api || reserved!.port;
    // The attachments bucket; browsers upload to it from the pages the API serves (CORS allows that origin only).
    // Started before the product clock's origin is read: s3rver takes a moment to load, and at a fast clock
    // speed that moment would be product days gone before the first request.
    const s3 = await startS3({
      port: ports.s3 ?? 0,
      dataDir: options.dataDir,
      allowedOrigin: `http://127.0.0.1:${apiPort}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      region: 'eu-central-1',
    });
    started.push(() => s3.close());
    const realNow = Date.now();
    const clockEnvironment = {
      LOCAL_CLOCK_SPEED: String(options.clockSpeed ?? 1),
      LOCAL_CLOCK_ORIGIN: String(realNow),
      LOCAL_CLOCK_SHOWS: String(options.clockStartsAt?.getTime() ?? restoredClockReading(options.dataDir, realNow)),
    };
    // With the workflows on a thread of their own, the mailbox is there too (stepfunctions-thread-worker.ts).
    const ses = options.workflowThread ? undefined : await startSes({ port: ports.ses ?? 0, dataDir: options.dataDir, fault: options.sesFault });
    if (ses) started.push(() => ses.close());
    const clock = clockFromEnvironment(clockEnvironment);
    const clockReading = keepClockReading(options.dataDir, () => clock.now());
    started.push(() => clockReading.stop());
    const stateMachines = { workflow: LOCAL_STATE_MACHINE_ARN, deliveries: LOCAL_WEBHOOK_DELIVERY_ARN };
    const stepFunctionsThread = options.workflowThread
      ? await startStepFunctionsThread({
          port: ports.stepFunctions ?? 0,
          // Its table work waits while the API's is in flight, as its CPU does (local/dynamodb-lanes.ts).
          dynamodbUrl: dynamodb.backgroundUrl,
          clockEnvironment,
          dataDir: options.dataDir,
          retryIntervalMs: options.workflow?.retryIntervalMs,
          stateMachines,
          mailboxPort: ports.ses ?? 0,
          // It steps aside while the API has a request in flight, unless the API waits on it (yield-to-api.ts).
          apiInFlight,
          log: options.log,
        })
      : undefined;
    const mailboxUrl = ses?.url ?? stepFunctionsThread!.mailboxUrl;
    if (stepFunctionsThread) {
      invoke = (name, event) => stepFunctionsThread.invoke(name, event);
      started.push(countCallsToWorkflows(apiInFlight));
    }
    const stepFunctions: StepFunctionsStandIn =
      stepFunctionsThread ??
      (await startStepFunctionsService({
        port: ports.stepFunctions ?? 0,
        dynamo: dynamodb.client,
        clock,
        dataDir: options.dataDir,
        runOptions: options.workflow,
        fault: options.stepFunctionsFault,
        log: options.log,
      }));
    started.push(() => stepFunctions.close());
    const shopifyAdmin = await startShopifyAdminStandIn({ accessTokens: localShopifyTokens(), orders: DEMO_SHOPIFY_ORDERS });
    started.push(() => shopifyAdmin.close());

    Object.assign(process.env, {
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
      AWS_ENDPOINT_URL_SESV2: mailboxUrl,
      // As in AWS (lib/app-stack.ts): the mailbox publishes the Send events of e-mails sent through it (ses.ts).
      SES_CONFIGURATION_SET: LOCAL_CONFIGURATION_SET,
      AWS_ENDPOINT_URL_SFN: stepFunctions.url,
      AWS_ENDPOINT_URL_S3: s3.url,
      ATTACHMENTS_BUCKET: s3.bucket,
      SHOPIFY_ADMIN_ENDPOINT_URL: shopifyAdmin.url,
      TABLE_NAME: COMPLAINTS_TABLE,
      STATE_MACHINE_ARN: LOCAL_STATE_MACHINE_ARN,
      SENDER_ADDRESS: options.senderAddress ?? 'reklamacje@sklep.example',
      COMPANY_NAME: options.companyName ?? 'Sklep Przykładowy sp. z o.o.',
      // E-mails link to the customer's pages, which the local API serves (static-site.ts).
      PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
      CURSOR_KEY: LOCAL_CURSOR_KEY,
      // What CloudFront sends the API to prove a request came through it (lib/web.ts); the API server adds it.
      ORIGIN_VERIFY: 'local origin header, not a secret: never deployed',
      ...(options.intakeLimitPerClient !== undefined ? { INTAKE_LIMIT_PER_CLIENT: String(options.intakeLimitPerClient) } : {}),
      WEBHOOK_DELIVERY_STATE_MACHINE_ARN: LOCAL_WEBHOOK_DELIVERY_ARN,
      // Subscribers on this machine (http://127.0.0.1:…) are allowed here only: see lambdas/core/subscriber-address.ts.
      OUTBOUND_WEBHOOKS_ALLOW_LOOPBACK: 'true',
      ...clockEnvironment,
    });

    await stepFunctionsThread?.useEnvironment({ ...process.env, AWS_ENDPOINT_URL_DYNAMODB: dynamodb.backgroundUrl });
    // Each handler's AWS calls are checked against its function's role, as IAM checks them in AWS (function-policies.ts).
    started.push(enforceFunctionPolicies(stateMachines, options.log));

    // SES's events (the configuration set's EventBridge destination and rule, lib/email.ts) reach recordDelivery.
    // Those of e-mails accepted before a kill are handled before the workflows run again, as in AWS, where SES
    // publishes them while the step that sent the e-mail is down (bounded, so that a failing handler cannot
    // hold the start up: the steps then wait for the evidence themselves, send-once.ts).
    let sesCaughtUp: Promise<void>;
    if (ses) {
      const sesEvents = ses.publishEvents((event) => invoke('recordDelivery', event), options.log);
      started.push(() => sesEvents.stop());
      sesCaughtUp = sesEvents.caughtUp;
    } else {
      sesCaughtUp = stepFunctionsThread!.publishMailboxEvents();
      sesCaughtUp.catch((error: unknown) => options.log?.(`the mailbox's SES events stopped: ${String(error)}`));
    }
    await Promise.race([sesCaughtUp, new Promise((resolve) => setTimeout(resolve, SES_BACKLOG_WAIT_MS).unref())]);
    const resumed = await stepFunctions.resumeRunning();
    if (resumed > 0) options.log?.(`resumed ${resumed} workflow(s) left running by the last run`);
    const outbox = events.start(options.log);
    started.push(() => outbox.stop());
    await reserved?.release();
    const api = await startApiServer({ port: apiPort, inFlight: apiInFlight });
    started.push(() => api.close());

    return {
      urls: {
        api: api.url,
        mailbox: mailboxUrl,
        dynamodb: dynamodb.url,
        stepFunctions: stepFunctions.url,
        shopifyAdmin: shopifyAdmin.url,
        s3: s3.url,
      },
      stepFunctions,
      shopifyAdmin,
      clock,
      outbox,
      async settled() {
        await outbox.drain();
        await stepFunctions.settled();
      },
      // The API first (no new work), then the outbox, the workflows, the clock, the mailbox and the database.
      stop: stopStarted,
    };
  } catch (error) {
    await stopStarted();
    throw error;
  }
}

/** The Admin API tokens of the Shopify sources in config/webhooks.local.json, which the stand-in accepts. */
function localShopifyTokens(): string[] {
  const { sources } = JSON.parse(readFileSync(LOCAL_WEBHOOK_SOURCES_FILE, 'utf8')) as {
    sources: Record<string, { adminApi?: { accessToken?: string } }>;
  };
  return Object.values(sources).flatMap((source) => (source.adminApi?.accessToken ? [source.adminApi.accessToken] : []));
}

/**
 * A free port, held by a listening socket until `release`: the API starts on it once everything behind it has
 * (its address goes into the environment first). Held, because a port only probed was at times taken in
 * between, by another test's server or an outgoing connection's ephemeral port (EADDRINUSE at the API's start).
 */
function reservePort(): Promise<{ port: number; release(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const holder = createServer();
    holder.once('error', reject);
    holder.listen(0, '127.0.0.1', () => {
      let released: Promise<void> | undefined;
      resolve({
        port: (holder.address() as { port: number }).port,
        release: () => (released ??= new Promise<void>((done) => holder.close(() => done()))),
      });
    });
  });
}
