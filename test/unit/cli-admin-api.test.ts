import { adminApi, ApiError } from '../../cli/admin-api';
import { demoCredentials } from '../../cli/signing';
import { demoStaff } from '../support/staff-event';

// The CLI's client of the staff API: one Idempotency-Key per command, reused on its own retries.

const supervisor = demoStaff((staff) => staff.role === 'supervisor');

/** A fetch that answers from a script, one answer per call, and keeps what each call sent. */
function scriptedFetch(...answers: (Response | Error)[]) {
  const calls: { method: string; url: string; headers: Record<string, string> }[] = [];
  const fetch = (async (url: URL, init: RequestInit) => {
    calls.push({ method: String(init.method), url: String(url), headers: init.headers as Record<string, string> });
    const answer = answers.shift();
    if (!answer) throw new Error('no answer scripted');
    if (answer instanceof Error) throw answer;
    return answer;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const problem = (status: number, type: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: `https://reklamacje.example/problems/${type}`, status }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
const complaint = () => new Response(JSON.stringify({ id: 'c-1', version: 2 }), { status: 201, headers: { 'content-type': 'application/json' } });

function api(fetch: typeof globalThis.fetch, sleeps: number[] = []) {
  return adminApi({
    baseUrl: 'http://127.0.0.1:3000',
    region: 'eu-central-1',
    credentials: demoCredentials(supervisor.id),
    fetch,
    sleep: async (ms) => void sleeps.push(ms),
  });
}

const note = { method: 'POST' as const, path: '/admin/complaints/c-1/notes', body: { text: 'Klient dzwonił.' } };

describe('the CLI client of the staff API', () => {
  it('sends one fresh Idempotency-Key with a command, and the same key again when it retries after a 503 and a 409 in use', async () => {
    const sleeps: number[] = [];
    const { fetch, calls } = scriptedFetch(
      problem(503, 'email-unavailable', { 'retry-after': '2' }),
      problem(409, 'idempotency-key-in-use'),
      complaint(),
    );
    const answer = await api(fetch, sleeps).send(note);
    expect(answer).toEqual({ id: 'c-1', version: 2 });
    const keys = calls.map((call) => call.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(keys).size).toBe(1);
    // Retry-After is obeyed (2 s), otherwise the backoff.
    expect(sleeps).toEqual([2000, 1000]);
  });

  it("retries while its own earlier attempt's e-mail is being sent, obeying Retry-After up to 5 s", async () => {
    const sleeps: number[] = [];
    const { fetch, calls } = scriptedFetch(problem(409, 'email-being-sent', { 'retry-after': '12' }), complaint());
    await api(fetch, sleeps).send(note);
    expect(calls).toHaveLength(2);
    expect(sleeps).toEqual([5000]);
  });

  it('retries a change the complaint was too busy to take, obeying Retry-After', async () => {
    const sleeps: number[] = [];
    const { fetch, calls } = scriptedFetch(problem(409, 'complaint-busy', { 'retry-after': '1' }), complaint());
    await api(fetch, sleeps).send(note);
    expect(calls).toHaveLength(2);
    expect(sleeps).toEqual([1000]);
  });

  it('gives each command (each client) a key of its own', async () => {
    const first = scriptedFetch(complaint());
    const second = scriptedFetch(complaint());
    await api(first.fetch).send(note);
    await api(second.fetch).send(note);
    expect(first.calls[0]!.headers['idempotency-key']).not.toBe(second.calls[0]!.headers['idempotency-key']);
  });

  it('retries a request that did not reach the API, under the same key', async () => {
    const { fetch, calls } = scriptedFetch(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }), complaint());
    await api(fetch).send(note);
    expect(calls.map((call) => call.headers['idempotency-key'])).toEqual([
      calls[0]!.headers['idempotency-key'],
      calls[0]!.headers['idempotency-key'],
    ]);
  });

  it('does not retry a version conflict or a refused request, and stops after three attempts', async () => {
    const conflict = scriptedFetch(problem(409, 'version-conflict'));
    await expect(api(conflict.fetch).send(note)).rejects.toMatchObject({ status: 409 });
    expect(conflict.calls).toHaveLength(1);

    const down = scriptedFetch(problem(500, 'internal-error'), problem(500, 'internal-error'), problem(500, 'internal-error'), complaint());
    await expect(api(down.fetch).send(note)).rejects.toBeInstanceOf(ApiError);
    expect(down.calls).toHaveLength(3);
  });

  it('lets a command give its own key (register --idempotency-key), and sends none with a GET', async () => {
    const { fetch, calls } = scriptedFetch(complaint(), complaint());
    const client = api(fetch);
    await client.send({ ...note, headers: { 'idempotency-key': 'my-own-key' } });
    await client.send({ method: 'GET', path: '/admin/complaints/c-1' });
    expect(calls[0]!.headers['idempotency-key']).toBe('my-own-key');
    expect(calls[1]!.headers['idempotency-key']).toBeUndefined();
  });
});
