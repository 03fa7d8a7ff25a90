import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { DataFolderInUse, lockDataFolder } from '../../local/data-lock';
import { keepClockReading, restoredClockReading } from '../../local/product-clock-state';

const folder = () => mkdtempSync(path.join(tmpdir(), 'reklamacje-'));

describe('the product clock across restarts (LOCAL_CLOCK_SPEED)', () => {
  it('continues from the reading it was stopped at, so no day is lived twice', () => {
    const dataDir = folder();
    const ahead = Date.parse('2027-01-15T10:00:00Z');
    keepClockReading(dataDir, () => new Date(ahead)).stop();
    expect(restoredClockReading(dataDir, Date.parse('2026-11-30T12:00:00Z'))).toBe(ahead);
  });

  it('never runs behind real time, and starts at real time in a new data folder', () => {
    const dataDir = folder();
    keepClockReading(dataDir, () => new Date('2026-11-01T00:00:00Z')).stop();
    const realNow = Date.parse('2026-11-30T12:00:00Z');
    expect(restoredClockReading(dataDir, realNow)).toBe(realNow);
    expect(restoredClockReading(folder(), realNow)).toBe(realNow);
    expect(restoredClockReading(undefined, realNow)).toBe(realNow);
  });
});

describe('one npm start per data folder', () => {
  it('refuses a second holder, naming the folder, the process and DATA_DIR', () => {
    const dataDir = folder();
    const lock = lockDataFolder(dataDir);
    // The lock file names this (running) process; a second lock from "another" process is refused.
    writeFileSync(path.join(dataDir, 'npm-start.pid'), String(process.ppid));
    expect(() => lockDataFolder(dataDir)).toThrow(DataFolderInUse);
    expect(() => lockDataFolder(dataDir)).toThrow(new RegExp(`${dataDir}.*process ${process.ppid}.*DATA_DIR`));
    lock.release();
  });

  it('takes over a lock left by a process that no longer runs (a kill cannot remove it)', () => {
    const dataDir = folder();
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    writeFileSync(path.join(dataDir, 'npm-start.pid'), gone.stdout.trim());
    const lock = lockDataFolder(dataDir);
    expect(readFileSync(path.join(dataDir, 'npm-start.pid'), 'utf8')).toBe(String(process.pid));
    lock.release();
  });
});
