// Not a test file: the per-file database set-up shared by this folder's integration tests. The
// `.test.ts` suffix keeps it out of the build and the published files.
import { type Connection, createConnection, type Pool } from 'mysql2/promise';
import { afterAll, beforeAll, inject } from 'vitest';
import { connect, connectionOptions } from '../connection.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

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
