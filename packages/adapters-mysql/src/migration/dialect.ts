import {
  applyOperation,
  type Column,
  type ColumnDefault,
  dataStepMarker,
  type FrozenModel,
  frozenMessage,
  frozenModel,
  frozenTriggerName,
  guardTableName,
  guardTriggerName,
  type IndexDef,
  type Migration,
  type Operation,
  type SchemaModel,
  type TableModel,
} from '@pet-ops/migrations';
import type { PhysicalSchema, PhysicalTable } from '@pet-ops/sql';
import {
  type ColumnShape,
  type IndexShape,
  physicalColumn,
  physicalIndex,
  physicalTrigger,
  type TriggerShape,
} from './shape.js';

/**
 * How the engine checks, before running a statement, whether its effect is already in place (a crashed
 * run may have executed it without recording it). Probes read `information_schema` only.
 */
export type Probe =
  | { readonly kind: 'table'; readonly table: string; readonly expected: PhysicalTable }
  | { readonly kind: 'column'; readonly table: string; readonly expected: ColumnShape }
  | { readonly kind: 'index'; readonly table: string; readonly expected: IndexShape }
  | { readonly kind: 'trigger'; readonly table: string; readonly expected: TriggerShape }
  | { readonly kind: 'unfilled'; readonly table: string; readonly column: string }
  /** A rename: done when `to` exists and `table` does not; absent when only `table` exists. */
  | { readonly kind: 'renamed'; readonly table: string; readonly to: string }
  /**
   * A widened enum: done when the column's COLUMN_TYPE is the widened one (nullability and default as
   * expected); absent when it is the list's head (the values before the widen); else a conflict.
   */
  | { readonly kind: 'enumWidened'; readonly table: string; readonly expected: ColumnShape }
  /** A data step: nothing to probe; the engine runs the registered (idempotent) step each time it reaches it. */
  | { readonly kind: 'dataStep'; readonly step: string };

/** One operation compiled for MySQL/MariaDB: exactly one statement and its idempotency probe. */
export interface CompiledStatement {
  readonly sql: string;
  readonly probe: Probe;
}

const q = (identifier: string): string => `\`${identifier.replace(/`/g, '``')}\``;
// Literals are validated by the vocabulary (no quotes or backslashes); doubling quotes is belt and braces.
const literal = (v: string | number | boolean): string =>
  typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : typeof v === 'boolean' ? (v ? '1' : '0') : String(v);

/** The MySQL type of a logical column, as written in DDL. */
export function sqlType(c: Column): string {
  switch (c.type) {
    case 'id':
      return 'BINARY(16)';
    case 'bigintAutoIncrement':
      return 'BIGINT UNSIGNED';
    case 'int':
      return c.unsigned === true ? 'INT UNSIGNED' : 'INT';
    case 'smallint':
      return c.unsigned === true ? 'SMALLINT UNSIGNED' : 'SMALLINT';
    case 'money':
      return 'BIGINT';
    case 'minutes':
    case 'basisPoints':
      return 'INT';
    case 'text':
      return c.binary === true
        ? `VARCHAR(${c.length}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`
        : `VARCHAR(${c.length})`;
    case 'longText':
      return 'LONGTEXT';
    case 'json':
      return 'JSON';
    case 'instant':
      return 'DATETIME(6)';
    case 'enum':
      return `ENUM(${c.values.map(literal).join(',')})`;
    case 'bool':
      return 'BOOLEAN';
  }
}

function defaultSql(d: ColumnDefault): string {
  return typeof d === 'object' ? 'CURRENT_TIMESTAMP(6)' : literal(d);
}

function columnSql(c: Column): string {
  const parts = [q(c.name), sqlType(c), c.nullable === true ? 'NULL' : 'NOT NULL'];
  if (c.default !== undefined) parts.push(`DEFAULT ${defaultSql(c.default)}`);
  if (c.type === 'bigintAutoIncrement') parts.push('AUTO_INCREMENT');
  return parts.join(' ');
}

const keyColumns = (columns: readonly string[]): string => `(${columns.map(q).join(', ')})`;
const guardMessage = (table: string): string =>
  `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${table} is append-only'`;

/**
 * The body of a frozen-columns trigger: one `IF` that signals SQLSTATE 45000 when the old row is in
 * one of the `when` values (if any) and any frozen column changes (`<=>` is NULL-safe).
 */
function frozenBody(table: string, f: FrozenModel): string {
  const changed = [
    ...f.columns.map((c) => `NOT (OLD.${q(c)} <=> NEW.${q(c)})`),
    ...(f.appendOnly ?? []).map((c) => {
      // Unchanged, or grown from `[]`, or the old text up to its closing `]` compared byte for byte (a
      // JSON column's collation may not be binary) then `,` or `]`: only appended elements. `<=> TRUE`
      // makes a NULL a refusal.
      const kept = `CHAR_LENGTH(OLD.${q(c)}) - 1`;
      const grew = `OLD.${q(c)} <=> NEW.${q(c)} OR (JSON_TYPE(OLD.${q(c)}) = 'ARRAY' AND JSON_LENGTH(OLD.${q(c)}) = 0) OR (CAST(LEFT(NEW.${q(c)}, ${kept}) AS BINARY) = CAST(LEFT(OLD.${q(c)}, ${kept}) AS BINARY) AND SUBSTRING(NEW.${q(c)}, CHAR_LENGTH(OLD.${q(c)}), 1) IN (']', ','))`;
      return `NOT ((${grew}) <=> TRUE)`;
    }),
  ].join(' OR ');
  const condition =
    f.when === undefined
      ? changed
      : `OLD.${q(f.when.column)} IN (${f.when.values.map(literal).join(', ')}) AND (${changed})`;
  const message = frozenMessage(table, f);
  // MESSAGE_TEXT holds at most 128 characters.
  const text = message.length > 128 ? `${message.slice(0, 125)}...` : message;
  return `IF ${condition} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ${literal(text)}; END IF`;
}

/** The trigger a frozen-columns guard creates (named after the table it was made on: `f.createdOn` after a rename). */
export function frozenShape(prefix: string, table: string, f: FrozenModel): TriggerShape {
  const on = f.createdOn ?? table;
  return {
    name: `${prefix}${frozenTriggerName(on, f.name)}`,
    timing: 'BEFORE',
    event: 'UPDATE',
    statement: normaliseStatement(frozenBody(on, f)),
  };
}

/** The physical shape MySQL/MariaDB report for a logical column (see {@link ColumnShape}). */
export function columnShape(c: Column): ColumnShape {
  // information_schema's COLUMN_TYPE carries no charset or collation: compare the bare type.
  const type = sqlType(c)
    .toLowerCase()
    .replace(/ character set .*$/, '')
    .replace(/^boolean$/, 'tinyint(1)');
  const d = c.default;
  return {
    name: c.name,
    type,
    nullable: c.nullable === true,
    default:
      d === undefined
        ? null
        : typeof d === 'object'
          ? 'current_timestamp(6)'
          : typeof d === 'boolean'
            ? d
              ? '1'
              : '0'
            : String(d),
    autoIncrement: c.type === 'bigintAutoIncrement',
  };
}

/** The trigger an append-only guard creates. */
export function guardShape(prefix: string, table: string, event: 'update' | 'delete'): TriggerShape {
  return {
    name: `${prefix}${guardTriggerName(table, event)}`,
    timing: 'BEFORE',
    event: event.toUpperCase(),
    statement: normaliseStatement(guardMessage(table)),
  };
}

/** Whitespace-collapsed, for comparing trigger bodies. */
export function normaliseStatement(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The physical shape of a table of the expected model, with the prefix applied. */
export function tableShape(prefix: string, t: TableModel): PhysicalTable {
  return {
    name: `${prefix}${t.name}`,
    columns: t.columns.map((c) => physicalColumn(columnShape(c))),
    indexes: [
      { name: 'PRIMARY', columns: t.primaryKey, unique: true },
      ...t.indexes.map((i) => ({ name: i.name, columns: i.columns, unique: i.unique })),
    ].map(physicalIndex),
    triggers: [
      ...t.guards.map((g) => guardShape(prefix, guardTableName(t, g), g)),
      ...t.frozen.map((f) => frozenShape(prefix, t.name, f)),
    ].map(physicalTrigger),
  };
}

/** The physical shape of an expected schema model. @example `schemaShape('wp_pet_', expectedSchema(migrations))` */
export function schemaShape(prefix: string, model: SchemaModel): PhysicalSchema {
  return { tables: model.tables.map((t) => tableShape(prefix, t)) };
}

const indexShape = (i: IndexDef, unique: boolean): IndexShape => ({
  name: i.name,
  columns: i.columns,
  unique,
});

/**
 * Compiles one operation to exactly one MySQL/MariaDB statement (valid on MySQL 8.0+ and MariaDB 10.6+)
 * plus the probe that tells whether it already took effect. No `IF NOT EXISTS`: a probe also checks
 * that an existing object has the expected shape, which `IF NOT EXISTS` would silently accept. `before`
 * is the schema before the operation (`schemaBeforeEach` of `@pet-ops/migrations`): a `widenEnum`
 * regenerates its column from it.
 *
 * @example
 * ```ts
 * const { sql } = compileOperation({ op: 'addIndex', table: 't', index: { name: 'ix_a', columns: ['a'] } }, 'wp_pet_');
 * // ALTER TABLE `wp_pet_t` ADD INDEX `ix_a` (`a`), ALGORITHM=INPLACE, LOCK=NONE
 * ```
 */
export function compileOperation(op: Operation, prefix: string, before?: SchemaModel): CompiledStatement {
  // A marker the engine runs as the registered TypeScript step; never sent to the server.
  if (op.op === 'dataStep') return { sql: dataStepMarker(op), probe: { kind: 'dataStep', step: op.step } };
  const table = `${prefix}${op.table}`;
  switch (op.op) {
    case 'createTable': {
      const lines = [
        ...op.columns.map(columnSql),
        `PRIMARY KEY ${keyColumns(op.primaryKey)}`,
        ...(op.uniques ?? []).map((u) => `UNIQUE KEY ${q(u.name)} ${keyColumns(u.columns)}`),
        ...(op.indexes ?? []).map((i) => `KEY ${q(i.name)} ${keyColumns(i.columns)}`),
      ];
      const model: TableModel = {
        name: op.table,
        columns: op.columns,
        primaryKey: op.primaryKey,
        indexes: [
          ...(op.uniques ?? []).map((u) => ({ ...u, unique: true })),
          ...(op.indexes ?? []).map((i) => ({ ...i, unique: false })),
        ],
        guards: [],
        frozen: [],
      };
      return {
        sql: `CREATE TABLE ${q(table)} (\n  ${lines.join(',\n  ')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
        probe: { kind: 'table', table, expected: tableShape(prefix, model) },
      };
    }
    case 'addColumn':
      // INSTANT is allowed for every column the vocabulary can add (no auto-increment; we create no
      // FULLTEXT indexes) and appends the column, which MySQL 8.0.12+ and MariaDB 10.3+ support.
      return {
        sql: `ALTER TABLE ${q(table)} ADD COLUMN ${columnSql(op.column)}, ALGORITHM=INSTANT`,
        probe: { kind: 'column', table, expected: columnShape(op.column) },
      };
    case 'addIndex':
      return {
        sql: `ALTER TABLE ${q(table)} ADD INDEX ${q(op.index.name)} ${keyColumns(op.index.columns)}, ALGORITHM=INPLACE, LOCK=NONE`,
        probe: { kind: 'index', table, expected: indexShape(op.index, false) },
      };
    case 'addUnique':
      return {
        sql: `ALTER TABLE ${q(table)} ADD UNIQUE KEY ${q(op.index.name)} ${keyColumns(op.index.columns)}, ALGORITHM=INPLACE, LOCK=NONE`,
        probe: { kind: 'index', table, expected: indexShape(op.index, true) },
      };
    case 'appendOnlyGuard': {
      const expected = guardShape(prefix, op.table, op.event);
      return {
        sql: `CREATE TRIGGER ${q(expected.name)} BEFORE ${expected.event} ON ${q(table)} FOR EACH ROW ${guardMessage(op.table)}`,
        probe: { kind: 'trigger', table, expected },
      };
    }
    case 'frozenColumnsGuard': {
      const f = frozenModel(op);
      const expected = frozenShape(prefix, op.table, f);
      return {
        sql: `CREATE TRIGGER ${q(expected.name)} BEFORE UPDATE ON ${q(table)} FOR EACH ROW ${frozenBody(op.table, f)}`,
        probe: { kind: 'trigger', table, expected },
      };
    }
    case 'backfill': {
      const value = op.value.kind === 'value' ? literal(op.value.value) : q(op.value.column);
      // Only NULL rows: re-running fills nothing twice and never overwrites a value.
      return {
        sql: `UPDATE ${q(table)} SET ${q(op.column)} = ${value} WHERE ${q(op.column)} IS NULL`,
        probe: { kind: 'unfilled', table, column: op.column },
      };
    }
    case 'widenEnum': {
      const r = before === undefined ? undefined : applyOperation(before, op);
      if (r === undefined || !r.ok)
        throw new Error(
          `widenEnum ${op.table}.${op.column}: ${r === undefined ? 'compiling it needs the schema before it' : r.rule}`,
        );
      const column = r.model.tables
        .find((t) => t.name === op.table)
        ?.columns.find((c) => c.name === op.column) as Column;
      // Appending values keeps the stored numbers and the 1-byte size (at most 255 values): instant.
      return {
        sql: `ALTER TABLE ${q(table)} MODIFY COLUMN ${columnSql(column)}, ALGORITHM=INSTANT`,
        probe: { kind: 'enumWidened', table, expected: columnShape(column) },
      };
    }
    case 'renameTable': {
      // Atomic; the triggers move with the table and keep their names (and bodies), indexes too.
      const to = `${prefix}${op.to}`;
      return { sql: `RENAME TABLE ${q(table)} TO ${q(to)}`, probe: { kind: 'renamed', table, to } };
    }
  }
}

/**
 * Every statement of a migration, in order; `before[i]` is the schema before operation `i` (needed by a
 * `widenEnum`). @example `compileMigration(m, '').map((s) => s.sql)`
 */
export function compileMigration(
  migration: Migration,
  prefix: string,
  before?: readonly SchemaModel[],
): CompiledStatement[] {
  return migration.operations.map((op, i) => compileOperation(op, prefix, before?.[i]));
}
