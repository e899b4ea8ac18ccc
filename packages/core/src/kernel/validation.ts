import type { z } from 'zod';
import { type FieldIssue, isPetError, ValidationError } from './errors.js';

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

/**
 * Decides a command only as far as its shape allows: a command its schema accepts is decided as given
 * (the schema's transforms are not applied). A command the schema refuses keeps the decider's own
 * rejection when the decider refuses it (so a blank name is still `…_NAME_REQUIRED`) and its decision when
 * only a value rule the decider relaxes was broken (an empty optional field it stores as null); otherwise
 * (a wrongly typed field, or a decider that throws) it is a {@link ValidationError} naming each field —
 * never a raw `TypeError` from deep inside the decision, and never events decided from a wrongly typed
 * command.
 *
 * @example
 * ```ts
 * return checkedDecision(leadCommandSchema, command, 'lead command', () => decideValid(command, state));
 * ```
 */
export function checkedDecision<T extends { readonly ok: boolean }>(
  schema: z.ZodType,
  command: unknown,
  what: string,
  decide: () => T,
): T {
  const parsed = schema.safeParse(command);
  if (parsed.success) return decide();
  const invalid = new ValidationError(what, toFieldIssues(parsed.error));
  let decided: T;
  try {
    decided = decide();
  } catch (e) {
    if (isPetError(e)) throw e;
    throw invalid;
  }
  if (!decided.ok) return decided;
  // A value rule the decider relaxes (an empty optional field stored as null) is the decider's call; a
  // wrongly typed field (a number for a string, an object, an unknown command type) never is.
  if (parsed.error.issues.some((i) => TYPE_ISSUES.has(i.code))) throw invalid;
  return decided;
}

/** zod issue codes that mean "wrong type or shape" rather than "a value outside a rule". */
const TYPE_ISSUES: ReadonlySet<string> = new Set([
  'invalid_type',
  'invalid_union',
  'invalid_value',
  'invalid_key',
  'invalid_element',
  'unrecognized_keys',
]);
