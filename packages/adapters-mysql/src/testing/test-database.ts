import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { connectionOptions, withDatabase } from '../connection.js';

/** The server URL integration tests use when `MYSQL_URL` is not set. */
export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306';

/** A fresh, empty database for one test file. */
export interface TestDatabase {
  /** URL of the fresh database. */
  readonly url: string;
  readonly name: string;
  /** Drops the database (test databases only; domain data is never deleted). */
  drop(): Promise<void>;
}

/**
 * Creates a fresh database `t_<random>` on the server at `serverUrl`, so every test file is isolated.
 *
 * @example
 * ```ts
 * const db = await createTestDatabase(inject('mysqlUrl'));
 * afterAll(() => db.drop());
 * ```
 */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = await createConnection(connectionOptions(withDatabase(serverUrl, '')));
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  return {
    url,
    name,
    async drop() {
      const c = await createConnection(connectionOptions(withDatabase(serverUrl, '')));
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}
