import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXIT, main, type Io } from '../../cli/main';

// The command line as a person meets it: what it prints and its exit status, against a stand-in API that
// answers one canned body (the signature is the real API's to check; here only what the CLI does with answers).

function terminal(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: (text) => out.push(text), stderr: (text) => err.push(text), env };
  return { io, out, err };
}

const complaint = {
  id: '3b0c6f2e-8a1d-4c55-9f3e-2d7b1a0c9e11',
  reference: 'RK-7XK4M-9QPZT',
  status: 'assigned',
  channel: 'letter',
  policyId: 'consumer',
  receivedAt: '2026-11-23T09:14:03.120Z',
  receivedOn: '2026-11-23',
  responseDueBy: '2026-12-07',
  version: 3,
  customer: { name: 'Anna Kowalska', email: 'anna@example.com' },
  description: 'Czajnik przestał grzać.',
  desiredRemedy: 'replacement',
  language: 'pl',
  history: [
    { at: '2026-11-23T10:05:00.000Z', actor: 'jan.returns', action: 'note_added', after: { text: 'Pilne \u001b[31mczerwone\u001b[0m \u009b2J' } },
  ],
};

let server: Server;
let api: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(complaint));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests.length = 0;
});

describe('what `complaints show` prints of a stored note with terminal escapes in it', () => {
  it('shows them escaped (\\u001b), so one staff member cannot drive another’s terminal', async () => {
    const { io, out, err } = terminal();
    expect(await main(['show', complaint.id, '--api', api, '--as', 'anna.admin'], io)).toBe(EXIT.ok);
    expect(err).toEqual([]);
    expect(out.join('\n')).toContain('text: Pilne \\u001b[31mczerwone\\u001b[0m \\u009b2J');
    for (const raw of ['\u001b', '\u009b']) expect(out.join('\n')).not.toContain(raw);
  });

  it('prints exact JSON with --json: the same values, every control character a JSON escape', async () => {
    const { io, out } = terminal();
    expect(await main(['show', complaint.id, '--json', '--api', api, '--as', 'anna.admin'], io)).toBe(EXIT.ok);
    expect(JSON.parse(out.join(''))).toEqual(complaint);
    for (const raw of ['\u001b', '\u009b']) expect(out.join('')).not.toContain(raw);
  });
});

describe('a wrong command line: exit 2 with the usage, and no request sent', () => {
  it.each([['not-a-url'], ['ftp://127.0.0.1/'], ['']])('refuses --api %j, which is no http(s) URL', async (url) => {
    const { io, err } = terminal();
    expect(await main(['list', '--api', url, '--as', 'anna.admin'], io)).toBe(EXIT.usage);
    expect(err.join('\n')).toContain(`--api must be the API's http(s) URL, such as http://127.0.0.1:3000, not "${url}"`);
    expect(err.join('\n')).toContain('Usage: complaints list');
    expect(requests).toEqual([]);
  });

  it('refuses a COMPLAINTS_API_URL that is no URL, naming the variable', async () => {
    const { io, err } = terminal({ COMPLAINTS_API_URL: 'localhost:3000x' });
    expect(await main(['list', '--as', 'anna.admin'], io)).toBe(EXIT.usage);
    expect(err.join('\n')).toContain('COMPLAINTS_API_URL must be');
  });

  it.each([
    [['list', '--limit', '5', '--limit', '6'], 'limit'],
    [['list', '--as', 'anna.admin', '--as', 'marek.supervisor'], 'as'],
    [['note', 'x', '--text', 'a', '--text=b'], 'text'],
  ])('refuses a single-valued option given twice: %j', async (argv, option) => {
    const { io, err } = terminal();
    expect(await main([...argv, '--api', api, ...(argv.includes('--as') ? [] : ['--as', 'anna.admin'])], io)).toBe(EXIT.usage);
    expect(err.join('\n')).toContain(`--${option} was given more than once; give it once`);
    expect(requests).toEqual([]);
  });

  it('still takes an option meant to repeat more than once (decide --appeal-route)', async () => {
    const { io, err } = terminal();
    const argv = ['decide', complaint.id, '--outcome', 'rejected', '--appeal-route', 'mediation', '--appeal-route', 'lawsuit', '--version', '3'];
    expect(await main([...argv, '--api', api, '--as', 'anna.admin'], io)).toBe(EXIT.ok);
    expect(err).toEqual([]);
    expect(requests).toEqual([`POST /admin/complaints/${complaint.id}/decision`]);
  });

  it('echoes a bad value escaped', async () => {
    const { io, err } = terminal();
    expect(await main(['list', '--limit', '\u001b[31m', '--api', api, '--as', 'anna.admin'], io)).toBe(EXIT.usage);
    expect(err.join('\n')).toContain('--limit must be a whole number, not "\\u001b[31m"');
  });
});
