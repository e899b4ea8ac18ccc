import { z } from 'zod';

/**
 * Lower-cases and trims an e-mail address, the form under which employee e-mails are unique.
 *
 * @example
 * ```ts
 * normalizeEmployeeEmail('  Ada@Example.COM '); // 'ada@example.com'
 * ```
 */
export function normalizeEmployeeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A stored (normalised) employee e-mail: lower-case, trimmed, `local@domain.tld`, at most 191 characters.
 *
 * @example `employeeEmailSchema.safeParse('Ada@Example.com').success` → `false` (not normalised)
 */
export const employeeEmailSchema: z.ZodType<string> = z
  .string()
  .max(191, 'must be at most 191 characters')
  .regex(EMAIL_RE, 'must be an e-mail address local@domain.tld')
  .refine((s) => s === normalizeEmployeeEmail(s), 'must be normalised (trimmed, lower-case)');

/** An e-mail as a command gives it: trimmed and lower-cased, then checked like {@link employeeEmailSchema}. */
export const employeeEmailInputSchema: z.ZodType<string, string> = z
  .string()
  .transform(normalizeEmployeeEmail)
  .pipe(z.string().max(191, 'must be at most 191 characters').regex(EMAIL_RE, 'must be an e-mail address'));

/**
 * A first or last name: 1–100 characters after trimming (stored trimmed).
 *
 * @example `personNamePartSchema.parse('  Ada ')` → `'Ada'`
 */
export const personNamePartSchema: z.ZodType<string, string> = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(100, 'must be at most 100 characters');

/**
 * The host application's user id (e.g. a WordPress user id), 1–64 characters; unique when present.
 *
 * @example `hostUserIdSchema.parse(' 42 ')` → `'42'`
 */
export const hostUserIdSchema: z.ZodType<string, string> = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters');

/**
 * A team name: 1–255 characters after trimming; unique (case-insensitively) among a parent's active teams.
 *
 * @example `teamNameSchema.parse(' Ops ')` → `'Ops'`
 */
export const teamNameSchema: z.ZodType<string, string> = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(255, 'must be at most 255 characters');

/** Compares team names the way the uniqueness rule does: trimmed, case-insensitive. @example `sameTeamName('Ops', ' ops')` → true */
export function sameTeamName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
