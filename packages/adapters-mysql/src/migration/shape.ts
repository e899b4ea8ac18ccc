/**
 * Physical schema shapes (MySQL/MariaDB, normalised so both servers compare equal), read by the seam's
 * diff (`diffPhysicalSchemas` of `@pet-ops/sql`) that lists every drift between an expected and a live
 * schema. Pure.
 */
import {
  diffPhysicalSchemas,
  diffPhysicalTable,
  type PhysicalTable,
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

/** One table. */
export interface TableShape {
  readonly name: string;
  readonly columns: readonly ColumnShape[];
  readonly indexes: readonly IndexShape[];
  readonly triggers: readonly TriggerShape[];
}

/** A schema: the tables of one prefix. */
export interface SchemaShape {
  readonly tables: readonly TableShape[];
}

/** The kinds of drift `verify` reports: `SchemaDriftKind` of `@pet-ops/sql`. */
export type DriftKind = SchemaDriftKind;

/**
 * One difference between the schema the journal describes and the live one: `SchemaDifference` of
 * `@pet-ops/sql`. `name` is the column, index or trigger; `property` the column property that differs
 * (`type`, `nullable`, `default`, `auto_increment`).
 */
export type SchemaDrift = SchemaDifference;

const indexText = (i: IndexShape): string => `${i.unique ? 'UNIQUE ' : ''}(${i.columns.join(', ')})`;
const triggerText = (t: TriggerShape): string => `${t.timing} ${t.event}: ${t.statement}`;
const showDefault = (d: string | null): string => (d === null ? '(none)' : d);

/**
 * A MySQL table shape as the seam's diff reads it: each column's type, nullability, default and
 * auto-increment as text; each index and trigger as one definition text.
 *
 * @example
 * ```ts
 * const table = toPhysicalTable(live.tables[0]!); // for diffPhysicalTable of @pet-ops/sql
 * ```
 */
export function toPhysicalTable(t: TableShape): PhysicalTable {
  return {
    name: t.name,
    columns: t.columns.map((c) => ({
      name: c.name,
      properties: [
        ['type', c.type],
        ['nullable', String(c.nullable)],
        ['default', showDefault(c.default)],
        ['auto_increment', String(c.autoIncrement)],
      ],
    })),
    indexes: t.indexes.map((i) => ({ name: i.name, definition: indexText(i) })),
    triggers: t.triggers.map((x) => ({ name: x.name, definition: triggerText(x) })),
  };
}

/** Every drift of one table (its columns, indexes and triggers): the seam's `diffPhysicalTable`. */
export function diffTable(expected: TableShape, actual: TableShape): SchemaDrift[] {
  return diffPhysicalTable(toPhysicalTable(expected), toPhysicalTable(actual));
}

/**
 * Every drift between an expected and a live schema: missing/extra tables, columns, indexes and
 * triggers, and every column property or index/trigger definition that differs (the seam's
 * `diffPhysicalSchemas`, the same diff on every database).
 *
 * @example
 * ```ts
 * const drifts = diffSchemas(expected, live);
 * for (const d of drifts) console.log(d.message);
 * ```
 */
export function diffSchemas(expected: SchemaShape, actual: SchemaShape): SchemaDrift[] {
  return diffPhysicalSchemas(
    { tables: expected.tables.map(toPhysicalTable) },
    { tables: actual.tables.map(toPhysicalTable) },
  );
}
