// Structured JSON lines (STYLE.md §6). Callers pass identifiers and outcomes, never whole events; the keys
// below are masked anyway, so a slip cannot put a customer's e-mail, phone or description into the logs.
const PERSONAL_KEYS = new Set(['email', 'phone', 'description', 'name', 'customer', 'body', 'text', 'html']);

type Fields = Record<string, unknown>;

function scrub(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((entry) => scrub(entry, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Fields).map(([key, entry]) => [key, PERSONAL_KEYS.has(key) ? '[redacted]' : scrub(entry, depth + 1)]),
  );
}

type Level = 'info' | 'warn' | 'error';

/**
 * Lambda's application log levels, most detailed first. With the JSON log format (lib/house-function.ts) Lambda
 * drops lines below the function's level and tells the runtime that level in AWS_LAMBDA_LOG_LEVEL, as its own
 * console does: lines nobody will keep are then not even built. Read at each line, as tests and the local
 * runtime set it after this module loads.
 */
const RANKS: Record<string, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4, FATAL: 5 };
const RANK_OF: Record<Level, number> = { info: RANKS.INFO!, warn: RANKS.WARN!, error: RANKS.ERROR! };

function write(level: Level, message: string, fields: Fields = {}): void {
  if (RANK_OF[level] < (RANKS[process.env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase() ?? ''] ?? RANKS.INFO!)) return;
  const line = JSON.stringify({ level, time: new Date().toISOString(), message, ...(scrub(fields) as Fields) });
  (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
}

export const log = {
  info: (message: string, fields?: Fields) => write('info', message, fields),
  warn: (message: string, fields?: Fields) => write('warn', message, fields),
  error: (message: string, fields?: Fields) => write('error', message, fields),
};

export function errorFields(error: unknown): Fields {
  return error instanceof Error ? { error: error.name, errorMessage: error.message } : { error: String(error) };
}
