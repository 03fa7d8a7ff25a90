import { renameSync, writeFileSync } from 'node:fs';

/**
 * Replaces a small state file (an offset, the clock's reading) whole or not at all. writeFileSync empties the
 * file before it writes, so a kill between the two left it empty, and the next start failed on its JSON
 * ("Unexpected end of JSON input", seen in the chaos suite's kill case). A rename replaces the file at once;
 * a kill before it leaves the old content, which is what a kill a moment earlier would have left.
 */
export function replaceFile(file: string, text: string): void {
  const next = `${file}.next`;
  writeFileSync(next, text);
  renameSync(next, file);
}
