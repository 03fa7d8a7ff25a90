import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Complaint, ComplaintReceipt } from '../../lambdas/core/complaint';
import type { Runtime } from '../../local/runtime';
import { startLocalProduct, validComplaint } from '../support/local-product';

// The staff CLI as a person runs it: `node bin/complaints.cjs …` in a child process, signing with the demo
// keys of config/staff.local.json, against the whole product started in this process.

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin/complaints.cjs');
const workDir = mkdtempSync(path.join(tmpdir(), 'reklamacje-cli-'));
let runtime: Runtime;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking this process, which serves the API the CLI calls. */
function complaints(as: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.COMPLAINTS_API_URL;
    delete env.COMPLAINTS_STAFF;
    const child = spawn(process.execPath, [bin, ...args, '--api', runtime.urls.api, '--as', as], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function json<T>(run: Promise<Run>): Promise<T> {
  const { code, stdout, stderr } = await run;
  if (code !== 0) throw new Error(`complaints exited with ${code}:\n${stderr}`);
  return JSON.parse(stdout) as T;
}

/** A date in Europe/Warsaw some days ago: the day a letter arrived (it may not lie in the future). */
function warsawDateDaysAgo(days: number): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Warsaw' }).format(new Date(Date.now() - days * 86_400_000));
}

// Each step spawns a CLI process (tsx compiles on first run) and some wait for the workflow.
jest.setTimeout(60_000);

const SUPERVISOR = 'marek.supervisor';
const RETURNS_AGENT = 'jan.returns';
const SERVICE_AGENT = 'olga.service';

beforeAll(async () => {
  runtime = await startLocalProduct();
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

describe('the staff CLI, end to end', () => {
  let receipt: ComplaintReceipt;
  const receivedOn = warsawDateDaysAgo(2);

  const show = (as = SUPERVISOR) => json<Complaint>(complaints(as, 'show', receipt.id, '--json'));

  it('registers a letter complaint as a supervisor, from a file with flags on top', async () => {
    const file = path.join(workDir, 'letter.json');
    writeFileSync(file, JSON.stringify({ ...validComplaint, channel: 'phone' }));
    receipt = await json<ComplaintReceipt>(
      complaints(SUPERVISOR, 'register', '--file', file, '--channel', 'letter', '--received-at', receivedOn, '--json'),
    );
    expect(receipt).toEqual({
      id: expect.any(String),
      reference: expect.stringMatching(/^RK-[0-9A-Z]{5}-[0-9A-Z]{5}$/),
      status: 'received',
      receivedAt: expect.any(String),
      responseDueBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });

    await runtime.settled();
    const complaint = await show();
    expect(complaint).toMatchObject({ channel: 'letter', receivedOn, reference: receipt.reference, customer: validComplaint.customer });
    // The workflow acknowledged it and routed the replacement to returns.
    expect(complaint.acknowledgement).toBeDefined();
    expect(complaint.assignment?.departmentId).toBe('returns');
    expect(complaint.history.map(({ action, actor }) => [action, actor])).toEqual(
      expect.arrayContaining([
        [expect.any(String), SUPERVISOR],
        ['acknowledgement_sent', 'workflow'],
        ['department_assigned', 'workflow'],
      ]),
    );
  });

  it("lists the department's complaints as a table", async () => {
    const { code, stdout, stderr } = await complaints(RETURNS_AGENT, 'list', '--department', 'returns');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trim().split('\n');
    expect(header).toMatch(/^ID\s+REFERENCE\s+STATUS\s+DEPARTMENT\s+DUE BY\s+RECEIVED$/);
    const row = rows.find((line) => line.includes(receipt.reference));
    expect(row?.split(/\s{2,}/).slice(0, 5)).toEqual([receipt.id, receipt.reference, 'assigned', 'returns', receipt.responseDueBy]);
  });

  it('lists the most urgent complaints as JSON', async () => {
    const page = await json<{ complaints: Complaint[] }>(complaints(SUPERVISOR, 'list', '--sort', 'urgent', '--due-within', '30', '--json'));
    expect(page.complaints.map(({ id }) => id)).toContain(receipt.id);
  });

  it('finds a complaint by the reference the customer quotes', async () => {
    const page = await json<{ complaints: Complaint[] }>(complaints(SUPERVISOR, 'list', '--reference', receipt.reference.toLowerCase(), '--json'));
    expect(page.complaints.map(({ id }) => id)).toEqual([receipt.id]);
  });

  it('shows the complaint with its fields and its history as a timeline', async () => {
    const { code, stdout } = await complaints(RETURNS_AGENT, 'show', receipt.reference);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Reference\\s+${receipt.reference}$`, 'm'));
    expect(stdout).toMatch(/^Status\s+assigned$/m);
    expect(stdout).toMatch(/^Department\s+returns /m);
    const history = stdout.split('\nHistory\n')[1];
    expect(history).toMatch(/^ {2}\d{4}-\d{2}-\d{2} \d{2}:\d{2} {2}acknowledgement sent {2}by workflow$/m);
    expect(history).toMatch(/^ {2}\d{4}-\d{2}-\d{2} \d{2}:\d{2} {2}department assigned {2}by workflow$/m);
  });

  it('reassigns it to another department, one version on, with a history entry', async () => {
    const before = await show();
    const after = await json<Complaint>(
      complaints(SUPERVISOR, 'assign', receipt.id, '--department', 'service', '--version', String(before.version), '--json'),
    );
    expect(after.version).toBe(before.version + 1);
    expect(after.assignment).toMatchObject({ departmentId: 'service', assignedBy: SUPERVISOR });
    expect(after.history.at(-1)).toMatchObject({
      actor: SUPERVISOR,
      action: 'department_assigned',
      before: { departmentId: 'returns' },
      after: { departmentId: 'service' },
    });
    await runtime.settled();
  });

  it("refuses an agent another department's list: exit 1, forbidden", async () => {
    const { code, stdout, stderr } = await complaints(RETURNS_AGENT, 'list', '--department', 'service', '--sort', 'urgent', '--due-within', '30');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Error: HTTP 403 Forbidden/);
  });

  it("hides another department's complaint from an agent: a note is refused with 404 and changes nothing", async () => {
    const { code, stdout, stderr } = await complaints(RETURNS_AGENT, 'note', receipt.id, '--text', 'Not my complaint any more.');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Error: HTTP 404 Not Found/);
    expect((await show()).history.some((entry) => entry.action === 'note_added')).toBe(false);
  });

  it('refuses an agent a reassignment, which is for supervisors: exit 1, forbidden', async () => {
    const current = await show(SERVICE_AGENT);
    const { code, stderr } = await complaints(SERVICE_AGENT, 'assign', receipt.id, '--department', 'returns', '--version', String(current.version));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Error: HTTP 403 Forbidden/);
    expect((await show(SERVICE_AGENT)).version).toBe(current.version);
  });

  it("adds a note as the new department's agent", async () => {
    const before = await show(SERVICE_AGENT);
    const { code, stdout } = await complaints(SERVICE_AGENT, 'note', receipt.id, '--text', 'Called the customer: photos on the way.');
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(`Note added to ${receipt.reference} (now version ${before.version + 1}).`);
    const after = await show(SERVICE_AGENT);
    expect(after.history.at(-1)).toMatchObject({
      actor: SERVICE_AGENT,
      action: 'note_added',
      after: { text: 'Called the customer: photos on the way.' },
    });
  });

  it('refuses a decision made on a stale version: exit 1, 409, nothing decided', async () => {
    const current = await show(SERVICE_AGENT);
    const { code, stderr } = await complaints(
      SERVICE_AGENT,
      'decide',
      receipt.id,
      '--outcome',
      'accepted',
      '--remedy',
      'replacement',
      '--version',
      String(current.version - 1),
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/HTTP 409 Conflict/);
    expect((await show(SERVICE_AGENT)).decision).toBeUndefined();
  });

  it('records an accepted decision with its remedy, and the workflow sends it to the customer', async () => {
    const current = await show(SERVICE_AGENT);
    const { code, stdout, stderr } = await complaints(
      SERVICE_AGENT,
      'decide',
      receipt.id,
      '--outcome',
      'accepted',
      '--remedy',
      'replacement',
      '--signer-name',
      'Olga Kamińska',
      '--version',
      String(current.version),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(
      `Decision on ${receipt.reference} recorded: accepted (replacement); the workflow sends it to the customer (now version ${current.version + 1}).`,
    );

    await runtime.settled();
    const decided = await show(SERVICE_AGENT);
    expect(decided.decision).toMatchObject({ outcome: 'accepted', remedy: 'replacement', signerName: 'Olga Kamińska', decidedBy: SERVICE_AGENT });
    expect(decided.decisionSent).toBeDefined();
    expect(decided.history.map(({ action }) => action)).toEqual(expect.arrayContaining(['decision_recorded', 'note_added', 'department_assigned']));
    expect(decided.history.find((entry) => entry.action === 'decision_recorded')).toMatchObject({
      actor: SERVICE_AGENT,
      after: { outcome: 'accepted', remedy: 'replacement' },
    });
  });

  it('explains a wrong command line with the usage and exit 2, without calling the API', async () => {
    const { code, stdout, stderr } = await complaints(SUPERVISOR, 'assign', receipt.id, '--department', 'service');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('assign needs --version');
    expect(stderr).toContain('Usage: complaints assign <id> --department ID --version N');
  });
});
