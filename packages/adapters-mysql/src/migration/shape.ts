/**
 * MySQL/MariaDB's parts of a physical schema (a column, an index, a trigger as `information_schema`
 * describes them, normalised so both servers compare equal) and how each becomes a part of the seam's
 * `PhysicalTable`. Tables and schemas are the seam's `PhysicalTable` and `PhysicalSchema`, read by its
 * one diff (`diffPhysicalSchemas` of `@pet-ops/sql`). Pure.
 */
import {
  diffPhysicalSchemas,
  type PhysicalColumn,
  type PhysicalObject,
  type PhysicalSchema,
  type SchemaDifference,
  type SchemaDriftKind,
} from '@pet-ops/sql';

/** A column as `information_schema.COLUMNS` describes it, normalised. */
export interface ColumnShape {
  readonly name: string;
  /** Lower-case `COLUMN_TYPE` without integer display widths (`tinyint(1)` kept), JSON as `json`. */
  readonly type: string;
  readonly nullable: boolean;
  /** The default as text (`current_timestamp(6)`, `0`, `draft`), or `null` when there is none. */
  readonly default: string | null;
  readonly autoIncrement: boolean;
}

/** An index (`PRIMARY` for the primary key). */
export interface IndexShape {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
}

/** A trigger on a table. */
export interface TriggerShape {
  readonly name: string;
  readonly timing: string;
  readonly event: string;
  /** The trigger body, whitespace-collapsed. */
  readonly statement: string;
}

/**
 * A schema: the tables of one prefix, as the seam's `PhysicalSchema` (kept under this name for hosts
 * that imported it; its tables hold the seam's `PhysicalTable`).
 */
export type SchemaShape = PhysicalSchema;

/** The kinds of drift `verify` reports: `SchemaDriftKind` of `@pet-ops/sql`. */
export type DriftKind = SchemaDriftKind;

/**
 * One difference between the schema the journal describes and the live one: `SchemaDifference` of
 * `@pet-ops/sql`. `name` is the column, index or trigger; `property` the column property that differs
 * (`type`, `nullable`, `default`, `auto_increment`).
 */
export type SchemaDrift = SchemaDifference;

/** A column as the seam's diff reads it: type, nullability, default and auto-increment as text, in that order. */
export function physicalColumn(c: ColumnShape): PhysicalColumn {
  return {
    name: c.name,
    properties: [
      ['type', c.type],
      ['nullable', String(c.nullable)],
      ['default', c.default === null ? '(none)' : c.default],
      ['auto_increment', String(c.autoIncrement)],
    ],
  };
}

/** An index as the seam's diff reads it: `UNIQUE (a, b)` or `(a)`. */
export const physicalIndex = (i: IndexShape): PhysicalObject => ({
  name: i.name,
  definition: `${i.unique ? 'UNIQUE ' : ''}(${i.columns.join(', ')})`,
});

/** A trigger as the seam's diff reads it: `BEFORE UPDATE: <body>`. */
export const physicalTrigger = (t: TriggerShape): PhysicalObject => ({
  name: t.name,
  definition: `${t.timing} ${t.event}: ${t.statement}`,
});

/**
 * Every drift between an expected and a live schema: missing/extra tables, columns, indexes and
 * triggers, and every column property or index/trigger definition that differs (the seam's
 * `diffPhysicalSchemas`, the same diff on every database).
 *
 * @example
 * ```ts
 * const drifts = diffSchemas(schemaShape('wp_pet_', model), await introspect(conn, { prefix: 'wp_pet_' }));
 * for (const d of drifts) console.log(d.message);
 * ```
 */
export function diffSchemas(expected: SchemaShape, actual: SchemaShape): SchemaDrift[] {
  return diffPhysicalSchemas(expected, actual);
}
