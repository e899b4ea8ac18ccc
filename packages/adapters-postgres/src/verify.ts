import { ValidationError } from '@pet-ops/core';
import {
  type Column,
  migrations as defaultMigrations,
  frozenTriggerName,
  guardTableName,
  guardTriggerName,
  type Migration,
  type TableModel,
  tablePrefixIssue,
} from '@pet-ops/migrations';
import {
  type AnyDatabase,
  type PetDialect,
  type PhysicalTable,
  type SchemaDifference,
  type SchemaDriftKind,
  type SchemaShapeHooks,
  verifySchema,
} from '@pet-ops/sql';
import { sql } from 'kysely';
import { POSTGRES_NOW, pgIndexName } from './compile.js';

/** Options of {@link verifyPostgres}. */
export interface VerifyPostgresOptions {
  /** Table prefix the schema was migrated with. */
  readonly prefix: string;
  /** The migration list (default: PET's own). */
  readonly migrations?: readonly Migration[];
}

/** The kinds of drift {@link verifyPostgres} reports: the seam's `SchemaDriftKind`, as on MySQL. */
export type PostgresDriftKind = SchemaDriftKind;

/** One difference between the schema the journal describes and the live one (prefixed table names). */
export type PostgresSchemaDrift = SchemaDifference;

/** What {@link verifyPostgres} found. */
export interface PostgresVerifyResult {
  readonly schema: string;
  readonly prefix: string;
  /** True when the journal matches the list and the live schema is what the journal says. */
  readonly ok: boolean;
  readonly drifts: readonly PostgresSchemaDrift[];
  /** Where the journal disagrees with the migration list, one message each. */
  readonly journal: readonly string[];
}

interface ColumnShape {
  readonly type: string;
  readonly nullable: boolean;
  readonly default: string | null;
  readonly identity: string | null;
  /** An enum column's allowed values as its CHECK lists them, sorted (`null`: no such CHECK). */
  readonly values: string | null;
}

interface Shape {
  readonly columns: Map<string, ColumnShape>;
  readonly indexes: Map<string, string>;
  readonly triggers: Map<string, string>;
}

/** The type `format_type` reads back for a logical column, with the collation of binary text. */
function expectedType(c: Column): string {
  switch (c.type) {
    case 'id':
      return 'uuid';
    case 'bigintAutoIncrement':
    case 'money':
      return 'bigint';
    case 'int':
      return c.unsigned === true ? 'bigint' : 'integer';
    case 'smallint':
      return c.unsigned === true ? 'integer' : 'smallint';
    case 'minutes':
    case 'basisPoints':
      return 'integer';
    case 'text':
      return `character varying(${c.length})${c.binary === true ? ' collate C' : ''}`;
    case 'longText':
    case 'enum':
      return 'text';
    case 'json':
      return 'jsonb';
    case 'instant':
      return 'timestamp(6) with time zone';
    case 'bool':
      return 'boolean';
  }
}

function expectedDefault(c: Column): string | null {
  const d = c.default;
  if (d === undefined) return null;
  if (typeof d === 'object') return POSTGRES_NOW;
  return typeof d === 'string' ? `'${d}'` : String(d);
}

/** A default as `pg_get_expr` prints it, without its casts: `'draft'::text` → `'draft'`, `(-1)` → `-1`. */
function normaliseDefault(text: string | null): string | null {
  if (text === null) return null;
  let t = text.trim();
  for (;;) {
    const next = t.replace(/::[a-z ]+(\(\d+\))?(\[\])?$/i, '').replace(/^\((-?\d+)\)$/, '$1');
    if (next === t) return t;
    t = next;
  }
}

/** Allowed values in one comparable text: sorted (a widen appends, a CHECK may list them in any order). */
function enumValues(values: readonly string[]): string {
  return [...values].sort().join(', ');
}

/** The text literals of a CHECK as `pg_get_constraintdef` prints it: `(state = ANY (ARRAY['a'::text, …]))`. */
function checkLiterals(def: string): string[] {
  return [...def.matchAll(/'((?:[^']|'')*)'::(?:text|character varying)/g)].map((m) =>
    (m[1] as string).replace(/''/g, "'"),
  );
}

function expectedShape(prefix: string, t: TableModel): Shape {
  const columns = new Map<string, ColumnShape>();
  for (const c of t.columns) {
    columns.set(c.name, {
      type: expectedType(c),
      nullable: c.nullable === true,
      default: c.type === 'bigintAutoIncrement' ? null : expectedDefault(c),
      identity: c.type === 'bigintAutoIncrement' ? 'ALWAYS' : null,
      values: c.type === 'enum' ? enumValues(c.values) : null,
    });
  }
  const indexes = new Map<string, string>();
  // A renamed table keeps the names its indexes, primary key and triggers were made with.
  indexes.set(pgIndexName(prefix, t.createdAs ?? t.name, 'pkey'), `PRIMARY (${t.primaryKey.join(', ')})`);
  for (const i of t.indexes) {
    indexes.set(
      pgIndexName(prefix, i.createdOn ?? t.name, i.name),
      `${i.unique ? 'UNIQUE ' : ''}(${i.columns.join(', ')})`,
    );
  }
  const triggers = new Map<string, string>();
  for (const g of t.guards) {
    const on = guardTableName(t, g);
    triggers.set(guardTriggerName(on, g), `BEFORE ${g.toUpperCase()} ROW`);
    if (g === 'delete') triggers.set(`${on}_no_truncate`, 'BEFORE TRUNCATE STATEMENT');
  }
  for (const f of t.frozen)
    triggers.set(frozenTriggerName(f.createdOn ?? t.name, f.name), 'BEFORE UPDATE ROW');
  return { columns, indexes, triggers };
}

/** Rows of the live schema's tables whose names start with `prefix`, by table. */
async function liveShapes(db: AnyDatabase, prefix: string): Promise<Map<string, Shape>> {
  const like = `${prefix.replace(/[\\_%]/g, '\\$&')}%`;
  const tables = new Map<string, Shape>();
  const shape = (table: string): Shape => {
    let s = tables.get(table);
    if (s === undefined) {
      s = { columns: new Map(), indexes: new Map(), triggers: new Map() };
      tables.set(table, s);
    }
    return s;
  };
  const rels = await sql<{ table: string }>`
    SELECT c.relname AS table FROM pg_class c
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND c.relname LIKE ${like}`.execute(
    db,
  );
  for (const r of rels.rows) shape(r.table);
  const cols = await sql<{
    table: string;
    column: string;
    type: string;
    collation: string | null;
    notnull: boolean;
    def: string | null;
    identity: string;
  }>`
    SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
      CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation,
      a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity::text AS identity
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_collation co ON co.oid = a.attcollation
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND c.relname LIKE ${like}
      AND a.attnum > 0 AND NOT a.attisdropped`.execute(db);
  for (const r of cols.rows) {
    shape(r.table).columns.set(r.column, {
      type: `${r.type}${r.collation === null ? '' : ` collate ${r.collation}`}`,
      nullable: !r.notnull,
      default: normaliseDefault(r.def),
      identity: r.identity === 'a' ? 'ALWAYS' : r.identity === 'd' ? 'BY DEFAULT' : null,
      values: null,
    });
  }
  // Single-column CHECKs listing text values: what an enum column allows (several are all reported).
  const checks = await sql<{ table: string; column: string; def: string }>`
    SELECT c.relname AS table, a.attname AS column, pg_get_constraintdef(k.oid) AS def
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid
    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
    WHERE k.contype = 'c' AND cardinality(k.conkey) = 1
      AND c.relnamespace = current_schema()::regnamespace AND c.relname LIKE ${like}
    ORDER BY k.conname`.execute(db);
  for (const r of checks.rows) {
    const literals = checkLiterals(r.def);
    const column = shape(r.table).columns.get(r.column);
    if (literals.length === 0 || column === undefined) continue;
    const values = enumValues(literals);
    shape(r.table).columns.set(r.column, {
      ...column,
      values: column.values === null ? values : `${column.values} | ${values}`,
    });
  }
  const idx = await sql<{
    table: string;
    index: string;
    columns: string[];
    unique: boolean;
    primary: boolean;
  }>`
    SELECT c.relname AS table, i.relname AS index, x.indisunique AS unique, x.indisprimary AS primary,
      ARRAY(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum ORDER BY k.n) AS columns
    FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relname LIKE ${like}`.execute(db);
  for (const r of idx.rows) {
    const kind = r.primary ? 'PRIMARY ' : r.unique ? 'UNIQUE ' : '';
    shape(r.table).indexes.set(r.index, `${kind}(${r.columns.join(', ')})`);
  }
  const trg = await sql<{ table: string; trigger: string; type: number }>`
    SELECT c.relname AS table, t.tgname AS trigger, t.tgtype::int AS type
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace AND c.relname LIKE ${like}`.execute(
    db,
  );
  for (const r of trg.rows) {
    // tgtype bits (pg_trigger.h): 1 row, 2 before, 4 insert, 8 delete, 16 update, 32 truncate, 64 instead.
    const timing = (r.type & 2) !== 0 ? 'BEFORE' : (r.type & 64) !== 0 ? 'INSTEAD OF' : 'AFTER';
    const events = [
      [4, 'INSERT'],
      [8, 'DELETE'],
      [16, 'UPDATE'],
      [32, 'TRUNCATE'],
    ]
      .filter(([bit]) => (r.type & (bit as number)) !== 0)
      .map(([, name]) => name)
      .join(' OR ');
    shape(r.table).triggers.set(r.trigger, `${timing} ${events} ${(r.type & 1) !== 0 ? 'ROW' : 'STATEMENT'}`);
  }
  return tables;
}

/** A table shape as the seam's diff reads it (column properties in the order drifts report them). */
function physical(name: string, s: Shape): PhysicalTable {
  return {
    name,
    columns: [...s.columns].map(([column, c]) => ({
      name: column,
      properties: [
        ['type', c.type],
        ['nullable', String(c.nullable)],
        ['default', c.default ?? '(none)'],
        ['identity', c.identity ?? '(none)'],
        ['allowed values', c.values ?? '(no check)'],
      ],
    })),
    indexes: [...s.indexes].map(([index, definition]) => ({ name: index, definition })),
    triggers: [...s.triggers].map(([trigger, definition]) => ({ name: trigger, definition })),
  };
}

/**
 * How PostgreSQL tables look to the seam's `verifySchema`: the logical model as `pg_catalog` would show
 * it (types as `format_type` prints them, collation, defaults without casts, identity, an enum's CHECK,
 * index and trigger definitions), and the live tables of the connection's schema with the prefix.
 *
 * @example
 * ```ts
 * const v = await verifySchema(db, dialect, { prefix: 'pet_', hooks: { schemaShape: postgresSchemaShape } });
 * ```
 */
export const postgresSchemaShape: SchemaShapeHooks = {
  expected: (model, prefix) => ({
    tables: model.tables.map((t) => physical(`${prefix}${t.name}`, expectedShape(prefix, t))),
  }),
  live: async (db, prefix) => ({
    tables: [...(await liveShapes(db, prefix))].map(([name, shape]) => physical(name, shape)),
  }),
};

/**
 * `verify` on PostgreSQL: compares the live schema of the connection's schema (tables with the prefix; their
 * columns' types as `format_type` prints them, collation, nullability, defaults and identity; indexes;
 * triggers) with the schema the journal says was applied, and the journal with the migration list (logical
 * checksums). Every drift is listed; nothing is written. A migration is applied whole or not at all here
 * (transactional DDL), so the expected schema is the applied migrations' operations. It is `verifySchema`
 * of `@pet-ops/sql` (the journal check and the diff every dialect shares) with {@link postgresSchemaShape}.
 *
 * @example
 * ```ts
 * const { ok, drifts } = await verifyPostgres(db, dialect, { prefix: 'pet_' });
 * if (!ok) for (const d of drifts) console.error(d.message);
 * ```
 */
export async function verifyPostgres(
  db: AnyDatabase,
  dialect: PetDialect,
  options: VerifyPostgresOptions,
): Promise<PostgresVerifyResult> {
  const issues: { field: string; rule: string }[] = [];
  if (typeof (db as { selectFrom?: unknown } | null)?.selectFrom !== 'function')
    issues.push({ field: 'db', rule: 'must be a Kysely instance' });
  const d = dialect as Partial<PetDialect> | null;
  if (typeof d?.compile !== 'function' || typeof d.codecs !== 'object' || typeof d.database !== 'string')
    issues.push({ field: 'dialect', rule: 'must be a PetDialect' });
  const prefix = (options as { prefix?: unknown } | null)?.prefix;
  const prefixIssue = tablePrefixIssue(prefix);
  if (prefixIssue !== undefined) issues.push({ field: 'prefix', rule: prefixIssue });
  const given: unknown = (options as { migrations?: unknown } | null)?.migrations ?? defaultMigrations;
  if (!Array.isArray(given)) issues.push({ field: 'migrations', rule: 'must be an array of migrations' });
  if (issues.length > 0 || typeof prefix !== 'string') throw new ValidationError('verify options', issues);
  const list = given as readonly Migration[];
  const v = await verifySchema(db, dialect, {
    prefix,
    migrations: list,
    hooks: { schemaShape: postgresSchemaShape },
  });
  const schema = dialect.database.slice(dialect.database.lastIndexOf('/') + 1);
  return { schema, prefix, ok: v.ok, drifts: v.drifts, journal: v.journal };
}
