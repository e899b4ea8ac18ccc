/**
 * Helpers of the PostgreSQL adapter's tests (not a test file itself: the `.test.ts` suffix only keeps it out
 * of builds and the published package). Every test file gets its own fresh database, dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { migrate } from '@pet-ops/sql';
import { Kysely } from 'kysely';
import pg from 'pg';
import { type DataStepTarget, seamDataStepTarget } from '../../sql/src/contract/data-step-contract.test.js';
import { postgresDialect } from './dialect.js';
import { createDatabase, createPostgresPool, openPostgres, type PostgresDatabase } from './open.js';
import { verifyPostgres } from './verify.js';

/** The server the tests use: `POSTGRES_URL`, default the local PostgreSQL as `scripts/db.sh` starts it. */
export const POSTGRES_URL = process.env['POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh, empty database on the test server; `drop()` removes it (closing what still uses it). */
export async function freshDatabase(): Promise<{ readonly url: string; readonly drop: () => Promise<void> }> {
  const name = `pet_test_${randomBytes(6).toString('hex')}`;
  const url = withDatabase(POSTGRES_URL, name);
  try {
    await createDatabase({ url });
  } catch (e) {
    throw new Error(
      `integration tests need a PostgreSQL server at ${POSTGRES_URL.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')} (${(e as Error).message}); run scripts/db.sh or set POSTGRES_URL`,
    );
  }
  return {
    url,
    drop: async () => {
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** A fresh database with `schema` migrated to head under `prefix`; `open()` gives another client of it. */
export async function freshPostgres(
  prefix = '',
  schema = 'pet',
): Promise<{
  readonly url: string;
  readonly schema: string;
  readonly open: (max?: number) => Promise<PostgresDatabase>;
  /** Another client, made without a round trip (the schema exists). */
  readonly client: () => PostgresDatabase;
  readonly drop: () => Promise<void>;
}> {
  const fresh = await freshDatabase();
  const open = (max?: number) =>
    openPostgres({ url: fresh.url, schema, createSchema: true, ...(max === undefined ? {} : { max }) });
  const first = await open();
  try {
    await migrate(first.db, first.dialect, { prefix });
  } finally {
    await first.close();
  }
  const client = (): PostgresDatabase => {
    const pool = createPostgresPool({ url: fresh.url, max: 5 });
    const dialect = postgresDialect({ pool, schema, database: new URL(fresh.url).pathname.slice(1) });
    const db = new Kysely({ dialect: dialect.kysely });
    return { db, dialect, pool, schema, close: () => db.destroy() };
  };
  return { url: fresh.url, schema, open, client, drop: fresh.drop };
}

/**
 * A fresh database behind the shared migration contracts' target (data steps, widenEnum, migration
 * 1001), with the live-schema verify: each contract file names only its prefix.
 */
export async function postgresEngineTarget(prefix: string): Promise<DataStepTarget> {
  const fresh = await freshDatabase();
  const { db, dialect, close } = await openPostgres({ url: fresh.url, schema: 'pet', createSchema: true });
  return seamDataStepTarget(
    db,
    dialect,
    prefix,
    async () => {
      await close();
      await fresh.drop();
    },
    async (migrations) => {
      const r = await verifyPostgres(db, dialect, { prefix, migrations });
      return [...r.drifts.map((d) => d.message), ...r.journal];
    },
  );
}
