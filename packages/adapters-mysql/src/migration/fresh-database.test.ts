// Not a test file: the per-file database set-up shared by this folder's integration tests. The
// `.test.ts` suffix keeps it out of the build and the published files.
import { Kysely } from 'kysely';
import { type Connection, createConnection, type Pool } from 'mysql2/promise';
import { afterAll, beforeAll, inject } from 'vitest';
import type { DataStepTarget } from '../../../sql/src/contract/data-step-contract.test.js';
import { connect, connectionOptions } from '../connection.js';
import { mysqlDialect } from '../pet-dialect.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { migrate, plan, status, verify } from './engine.js';

/** What {@link useFreshDatabase} opens for a test file. */
export interface FreshDatabase {
  readonly db: TestDatabase;
  readonly pool: Pool;
  readonly conn: Connection;
}

/**
 * Gives the calling test file its own fresh database, a pool and a plain connection on it (through
 * `ready`, before the file's tests run), and closes and drops them after its last test.
 */
export function useFreshDatabase(ready: (fresh: FreshDatabase) => void): void {
  let fresh: FreshDatabase | undefined;
  beforeAll(async () => {
    const db = await createTestDatabase(inject('mysqlUrl'));
    fresh = {
      db,
      pool: await connect({ url: db.url }),
      conn: await createConnection(connectionOptions(db.url)),
    };
    ready(fresh);
  });
  afterAll(async () => {
    await fresh?.conn.end();
    await fresh?.pool.end();
    await fresh?.db.drop();
  });
}

/**
 * A fresh database with the adapter's resumable engine behind the shared migration contracts' target
 * (data steps, widenEnum, migration 1001): each contract file names only its prefix.
 */
export async function mariadbEngineTarget(prefix: string): Promise<DataStepTarget> {
  const fresh = await createTestDatabase(inject('mysqlUrl'));
  const pool = await connect({ url: fresh.url });
  const dialect = mysqlDialect({ pool });
  return {
    // Kysely's destroy() would end the pool: close() ends it.
    db: new Kysely<never>({ dialect: dialect.kysely }),
    dialect,
    prefix,
    migrate: (migrations, target) =>
      migrate(pool, { prefix, migrations, ...(target === undefined ? {} : { target }) }),
    status: async (migrations) => {
      const s = await status(pool, { prefix, migrations });
      return {
        pending: s.migrations.filter((m) => m.state !== 'applied').map((m) => m.id),
        missingDataSteps: s.missingDataSteps,
      };
    },
    plan: (migrations) => plan(pool, { prefix, migrations }),
    verify: async (migrations) => {
      const r = await verify(pool, { prefix, migrations });
      return [...r.drifts.map((d) => d.message), ...r.journal];
    },
    close: async () => {
      await pool.end();
      await fresh.drop();
    },
  };
}
