import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * TypeScript through tsx's require hook unless the thread already has one (tsx's CLI passes its own on), so
 * a worker of the local runtime loads the same under tsx, jest and node, and can require the handlers' modules
 * by path at run time as the main thread does (local/handlers.ts).
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (!require.extensions['.ts']) require(workerData.tsx).register();
require(workerData.module);
`;

/** A worker thread running `module` (a TypeScript file beside this one), which reads `workerData` as given. */
export function typeScriptWorker(module: string, workerData: object): Worker {
  return new Worker(BOOTSTRAP, {
    eval: true,
    workerData: { ...workerData, tsx: require.resolve('tsx/cjs/api'), module: path.join(__dirname, module) },
  });
}
