import { startRuntime } from '../local/runtime';
import { stateTransitions } from '../local/asl/history';
import { validComplaint } from '../test/support/local-product';
import { asStaff, demoStaff } from '../test/support/staff-event';

// State transitions per complaint life, counted from the execution history exactly as AWS bills them (one
// per state entered). Run by `npm run bench` in a process of its own, because the product clock runs
// 100,000 times faster here (a 14-day life in about 12 s). Prints one JSON line.

const SPEED = 100_000;

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
  const runtime = await startRuntime({ clockSpeed: SPEED, log: () => undefined });
  const supervisor = demoStaff((staff) => staff.role === 'supervisor');
  const file = async () => {
    const response = await fetch(`${runtime.urls.api}/complaints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(validComplaint) });
    return ((await response.json()) as { id: string }).id;
  };
  const read = async (id: string) => (await asStaff(supervisor, 'GET', '/admin/complaints/{id}', { pathParameters: { id } })).body;
  const finished = (id: string) => until(async () => ((await runtime.stepFunctions.execution(id))?.status !== 'RUNNING' ? true : undefined));

  // Happy path: acknowledged, assigned, three reminders, then answered (decision sent) and closed.
  const answered = await file();
  const noAnswer = await file();
  const reminded = await until(async () => {
    const stored = await read(answered);
    return stored.reminders?.['1'] ? stored : undefined;
  });
  await asStaff(supervisor, 'POST', '/admin/complaints/{id}/decision', {
    pathParameters: { id: answered },
    body: { outcome: 'accepted', remedy: 'replacement', version: reminded.version },
  });
  await finished(answered);
  await finished(noAnswer);
  const happy = stateTransitions(await runtime.stepFunctions.history(answered));
  const silent = stateTransitions(await runtime.stepFunctions.history(noAnswer));
  await runtime.stop();
  console.log(JSON.stringify({ happy, noAnswer: silent }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
