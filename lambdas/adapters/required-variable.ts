import type { Environment } from './config';

/**
 * One environment variable a function cannot start without, read without config.ts's schema of them all. The
 * workflow starter reads nothing else: zod and the schema of twenty variables it never uses were most of its
 * bundle (31.8 KB; 8.9 KB without) and of its own work at cold start. Fails at cold start naming the variable,
 * as `required` does.
 */
export function requiredVariable(name: keyof Environment, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`Missing environment variable ${name}`);
  return value;
}
