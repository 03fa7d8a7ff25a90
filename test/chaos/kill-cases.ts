import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePorts, npmStart, stopProduct, type Ports, type StartedProduct } from '../support/npm-start';
import type { CaseResult } from './chaos-report';
import { everyoneAcknowledged, fileConcurrently, judgeAcknowledgements, judgeIntake, orderNumberOf, type IntakeOutcome } from './intake-clients';
import { acknowledgementsByReference, mailboxEmails, mailboxFile, sleep, storedComplaints, waitFor, type StoredComplaint } from './product-state';

/** Every chaos client files from 127.0.0.1: the public form's per-client limit (20 per 15 minutes) is raised. */
const MANY_CLIENTS_ON_ONE_ADDRESS = { INTAKE_LIMIT_PER_CLIENT: '100000' };

// `npm start` killed (SIGKILL, the whole process group: nothing gets to clean up) while complaints come in and
// while their acknowledgements go out, then started again on the same data folder.

export interface KillCaseOptions {
  /** Clients filing at once, and complaints each files one after another. */
  clients: number;
  perClient: number;
}

/** How long a case may take before it counts what it has (the suite is bounded). */
const CASE_TIMEOUT_MS = 90_000;
/** After the last expected acknowledgement, how long a late second one still has to show up. */
const DUPLICATE_GRACE_MS = 1_000;

class KilledProduct {
  /** How many e-mails the mailbox file held when the product was killed. */
  emailsBeforeKill?: number;

  private constructor(
    readonly dataDir: string,
    readonly ports: Ports,
    public current: StartedProduct,
  ) {}

  static async start(): Promise<KilledProduct> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'reklamacje-chaos-'));
    const ports = await freePorts();
    return new KilledProduct(dataDir, ports, await npmStart({ dataDir, ports, env: MANY_CLIENTS_ON_ONE_ADDRESS }));
  }

  get urls() {
    return { api: this.current.api, mailbox: this.current.mailbox, dynamodb: `http://127.0.0.1:${this.ports.DYNAMODB_PORT}` };
  }

  /** SIGKILL to every process of `npm start`, then `npm start` again on the same folder and ports. */
  async killAndRestart(): Promise<void> {
    this.current.signal('SIGKILL');
    await this.current.gone();
    this.emailsBeforeKill = mailboxFile(this.dataDir).length;
    this.current = await npmStart({ dataDir: this.dataDir, ports: this.ports, env: MANY_CLIENTS_ON_ONE_ADDRESS });
  }

  /** Waits for one acknowledgement each, stops the product, and judges the mailbox as it is on disk. */
  async acknowledgementsOf(complaints: StoredComplaint[]) {
    const { mailbox } = this.urls;
    const arrived = await waitFor(async () => everyoneAcknowledged(complaints, await mailboxEmails(mailbox)), 60_000, 250);
    await sleep(DUPLICATE_GRACE_MS);
    await stopProduct(this.current);
    const kill = this.emailsBeforeKill === undefined ? undefined : { emailsBefore: this.emailsBeforeKill };
    const verdict = judgeAcknowledgements(complaints, mailboxFile(this.dataDir), kill);
    if (!arrived) verdict.failures.unshift('not every complaint was acknowledged within 60 s of the restart');
    return verdict;
  }

  async discard(): Promise<void> {
    if (this.current.child.exitCode === null) {
      this.current.signal('SIGKILL');
      await this.current.gone().catch(() => undefined);
    }
    if (process.env.CHAOS_KEEP_DATA) console.log(`kept ${this.dataDir}`);
    else rmSync(this.dataDir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }
}

const ownComplaints = async (dynamodb: string, prefix: string) =>
  (await storedComplaints(dynamodb)).filter((complaint) => complaint.orderNumber?.startsWith(orderNumberOf(`${prefix}-`)));

/**
 * `clients` customers file complaints; when a third of them have been answered, the product is killed and
 * started again while the rest keep retrying. Then: every answered complaint stored once, each acknowledged once.
 */
export async function killDuringIntake(options: KillCaseOptions): Promise<CaseResult> {
  const name = `SIGKILL during intake (${options.clients} clients)`;
  const product = await KilledProduct.start();
  try {
    const prefix = `kill-intake-${Date.now().toString(36)}`;
    const total = options.clients * options.perClient;
    let answered = 0;
    let restarted: Promise<void> | undefined;
    const outcomes = await fileConcurrently(() => product.current.api, {
      prefix,
      clients: options.clients,
      perClient: options.perClient,
      deadline: Date.now() + CASE_TIMEOUT_MS,
      onAnswer: () => {
        answered += 1;
        if (answered !== Math.ceil(total / 3)) return;
        restarted = product.killAndRestart();
        restarted.catch(() => undefined); // awaited below, once the clients are done
      },
    });
    const failures: string[] = [];
    if (!restarted) failures.push('the product was never killed: too few answers');
    await restarted;
    const stored = await ownComplaints(product.urls.dynamodb, prefix);
    const intake = judgeIntake(outcomes, stored);
    const acknowledgements = await product.acknowledgementsOf(stored);
    return {
      name,
      tried: total,
      lost: intake.lost,
      duplicated: intake.duplicated,
      serverErrors: intake.serverErrors,
      acknowledged: acknowledgements.acknowledged,
      failures: [...failures, ...intake.failures, ...acknowledgements.failures],
      notes: restarted ? [`killed after ${Math.ceil(total / 3)} of ${total} answers; ${stored.length} stored`] : [],
    };
  } finally {
    await product.discard();
  }
}

/**
 * Complaints are filed and answered; while their acknowledgements go out the product is killed and started
 * again, and every client sends its complaint once more with the same key (a client that missed the answer).
 * Then: the same answers, nothing stored twice, exactly one acknowledgement each.
 */
export async function killDuringAcknowledgement(options: KillCaseOptions): Promise<CaseResult> {
  const name = `SIGKILL during acknowledgement (${options.clients} clients)`;
  const product = await KilledProduct.start();
  try {
    const prefix = `kill-ack-${Date.now().toString(36)}`;
    const total = options.clients * options.perClient;
    const deadline = Date.now() + CASE_TIMEOUT_MS;
    const file = () => fileConcurrently(() => product.current.api, { prefix, clients: options.clients, perClient: options.perClient, deadline });
    const first = await file();
    const references = new Set(first.flatMap((outcome) => (outcome.final ? [outcome.final.reference] : [])));
    const acknowledgedSoFar = async () =>
      [...acknowledgementsByReference(await mailboxEmails(product.urls.mailbox)).keys()].filter((reference) => references.has(reference)).length;
    // Kill once a third has gone out: some acknowledged, some being sent, some not yet started.
    let acknowledgedAtKill = 0;
    await waitFor(async () => (acknowledgedAtKill = await acknowledgedSoFar()) >= Math.max(1, Math.floor(total / 3)), 60_000, 20);
    await product.killAndRestart();
    const failures: string[] = [];
    if (acknowledgedAtKill >= total) failures.push('the kill came after every acknowledgement had gone out: the case did not test what it says');
    const again = await file();
    const outcomes: IntakeOutcome[] = first.map((outcome) => {
      const retry = again.find((other) => other.key === outcome.key);
      return {
        ...outcome,
        answers: [...outcome.answers, ...(retry?.answers ?? [])],
        final: retry?.final ?? outcome.final,
        serverErrors: outcome.serverErrors + (retry?.serverErrors ?? 0),
        conflicts: outcome.conflicts + (retry?.conflicts ?? 0),
        conflictsWithoutRetryAfter: outcome.conflictsWithoutRetryAfter + (retry?.conflictsWithoutRetryAfter ?? 0),
        unexpected: [...outcome.unexpected, ...(retry?.unexpected ?? [])],
      };
    });
    const stored = await ownComplaints(product.urls.dynamodb, prefix);
    const intake = judgeIntake(outcomes, stored);
    const replayed = again.filter((outcome) => outcome.final?.replayed).length;
    if (replayed !== again.length) failures.push(`${again.length - replayed} retries after the restart were not answered as replays`);
    const acknowledgements = await product.acknowledgementsOf(stored);
    return {
      name,
      tried: total,
      lost: intake.lost,
      duplicated: intake.duplicated,
      serverErrors: intake.serverErrors,
      acknowledged: acknowledgements.acknowledged,
      failures: [...failures, ...intake.failures, ...acknowledgements.failures],
      notes: [`killed with ${acknowledgedAtKill} of ${total} acknowledged`],
    };
  } finally {
    await product.discard();
  }
}
