import type * as z from 'zod';
import { ValidationFailed, type FieldIssue } from './errors';

/** Turns zod's issues into one issue per bad field, named by its dotted path as a form would name it. */
export function issuesOf(error: z.ZodError, prefix?: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}

/** What a client sent, checked against its schema; a 422 naming every bad field otherwise. */
export function validated<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationFailed(issuesOf(parsed.error, prefix));
  return parsed.data;
}
