import * as z from './zod';
import { ValidationFailed, type FieldIssue } from './errors';

/** Turns zod's issues into one issue per bad field, named by its dotted path as a form would name it. */
export function issuesOf(error: z.core.$ZodError, prefix?: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}

/**
 * Configuration (a file, the environment) checked against its schema at cold start. Otherwise `failure` gets
 * every bad field with zod's message, `whole` standing for the value as a whole, and never a value itself, so
 * no secret reaches a log.
 */
export function parsedConfiguration<S extends z.core.$ZodType>(
  schema: S,
  value: unknown,
  failure: (problems: string) => Error,
  whole = '(file)',
): z.infer<S> {
  const parsed = z.safeParse(schema, value);
  if (!parsed.success)
    throw failure(
      issuesOf(parsed.error)
        .map((issue) => `${issue.field || whole}: ${issue.message}`)
        .join('; '),
    );
  return parsed.data;
}

/** What a client sent, checked against its schema; a 422 naming every bad field otherwise. */
export function validated<S extends z.core.$ZodType>(schema: S, value: unknown, prefix?: string): z.infer<S> {
  const parsed = z.safeParse(schema, value);
  if (!parsed.success) throw new ValidationFailed(issuesOf(parsed.error, prefix));
  return parsed.data;
}
