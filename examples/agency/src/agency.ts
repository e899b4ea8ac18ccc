// The host application's wiring: one database, migrated; one event registry; one unit of work over
// every state table; a command runtime per simulated actor clock. Everything else talks to this, through
// the persistence seam (`@pet-ops/sql`), so the same simulation runs on the embedded SQLite default and
// on MySQL/MariaDB.
import { rmSync } from 'node:fs';
import {
  connect,
  connectionOptions,
  databaseOf,
  type MigrationProgress,
  migrate as migrateMysql,
  mysqlDialect,
  assertSchemaCurrent as mysqlSchemaCurrent,
  redactUrl,
  uuidV7Ids,
  withDatabase,
} from '@pet-ops/adapters-mysql';
import { openPostgres } from '@pet-ops/adapters-postgres';
import { openSqlite } from '@pet-ops/adapters-sqlite';
import {
  type Clock,
  type CommandRuntime,
  createPetRegistry,
  type EventRegistry,
  type UnitOfWork,
} from '@pet-ops/core';
import {
  type AnyDatabase,
  assertSchemaCurrent,
  createEventStore,
  createUnitOfWork,
  defaultRetryPolicy,
  migrate,
  type PetDialect,
  type SqlEventStore,
  STATE_TABLES,
} from '@pet-ops/sql';
import { Kysely, sql } from 'kysely';
import { createConnection } from 'mysql2/promise';

/** The example's connection to its own database. */
export interface Agency {
  /** `sqlite` or `mysql`: the same code runs on both. */
  readonly kind: 'sqlite' | 'mysql' | 'postgres';
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  readonly prefix: string;
  /** The SQLite file or the MySQL database name, for messages. */
  readonly database: string;
  readonly registry: EventRegistry;
  readonly unitOfWork: UnitOfWork;
  readonly events: SqlEventStore;
  /** A command runtime whose events carry `clock`'s business time. */
  runtime(clock: Clock): CommandRuntime;
  close(): Promise<void>;
}

export interface AgencyOptions {
  /**
   * `sqlite:<file>` (the default, `sqlite:agency.db`: no server) or `mysql://user@host:3306/<database>`.
   * The example's own database: re-created, so every run starts from nothing.
   */
  readonly url: string;
  readonly prefix: string;
  /** Called after each migration is applied. */
  readonly onMigration?: (migrationId: string) => void;
}

interface Opened {
  readonly kind: Agency['kind'];
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  readonly database: string;
  readonly close: () => Promise<void>;
}

/** A fresh SQLite file: the previous run's file (and its WAL) removed first. */
function openFreshSqlite(file: string): Opened {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const { db, dialect, close } = openSqlite({ path: file });
  return { kind: 'sqlite', db, dialect, database: file, close };
}

/** A fresh MySQL database: dropped and re-created (creating a database is the host's job, not the library's). */
async function openFreshMysql(url: string): Promise<Opened> {
  const database = databaseOf(url);
  if (database === undefined || !/^[A-Za-z0-9_]{1,64}$/.test(database)) {
    throw new Error(
      `the MySQL URL must name the example's database ([A-Za-z0-9_]{1,64}), e.g. mysql://root@127.0.0.1:3306/pet_agency`,
    );
  }
  const admin = await createConnection(connectionOptions(withDatabase(url, ''))).catch((e: unknown) => {
    throw new Error(`cannot connect to ${redactUrl(url)} (${(e as Error).message}); run scripts/db.sh`);
  });
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  const pool = await connect({ url, connectionLimit: 12 });
  const dialect = mysqlDialect({ pool, database });
  const db: AnyDatabase = new Kysely({ dialect: dialect.kysely });
  // Kysely's MySQL driver ends the pool it was given.
  return { kind: 'mysql', db, dialect, database, close: () => db.destroy() };
}

/**
 * A fresh PostgreSQL tenant: the URL's schema (`?schema=`, default `agency`) dropped with everything in
 * it and created again (the database itself must exist; `createDatabase` of the adapter makes one).
 */
async function openFreshPostgres(url: string): Promise<Opened> {
  const schema = new URL(url).searchParams.get('schema') ?? 'agency';
  const admin = await openPostgres({ url, schema: 'public' });
  try {
    await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(admin.db);
  } finally {
    await admin.close();
  }
  const { db, dialect, close } = await openPostgres({ url, schema, createSchema: true, max: 12 });
  return {
    kind: 'postgres',
    db,
    dialect,
    database: `${new URL(url).pathname.slice(1)} (schema ${schema})`,
    close,
  };
}

/**
 * Re-creates the database, migrates it to the head of PET's migration list and checks the activation
 * gate, then wires the runtime pieces.
 *
 * @example
 * ```ts
 * const agency = await openAgency({ url: 'sqlite:agency.db', prefix: 'agency_' });
 * ```
 */
export async function openAgency(options: AgencyOptions): Promise<Agency> {
  const { url, prefix } = options;
  const file = /^sqlite:(?:\/\/)?(.+)$/.exec(url)?.[1];
  const postgres = /^postgres(?:ql)?:\/\//.test(url);
  if (file === undefined && !postgres && !url.startsWith('mysql://')) {
    throw new Error(
      `--url must be sqlite:<file>, mysql://user@host:3306/<database> or postgres://user@host:5432/<database>?schema=<tenant> (got '${redactUrl(url)}')`,
    );
  }
  const opened =
    file !== undefined
      ? openFreshSqlite(file)
      : postgres
        ? await openFreshPostgres(url)
        : await openFreshMysql(url);
  const { db, dialect } = opened;
  try {
    if (opened.kind !== 'mysql') {
      // Transactional DDL (SQLite, PostgreSQL): one transaction per migration.
      const report = await migrate(db, dialect, { prefix });
      for (const id of report.applied) options.onMigration?.(id);
      await assertSchemaCurrent(db, dialect, { prefix });
    } else {
      // No transactional DDL: the adapter's resumable engine, statement by statement.
      const pool = await connect({ url, connectionLimit: 2 });
      try {
        await migrateMysql(pool, {
          prefix,
          onProgress: (p: MigrationProgress) => {
            if (p.kind === 'migration-completed') options.onMigration?.(p.migrationId);
          },
        });
        await mysqlSchemaCurrent(pool, { prefix });
      } finally {
        await pool.end();
      }
    }
  } catch (e) {
    await opened.close();
    throw e;
  }
  const registry = createPetRegistry();
  const events = createEventStore({ db, dialect, prefix });
  const unitOfWork = createUnitOfWork({ dialect, prefix, events, tables: STATE_TABLES });
  return {
    kind: opened.kind,
    db,
    dialect,
    prefix,
    database: opened.database,
    registry,
    unitOfWork,
    events,
    runtime: (clock) => ({
      unitOfWork,
      registry,
      clock,
      ids: uuidV7Ids,
      retry: { ...defaultRetryPolicy, maxAttempts: 10 },
    }),
    close: opened.close,
  };
}
