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

function write(level: 'info' | 'warn' | 'error', message: string, fields: Fields = {}): void {
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
