// What a chaos case found, and the table `npm run chaos` prints (issue 13: cases tried, lost, duplicated, 5xx).

export interface CaseResult {
  name: string;
  /** Complaints filed, or requests sent for the cases that file nothing. */
  tried: number;
  /** Complaints answered with a 2xx that are not stored, or that never got an answer. */
  lost: number;
  /** Complaints stored more than once under one Idempotency-Key, or one key answered with two complaints. */
  duplicated: number;
  /** Answers with a 5xx status. */
  serverErrors: number;
  /**
   * Complaints acknowledged by exactly one e-mail, of those that should be; absent where nothing is sent.
   * `resent`: of the others, those whose first e-mail went out just before a kill and the second after it.
   */
  acknowledged?: { once: number; of: number; resent?: number };
  /** Everything that did not hold, in words; empty when the case passed. */
  failures: string[];
  /** What happened, for the reader (where the kill landed, how many faults were injected). */
  notes?: string[];
}

export const passed = (result: CaseResult) => result.failures.length === 0;

export function chaosTable(results: readonly CaseResult[]): string {
  const rows = [
    ['case', 'tried', 'lost', 'duplicated', '5xx', 'acknowledged once', 'result'],
    ...results.map((result) => [
      result.name,
      String(result.tried),
      String(result.lost),
      String(result.duplicated),
      String(result.serverErrors),
      result.acknowledged
        ? `${result.acknowledged.once}/${result.acknowledged.of}${result.acknowledged.resent ? ` (${result.acknowledged.resent} resent)` : ''}`
        : '-',
      passed(result) ? 'pass' : 'FAIL',
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  const notes = results.flatMap((result) => (result.notes ?? []).map((note) => `  ${result.name}: ${note}`));
  const failures = results.flatMap((result) => result.failures.slice(0, 10).map((failure) => `- ${result.name}: ${failure}`));
  return [
    line(rows[0]!),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
    ...(notes.length ? ['', ...notes] : []),
    ...(failures.length ? ['', ...failures] : []),
  ].join('\n');
}
