import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { replaceFile } from '../../local/state-file';

const folder = mkdtempSync(path.join(tmpdir(), 'reklamacje-state-file-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

it('replaces a state file with the new content and leaves no other file beside it', () => {
  const file = path.join(folder, 'offsets.json');
  writeFileSync(file, JSON.stringify({ reports: 1 }));
  replaceFile(file, JSON.stringify({ reports: 2 }));
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ reports: 2 });
  expect(readdirSync(folder)).toEqual(['offsets.json']);
});
