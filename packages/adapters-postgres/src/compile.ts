import { createHash } from 'node:crypto';
import { ValidationError } from '@pet-ops/core';
import {
  type Column,
  type ColumnDefault,
  dataStepMarker,
  frozenMessage,
  frozenModel,
  frozenTriggerName,
  guardTriggerName,
  type Operation,
  operationSchema,
  type SchemaModel,
  tablePrefixIssue,
  type WidenEnum,
} from '@pet-ops/migrations';
import { GUARD_SQLSTATE } from './errors.js';

/** PostgreSQL's identifier limit (NAMEDATALEN − 1): longer names are truncated silently, so never sent. */
const MAX_IDENTIFIER = 63;

const q = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;
// Literals are validated by the vocabulary (no quotes, backslashes or NUL); doubling quotes is belt and braces.
const literal = (v: string | number | boolean): string =>
  typeof v === 'string'
    ? `'${v.replace(/'/g, "''")}'`
    : typeof v === 'boolean'
      ? v
        ? 'TRUE'
        : 'FALSE'
      : String(v);

/**
 * The name of an index or key: index names are per schema in PostgreSQL, so the prefixed table goes into
 * every name; a name past 63 characters keeps its head and ends with a hash of the whole (PostgreSQL would
 * otherwise truncate it silently, and two truncated names could collide).
 *
 * @example `pgIndexName('pet_', 'leads', 'ix_state')` → `'pet_leads__ix_state'`
 */
export function pgIndexName(prefix: string, table: string, index: string): string {
  const issues = (
    [
      ['prefix', prefix, /^[A-Za-z0-9_]{0,20}$/],
      ['table', table, /^[a-z][a-z0-9_]{0,63}$/],
      ['index', index, /^[a-z][a-z0-9_]{0,63}$/],
    ] as const
  )
    .filter(([, v, re]) => typeof v !== 'string' || !re.test(v))
    .map(([field, , re]) => ({ field, rule: `must match ${re.source}` }));
  if (issues.length > 0) throw new ValidationError('index name', issues);
  const full = `${prefix}${table}__${index}`;
  if (full.length <= MAX_IDENTIFIER) return full;
  const hash = createHash('sha256').update(full, 'utf8').digest('hex').slice(0, 10);
  return `${full.slice(0, MAX_IDENTIFIER - hash.length - 1)}_${hash}`;
}

/**
 * The trigger function every guard of a prefix calls: it raises SQLSTATE `45000` with the message the
 * trigger passes (its first argument). One per prefix, so two prefixes in one schema never race to
 * replace a shared function.
 *
 * @example `pgGuardFunction('pet_')` → `'pet_pet_ops_refuse'`
 */
export const pgGuardFunction = (prefix: string): string => `${prefix}pet_ops_refuse`;

function guardFunctionSql(prefix: string): string {
  return `CREATE OR REPLACE FUNCTION ${q(pgGuardFunction(prefix))}() RETURNS trigger LANGUAGE plpgsql AS $pet$BEGIN RAISE EXCEPTION USING ERRCODE = '${GUARD_SQLSTATE}', MESSAGE = TG_ARGV[0]; END$pet$`;
}

const INT_CHECK: Readonly<Record<string, string>> = {
  intUnsigned: 'BETWEEN 0 AND 4294967295',
  smallintUnsigned: 'BETWEEN 0 AND 65535',
};

/**
 * PostgreSQL's type and the CHECK that holds the logical type where the SQL type is wider: ids are `uuid`,
 * instants `timestamptz(6)`, JSON `jsonb`, money `bigint` minor units; unsigned integers take the next wider
 * type with a range check; enums are `text` with an `IN` check.
 */
function typeAndCheck(c: Column): { type: string; check: string | null } {
  const n = q(c.name);
  switch (c.type) {
    case 'id':
      return { type: 'uuid', check: null };
    case 'bigintAutoIncrement':
      return { type: 'bigint', check: null };
    case 'int':
      return c.unsigned === true
        ? { type: 'bigint', check: `${n} ${INT_CHECK['intUnsigned']}` }
        : { type: 'integer', check: null };
    case 'smallint':
      return c.unsigned === true
        ? { type: 'integer', check: `${n} ${INT_CHECK['smallintUnsigned']}` }
        : { type: 'smallint', check: null };
    case 'money':
      return { type: 'bigint', check: null };
    case 'minutes':
    case 'basisPoints':
      return { type: 'integer', check: null };
    case 'text':
      // MySQL's default collation ignores case; PostgreSQL's compares exactly (a declared difference).
      return {
        type: c.binary === true ? `varchar(${c.length}) COLLATE "C"` : `varchar(${c.length})`,
        check: null,
      };
    case 'longText':
      return { type: 'text', check: null };
    case 'json':
      return { type: 'jsonb', check: null };
    case 'instant':
      return { type: 'timestamptz(6)', check: null };
    case 'enum':
      return { type: 'text', check: `${n} IN (${c.values.map(literal).join(', ')})` };
    case 'bool':
      return { type: 'boolean', check: null };
  }
}

/** The default of `CURRENT_INSTANT` columns: the statement's start, as MySQL's `CURRENT_TIMESTAMP(6)`. @example `SELECT ${POSTGRES_NOW}` → the statement's start time */
export const POSTGRES_NOW = 'statement_timestamp()';

function defaultSql(d: ColumnDefault): string {
  return typeof d === 'object' ? POSTGRES_NOW : literal(d);
}

function columnSql(c: Column): string {
  const { type, check } = typeAndCheck(c);
  if (c.type === 'bigintAutoIncrement') {
    // ALWAYS: nobody writes a position by hand. A sequence never hands a value out twice; its cache of one
    // makes positions rise in the order they are taken, which the snapshot gap safety relies on.
    return `${q(c.name)} bigint GENERATED ALWAYS AS IDENTITY (CACHE 1) NOT NULL`;
  }
  const parts = [q(c.name), type, c.nullable === true ? 'NULL' : 'NOT NULL'];
  if (c.default !== undefined) parts.push(`DEFAULT ${defaultSql(c.default)}`);
  if (check !== null) parts.push(`CHECK (${check})`);
  return parts.join(' ');
}

const keyColumns = (columns: readonly string[]): string => `(${columns.map(q).join(', ')})`;

/**
 * The name a `widenEnum` gives the CHECK of an enum column, `<prefix><table>__<column>_check`, or its head
 * and a hash past 63 characters. (An enum column's first CHECK is inline, named by PostgreSQL
 * `<table>_<column>_check` — each name cut to fit 63 bytes, a digit appended on a clash — so a widen looks
 * that one up instead of deriving it.)
 *
 * @example `pgEnumCheckName('pet_', 'leads', 'state')` → `'pet_leads__state_check'`
 */
export function pgEnumCheckName(prefix: string, table: string, column: string): string {
  const full = `${prefix}${table}__${column}_check`;
  if (full.length <= MAX_IDENTIFIER) return full;
  const hash = createHash('sha256').update(full, 'utf8').digest('hex').slice(0, 10);
  return `${full.slice(0, MAX_IDENTIFIER - hash.length - 1)}_${hash}`;
}

/**
 * One `ALTER TABLE` that drops every CHECK on the enum column alone (looked up in `pg_constraint`, whatever
 * its name: PostgreSQL's own for the inline one, {@link pgEnumCheckName} after an earlier widen) and adds
 * the widened one under {@link pgEnumCheckName}. PostgreSQL runs the drops before the add, so the same
 * name can go and come back. Stored rows are checked against the new list (they all pass: it only grows).
 */
function widenEnumSql(op: WidenEnum, prefix: string): string {
  const table = q(`${prefix}${op.table}`);
  const add = `ADD CONSTRAINT ${q(pgEnumCheckName(prefix, op.table, op.column))} CHECK (${q(op.column)} IN (${op.values.map(literal).join(', ')}))`;
  const rel = `${literal(table)}::regclass`;
  return `DO $pet$BEGIN EXECUTE (SELECT ${literal(`ALTER TABLE ${table} `)} || coalesce(string_agg(format('DROP CONSTRAINT %I, ', con.conname), ''), '') || ${literal(add)} FROM pg_constraint con WHERE con.conrelid = ${rel} AND con.contype = 'c' AND con.conkey = ARRAY[(SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = ${rel} AND a.attname = ${literal(op.column)} AND NOT a.attisdropped)]::smallint[]); END$pet$`;
}

/**
 * Compiles one logical operation to PostgreSQL statements (PostgreSQL ≥ 13). Names are unqualified: they
 * land in the tenant's schema (the connection's `search_path`). A migration runs in one transaction, so no
 * idempotency probe is needed: a failure leaves nothing behind. Append-only guards are row triggers that
 * raise SQLSTATE `45000`, and the delete guard adds a `BEFORE TRUNCATE` statement trigger (PostgreSQL can
 * refuse TRUNCATE, which MySQL cannot); frozen-column guards are `BEFORE UPDATE` triggers with a `WHEN`
 * condition (NULL-safe `IS DISTINCT FROM`).
 *
 * @example
 * ```ts
 * compilePostgres({ op: 'addIndex', table: 'leads', index: { name: 'ix_state', columns: ['state'] } }, 'pet_');
 * // ['CREATE INDEX "pet_leads__ix_state" ON "pet_leads" ("state")']
 * ```
 */
export function compilePostgres(op: Operation, prefix: string, _before?: SchemaModel): readonly string[] {
  const prefixIssue = tablePrefixIssue(prefix);
  if (prefixIssue !== undefined)
    throw new ValidationError('compile', [{ field: 'prefix', rule: prefixIssue }]);
  const parsed = operationSchema.safeParse(op);
  if (!parsed.success) {
    throw new ValidationError(
      'compile',
      parsed.error.issues.map((i) => ({ field: ['op', ...i.path].join('.'), rule: i.message })),
    );
  }
  // A marker the engine runs as the registered TypeScript step; never sent to the database.
  if (op.op === 'dataStep') return [dataStepMarker(op)];
  const table = `${prefix}${op.table}`;
  const refuse = (message: string): string =>
    `EXECUTE FUNCTION ${q(pgGuardFunction(prefix))}(${literal(message)})`;
  switch (op.op) {
    case 'createTable': {
      const lines = op.columns.map(columnSql);
      lines.push(
        `CONSTRAINT ${q(pgIndexName(prefix, op.table, 'pkey'))} PRIMARY KEY ${keyColumns(op.primaryKey)}`,
      );
      return [
        `CREATE TABLE ${q(table)} (\n  ${lines.join(',\n  ')}\n)`,
        ...(op.uniques ?? []).map(
          (u) =>
            `CREATE UNIQUE INDEX ${q(pgIndexName(prefix, op.table, u.name))} ON ${q(table)} ${keyColumns(u.columns)}`,
        ),
        ...(op.indexes ?? []).map(
          (i) =>
            `CREATE INDEX ${q(pgIndexName(prefix, op.table, i.name))} ON ${q(table)} ${keyColumns(i.columns)}`,
        ),
      ];
    }
    case 'addColumn':
      return [`ALTER TABLE ${q(table)} ADD COLUMN ${columnSql(op.column)}`];
    case 'addIndex':
      return [
        `CREATE INDEX ${q(pgIndexName(prefix, op.table, op.index.name))} ON ${q(table)} ${keyColumns(op.index.columns)}`,
      ];
    case 'addUnique':
      return [
        `CREATE UNIQUE INDEX ${q(pgIndexName(prefix, op.table, op.index.name))} ON ${q(table)} ${keyColumns(op.index.columns)}`,
      ];
    case 'appendOnlyGuard': {
      // Trigger names are per table in PostgreSQL: no prefix needed.
      const name = guardTriggerName(op.table, op.event);
      const message = `${op.table} is append-only`;
      const statements = [
        guardFunctionSql(prefix),
        `CREATE TRIGGER ${q(name)} BEFORE ${op.event.toUpperCase()} ON ${q(table)} FOR EACH ROW ${refuse(message)}`,
      ];
      if (op.event === 'delete') {
        statements.push(
          `CREATE TRIGGER ${q(`${op.table}_no_truncate`)} BEFORE TRUNCATE ON ${q(table)} FOR EACH STATEMENT ${refuse(message)}`,
        );
      }
      return statements;
    }
    case 'frozenColumnsGuard': {
      const changed = [
        ...op.columns.map((c) => `OLD.${q(c)} IS DISTINCT FROM NEW.${q(c)}`),
        ...(op.appendOnly ?? []).map((c) => {
          // Unchanged, or grown from `[]`, or — jsonb prints a value the same way every time — the old
          // text up to its closing `]` then `,` or `]`: only appended elements. A NULL is a refusal.
          const [o, n] = [`OLD.${q(c)}::text`, `NEW.${q(c)}::text`];
          const grew = `OLD.${q(c)} IS NOT DISTINCT FROM NEW.${q(c)} OR OLD.${q(c)} = '[]'::jsonb OR (left(${n}, length(${o}) - 1) = left(${o}, length(${o}) - 1) AND substr(${n}, length(${o}), 1) IN (']', ','))`;
          return `(${grew}) IS NOT TRUE`;
        }),
      ].join(' OR ');
      const when =
        op.when === undefined
          ? changed
          : `OLD.${q(op.when.column)} IN (${op.when.values.map(literal).join(', ')}) AND (${changed})`;
      const message = frozenMessage(op.table, frozenModel(op));
      return [
        guardFunctionSql(prefix),
        `CREATE TRIGGER ${q(frozenTriggerName(op.table, op.name))} BEFORE UPDATE ON ${q(table)} FOR EACH ROW WHEN (${when}) ${refuse(message)}`,
      ];
    }
    case 'backfill': {
      const value = op.value.kind === 'value' ? literal(op.value.value) : q(op.value.column);
      return [`UPDATE ${q(table)} SET ${q(op.column)} = ${value} WHERE ${q(op.column)} IS NULL`];
    }
    case 'widenEnum':
      return [widenEnumSql(op, prefix)];
    case 'renameTable':
      // Indexes, the primary key and triggers keep their names (the model remembers them for verify).
      return [`ALTER TABLE ${q(table)} RENAME TO ${q(`${prefix}${op.to}`)}`];
  }
}
