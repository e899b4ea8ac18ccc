import { PetError } from '@pet-ops/core';
import type { PetDialect } from '@pet-ops/sql';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresDialect,
  type QueryCompiler,
} from 'kysely';
import type pg from 'pg';
import { postgresCodecs } from './codecs.js';
import { compilePostgres } from './compile.js';
import { copyCapablePool } from './copy.js';
import { streamRows } from './cursor.js';
import { classifyPostgresError } from './errors.js';
import { acquireAdvisoryLock } from './locks.js';
import { postgresSnapshotVisibility } from './snapshot.js';
import { postgresTypes } from './types.js';
import { postgresSchemaShape } from './verify.js';

/** A PostgreSQL schema name PET accepts: a plain identifier (letters, digits, `_`), at most 63 characters. @example `SCHEMA_NAME_RE.test('marketing')` → `true` */
export const SCHEMA_NAME_RE: RegExp = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Kysely's `PostgresDialect` whose introspection sees the tenant's schema only (Kysely's own lists every
 * schema's tables, so a table of another tenant would look present).
 */
class SchemaScopedDialect implements Dialect {
  readonly #base: PostgresDialect;
  readonly #schema: string;
  /** Connections checked out of the pool right now (a pinned `db.connection()` or a transaction). */
  readonly checkedOut: WeakSet<DatabaseConnection> = new WeakSet();
  constructor(base: PostgresDialect, schema: string) {
    this.#base = base;
    this.#schema = schema;
  }
  createDriver(): Driver {
    const driver = this.#base.createDriver();
    const checkedOut = this.checkedOut;
    return new Proxy(driver, {
      get(target, property) {
        if (property === 'acquireConnection') {
          return async (...args: Parameters<Driver['acquireConnection']>) => {
            const connection = await target.acquireConnection(...args);
            checkedOut.add(connection);
            return connection;
          };
        }
        if (property === 'releaseConnection') {
          return async (...args: Parameters<Driver['releaseConnection']>) => {
            checkedOut.delete(args[0]);
            await target.releaseConnection(...args);
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
  createQueryCompiler(): QueryCompiler {
    return this.#base.createQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return this.#base.createAdapter();
  }
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's Dialect signature.
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    const inner = this.#base.createIntrospector(db);
    const schema = this.#schema;
    return {
      getSchemas: () => inner.getSchemas(),
      getTables: async (options) => (await inner.getTables(options)).filter((t) => t.schema === schema),
    };
  }
}

/** Options of {@link postgresDialect}. */
export interface PostgresDialectOptions {
  /**
   * A node-postgres pool whose clients use {@link postgresTypes} as `types` (what `openPostgres` makes).
   * The dialect sets each new connection's `search_path` to `schema` and its time zone to UTC.
   */
  readonly pool: pg.Pool;
  /** The tenant's schema (default `public`): every table, index, trigger and sequence of PET lives in it. */
  readonly schema?: string;
  /** The database name, for lock names (default: the pool's configured database). */
  readonly database?: string;
  /** How long a reader at a gap waits for the transactions in progress (default 30 s). */
  readonly gapWaitMs?: number;
}

function invalid(field: string, rule: string): PetError {
  return new PetError('VALIDATION_FAILED', `invalid postgres options: ${field}: ${rule}`, {
    details: { issues: [{ field, rule }] },
  });
}

/** The schema of a dialect's options, validated (a `VALIDATION_FAILED` naming the rule otherwise). */
export function checkSchemaName(schema: unknown, field = 'schema'): string {
  if (typeof schema !== 'string' || !SCHEMA_NAME_RE.test(schema)) {
    throw invalid(field, 'must match ^[A-Za-z_][A-Za-z0-9_]{0,62}$');
  }
  return schema;
}

/**
 * PET's PostgreSQL dialect for `@pet-ops/sql`: Kysely's `PostgresDialect` over a node-postgres pool, one
 * **schema per tenant** (each connection's `search_path`; the table prefix still applies inside it),
 * transactional DDL (a failing migration leaves nothing and is not recorded), advisory locks on a stable
 * 64-bit hash of database + schema + prefix + purpose, SQLSTATE → `PetError`, the logical schema compiled
 * to `uuid`/`timestamptz`/`jsonb`/`bigint` with guards as triggers (including `BEFORE TRUNCATE`), rows
 * loaded `FOR UPDATE`, positions from `INSERT … RETURNING`, `snapshot` gap safety (transaction ids and
 * their locks in `pg_locks`), under which writers never wait for one another, and the event log read
 * through a server-side cursor (`streamRows`: `pg-cursor`, batches fetched as the reader consumes them).
 *
 * @example
 * ```ts
 * const pool = new pg.Pool({ connectionString: url, types: postgresTypes });
 * const pet = postgresDialect({ pool, schema: 'marketing' });
 * const db = new Kysely<any>({ dialect: pet.kysely });
 * await migrate(db, pet, { prefix: 'pet_' });
 * ```
 */
export function postgresDialect(options: PostgresDialectOptions): PetDialect {
  if (typeof options !== 'object' || options === null) throw invalid('options', 'must be an object');
  const pool = options.pool as pg.Pool | undefined;
  if (
    typeof pool !== 'object' ||
    pool === null ||
    typeof (pool as { connect?: unknown }).connect !== 'function'
  ) {
    throw invalid('pool', 'must be a pg.Pool');
  }
  if ((pool as unknown as { options?: { types?: unknown } }).options?.types !== postgresTypes) {
    // Without them a timestamptz loses its microseconds and a JSON string cannot be told from its text.
    throw invalid('pool', 'must be made with types: postgresTypes (createPostgresPool does)');
  }
  const schema = checkSchemaName(options.schema ?? 'public');
  const gapWaitMs = options.gapWaitMs ?? 30_000;
  if (!Number.isSafeInteger(gapWaitMs) || gapWaitMs < 0) throw invalid('gapWaitMs', 'must be an integer ≥ 0');
  const configured = (pool as unknown as { options?: { database?: unknown } }).options?.database;
  const database = options.database ?? (typeof configured === 'string' ? configured : '');
  if (typeof database !== 'string') throw invalid('database', 'must be a string');
  const kysely = new SchemaScopedDialect(
    new PostgresDialect({
      // The same pool, whose clients can also run a COPY … FROM STDIN for postgresKpiAccelerator.
      pool: copyCapablePool(pool),
      onCreateConnection: async (connection) => {
        await connection.executeQuery(
          CompiledQuery.raw(
            "SELECT set_config('search_path', $1, false), set_config('TimeZone', 'UTC', false)",
            [`"${schema}"`],
          ),
        );
      },
    }),
    schema,
  );
  return {
    name: 'postgres',
    // Lock names hash the database and the schema (lockName adds the prefix and the purpose).
    database: `${database}/${schema}`,
    kysely,
    transactionalDdl: true,
    gapSafety: 'snapshot',
    snapshot: postgresSnapshotVisibility(gapWaitMs),
    positions: 'returning',
    lockRowsOnLoad: true,
    // A pinned connection (the caller's `db.connection()`) holds the lock itself; a pool pins one.
    acquireLock: (db, name, timeoutMs) =>
      acquireAdvisoryLock(db, name, timeoutMs, (c) => kysely.checkedOut.has(c)),
    classifyError: classifyPostgresError,
    compile: compilePostgres,
    // For verifySchema: the live tables compared with the model (DDL is transactional: nothing to probe).
    migrationHooks: () => ({ schemaShape: postgresSchemaShape }),
    codecs: postgresCodecs,
    // The event log's readers stream through a server-side cursor (pg-cursor) instead of keyset pages.
    streamRows,
  };
}
