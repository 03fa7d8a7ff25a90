import { startRuntime } from '../local/runtime';
import { COMPLAINTS_TABLE } from '../local/dynamodb';
import type { MeteredWrite } from '../local/dynamodb-transactions';
import { stateTransitions } from '../local/asl/history';
import { validComplaint } from '../test/support/local-product';
import { asStaff, demoStaff } from '../test/support/staff-event';

// Per complaint life: state transitions, counted from the execution history exactly as AWS bills them (one
// per state entered), and DynamoDB write units on the complaints table, counted from item sizes by the local
// DynamoDB worker (table and indexes, doubled in transactions). Run by `npm run bench` in a process of its
// own, because the product clock runs 100,000 times faster here (a 14-day life in about 12 s); the two lives
// run one after the other so the units are each one's own. Prints one JSON line.

const SPEED = 100_000;

/** `BENCH_WRITES=1` prints every metered write to stderr: which item, its size, its units, table and each index. */
const breakdown = process.env.BENCH_WRITES === '1';

function printBreakdown(life: string, writes: { table: number; index: number; write: MeteredWrite }[]) {
  const lines = writes.map(({ table, index, write }) => {
    const item = String(write.key.SK ? Object.values(write.key.SK)[0] : '');
    const indexes = Object.entries(write.byIndex)
      .map(([name, units]) => `${name} ${units}`)
      .join(', ');
    const size = `${write.bytes.before} → ${write.bytes.after} B`;
    return `  ${item.padEnd(28)} ${size.padEnd(16)} ${write.transactional ? 'tx ' : '   '} table ${table}  indexes ${index}${indexes ? ` (${indexes})` : ''}`;
  });
  console.error(`${life}:\n${lines.join('\n')}`);
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main(): Promise<void> {
  const units = { table: 0, index: 0 };
  const writes: { table: number; index: number; write: MeteredWrite }[] = [];
  const runtime = await startRuntime({
    clockSpeed: SPEED,
    intakeLimitPerClient: 100_000, // every complaint comes from 127.0.0.1
    log: () => undefined,
    writeMeter: (table, consumed, write) => {
      if (table !== COMPLAINTS_TABLE) return;
      units.table += consumed.table;
      units.index += consumed.index;
      writes.push({ ...consumed, write });
    },
  });
  const take = (life?: string) => {
    const taken = { ...units, total: units.table + units.index };
    if (life && breakdown) printBreakdown(life, writes);
    units.table = 0;
    units.index = 0;
    writes.length = 0;
    return taken;
  };
  const supervisor = demoStaff((staff) => staff.role === 'supervisor');
  const file = async () => {
    const response = await fetch(`${runtime.urls.api}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validComplaint),
    });
    return ((await response.json()) as { id: string }).id;
  };
  const read = async (id: string) => (await asStaff(supervisor, 'GET', '/admin/complaints/{id}', { pathParameters: { id } })).body;
  const finished = (id: string) =>
    until(async () => {
      const status = (await runtime.stepFunctions.execution(id))?.status;
      return status !== undefined && status !== 'RUNNING' ? true : undefined;
    });

  // Happy path: acknowledged, assigned, three reminders, then answered (decision sent) and closed.
  take();
  const answered = await file();
  const reminded = await until(async () => {
    const stored = await read(answered);
    return stored.reminders?.['1'] ? stored : undefined;
  });
  await asStaff(supervisor, 'POST', '/admin/complaints/{id}/decision', {
    pathParameters: { id: answered },
    body: { outcome: 'accepted', remedy: 'replacement', version: reminded.version },
  });
  await finished(answered);
  const happyUnits = take('answered after 3 reminders');
  // Never answered: three reminders, then deemed accepted.
  const noAnswer = await file();
  await finished(noAnswer);
  const silentUnits = take('never answered');
  const happy = stateTransitions(await runtime.stepFunctions.history(answered));
  const silent = stateTransitions(await runtime.stepFunctions.history(noAnswer));
  await runtime.stop();
  console.log(JSON.stringify({ happy, noAnswer: silent, happyUnits, silentUnits }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
