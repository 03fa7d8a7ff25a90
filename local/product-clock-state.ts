import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { replaceFile } from './state-file';

// With LOCAL_CLOCK_SPEED the product's clock runs ahead of the wall clock, and the dates it produced are
// stored (receipts, reminders sent, deadlines passed). A restart must not send it back to real time, or the
// same days would be lived twice: the clock's reading is kept in the data folder and the next start
// continues from it (or from real time, if that is later). Saved every second, so a kill loses at most one
// real second of product time.

const FILE = 'product-clock.json';
const SAVE_EVERY_MS = 1000;

export function restoredClockReading(dataDir: string | undefined, realNow: number): number {
  if (!dataDir || !existsSync(path.join(dataDir, FILE))) return realNow;
  const saved = Number((JSON.parse(readFileSync(path.join(dataDir, FILE), 'utf8')) as { productTime?: unknown }).productTime);
  return Number.isFinite(saved) ? Math.max(saved, realNow) : realNow;
}

/** Keeps the clock's reading in the data folder until stopped; `stop` saves it one last time. */
export function keepClockReading(dataDir: string | undefined, now: () => Date): { stop(): void } {
  if (!dataDir) return { stop: () => undefined };
  const save = () => replaceFile(path.join(dataDir, FILE), JSON.stringify({ productTime: now().getTime(), savedAt: new Date().toISOString() }));
  save();
  const timer = setInterval(save, SAVE_EVERY_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      save();
    },
  };
}
