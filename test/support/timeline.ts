import type { Runtime } from '../../local/runtime';
import { mailbox, postComplaint, startLocalProduct, validComplaint, type SentEmail } from './local-product';
import { asStaff, demoStaff } from './staff-event';
import { warsawCalendarDate } from '../../lambdas/core/calendar/polish-calendar';
import { until as waitUntil } from './until';

// Whole complaint lives, 14 to 60 days long, in seconds: the local runtime's product clock runs many times
// faster than real time (LOCAL_CLOCK_SPEED), and the workflow (the real ASL, through the local Step
// Functions stand-in) waits for its timers on that clock. Nothing sleeps for a fixed time; each test polls
// for the state it expects. One runtime per test file: handler modules keep their clients for the process.

/**
 * Where the product's clock starts: 1 June 2027. A file lives through months of product time (at 300,000x, a
 * day is 0.3 s), and June to mid-October 2027 has no public holiday on a working day (15 August is a Sunday).
 * From real time the same test would cross Christmas in December: a complaint filed before it has fewer
 * working days to its deadline, so one reminder less to wait for.
 */
const SUMMER_WITHOUT_HOLIDAYS = new Date('2027-06-01T06:00:00Z');

export function timelineHarness(speed: number) {
  let runtime!: Runtime;
  beforeAll(async () => {
    runtime = await startLocalProduct({ clockSpeed: speed, clockStartsAt: SUMMER_WITHOUT_HOLIDAYS });
  });
  afterAll(async () => {
    await runtime.stop();
  });

  const supervisor = () => demoStaff((staff) => staff.role === 'supervisor');

  // At these clock speeds a product day is about a second: look often, and give up before the test's own timeout.
  const until = <T>(what: string, probe: () => Promise<T | undefined | false>) => waitUntil(what, probe, 25_000, 10);

  return {
    runtime: () => runtime,
    supervisor,
    until,
    /** Today on the product's clock, which by now is weeks ahead of the wall clock. */
    today: () => warsawCalendarDate(runtime.clock.now()),
    async complaint(id: string) {
      const response = await asStaff(supervisor(), 'GET', '/admin/complaints/{id}', { pathParameters: { id } });
      expect(response.statusCode).toBe(200);
      return response.body;
    },
    finished: (id: string) =>
      until(`the workflow of ${id} to finish`, async () => {
        const execution = await runtime.stepFunctions.execution(id);
        return execution && execution.status !== 'RUNNING' ? execution : undefined;
      }),
    async emailsAbout(reference: string): Promise<SentEmail[]> {
      return (await mailbox(runtime)).filter((email) => email.subject.includes(reference));
    },
    async file(body: object = validComplaint): Promise<{ id: string; reference: string; responseDueBy: string }> {
      const response = await postComplaint(runtime, body);
      expect(response.status).toBe(201);
      return (await response.json()) as { id: string; reference: string; responseDueBy: string };
    },
  };
}
