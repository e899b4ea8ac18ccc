import { type FieldIssue, ValidationError } from '@pet-ops/core';
import { z } from 'zod';
import { applyOperation, EMPTY_SCHEMA, type SchemaModel } from './model.js';
import { type Operation, operationSchema } from './vocabulary.js';

/**
 * One forward-only migration: an ordered list of operations, each compiled to exactly one statement.
 * `id` is `YYYY_MM_DD_NNNN_description` and alone decides the order; `name` is a human title.
 * Once released, a migration is never edited (its checksum is recorded and checked on every run);
 * a change is a new migration.
 */
export interface Migration {
  readonly id: string;
  readonly name: string;
  readonly operations: readonly Operation[];
}

/**
 * `YYYY_MM_DD_NNNN_description`: date, a 4-digit sequence number and a snake_case description.
 *
 * @example `MIGRATION_ID_PATTERN.test('2026_12_01_0001_add_ticket_priority')` → `true`
 */
export const MIGRATION_ID_PATTERN: RegExp = /^(\d{4})_(\d{2})_(\d{2})_(\d{4})_[a-z0-9]+(?:_[a-z0-9]+)*$/;

function isRealDate(id: string): boolean {
  const m = MIGRATION_ID_PATTERN.exec(id);
  if (m === null) return true; // the pattern rule reports it
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Zod schema of a migration id. @example `migrationIdSchema.parse('2026_11_22_0001_create_journal')` */
export const migrationIdSchema: z.ZodType<string> = z
  .string()
  .max(128, 'must be at most 128 characters')
  .regex(MIGRATION_ID_PATTERN, 'must match YYYY_MM_DD_NNNN_description (snake_case)')
  .refine(isRealDate, 'must start with a real calendar date');

/** Zod schema of a {@link Migration}. @example `parseInput(migrationSchema, raw, 'migration')` */
export const migrationSchema: z.ZodType<Migration> = z.object({
  id: migrationIdSchema,
  name: z.string().min(1).max(255),
  operations: z.array(operationSchema).min(1, 'must have at least one operation').max(100),
}) as unknown as z.ZodType<Migration>;

/**
 * Declares a migration. Returns it deep-frozen, so the list cannot be changed at run time.
 *
 * @example
 * ```ts
 * export const addTicketPriority = defineMigration({
 *   id: '2026_12_01_0001_add_ticket_priority',
 *   name: 'Tickets get a priority',
 *   operations: [{ op: 'addColumn', table: 'tickets', column: col.smallint('priority', { nullable: true }) }],
 * });
 * ```
 */
export function defineMigration(migration: Migration): Migration {
  return deepFreeze(migration);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Every rule a migration list breaks (empty when valid): each entry matches {@link migrationSchema};
 * ids are unique and strictly increasing; every operation applies to the schema built by the ones
 * before it (tables exist, columns are new, index columns exist…).
 *
 * @example
 * ```ts
 * expect(validateMigrations(migrations)).toEqual([]);
 * ```
 */
export function validateMigrations(list: readonly Migration[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  let model: SchemaModel = EMPTY_SCHEMA;
  let previous: string | undefined;
  const seen = new Set<string>();
  list.forEach((raw, i) => {
    const parsed = migrationSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({ field: [i, ...issue.path].map(String).join('.'), rule: issue.message });
      }
      return;
    }
    const m = parsed.data;
    if (seen.has(m.id)) issues.push({ field: `${i}.id`, rule: `duplicate id ${m.id}` });
    else if (previous !== undefined && m.id <= previous) {
      issues.push({ field: `${i}.id`, rule: `must come after ${previous} (ids alone order the list)` });
    }
    seen.add(m.id);
    previous = previous === undefined || m.id > previous ? m.id : previous;
    m.operations.forEach((op, j) => {
      const r = applyOperation(model, op);
      if (r.ok) model = r.model;
      else issues.push({ field: `${i}.operations.${j}`, rule: r.rule });
    });
  });
  return issues;
}

/**
 * Throws a `ValidationError` listing every rule the list breaks (see {@link validateMigrations}).
 *
 * @example
 * ```ts
 * assertValidMigrations(migrations);
 * ```
 */
export function assertValidMigrations(list: readonly Migration[]): void {
  const issues = validateMigrations(list);
  if (issues.length > 0) {
    throw new ValidationError(
      'migration list',
      issues.map((i) => ({ field: `migrations.${i.field}`, rule: i.rule })),
    );
  }
}
