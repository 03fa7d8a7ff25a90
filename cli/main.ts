import { parseArgs, type ParseArgsConfig } from 'node:util';
import { adminApi, ApiError, ApiUnreachable, type AdminApi } from './admin-api';
import { commands, globalOptions, UsageError, type Command, type OptionSpec, type OptionValues } from './commands';
import { problem, terminalJson, visible } from './format';
import { awsCredentials, CredentialsUnavailable, demoCredentials } from './signing';

// `npx complaints <command> [options]`: the staff API from a terminal. Exit codes: 0 done, 1 the API refused or
// could not be reached, 2 the command line was wrong or there are no credentials to sign with.

export const EXIT = { ok: 0, apiError: 1, usage: 2 } as const;

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const DEFAULT_API = 'http://127.0.0.1:3000';
const DEFAULT_REGION = 'eu-central-1';

function optionLines(options: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return [flag, `${spec.description}${spec.required ? ' (required)' : ''}${spec.multiple ? ' (repeatable)' : ''}`] as const;
  });
  const width = Math.max(0, ...rows.map(([flag]) => flag.length));
  // A flag listing every allowed value can be long: then its description goes on the next line.
  return rows.flatMap(([flag, description]) =>
    flag.length > 40
      ? [`  ${flag}`, `  ${' '.repeat(Math.min(width, 40))}  ${description}`]
      : [`  ${flag.padEnd(Math.min(width, 40))}  ${description}`],
  );
}

function synopsis(command: Command): string {
  const positionals = command.positionals.map((name) => `<${name}>`);
  const required = Object.entries(command.options)
    .filter(([, spec]) => spec.required)
    .map(([name, spec]) => `--${name} ${spec.value ?? ''}`.trim());
  return ['complaints', command.name, ...positionals, ...required, '[options]'].join(' ');
}

export function usage(command?: Command): string {
  if (command) {
    return [
      `Usage: ${synopsis(command)}`,
      '',
      command.summary,
      ...(command.positionals.includes('id') ? ['<id> is the complaint id, or its reference (RK-XXXXX-XXXXX).'] : []),
      ...(Object.keys(command.options).length > 0 ? ['', 'Options:', ...optionLines(command.options)] : []),
      '',
      'Options of every command:',
      ...optionLines(globalOptions),
    ].join('\n');
  }
  const width = Math.max(...commands.map((each) => `${each.name} ${each.positionals.map((name) => `<${name}>`).join(' ')}`.length));
  return [
    'Usage: complaints <command> [options]',
    '',
    'The staff API of the complaint handling product. Every request is signed with AWS SigV4.',
    '',
    'Commands:',
    ...commands.map((each) => `  ${`${each.name} ${each.positionals.map((name) => `<${name}>`).join(' ')}`.padEnd(width)}  ${each.summary}`),
    '',
    'Options of every command:',
    ...optionLines(globalOptions),
    '',
    'Run `complaints <command> --help` for the options of a command.',
    'Exit status: 0 done, 1 the API refused the request or could not be reached, 2 a wrong command line or no credentials.',
  ].join('\n');
}

function parseConfig(options: Record<string, OptionSpec>): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    Object.entries(options).map(([name, spec]) => [
      name,
      { type: spec.type, ...(spec.multiple ? { multiple: true } : {}), ...(spec.short ? { short: spec.short } : {}) },
    ]),
  );
}

/** The command is the first word that is neither an option nor the value of a global option. */
function splitCommand(argv: readonly string[]): { name?: string; rest: string[] } {
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i]!;
    if (word === '--') break;
    if (word.startsWith('-')) {
      const name = word.replace(/^-+/, '');
      if (globalOptions[name]?.type === 'string') i += 1;
      continue;
    }
    return { name: word, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { rest: [...argv] };
}

function adminApiFor(settings: { baseUrl: string; region: string; staffId?: string }): AdminApi {
  const credentials = settings.staffId ? demoCredentials(settings.staffId) : awsCredentials();
  return adminApi({ baseUrl: settings.baseUrl, region: settings.region, credentials });
}

/** The API's address, if it is one: an http(s) URL (`fetch` would fail on anything else only once signing). */
function apiUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}

/**
 * A single-valued option given more than once. parseArgs keeps the last silently, so `--limit 5 --limit 6` would
 * answer a question the person did not ask; only options meant to repeat (`multiple`) may.
 */
function repeatedOption(tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>, options: Record<string, OptionSpec>): string | undefined {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || options[token.name]?.multiple) continue;
    if (seen.has(token.name)) return token.name;
    seen.add(token.name);
  }
  return undefined;
}

export async function main(argv: readonly string[], terminal: Io): Promise<number> {
  // Everything printed passes `visible`: an answer, a problem or an echoed argument can hold what a terminal acts on.
  const io: Io = { ...terminal, stdout: (text) => terminal.stdout(visible(text)), stderr: (text) => terminal.stderr(visible(text)) };
  const { name, rest } = splitCommand(argv);
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    const help = name === undefined && (rest.includes('--help') || rest.includes('-h'));
    if (help) {
      io.stdout(usage());
      return EXIT.ok;
    }
    io.stderr(`${name === undefined ? 'Which command?' : `Unknown command "${name}".`}\n\n${usage()}`);
    return EXIT.usage;
  }

  let values: OptionValues;
  let positionals: string[];
  const options = { ...globalOptions, ...command.options };
  try {
    let tokens;
    ({ values, positionals, tokens } = parseArgs({ args: rest, options: parseConfig(options), allowPositionals: true, strict: true, tokens: true }));
    const repeated = repeatedOption(tokens, options);
    if (repeated) throw new UsageError(`--${repeated} was given more than once; give it once`, command.name);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${usage(command)}`);
    return EXIT.usage;
  }
  if (values.help) {
    io.stdout(usage(command));
    return EXIT.ok;
  }
  if (positionals.length !== command.positionals.length) {
    const wanted = command.positionals.length === 0 ? 'no arguments' : command.positionals.map((each) => `<${each}>`).join(' ');
    io.stderr(`${command.name} takes ${wanted}.\n\n${usage(command)}`);
    return EXIT.usage;
  }

  const baseUrl = (values.api as string | undefined) ?? (io.env.COMPLAINTS_API_URL || undefined) ?? DEFAULT_API;
  if (!apiUrl(baseUrl)) {
    const given = values.api === undefined ? 'COMPLAINTS_API_URL' : '--api';
    io.stderr(`${given} must be the API's http(s) URL, such as ${DEFAULT_API}, not "${baseUrl}"\n\n${usage(command)}`);
    return EXIT.usage;
  }

  try {
    const api = adminApiFor({
      baseUrl,
      region: (values.region as string | undefined) ?? io.env.AWS_REGION ?? DEFAULT_REGION,
      staffId: (values.as as string | undefined) ?? (io.env.COMPLAINTS_STAFF || undefined),
    });
    const result = await command.run({ values, positionals, api });
    // --json is exact JSON (terminalJson only writes some characters as escapes), so it bypasses `visible`.
    if (values.json) terminal.stdout(terminalJson(result.json));
    else io.stdout(result.text);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${usage(command)}`);
      return EXIT.usage;
    }
    if (error instanceof CredentialsUnavailable) {
      io.stderr(`Error: ${error.message}`);
      return EXIT.usage;
    }
    if ((error as Error).name === 'CredentialsProviderError') {
      io.stderr(
        `Error: no AWS credentials (${(error as Error).message}). Sign in (aws sso login, AWS_PROFILE, …), ` +
          'or against the local product pass --as <staff id>.',
      );
      return EXIT.usage;
    }
    if (error instanceof ApiError) {
      io.stderr(problem(error.status, error.body));
      return EXIT.apiError;
    }
    if (error instanceof ApiUnreachable) {
      io.stderr(`Error: ${error.message}`);
      return EXIT.apiError;
    }
    // Something unforeseen: say what, without a stack.
    io.stderr(`Error: ${(error as Error).message ?? String(error)}`);
    return EXIT.apiError;
  }
}

/** The process entry (bin/complaints.cjs): real streams, real environment, exit status from main. */
export function run(): void {
  main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = EXIT.apiError;
    },
  );
}
