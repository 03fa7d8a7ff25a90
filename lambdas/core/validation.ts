import type { z } from 'zod';
import type { FieldIssue } from './errors';

/** Turns zod's issues into one issue per bad field, named by its dotted path as a form would name it. */
export function issuesOf(error: z.ZodError, prefix?: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}
