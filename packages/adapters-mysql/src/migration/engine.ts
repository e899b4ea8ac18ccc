import { type Instant, PetError, parseInput, type Uuid, ValidationError } from '@pet-ops/core';
import {
  applyOperation,
  assertValidMigrations,
  describeJournalProblem,
  EMPTY_SCHEMA,
  expectedSchema,
  type JournalProblem,
  journalMigration,
  type Migration,
  migrationIdSchema,
  type PendingMigration,
  reconcile,
  migrations as releasedMigrations,
} from '@pet-ops/migrations';
import {
  type AnyDatabase,
  assertDataStepsRegistered,
  type MissingDataStep,
  missingDataSteps,
  type PetDialect,
  runDataStep,
} from '@pet-ops/sql';
import { Kysely } from 'kysely';
import type { Pool, PoolConnection } from 'mysql2/promise';
import { v7 } from 'uuid';
import { z } from 'zod';
import { connect } from '../connection.js';
import { isDriverError, mapDriverError } from '../errors.js';
import { sqlToInstant } from '../internal/datetime.js';
import { mysqlDialectOnConnection } from '../pet-dialect.js';
import { tablePrefixSchema } from '../prefix.js';
import { compileList, type MysqlCompiledMigration, migrationChecksums } from './checksum.js';
import { type CompiledStatement, type Probe, schemaShape, tableShape } from './dialect.js';
import {
  eventsTableName,
  type MigrationEventPayload,
  recordMigrationEvent,
  recordMissingEvents,
} from './events.js';
import {
  introspect,
  normaliseColumnType,
  normaliseDefault,
  type Queryable,
  selectRows,
  tableExists,
} from './introspect.js';
import {
  insertStarted,
  journalTableName,
  readJournal,
  toJournalEntry,
  updateApplied,
  updateChecksums,
  updateFailed,
  updateProgress,
  updateRestarted,
} from './journal.js';
import type { SchemaMigrationRow } from './journal.table.js';
import { acquireMigrationLock, migrationLockName, releaseMigrationLock } from './lock.js';
import { diffSchemas, diffTable, type SchemaDrift, type TableShape } from './shape.js';

/** Where the schema lives: a mysql2 promise pool, or a `mysql://…/database` URL (a pool is opened and closed). */
export type MigrationTarget = Pool | string;

/** Options shared by every migration entry point. */
export interface SchemaOptions {
  /** Table prefix, `^[A-Za-z0-9_]{0,20}$` (default none). */
  readonly prefix?: string;
  /** The migration list; default PET's one authoritative list. Other lists are for tests and tools. */
  readonly migrations?: readonly Migration[];
}

/** Progress reported by {@link migrate}, in order. `statement` numbers are 1-based. */
export type MigrationProgress =
  | { readonly kind: 'journal-created'; readonly table: string }
  /** A journal row recorded the migration's legacy checksums; they were rewritten to the logical ones. */
  | {
      readonly kind: 'checksums-upgraded';
      readonly migrationId: string;
      readonly from: string;
      readonly to: string;
    }
  | {
      readonly kind: 'migration-started';
      readonly migrationId: string;
      readonly name: string;
      readonly fromStatement: number;
      readonly totalStatements: number;
    }
  | {
      readonly kind: 'statement-executed';
      readonly migrationId: string;
      readonly statement: number;
      readonly totalStatements: number;
      readonly sql: string;
      /** True when the probe found the statement's effect already in place and it did not run. */
      readonly skipped: boolean;
      /** For a data step: the rows its run reported. */
      readonly rows?: number;
    }
  | {
      readonly kind: 'statement-recorded';
      readonly migrationId: string;
      readonly statement: number;
      readonly totalStatements: number;
    }
  | { readonly kind: 'migration-completed'; readonly migrationId: string }
  | {
      readonly kind: 'migration-failed';
      readonly migrationId: string;
      readonly statement: number;
      readonly error: string;
    };

/** Options of {@link migrate}. */
export interface MigrateOptions extends SchemaOptions {
  /** Stop after this migration id (inclusive); default: the last one. */
  readonly target?: string;
  /** How long to wait for another runner's lock, in seconds (default 60; 0 = do not wait). */
  readonly lockTimeoutSeconds?: number;
  /** Called (and awaited) at each step; see {@link MigrationProgress}. */
  readonly onProgress?: (progress: MigrationProgress) => void | Promise<void>;
}

/** What a {@link migrate} run did. */
export interface MigrateResult {
  readonly database: string;
  readonly prefix: string;
  /** Migrations this run completed, in order. */
  readonly applied: readonly string[];
  /** Migrations that were already applied before this run. */
  readonly alreadyApplied: readonly string[];
  /** Statements this run executed. */
  readonly executedStatements: number;
  /** Statements this run found already in effect (a crashed run executed them) and skipped. */
  readonly skippedStatements: number;
  /**
   * Migrations whose journal row recorded the legacy (compiled-statement) checksums of an earlier version
   * and was rewritten to the logical ones by this run, in list order.
   */
  readonly upgradedChecksums: readonly string[];
  /** The data steps this run ran, in order, with the rows each reported (also counted as executed statements). */
  readonly dataSteps: readonly {
    readonly migrationId: string;
    readonly step: string;
    readonly rows: number;
  }[];
}

/** One migration as {@link status} reports it. */
export interface MigrationStatus {
  readonly id: string;
  readonly name: string;
  readonly state: 'applied' | 'pending' | 'running' | 'failed';
  readonly appliedStatements: number;
  readonly totalStatements: number;
  readonly attempts: number;
  /** 1-based statement that failed, while `state` is `failed`. */
  readonly failedStatement: number | null;
  readonly error: string | null;
  readonly startedAt: Instant | null;
  readonly updatedAt: Instant | null;
  readonly finishedAt: Instant | null;
  /** Checksum recorded in the journal (`null` when pending). */
  readonly checksum: string | null;
}

/** The journal compared with the migration list. */
export interface SchemaStatus {
  readonly database: string;
  readonly prefix: string;
  /** True when every migration is applied and the journal matches the list. */
  readonly current: boolean;
  readonly migrations: readonly MigrationStatus[];
  /** Journal rows of migrations the list does not contain (a newer version migrated this database). */
  readonly unknown: readonly MigrationStatus[];
  /**
   * Migrations whose journal row still records the legacy (compiled-statement) checksums written by an
   * earlier version; they are accepted as those migrations, and the next `migrate` rewrites them to the
   * logical checksums.
   */
  readonly legacyChecksums: readonly string[];
  /** Data steps of migrations not yet applied that are not registered: `migrate` and `plan` refuse them. */
  readonly missingDataSteps: readonly MissingDataStep[];
  /** Why nothing may run (tampering, unknown or out-of-order migrations), or `null`. */
  readonly problem: {
    readonly kind: JournalProblem['kind'];
    readonly migrationId: string;
    readonly message: string;
  } | null;
}

/** One pending statement as {@link plan} lists it. */
export interface PlannedStatement {
  readonly migrationId: string;
  readonly name: string;
  /** 1-based. */
  readonly statement: number;
  readonly totalStatements: number;
  /** The statement, or for a data step its marker `-- data step <step>: <description>` (never sent). */
  readonly sql: string;
  /** For a data step: the registered step's name (the engine runs it instead of `sql`). */
  readonly dataStep?: string;
}

/** What {@link verify} found. */
export interface VerifyResult {
  readonly database: string;
  readonly prefix: string;
  /** True when the journal matches the migration list and the live schema is what the journal says. */
  readonly ok: boolean;
  readonly drifts: readonly SchemaDrift[];
  /**
   * Where the journal disagrees with the migration list: an applied migration whose checksum, or any of
   * whose statement checksums, changed; a statement of a partly applied one that changed; a migration the
   * list does not know. One message each.
   */
  readonly journal: readonly string[];
}

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * True when a journal row records the legacy (compiled-statement) checksums of this migration, as
 * versions before the logical checksums wrote them: an applied row must carry the legacy checksum and
 * every legacy step checksum; a running or failed one the legacy step checksums of the statements that
 * ran (and, when none ran, the legacy checksum).
 */
function recordsLegacy(m: MysqlCompiledMigration, row: SchemaMigrationRow): boolean {
  const entry = toJournalEntry(row);
  if (entry.status === 'applied') {
    return entry.checksum === m.legacy.checksum && sameList(entry.stepChecksums, m.legacy.stepChecksums);
  }
  if (entry.checksum === m.checksum) return false;
  if (entry.appliedSteps === 0) return entry.checksum === m.legacy.checksum;
  return sameList(
    entry.stepChecksums.slice(0, entry.appliedSteps),
    m.legacy.stepChecksums.slice(0, entry.appliedSteps),
  );
}

/**
 * The journal as the current checksums read it: a row that records the legacy checksums of its migration
 * reads as if it recorded the logical ones (one operation is one statement, so steps align one to one),
 * and its id is listed in `legacy`. Any other row reads as it is, so one that matches neither is still
 * `tampered`. Pure: nothing is written.
 */
function readThroughUpgrade(
  compiled: readonly MysqlCompiledMigration[],
  rows: readonly SchemaMigrationRow[],
): { readonly rows: SchemaMigrationRow[]; readonly legacy: SchemaMigrationRow[] } {
  const byId = new Map(compiled.map((m) => [m.id, m]));
  const legacy: SchemaMigrationRow[] = [];
  const out = rows.map((row) => {
    const m = byId.get(row.id);
    if (m === undefined || !recordsLegacy(m, row)) return row;
    legacy.push(row);
    return { ...row, checksum: m.checksum, step_checksums: JSON.stringify(m.stepChecksums) };
  });
  return { rows: out, legacy };
}

/** Every disagreement between the journal and the compiled list (checksums of applied parts, unknown ids). */
function journalDrifts(
  compiled: readonly MysqlCompiledMigration[],
  rows: readonly SchemaMigrationRow[],
): string[] {
  const byId = new Map(compiled.map((m) => [m.id, m]));
  const out: string[] = [];
  for (const row of rows) {
    const m = byId.get(row.id);
    if (m === undefined) {
      out.push(`${row.id} (${row.status}) is in the journal but not in this migration list`);
      continue;
    }
    const entry = toJournalEntry(row);
    if (entry.status === 'applied' && entry.checksum !== m.checksum) {
      out.push(`${row.id}: journal checksum ${entry.checksum} differs from the code's ${m.checksum}`);
    }
    const ran = entry.status === 'applied' ? m.stepChecksums.length : entry.appliedSteps;
    for (let i = 0; i < Math.max(ran, entry.status === 'applied' ? entry.stepChecksums.length : 0); i++) {
      const recorded = entry.stepChecksums[i] ?? '(none)';
      const computed = m.stepChecksums[i] ?? '(none)';
      if (recorded !== computed) {
        out.push(
          `${row.id} statement ${i + 1}: journal checksum ${recorded} differs from the code's ${computed}`,
        );
      }
    }
  }
  return out;
}

const listSchema = z.custom<readonly Migration[]>((v) => Array.isArray(v), 'must be an array of migrations');
const baseShape = { prefix: tablePrefixSchema.optional(), migrations: listSchema.optional() };
const schemaOptionsSchema = z.object(baseShape);
const planOptionsSchema = z.object({ ...baseShape, target: migrationIdSchema.optional() });
const migrateOptionsSchema = z.object({
  ...baseShape,
  target: migrationIdSchema.optional(),
  lockTimeoutSeconds: z.number().int('must be whole seconds').min(0).max(86_400).optional(),
  onProgress: z
    .custom<(p: MigrationProgress) => void | Promise<void>>(
      (v) => typeof v === 'function',
      'must be a function',
    )
    .optional(),
});

interface Context {
  readonly conn: PoolConnection;
  readonly database: string;
  readonly prefix: string;
  readonly list: readonly Migration[];
  readonly compiled: readonly MysqlCompiledMigration[];
  readonly states: TableStates;
  /** Closes the pinned connection instead of returning it to the pool (frees any lock it holds). */
  readonly discard: () => void;
}

const validLists = new WeakSet<readonly Migration[]>();

function checkList(list: readonly Migration[]): void {
  if (validLists.has(list)) return;
  assertValidMigrations(list);
  const first = list[0];
  // The engine's journal code depends on the exact journal table the first migration creates.
  if (
    first === undefined ||
    first.id !== journalMigration.id ||
    migrationChecksums(first).checksum !== migrationChecksums(journalMigration).checksum
  ) {
    throw new ValidationError('migration options', [
      { field: 'migrations.0', rule: `must be the journal migration ${journalMigration.id}` },
    ]);
  }
  validLists.add(list);
}

function isPool(db: unknown): db is Pool {
  return typeof db === 'object' && db !== null && typeof (db as Pool).getConnection === 'function';
}

async function withConnection<T>(
  db: MigrationTarget,
  options: {
    readonly prefix?: string | undefined;
    readonly migrations?: readonly Migration[] | undefined;
    readonly target?: string | undefined;
  },
  work: (ctx: Context) => Promise<T>,
): Promise<T> {
  const list = options.migrations ?? releasedMigrations;
  checkList(list);
  const target = options.target;
  if (target !== undefined && !list.some((m) => m.id === target)) {
    throw problemError({ kind: 'unknown_target', migrationId: target });
  }
  const prefix = options.prefix ?? '';
  if (typeof db !== 'string' && !isPool(db)) {
    throw new ValidationError('migration target', [
      { field: 'db', rule: 'must be a mysql2 promise Pool or a mysql:// URL' },
    ]);
  }
  const pool = typeof db === 'string' ? await connect({ url: db, connectionLimit: 2 }) : db;
  try {
    const conn = await pool.getConnection().catch((e: unknown) => {
      throw mapDriverError(e, 'connect');
    });
    let discarded = false;
    const discard = (): void => {
      discarded = true;
      conn.destroy();
    };
    try {
      const [row] = await selectRows<{ db: unknown }>(conn, 'SELECT DATABASE() AS db');
      const database = row?.db;
      if (typeof database !== 'string' || database === '') {
        throw new ValidationError('migration target', [
          { field: 'database', rule: 'the connection must select a database (name it in the URL)' },
        ]);
      }
      const compiled = compileList(list, prefix);
      return await work({
        conn,
        database,
        prefix,
        list,
        compiled,
        states: tableStates(list, prefix),
        discard,
      });
    } catch (e) {
      // A connection killed or lost mid-run (the journal read, the lock, a probe) is a typed,
      // retryable error; a re-run resumes at the first unfinished statement.
      throw isDriverError(e) ? mapDriverError(e, 'migrate') : e;
    } finally {
      if (!discarded) conn.release();
    }
  } finally {
    if (typeof db === 'string') await pool.end();
  }
}

/** The journal read through {@link readThroughUpgrade} (legacy rows read as logical), or empty. */
async function journalRows(
  ctx: Context,
): Promise<{ readonly rows: SchemaMigrationRow[]; readonly legacy: SchemaMigrationRow[] }> {
  const rows = (await tableExists(ctx.conn, journalTableName(ctx.prefix)))
    ? await readJournal(ctx.conn, ctx.prefix)
    : [];
  return readThroughUpgrade(ctx.compiled, rows);
}

function problemError(problem: JournalProblem): PetError {
  if (problem.kind === 'unknown_target') {
    return new ValidationError('migration options', [
      { field: 'target', rule: describeJournalProblem(problem) },
    ]);
  }
  return new PetError('MIGRATION_TAMPERED', describeJournalProblem(problem), {
    details: { ...problem, reason: problem.kind },
  });
}

async function inTransaction(conn: PoolConnection, work: () => Promise<void>): Promise<void> {
  await conn.beginTransaction();
  try {
    await work();
    await conn.commit();
  } catch (e) {
    await conn.rollback().catch(() => undefined);
    throw e;
  }
}

async function liveTable(conn: Queryable, table: string): Promise<TableShape | undefined> {
  if (!(await tableExists(conn, table))) return undefined;
  return (await introspect(conn, { prefix: '', tables: [table] })).tables[0];
}

const only = (t: TableShape, part: Partial<TableShape>): TableShape => ({
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
type TableStates = (table: string) => readonly TableShape[];

/** {@link TableStates} of a list, computed once, on the first table found in the way. */
function tableStates(list: readonly Migration[], prefix: string): TableStates {
  let byTable: Map<string, TableShape[]> | undefined;
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
  let drifts: SchemaDrift[];
  if (p.kind === 'table') {
    drifts = diffTable(p.expected, live);
    // Ahead of its creation statement: fine when it is what a later statement of the list makes of it;
    // those statements' own probes then find their parts done.
    if (drifts.length > 0 && states(p.table).some((later) => diffTable(later, live).length === 0)) {
      return { state: 'done' };
    }
  } else if (p.kind === 'column') {
    const found = live.columns.find((c) => c.name === p.expected.name);
    if (found === undefined) return { state: 'absent' };
    drifts = diffTable(only(live, { columns: [p.expected] }), only(live, { columns: [found] }));
  } else if (p.kind === 'index') {
    const found = live.indexes.find((i) => i.name === p.expected.name);
    if (found === undefined) return { state: 'absent' };
    drifts = diffTable(only(live, { indexes: [p.expected] }), only(live, { indexes: [found] }));
  } else {
    const found = live.triggers.find((t) => t.name === p.expected.name);
    if (found === undefined) return { state: 'absent' };
    drifts = diffTable(only(live, { triggers: [p.expected] }), only(live, { triggers: [found] }));
  }
  if (drifts.length === 0) return { state: 'done' };
  return {
    state: 'conflict',
    message: `it already exists with another shape (${drifts.map((d) => d.message).join('; ')}); make it match the migration by hand, or rename the object that is in the way`,
  };
}

/** Runs one statement unless its probe finds it done. Returns true when it ran. */
async function applyStatement(
  conn: PoolConnection,
  statement: CompiledStatement,
  states: TableStates,
): Promise<boolean> {
  const found = await probe(conn, statement.probe, states);
  if (found.state === 'done') return false;
  if (found.state === 'conflict') throw new PetError('DATABASE_ERROR', found.message);
  await conn.query(statement.sql);
  return true;
}

function migrationFailed(
  m: MysqlCompiledMigration,
  index: number,
  cause: PetError,
  journaled = true,
): PetError {
  const k = index + 1;
  const n = m.statements.length;
  const sql = m.statements[index] ?? '';
  return new PetError(
    'MIGRATION_FAILED',
    `migration ${m.id} ("${m.name}") failed at statement ${k} of ${n}: ${cause.message}. ` +
      `Statements before it stay applied and nothing after it ran${journaled ? '; the journal records the failure' : ''}. ` +
      `Fix: remove the cause (data, privileges, server) or ship a corrected version of statements ${k}..${n} ` +
      `under the same id, then run migrate again: it resumes at statement ${k}. Statement: ${sql}`,
    {
      details: {
        migrationId: m.id,
        name: m.name,
        statement: k,
        totalStatements: n,
        sql,
        cause: cause.code,
        ...pick(cause.details, ['errno', 'sqlState']),
      },
      cause,
    },
  );
}

const pick = (o: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(keys.map((k) => [k, o[k]]));

const payloadOf = (m: MysqlCompiledMigration, error?: string): MigrationEventPayload =>
  error === undefined
    ? { migrationId: m.id, name: m.name, checksum: m.checksum }
    : { migrationId: m.id, name: m.name, checksum: m.checksum, error };

interface RunState {
  eventsReady: boolean;
  executed: number;
  skipped: number;
  readonly dataSteps: { migrationId: string; step: string; rows: number }[];
  /** Kysely and PetDialect on the run's own connection, built at the first data step. */
  stepDb: { readonly db: AnyDatabase; readonly dialect: PetDialect } | undefined;
  readonly runId: Uuid;
  readonly progress: (p: MigrationProgress) => void | Promise<void>;
}

async function recordMissing(ctx: Context, state: RunState): Promise<void> {
  const applied = (await readJournal(ctx.conn, ctx.prefix)).filter((r) => r.status === 'applied');
  await inTransaction(ctx.conn, () => recordMissingEvents(ctx.conn, ctx.prefix, applied, state.runId));
}

/** The run's Kysely and PetDialect over its own pinned connection (built once, at the first data step). */
function stepDatabase(
  ctx: Context,
  state: RunState,
): { readonly db: AnyDatabase; readonly dialect: PetDialect } {
  if (state.stepDb === undefined) {
    const dialect = mysqlDialectOnConnection(ctx.conn, ctx.database);
    const db: AnyDatabase = new Kysely({ dialect: dialect.kysely });
    state.stepDb = { db, dialect };
  }
  return state.stepDb;
}

async function runMigration(ctx: Context, pending: PendingMigration, state: RunState): Promise<void> {
  const { conn, prefix } = ctx;
  const m = pending.migration as MysqlCompiledMigration;
  const total = m.statements.length;
  const eventsAtStart = state.eventsReady;
  await inTransaction(conn, async () => {
    if (pending.previous === undefined) await insertStarted(conn, prefix, m);
    else await updateRestarted(conn, prefix, m);
    if (eventsAtStart) {
      await recordMigrationEvent(conn, prefix, {
        type: 'migration.started',
        payload: payloadOf(m),
        correlationId: state.runId,
      });
    }
  });
  await state.progress({
    kind: 'migration-started',
    migrationId: m.id,
    name: m.name,
    fromStatement: pending.fromStep + 1,
    totalStatements: total,
  });
  for (let i = pending.fromStep; i < total; i++) {
    const statement = m.compiled[i] as CompiledStatement;
    let ran: boolean;
    let rows: number | undefined;
    try {
      if (statement.probe.kind === 'dataStep') {
        // The registered TypeScript step runs instead of the marker, on this connection (lock held).
        const on = stepDatabase(ctx, state);
        rows = (await runDataStep(statement.probe.step, { ...on, prefix })).rows;
        state.dataSteps.push({ migrationId: m.id, step: statement.probe.step, rows });
        ran = true;
      } else {
        ran = await applyStatement(conn, statement, ctx.states);
      }
    } catch (e) {
      const cause = mapDriverError(e, `statement ${i + 1}`);
      await inTransaction(conn, async () => {
        await updateFailed(conn, prefix, m.id, i + 1, cause.message);
        if (state.eventsReady) {
          await recordMigrationEvent(conn, prefix, {
            type: 'migration.failed',
            payload: payloadOf(m, cause.message),
            correlationId: state.runId,
          });
        }
      });
      await state.progress({
        kind: 'migration-failed',
        migrationId: m.id,
        statement: i + 1,
        error: cause.message,
      });
      throw migrationFailed(m, i, cause);
    }
    if (ran) state.executed++;
    else state.skipped++;
    await state.progress({
      kind: 'statement-executed',
      migrationId: m.id,
      statement: i + 1,
      totalStatements: total,
      sql: statement.sql,
      skipped: !ran,
      ...(rows === undefined ? {} : { rows }),
    });
    await updateProgress(conn, prefix, m.id, i + 1);
    await state.progress({
      kind: 'statement-recorded',
      migrationId: m.id,
      statement: i + 1,
      totalStatements: total,
    });
    if (statement.probe.kind === 'table' && statement.probe.table === eventsTableName(prefix)) {
      state.eventsReady = true;
    }
  }
  await inTransaction(conn, async () => {
    await updateApplied(conn, prefix, m.id);
    if (eventsAtStart) {
      await recordMigrationEvent(conn, prefix, {
        type: 'migration.completed',
        payload: payloadOf(m),
        correlationId: state.runId,
      });
    }
  });
  // The event log appeared during this migration: record this one and the ones before it now.
  if (!eventsAtStart && state.eventsReady) await recordMissing(ctx, state);
  await state.progress({ kind: 'migration-completed', migrationId: m.id });
}

/** The migrations of a plan's pending entries, from the list (data steps are read from the operations). */
function pendingMigrations(ctx: Context, pending: readonly PendingMigration[]): Migration[] {
  const ids = new Set(pending.map((p) => p.migration.id));
  return ctx.list.filter((m) => ids.has(m.id));
}

async function runLocked(
  ctx: Context,
  options: { readonly target?: string | undefined; readonly onProgress?: MigrateOptions['onProgress'] },
): Promise<MigrateResult> {
  const { conn, prefix } = ctx;
  const state: RunState = {
    eventsReady: false,
    executed: 0,
    skipped: 0,
    dataSteps: [],
    stepDb: undefined,
    runId: v7() as Uuid,
    progress: options.onProgress ?? (() => undefined),
  };
  // Bootstrap: the journal cannot record its own creation, so the first migration's single,
  // idempotent statement runs before the journal is read; the normal path below then finds it done
  // (probe) and records the migration like any other. An existing journal is probed too: one of
  // another shape (made by hand, or by other software) is refused before its rows are read.
  const journalTable = journalTableName(prefix);
  const boot = ctx.compiled[0] as MysqlCompiledMigration;
  let created = false;
  for (const [i, statement] of boot.compiled.entries()) {
    try {
      if (await applyStatement(conn, statement, ctx.states)) {
        state.executed++;
        created = true;
      }
    } catch (e) {
      throw migrationFailed(boot, i, mapDriverError(e, `statement ${i + 1}`), false);
    }
  }
  if (created) await state.progress({ kind: 'journal-created', table: journalTable });
  const { rows, legacy } = readThroughUpgrade(ctx.compiled, await readJournal(conn, prefix));
  // Before anything runs: every applied migration must be unchanged and known.
  const decision = reconcile(ctx.compiled, rows.map(toJournalEntry), { target: options.target });
  if (!decision.ok) throw problemError(decision.error);
  // Every data step of what is about to run must be registered, before anything of it runs.
  assertDataStepsRegistered(pendingMigrations(ctx, decision.value.pending), 'migrate');
  // Rows written with the legacy checksums of the same migrations move to the logical ones, one UPDATE
  // each, still inside the lock and before anything else is written.
  const upgradedChecksums: string[] = [];
  for (const row of legacy) {
    const m = ctx.compiled.find((c) => c.id === row.id) as MysqlCompiledMigration;
    await updateChecksums(conn, prefix, row.id, row.checksum, m);
    upgradedChecksums.push(row.id);
    await state.progress({
      kind: 'checksums-upgraded',
      migrationId: row.id,
      from: row.checksum,
      to: m.checksum,
    });
  }
  state.eventsReady = await tableExists(conn, eventsTableName(prefix));
  if (state.eventsReady) await recordMissing(ctx, state);
  const applied: string[] = [];
  try {
    for (const pending of decision.value.pending) {
      await runMigration(ctx, pending, state);
      applied.push(pending.migration.id);
    }
  } finally {
    // Ends nothing on the server: the pinned "pool" of the steps' Kysely never closes the connection.
    await state.stepDb?.db.destroy();
  }
  return {
    database: ctx.database,
    prefix,
    applied,
    alreadyApplied: decision.value.applied,
    executedStatements: state.executed,
    skippedStatements: state.skipped,
    upgradedChecksums,
    dataSteps: state.dataSteps,
  };
}

/**
 * Brings the schema to the head of the migration list (or to `target`), forward only. Give it a pool
 * from {@link connect} (or a URL); the pool must select the database.
 *
 * How it works: takes `GET_LOCK(pet_migrate_<sha256(database:prefix)>)` on one pinned connection
 * (waiting at most `lockTimeoutSeconds`, else `MIGRATION_LOCK_TIMEOUT`) and releases it at the end;
 * concurrent runners therefore wait and then find nothing to do. It then checks the journal
 * (`<prefix>schema_migrations`) against the list before running anything: an applied migration whose
 * checksum changed, or a journal entry the list does not know, is `MIGRATION_TAMPERED`. Checksums are
 * those of the logical operations (`migrationChecksums`), the same on every database; a row written by
 * an earlier version records the checksums of the compiled statements instead: when they are exactly
 * those of the same migration, the row is accepted and rewritten to the logical checksums (one UPDATE
 * of the row, inside the lock, before anything else runs; reported as `checksums-upgraded` progress and
 * in `upgradedChecksums`); a row that matches neither is `MIGRATION_TAMPERED`. Each operation
 * is one statement, probed in `information_schema` first and skipped when already in effect, and its
 * progress is recorded after it runs, so a crashed run resumes at the first unfinished statement.
 * Tables that exist before their migration ran (made by hand, or by an earlier tool) are taken as
 * they are when their shape is one the list gives them at some point (at creation, with their guards,
 * or with later columns and indexes); any other shape, the journal's included, fails the statement
 * that would create it with `MIGRATION_FAILED` naming each difference, and the table is left as it is.
 * A failing statement marks the migration `failed` (statement number and error in the journal, a
 * `migration.failed` event) and throws `MIGRATION_FAILED`; the next run retries from that statement.
 * A failed migration is fixed by shipping a new version of the same id that changes only statements
 * that have not run yet; changing one that ran is tampering. A data step (`{ op: 'dataStep' }`) is a
 * step like a statement, but the engine runs its registered TypeScript step (`registerDataStep` of
 * `@pet-ops/sql`) on this same connection, with the lock held and outside any transaction, instead of
 * sending its marker text; it has no probe, so a step that failed or was interrupted runs again from its
 * start (steps are idempotent by contract). A data step nobody registered is `MIGRATION_FAILED`
 * (`reason: 'unknown_data_step'`) before any pending migration runs. `migration.started` / `.completed` /
 * `.failed` events go to `domain_events` (stream type `migration`); those of migrations that ran before
 * the event log existed are recorded as soon as it does, with the journal's times.
 *
 * @example
 * ```ts
 * const result = await migrate(pool, { prefix: 'wp_pet_', lockTimeoutSeconds: 120 });
 * console.log(`${result.applied.length} applied, ${result.alreadyApplied.length} already there`);
 * ```
 */
export async function migrate(db: MigrationTarget, options: MigrateOptions = {}): Promise<MigrateResult> {
  const opts = parseInput(migrateOptionsSchema, options, 'migration options');
  return withConnection(db, opts, async (ctx) => {
    const lockName = migrationLockName(ctx.database, ctx.prefix);
    await acquireMigrationLock(ctx.conn, lockName, opts.lockTimeoutSeconds ?? 60, ctx);
    let failed = false;
    try {
      return await runLocked(ctx, opts);
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      const released = await releaseMigrationLock(ctx.conn, lockName).catch(() => false);
      if (!released) {
        // Closing the session frees any lock it still holds.
        ctx.discard();
        if (!failed) {
          // biome-ignore lint/correctness/noUnsafeFinally: losing the lock mid-run must not pass silently.
          throw new PetError(
            'DATABASE_ERROR',
            `the migration lock of database ${ctx.database} was no longer held when the run ended (connection reset?); another runner may have run concurrently: run verify()`,
            { details: { lockName } },
          );
        }
      }
    }
  });
}

function toStatus(
  id: string,
  name: string,
  row: SchemaMigrationRow | undefined,
  total: number,
): MigrationStatus {
  const instant = (s: string | null | undefined): Instant | null =>
    s === null || s === undefined ? null : sqlToInstant(s);
  return {
    id,
    name,
    state: row?.status ?? 'pending',
    appliedStatements: row === undefined ? 0 : row.status === 'applied' ? row.total_steps : row.applied_steps,
    totalStatements: row?.total_steps ?? total,
    attempts: row?.attempts ?? 0,
    failedStatement: row?.status === 'failed' ? row.failed_step : null,
    error: row?.error ?? null,
    startedAt: instant(row?.started_at),
    updatedAt: instant(row?.updated_at),
    finishedAt: instant(row?.finished_at),
    checksum: row?.checksum ?? null,
  };
}

/**
 * Lists every migration of the list as applied, pending, running or failed (with statements done,
 * attempts, times and error), plus journal entries the list does not know. Takes no lock and writes
 * nothing (rows with the legacy checksums of the same migrations are accepted and listed in
 * `legacyChecksums`; `migrate` upgrades them); a `running` entry is either in progress or a crashed run that the next `migrate` resumes.
 *
 * @example
 * ```ts
 * const s = await status(pool, { prefix: 'wp_pet_' });
 * for (const m of s.migrations) console.log(m.id, m.state, `${m.appliedStatements}/${m.totalStatements}`);
 * ```
 */
export async function status(db: MigrationTarget, options: SchemaOptions = {}): Promise<SchemaStatus> {
  const opts = parseInput(schemaOptionsSchema, options, 'migration options');
  return withConnection(db, opts, async (ctx) => {
    const { rows, legacy } = await journalRows(ctx);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const decision = reconcile(ctx.compiled, rows.map(toJournalEntry));
    const migrations = ctx.compiled.map((m) => toStatus(m.id, m.name, byId.get(m.id), m.statements.length));
    const known = new Set(ctx.compiled.map((m) => m.id));
    const unknown = rows.filter((r) => !known.has(r.id)).map((r) => toStatus(r.id, r.name, r, r.total_steps));
    return {
      database: ctx.database,
      prefix: ctx.prefix,
      current: decision.ok && migrations.every((m) => m.state === 'applied'),
      migrations,
      unknown,
      legacyChecksums: legacy.map((r) => r.id),
      missingDataSteps: missingDataSteps(ctx.list.filter((m) => byId.get(m.id)?.status !== 'applied')),
      problem: decision.ok
        ? null
        : {
            kind: decision.error.kind,
            migrationId: decision.error.migrationId,
            message: describeJournalProblem(decision.error),
          },
    };
  });
}

/**
 * The SQL the next `migrate` would run (up to `target`), from the first unfinished statement of each
 * pending, failed or crashed migration. Runs nothing. Refuses like `migrate` when the journal does not
 * match the list (`MIGRATION_TAMPERED`), and when a pending data step is not registered
 * (`MIGRATION_FAILED`). A statement whose effect is already in place is skipped at run time. A data step
 * is listed as its marker (`-- data step <step>: <description>`) with `dataStep` set.
 *
 * @example
 * ```ts
 * for (const s of await plan(pool, { prefix: 'wp_pet_' })) console.log(`-- ${s.migrationId} ${s.statement}/${s.totalStatements}\n${s.sql};`);
 * ```
 */
export async function plan(
  db: MigrationTarget,
  options: SchemaOptions & { readonly target?: string } = {},
): Promise<readonly PlannedStatement[]> {
  const opts = parseInput(planOptionsSchema, options, 'migration options');
  return withConnection(db, opts, async (ctx) => {
    const { rows } = await journalRows(ctx);
    const decision = reconcile(ctx.compiled, rows.map(toJournalEntry), { target: opts.target });
    if (!decision.ok) throw problemError(decision.error);
    assertDataStepsRegistered(pendingMigrations(ctx, decision.value.pending), 'plan');
    return decision.value.pending.flatMap((p) => {
      const compiled = (p.migration as MysqlCompiledMigration).compiled;
      return p.migration.statements.slice(p.fromStep).map((sql, i) => {
        const probe = compiled[p.fromStep + i]?.probe;
        return {
          migrationId: p.migration.id,
          name: p.migration.name,
          statement: p.fromStep + i + 1,
          totalStatements: p.migration.statements.length,
          sql,
          ...(probe?.kind === 'dataStep' ? { dataStep: probe.step } : {}),
        };
      });
    });
  });
}

/**
 * Compares the live schema (`information_schema`: tables with the prefix, their columns with type,
 * nullability, default and auto-increment, their indexes and triggers) with the schema the journal
 * says was applied (derived from the same migration list, statement by statement) and returns every
 * drift: missing or extra table, column, index or trigger, and every mismatch. It also checks the
 * journal against the list (`journal`): a row that records the legacy checksums of the same migration
 * is no drift. Writes nothing.
 *
 * @example
 * ```ts
 * const { ok, drifts } = await verify(pool, { prefix: 'wp_pet_' });
 * if (!ok) for (const d of drifts) console.error(d.message);
 * ```
 */
export async function verify(db: MigrationTarget, options: SchemaOptions = {}): Promise<VerifyResult> {
  const opts = parseInput(schemaOptionsSchema, options, 'migration options');
  return withConnection(db, opts, async (ctx) => {
    const { rows } = await journalRows(ctx);
    const done = new Map(rows.map((r) => [r.id, r.status === 'applied' ? r.total_steps : r.applied_steps]));
    const expected = schemaShape(
      ctx.prefix,
      expectedSchema(ctx.list, (id) => done.get(id) ?? 0),
    );
    const live = await introspect(ctx.conn, { prefix: ctx.prefix });
    const drifts = diffSchemas(expected, live);
    const journal = journalDrifts(ctx.compiled, rows);
    return {
      database: ctx.database,
      prefix: ctx.prefix,
      ok: drifts.length === 0 && journal.length === 0,
      drifts,
      journal,
    };
  });
}

/**
 * The activation gate: resolves when every migration is applied; otherwise throws
 * `SCHEMA_NOT_CURRENT` naming the first migration that is pending, running or failed and the fix. It
 * also refuses (fail safe) when the journal has a migration this list does not know (a newer version
 * migrated the database) or out of order, and throws `MIGRATION_TAMPERED` when an applied migration
 * was edited. Call it when the host application starts, after (or instead of) `migrate`.
 *
 * @example
 * ```ts
 * await assertSchemaCurrent(pool, { prefix: 'wp_pet_' }); // refuse to start on an old or broken schema
 * ```
 */
export async function assertSchemaCurrent(db: MigrationTarget, options: SchemaOptions = {}): Promise<void> {
  const s = await status(db, options);
  const where = `database ${s.database}${s.prefix === '' ? '' : ` (prefix '${s.prefix}')`}`;
  if (s.problem !== null) {
    throw new PetError(
      s.problem.kind === 'tampered' ? 'MIGRATION_TAMPERED' : 'SCHEMA_NOT_CURRENT',
      `the PET schema of ${where} cannot be trusted: ${s.problem.message}`,
      {
        details: {
          database: s.database,
          prefix: s.prefix,
          migrationId: s.problem.migrationId,
          reason: s.problem.kind,
        },
      },
    );
  }
  const first = s.migrations.find((m) => m.state !== 'applied');
  if (first === undefined) return;
  const waiting = s.migrations.filter((m) => m.state !== 'applied').length;
  const fix: Record<Exclude<MigrationStatus['state'], 'applied'>, string> = {
    pending: `it is pending (${waiting} migration${waiting === 1 ? '' : 's'} not applied); run migrate() before starting the application`,
    running: `it is running (statement ${first.appliedStatements + 1} of ${first.totalStatements}, started ${first.startedAt ?? '?'}) or its runner crashed; wait for it, or run migrate() again to resume it`,
    failed: `it failed at statement ${first.failedStatement ?? '?'} of ${first.totalStatements}: ${first.error ?? '(no error recorded)'}; fix the cause (or ship a corrected version of its remaining statements) and run migrate() again`,
  };
  throw new PetError(
    'SCHEMA_NOT_CURRENT',
    `the PET schema of ${where} is not current: migration ${first.id} ("${first.name}") ${fix[first.state as keyof typeof fix]}`,
    { details: { database: s.database, prefix: s.prefix, migrationId: first.id, state: first.state } },
  );
}
