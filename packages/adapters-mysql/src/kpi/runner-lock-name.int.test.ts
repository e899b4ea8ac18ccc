import { isPetError, type PetError } from '@pet-ops/core';
import { catalogueV1 } from '@pet-ops/kpi';
import { createKpiRunner, lockName } from '@pet-ops/sql';
import { Kysely } from 'kysely';
import { createConnection, createPool } from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectionOptions, withDatabase } from '../connection.js';
import { useFreshDatabase } from '../migration/fresh-database.test.js';
import { mysqlDialect } from '../pet-dialect.js';
import { installSchema } from '../testing/schema.js';
import type { TestDatabase } from '../testing/test-database.js';

let db: TestDatabase;
useFreshDatabase((fresh) => {
  ({ db } = fresh);
});
beforeAll(async () => {
  await installSchema(db.url);
});

async function caught(work: Promise<unknown>): Promise<PetError | undefined> {
  try {
    await work;
    return undefined;
  } catch (e) {
    if (isPetError(e)) return e;
    throw e;
  }
}

// A host's pool may be configured without a database and select one per session (`USE`): the KPI
// runner's lock must still be named after the database in use, or two databases with one prefix share it.
describe('KPI runner lock of mysqlDialect over a pool configured without a database', () => {
  it('given the lock of this database held elsewhere, then a rebuild times out; given only the lock of no database or another one held, it runs', async () => {
    const database = new URL(db.url).pathname.slice(1);
    const pool = createPool({ ...connectionOptions(withDatabase(db.url, '')), connectionLimit: 3 });
    pool.on('connection', (conn) => {
      conn.query(`USE \`${database}\``);
    });
    const dialect = mysqlDialect({ pool });
    expect(dialect.database).toBe('');
    const kysely = new Kysely<never>({ dialect: dialect.kysely });
    const runner = createKpiRunner({
      db: kysely as never,
      dialect,
      prefix: '',
      definitions: catalogueV1({ currency: 'EUR', scopes: ['org'] }),
      orgTimeZone: 'Europe/Berlin',
      lockTimeoutMs: 1000,
    });
    const holder = await createConnection(connectionOptions(db.url));
    const hold = async (name: string): Promise<void> => {
      const [[got]] = (await holder.query('SELECT GET_LOCK(?, 0) AS got', [name])) as unknown as [
        [{ got: number }],
      ];
      expect(got?.got).toBe(1);
    };
    try {
      // The name the configuration alone gives (no database), and another database's: neither is ours.
      await hold(lockName('', '', 'kpi-runner'));
      await hold(lockName(`${database}_other`, '', 'kpi-runner'));
      await runner.rebuild();
      await holder.query('DO RELEASE_ALL_LOCKS()');

      const own = lockName(database, '', 'kpi-runner');
      await hold(own);
      const busy = await caught(runner.rebuild());
      expect(busy).toMatchObject({ code: 'LOCK_TIMEOUT', retryable: true, details: { lockName: own } });
      await holder.query('DO RELEASE_LOCK(?)', [own]);
      await runner.rebuild();
    } finally {
      await holder.end();
      await pool.end();
    }
  });
});
