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
  type Operation,
  type SchemaModel,
  type TableModel,
  type WidenEnum,
} from '@pet-ops/migrations';

const q = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;
// Literals are validated by the vocabulary (no quotes, backslashes or NUL); doubling quotes is belt and braces.
const literal = (v: string | number | boolean): string =>
  typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : typeof v === 'boolean' ? (v ? '1' : '0') : String(v);

/**
 * The canonical instant text SQLite writes for `CURRENT_INSTANT` defaults: `%f` gives milliseconds, so
 * three zeros make the six fraction digits every instant in the library has (text order = time order).
 *
 * @example `SELECT ${SQLITE_NOW}` → `'2026-12-06T04:31:51.123000Z'`
 */
export const SQLITE_NOW = "(strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'))";

const INT_RANGE: Readonly<Record<string, string>> = {
  int: 'BETWEEN -2147483648 AND 2147483647',
  intUnsigned: 'BETWEEN 0 AND 4294967295',
  smallint: 'BETWEEN -32768 AND 32767',
  smallintUnsigned: 'BETWEEN 0 AND 65535',
  minutes: 'BETWEEN -2147483648 AND 2147483647',
  basisPoints: 'BETWEEN -2147483648 AND 2147483647',
};

/**
 * SQLite's storage class and the CHECK that holds the logical type where SQLite's dynamic typing would
 * not (integers stay integers, text fits its length, JSON is valid, enums and booleans stay in range).
 * Ids are UUID text (readable by a host's own queries); instants are canonical UTC text.
 */
function typeAndCheck(c: Column): { type: string; check: string | null } {
  const n = q(c.name);
  switch (c.type) {
    case 'id':
      return { type: 'TEXT', check: `length(${n}) = 36` };
    case 'bigintAutoIncrement':
      return { type: 'INTEGER', check: null };
    case 'int':
    case 'smallint': {
      const key = c.type + (c.unsigned === true ? 'Unsigned' : '');
      return { type: 'INTEGER', check: `typeof(${n}) = 'integer' AND ${n} ${INT_RANGE[key]}` };
    }
    case 'money':
      return { type: 'INTEGER', check: `typeof(${n}) = 'integer'` };
    case 'minutes':
    case 'basisPoints':
      return { type: 'INTEGER', check: `typeof(${n}) = 'integer' AND ${n} ${INT_RANGE[c.type]}` };
    case 'text':
      // MySQL's default collation ignores case; SQLite's NOCASE folds ASCII only (a declared difference).
      return {
        type: c.binary === true ? 'TEXT' : 'TEXT COLLATE NOCASE',
        check: `length(${n}) <= ${c.length}`,
      };
    case 'longText':
      return { type: 'TEXT', check: null };
    case 'json':
      return { type: 'TEXT', check: `json_valid(${n})` };
    case 'instant':
      return { type: 'TEXT', check: `length(${n}) = 27` };
    case 'enum':
      return { type: 'TEXT', check: `${n} IN (${c.values.map(literal).join(', ')})` };
    case 'bool':
      return { type: 'INTEGER', check: `${n} IN (0, 1)` };
  }
}

function defaultSql(d: ColumnDefault): string {
  return typeof d === 'object' ? SQLITE_NOW : literal(d);
}

/**
 * What a logical column is on SQLite, part by part, as {@link compileSqlite} declares it: the declared
 * type (`PRAGMA table_xinfo`'s `type`), the collation, the one CHECK (`null`: none) and the default
 * expression as written (`null`: none). The schema verify compares live columns with these.
 */
export interface SqliteColumnParts {
  readonly type: 'TEXT' | 'INTEGER';
  readonly collation: string | null;
  readonly nullable: boolean;
  readonly check: string | null;
  readonly default: string | null;
}

/** {@link SqliteColumnParts} of a logical column. */
export function sqliteColumnParts(c: Column): SqliteColumnParts {
  const { type, check } = typeAndCheck(c);
  const [declared, collation] = type.split(' COLLATE ') as [SqliteColumnParts['type'], string | undefined];
  // An auto-increment column is the rowid: never NULL, no CHECK, no default.
  if (c.type === 'bigintAutoIncrement')
    return { type: 'INTEGER', collation: null, nullable: false, check: null, default: null };
  return {
    type: declared,
    collation: collation ?? null,
    nullable: c.nullable === true,
    // typeof(NULL) is 'null', which would fail the check: a nullable column admits NULL explicitly.
    check: check === null ? null : c.nullable === true ? `${q(c.name)} IS NULL OR (${check})` : check,
    default: c.default === undefined ? null : defaultSql(c.default),
  };
}

function columnSql(c: Column, inlinePrimaryKey: boolean): string {
  if (c.type === 'bigintAutoIncrement') {
    // AUTOINCREMENT: positions are never reused, not even after the last row's transaction rolled back.
    return `${q(c.name)} INTEGER ${inlinePrimaryKey ? 'PRIMARY KEY AUTOINCREMENT' : ''} NOT NULL`.replace(
      '  ',
      ' ',
    );
  }
  const p = sqliteColumnParts(c);
  const parts = [q(c.name), p.collation === null ? p.type : `${p.type} COLLATE ${p.collation}`];
  parts.push(p.nullable ? 'NULL' : 'NOT NULL');
  if (p.default !== null) parts.push(`DEFAULT ${p.default}`);
  if (p.check !== null) parts.push(`CHECK (${p.check})`);
  return parts.join(' ');
}

const keyColumns = (columns: readonly string[]): string => `(${columns.map(q).join(', ')})`;

/** SQLite index names are per database, not per table: the table name goes into every index name. @example `sqliteIndexName('pet_', 'leads', 'ix_state')` → `'pet_leads__ix_state'` */
export const sqliteIndexName = (prefix: string, table: string, index: string): string =>
  `${prefix}${table}__${index}`;

/** An append-only guard's trigger: named and worded after `on`, the table's name when it was made. */
function guardSql(prefix: string, table: string, on: string, event: 'update' | 'delete'): string {
  const name = `${prefix}${guardTriggerName(on, event)}`;
  const message = `${on} is append-only`;
  return `CREATE TRIGGER ${q(name)} BEFORE ${event.toUpperCase()} ON ${q(`${prefix}${table}`)} BEGIN SELECT RAISE(ABORT, ${literal(message)}); END`;
}

/** A frozen-columns guard's trigger: named and worded after `on`, the table's name when it was made. */
function frozenSql(prefix: string, table: string, on: string, f: FrozenModel): string {
  const name = `${prefix}${frozenTriggerName(on, f.name)}`;
  // IS NOT is SQLite's NULL-safe "differs".
  const changed = [
    ...f.columns.map((c) => `OLD.${q(c)} IS NOT NEW.${q(c)}`),
    ...(f.appendOnly ?? []).map((c) => {
      // Unchanged, or grown from `[]`, or the old text up to its closing `]` then `,` or `]`: only
      // appended elements. A NULL is a refusal.
      const kept = `length(OLD.${q(c)}) - 1`;
      const grew = `OLD.${q(c)} IS NEW.${q(c)} OR OLD.${q(c)} = '[]' OR (substr(NEW.${q(c)}, 1, ${kept}) = substr(OLD.${q(c)}, 1, ${kept}) AND substr(NEW.${q(c)}, length(OLD.${q(c)}), 1) IN (']', ','))`;
      return `(${grew}) IS NOT 1`;
    }),
  ].join(' OR ');
  const when =
    f.when === undefined
      ? `WHEN ${changed}`
      : `WHEN OLD.${q(f.when.column)} IN (${f.when.values.map(literal).join(', ')}) AND (${changed})`;
  const message = frozenMessage(on, f);
  return `CREATE TRIGGER ${q(name)} BEFORE UPDATE ON ${q(`${prefix}${table}`)} FOR EACH ROW ${when} BEGIN SELECT RAISE(ABORT, ${literal(message)}); END`;
}

/** The name of the table a rebuild fills before it takes the real one's place. */
const rebuildName = (table: string): string => `${table}__widen`;

/**
 * SQLite's "other kinds of table schema changes" (lang_altertable.html, the 12 steps), for a CHECK that
 * cannot be altered: create the table anew with the widened column, copy every row (the rowid and an
 * AUTOINCREMENT counter with it), drop the old table (its triggers go first, so the guards refuse
 * nothing), rename the new one, then re-create its indexes and triggers under the names they had. PET
 * declares no foreign keys and no views, and its triggers only name their own table, so nothing else
 * refers to it. The statements run in the migration's transaction.
 */
function rebuildForWiden(op: WidenEnum, prefix: string, before: SchemaModel | undefined): string[] {
  const r = before === undefined ? undefined : applyOperation(before, op);
  if (r === undefined || !r.ok)
    throw new Error(
      `widenEnum ${op.table}.${op.column}: ${r === undefined ? 'compiling it needs the schema before it' : r.rule}`,
    );
  const t = r.model.tables.find((x) => x.name === op.table) as TableModel;
  const table = `${prefix}${t.name}`;
  const temp = `${prefix}${rebuildName(t.name)}`;
  const auto = t.columns.find((c) => c.type === 'bigintAutoIncrement');
  const inline = auto !== undefined && t.primaryKey.length === 1 && t.primaryKey[0] === auto.name;
  const lines = t.columns.map((c) => columnSql(c, inline && c === auto));
  if (!inline) lines.push(`PRIMARY KEY ${keyColumns(t.primaryKey)}`);
  const names = t.columns.map((c) => q(c.name)).join(', ');
  return [
    `CREATE TABLE ${q(temp)} (\n  ${lines.join(',\n  ')}\n)`,
    `INSERT INTO ${q(temp)} (${names}) SELECT ${names} FROM ${q(table)}`,
    // AUTOINCREMENT: the new table continues where the old one's counter stood, not at its largest row.
    ...(inline
      ? [
          `DELETE FROM sqlite_sequence WHERE name = ${literal(temp)}`,
          `INSERT INTO sqlite_sequence (name, seq) SELECT ${literal(temp)}, seq FROM sqlite_sequence WHERE name = ${literal(table)}`,
        ]
      : []),
    `DROP TABLE ${q(table)}`,
    `ALTER TABLE ${q(temp)} RENAME TO ${q(table)}`,
    ...t.indexes.map(
      (i) =>
        `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${q(sqliteIndexName(prefix, i.createdOn ?? t.name, i.name))} ON ${q(table)} ${keyColumns(i.columns)}`,
    ),
    ...sqliteTriggers(prefix, t).map((x) => x.sql),
  ];
}

/**
 * The triggers a table of the model has on SQLite (its append-only and frozen-columns guards), each with
 * the `CREATE TRIGGER` statement that made it, in the order a rebuild re-creates them.
 */
export function sqliteTriggers(
  prefix: string,
  t: TableModel,
): { readonly name: string; readonly sql: string }[] {
  return [
    ...t.guards.map((g) => {
      const on = guardTableName(t, g);
      return { name: `${prefix}${guardTriggerName(on, g)}`, sql: guardSql(prefix, t.name, on, g) };
    }),
    ...t.frozen.map((f) => {
      const on = f.createdOn ?? t.name;
      return { name: `${prefix}${frozenTriggerName(on, f.name)}`, sql: frozenSql(prefix, t.name, on, f) };
    }),
  ];
}

/**
 * Compiles one logical operation to SQLite statements (SQLite ≥ 3.35). A migration runs in one
 * transaction on SQLite, so no idempotency probe is needed: a failure leaves nothing behind. `before`
 * is the schema before the operation (`schemaBeforeEach` of `@pet-ops/migrations`): a `widenEnum`,
 * which rebuilds its table, needs it.
 *
 * @example
 * ```ts
 * compileSqlite({ op: 'addIndex', table: 'leads', index: { name: 'ix_state', columns: ['state'] } }, 'pet_');
 * // ['CREATE INDEX "pet_leads__ix_state" ON "pet_leads" ("state")']
 * ```
 */
export function compileSqlite(op: Operation, prefix: string, before?: SchemaModel): readonly string[] {
  // A marker the engine runs as the registered TypeScript step; never sent to the database.
  if (op.op === 'dataStep') return [dataStepMarker(op)];
  const table = `${prefix}${op.table}`;
  switch (op.op) {
    case 'createTable': {
      const auto = op.columns.find((c) => c.type === 'bigintAutoIncrement');
      const inline = auto !== undefined && op.primaryKey.length === 1 && op.primaryKey[0] === auto.name;
      const lines = op.columns.map((c) => columnSql(c, inline && c === auto));
      if (!inline) lines.push(`PRIMARY KEY ${keyColumns(op.primaryKey)}`);
      return [
        `CREATE TABLE ${q(table)} (\n  ${lines.join(',\n  ')}\n)`,
        ...(op.uniques ?? []).map(
          (u) =>
            `CREATE UNIQUE INDEX ${q(sqliteIndexName(prefix, op.table, u.name))} ON ${q(table)} ${keyColumns(u.columns)}`,
        ),
        ...(op.indexes ?? []).map(
          (i) =>
            `CREATE INDEX ${q(sqliteIndexName(prefix, op.table, i.name))} ON ${q(table)} ${keyColumns(i.columns)}`,
        ),
      ];
    }
    case 'addColumn':
      return [`ALTER TABLE ${q(table)} ADD COLUMN ${columnSql(op.column, false)}`];
    case 'addIndex':
      return [
        `CREATE INDEX ${q(sqliteIndexName(prefix, op.table, op.index.name))} ON ${q(table)} ${keyColumns(op.index.columns)}`,
      ];
    case 'addUnique':
      return [
        `CREATE UNIQUE INDEX ${q(sqliteIndexName(prefix, op.table, op.index.name))} ON ${q(table)} ${keyColumns(op.index.columns)}`,
      ];
    case 'appendOnlyGuard':
      return [guardSql(prefix, op.table, op.table, op.event)];
    case 'frozenColumnsGuard':
      return [frozenSql(prefix, op.table, op.table, frozenModel(op))];
    case 'widenEnum':
      return rebuildForWiden(op, prefix, before);
    case 'backfill': {
      const value = op.value.kind === 'value' ? literal(op.value.value) : q(op.value.column);
      return [`UPDATE ${q(table)} SET ${q(op.column)} = ${value} WHERE ${q(op.column)} IS NULL`];
    }
    case 'renameTable':
      // Indexes and triggers keep their names; SQLite points the triggers at the new name.
      return [`ALTER TABLE ${q(table)} RENAME TO ${q(`${prefix}${op.to}`)}`];
  }
}
