import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Connection, createConnection } from 'mysql2/promise';
import { connectionOptions, withDatabase } from '../connection.js';

/**
 * The server URL integration tests use when `MYSQL_URL` is not set.
 *
 * @example `createTestDatabase(process.env['MYSQL_URL'] ?? DEFAULT_MYSQL_URL)`
 */
export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306';

/** A fresh, empty database for one test file. */
export interface TestDatabase {
  /** URL of the fresh database. */
  readonly url: string;
  readonly name: string;
  /**
   * Drops the database (test databases only; domain data is never deleted). When the server drops
   * every table but cannot remove the directory because of a stray file it left there (errno 39),
   * this warns through `process.emitWarning` instead of throwing; any other failure is thrown.
   */
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
        await dropTolerantOfStrayFiles(c, name);
      } finally {
        await c.end();
      }
    },
  };
}

/** `ER_DB_DROP_RMDIR`: the server dropped every table but could not remove the database's directory. */
const DROP_RMDIR = 1010;

/**
 * Drops a test database. MariaDB can leave a stray file behind in a database's directory (seen: a
 * `<table>.TRG-` trigger backup after a concurrent crash-resume run), and then every `DROP DATABASE`
 * fails with errno 39 though no table is left. The test's own checks have passed by then, so a drop
 * that leaves only such a directory warns instead of failing the test; any other failure is thrown.
 */
async function dropTolerantOfStrayFiles(c: Connection, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      return;
    } catch (e) {
      if ((e as { errno?: unknown }).errno !== DROP_RMDIR) throw e;
      if (attempt < 3) {
        await sleep(200 * attempt);
        continue;
      }
      const [rows] = await c.query(
        'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
        [name],
      );
      if (Number((rows as { n: number | string }[])[0]?.n) !== 0) throw e;
      process.emitWarning(
        `test database ${name}: every table is dropped, but the server left a stray file in its directory (${(e as Error).message})`,
      );
      return;
    }
  }
}
