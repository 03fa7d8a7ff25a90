import path from 'node:path';
import { functions, type FunctionName } from '../lambdas/functions';
import { runAs } from './function-policies';

export const REPOSITORY_ROOT = path.resolve(__dirname, '..');

type AnyHandler = (event: unknown) => Promise<unknown>;

const loaded = new Map<FunctionName, AnyHandler>();

/**
 * Loads a function's handler module exactly as the catalog names it, to run as that function. Modules read their configuration at
 * load, as a Lambda does at cold start, so the runtime sets process.env before the first call.
 */
export function handlerOf(name: FunctionName): AnyHandler {
  let handler = loaded.get(name);
  if (!handler) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(path.join(REPOSITORY_ROOT, functions[name].entry)) as { handler: AnyHandler };
    // Run as its function: its AWS calls are checked against its role (function-policies.ts).
    const run = module.handler;
    handler = (event) => runAs(name, () => run(event));
    loaded.set(name, handler);
  }
  return handler;
}

export function isFunctionName(name: string): name is FunctionName {
  return Object.hasOwn(functions, name);
}
