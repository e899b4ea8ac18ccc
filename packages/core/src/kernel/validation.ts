import type { z } from 'zod';
import { type FieldIssue, ValidationError } from './errors.js';

/** Converts zod issues into {@link FieldIssue}s (dotted field path + rule). @example `toFieldIssues(schema.safeParse(x).error!)` */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ field: i.path.map(String).join('.'), rule: i.message }));
}

/**
 * Validates input at a public entry point: returns the parsed value or throws a {@link ValidationError}
 * naming each field and rule.
 *
 * @example
 * ```ts
 * const opts = parseInput(optionsSchema, raw, 'append options');
 * ```
 */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ValidationError(what, toFieldIssues(r.error));
}
