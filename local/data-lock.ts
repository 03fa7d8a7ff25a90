import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// One `npm start` per data folder: two would run every workflow twice and fight over dynalite's files.
// The lock is a file naming the process that holds it; one left by a process that no longer runs is stale
// (a kill cannot remove it) and is taken over.

const FILE = 'npm-start.pid';

export class DataFolderInUse extends Error {
  override name = 'DataFolderInUse';
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataFolder(dataDir: string): { release(): void } {
  const file = path.join(dataDir, FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      const release = () => rmSync(file, { force: true });
      // A stop that is cut short (npm start exits within 5 s whatever is still running) still frees the folder.
      process.once('exit', release);
      return {
        release() {
          process.removeListener('exit', release);
          release();
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(holder) && holder !== process.pid && running(holder)) {
        throw new DataFolderInUse(
          `The data folder ${dataDir} is in use by another npm start (process ${holder}). Stop that one, or give this one its own folder with DATA_DIR=...`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new DataFolderInUse(`Could not lock the data folder ${dataDir}`);
}
