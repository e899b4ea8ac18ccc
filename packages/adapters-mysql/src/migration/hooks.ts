import { PetError, ValidationError } from '@pet-ops/core';
import { applyOperation, EMPTY_SCHEMA, type JournalEntry, type Migration } from '@pet-ops/migrations';
import {
  type AnyDatabase,
  diffPhysicalTable,
  legacyMigrationLockName,
  type MigrationHooks,
  type PetDialect,
  type PhysicalTable,
  type SchemaDifference,
  type SchemaShapeHooks,
} from '@pet-ops/sql';
import { CompiledQuery, sql } from 'kysely';
import { legacyChecksums, migrationChecksums, recordsLegacy } from './checksum.js';
import { compileOperation, type Probe, schemaShape, tableShape } from './dialect.js';
import {
  introspect,
  normaliseColumnType,
  normaliseDefault,
  type Queryable,
  selectRows,
  tableExists,
} from './introspect.js';
import { physicalColumn, physicalIndex, physicalTrigger } from './shape.js';

/**
 * A {@link Queryable} over a Kysely instance or transaction: `query` runs the text with its parameters on
 * Kysely's connection (a transaction's own, or any of its pool's) and answers as mysql2 does, `[rows]`.
 */
export function queryableOf(db: AnyDatabase): Queryable {
  return {
    query: async (text: string, params?: unknown[]) => {
      const r = await db.executeQuery(CompiledQuery.raw(text, params ?? []));
      return [r.rows, []];
    },
  } as unknown as Queryable;
}

async function liveTable(conn: Queryable, table: string): Promise<PhysicalTable | undefined> {
  if (!(await tableExists(conn, table))) return undefined;
  return (await introspect(conn, { prefix: '', tables: [table] })).tables[0];
}

const only = (t: PhysicalTable, part: Partial<PhysicalTable>): PhysicalTable => ({
  name: t.name,
  columns: [],
  indexes: [],
  triggers: [],
  ...part,
});

/**
 * Every shape the list gives each table, from its creation on: one per statement that touches it. A
 * table made by hand before the migrations ran may already be at any of them (scenario 58): with the
 * guards its own migration adds, or with columns of later ones.
 */
type TableStates = (table: string) => readonly PhysicalTable[];

/** {@link TableStates} of a list, computed once, on the first table found in the way. */
function tableStates(list: readonly Migration[], prefix: string): TableStates {
  let byTable: Map<string, PhysicalTable[]> | undefined;
  return (table) => {
    if (byTable === undefined) {
      byTable = new Map();
      let model = EMPTY_SCHEMA;
      for (const m of list) {
        for (const op of m.operations) {
          if (op.op === 'dataStep') continue; // changes no table
          const r = applyOperation(model, op);
          if (!r.ok) return [];
          model = r.model;
          // A renamed table's later states are under its new name.
          const name = op.op === 'renameTable' ? op.to : 'table' in op ? op.table : undefined;
          const t = model.tables.find((x) => x.name === name);
          if (t === undefined) continue;
          const shape = tableShape(prefix, t);
          byTable.set(shape.name, [...(byTable.get(shape.name) ?? []), shape]);
        }
      }
    }
    return byTable.get(table) ?? [];
  };
}

/**
 * A `widenEnum`'s probe, on `information_schema.COLUMNS`: `done` when COLUMN_TYPE, nullability and default
 * are the widened column's; `absent` when COLUMN_TYPE lists a head of the widened values (the column as it
 * was, or a widen of it not yet this far) with the same nullability and default; else `conflict`.
 */
async function probeEnumWidened(
  conn: Queryable,
  p: Extract<Probe, { kind: 'enumWidened' }>,
): Promise<{ readonly state: 'absent' | 'done' } | { readonly state: 'conflict'; readonly message: string }> {
  const rows = await selectRows<{ type: string; nullable: string; def: unknown }>(
    conn,
    'SELECT COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS def FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?',
    [p.table, p.expected.name],
  );
  const row = rows[0];
  if (row === undefined)
    return { state: 'conflict', message: `column ${p.table}.${p.expected.name} does not exist` };
  const type = normaliseColumnType(String(row.type), false);
  const sameRest =
    (String(row.nullable) === 'YES') === p.expected.nullable &&
    normaliseDefault(row.def) === p.expected.default;
  if (sameRest && type === p.expected.type) return { state: 'done' };
  const head = type.endsWith(')') ? type.slice(0, -1) : type;
  if (sameRest && type.startsWith('enum(') && p.expected.type.startsWith(`${head},`))
    return { state: 'absent' };
  return {
    state: 'conflict',
    message: `column ${p.table}.${p.expected.name} is ${type}${String(row.nullable) === 'YES' ? ' NULL' : ' NOT NULL'} (default ${String(normaliseDefault(row.def))}), neither ${p.expected.type} nor a head of it; make it match the migration by hand`,
  };
}

/** `done` when the statement's effect is in place with the expected shape; `conflict` when it exists otherwise. */
async function probe(
  conn: Queryable,
  p: Probe,
  states: TableStates,
): Promise<{ readonly state: 'absent' | 'done' } | { readonly state: 'conflict'; readonly message: string }> {
  // A data step leaves no trace to probe: it is idempotent and runs each time it is reached.
  if (p.kind === 'dataStep') return { state: 'absent' };
  if (p.kind === 'unfilled') {
    const rows = await selectRows(
      conn,
      `SELECT 1 AS x FROM \`${p.table}\` WHERE \`${p.column}\` IS NULL LIMIT 1`,
    );
    return { state: rows.length === 0 ? 'done' : 'absent' };
  }
  if (p.kind === 'renamed') {
    const [from, to] = [await tableExists(conn, p.table), await tableExists(conn, p.to)];
    if (!to) return { state: 'absent' };
    if (!from) return { state: 'done' };
    return {
      state: 'conflict',
      message: `both ${p.table} and ${p.to} exist, so ${p.table} cannot be renamed; move the rows of one into the other by hand and drop it`,
    };
  }
  if (p.kind === 'enumWidened') return probeEnumWidened(conn, p);
  const live = await liveTable(conn, p.table);
  if (live === undefined) return { state: 'absent' };
  let drifts: SchemaDifference[];
  if (p.kind === 'table') {
    drifts = diffPhysicalTable(p.expected, live);
    // Ahead of its creation statement: fine when it is what a later statement of the list makes of it;
    // those statements' own probes then find their parts done.
    if (drifts.length > 0 && states(p.table).some((later) => diffPhysicalTable(later, live).length === 0)) {
      return { state: 'done' };
    }
  } else if (p.kind === 'column') {
    const found = live.columns.find((c) => c.name === p.expected.name);
    if (found === undefined) return { state: 'absent' };
    drifts = diffPhysicalTable(
      only(live, { columns: [physicalColumn(p.expected)] }),
      only(live, { columns: [found] }),
    );
  } else if (p.kind === 'index') {
    const found = live.indexes.find((i) => i.name === p.expected.name);
    if (found === undefined) return { state: 'absent' };
    drifts = diffPhysicalTable(
      only(live, { indexes: [physicalIndex(p.expected)] }),
      only(live, { indexes: [found] }),
    );
  } else {
    const found = live.triggers.find((t) => t.name === p.expected.name);
    if (found === undefined) return { state: 'absent' };
    drifts = diffPhysicalTable(
      only(live, { triggers: [physicalTrigger(p.expected)] }),
      only(live, { triggers: [found] }),
    );
  }
  if (drifts.length === 0) return { state: 'done' };
  return {
    state: 'conflict',
    message: `it already exists with another shape (${drifts.map((d) => d.message).join('; ')}); make it match the migration by hand, or rename the object that is in the way`,
  };
}

/**
 * The database the session works in (`SELECT DATABASE()`), which names the migration lock (the adapter's
 * `migrate` and the seam's both ask it so); a session without one is a `ValidationError` (the tables could
 * not be found either).
 *
 * @example
 * ```ts
 * const database = await databaseInUse(conn); // 'shop'
 * ```
 */
export async function databaseInUse(conn: Queryable): Promise<string> {
  const [row] = await selectRows<{ db: unknown }>(conn, 'SELECT DATABASE() AS db');
  const database = row?.db;
  if (typeof database !== 'string' || database === '') {
    throw new ValidationError('migration target', [
      { field: 'database', rule: 'the connection must select a database (name it in the URL)' },
    ]);
  }
  return database;
}

/**
 * How MySQL/MariaDB tables look to the seam's `verifySchema`: the logical model compiled to the shapes
 * `information_schema` reports (`schemaShape`), and the live tables with the prefix (`introspect`),
 * both normalised so MySQL 8 and MariaDB compare equal.
 *
 * @example
 * ```ts
 * const v = await verifySchema(db, pet, { prefix: 'wp_pet_', hooks: { schemaShape: mysqlSchemaShape } });
 * ```
 */
export const mysqlSchemaShape: SchemaShapeHooks = {
  expected: (model, prefix) => schemaShape(prefix, model),
  live: (db, prefix) => introspect(queryableOf(db), { prefix }),
};

/**
 * What MySQL/MariaDB add to a run of the seam's resumable migration engine (`PetDialect.migrationHooks`
 * of `mysqlDialect`): each statement probed in `information_schema` first and skipped when its effect is
 * already in place (a crashed run executed it; a table made by hand in a shape the list gives it), a
 * conflicting object failing its statement; the migration lock named after the database in use
 * (`SELECT DATABASE()`, not the pool's configuration) as every earlier release named it
 * (`legacyMigrationLockName`), so the adapter's `migrate` and the seam's, of any release and through any
 * pool, exclude each other; journal times from the server's clock (`UTC_TIMESTAMP(6)`); journal rows
 * with the compiled-statement checksums of earlier releases recognised; for `verifySchema`, the tables
 * as `information_schema` shows them ({@link mysqlSchemaShape}). The migration events are the seam's
 * (through the event store). `_database` (the configured one) names nothing any more.
 */
export function mysqlMigrationHooks(_database?: string): NonNullable<PetDialect['migrationHooks']> {
  return (_db, run): MigrationHooks => {
    const { prefix } = run;
    const states = tableStates(run.migrations, prefix);
    const byId = new Map(run.migrations.map((m) => [m.id, m]));
    return {
      probe: async (db, step) => {
        const p = compileOperation(step.operation, prefix, step.before).probe;
        const found = await probe(queryableOf(db), p, states);
        if (found.state === 'conflict') throw new PetError('DATABASE_ERROR', found.message);
        return found.state;
      },
      database: (db) => databaseInUse(queryableOf(db)),
      lockName: legacyMigrationLockName,
      timestamp: () => sql`UTC_TIMESTAMP(6)`,
      schemaShape: mysqlSchemaShape,
      recordsEarlierChecksums: (entry: JournalEntry) => {
        const m = byId.get(entry.id);
        return (
          m !== undefined && recordsLegacy({ ...migrationChecksums(m), legacy: legacyChecksums(m) }, entry)
        );
      },
    };
  };
}
