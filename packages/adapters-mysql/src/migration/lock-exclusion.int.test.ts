// The adapter's `migrate(pool)` and the seam's `migrate(db, mysqlDialect(…))` take one migration lock: both
// name it after the database the session works in (`SELECT DATABASE()`) and the prefix, whatever database a
// pool was configured with. Were the names to differ, the second migrator would not wait and these fail.
import { migrations } from '@pet-ops/migrations';
import { migrateResumable, migrate as seamMigrate } from '@pet-ops/sql';
import { Kysely } from 'kysely';
import { createPool, type Pool } from 'mysql2/promise';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { poolOptions } from '../connection.js';
import { mysqlDialect } from '../pet-dialect.js';
import type { TestDatabase } from '../testing/test-database.js';
import { type MigrationProgress, migrate } from './engine.js';
import { failure, journal } from './fixtures.test.js';
import { type FreshDatabase, useFreshDatabase } from './fresh-database.test.js';
import { migrationLockName } from './lock.js';

let fresh: FreshDatabase;
let db: TestDatabase;
let pool: Pool;

useFreshDatabase((f) => {
  fresh = f;
  ({ db, pool } = f);
});

const list = migrations.slice(0, 2);
const opened: Pool[] = [];
afterAll(async () => {
  await Promise.all(opened.map((p) => p.end()));
});

/** A pool configured without any database: each session selects the test's with `USE` as it opens. */
function poolWithoutDatabase(): Pool {
  const p = createPool(poolOptions({ url: inject('mysqlUrl'), connectionLimit: 2 }));
  p.on('connection', (c) => {
    c.query(`USE \`${db.name}\``);
  });
  opened.push(p);
  return p;
}

/** A second pool on the test's database, whose dialect is told another database (a wrong default). */
function poolCalledElsewhere(): { readonly pool: Pool; readonly database: string } {
  const p = createPool(poolOptions({ url: db.url, connectionLimit: 2 }));
  opened.push(p);
  return { pool: p, database: `${db.name}_elsewhere` };
}

/** An `onProgress` that holds the run (and its lock) at its first report until `release` is called. */
function holdAtFirstReport(): {
  readonly onProgress: (p: MigrationProgress) => Promise<void>;
  readonly holding: Promise<void>;
  readonly release: () => void;
} {
  let held!: () => void;
  let release!: () => void;
  const holding = new Promise<void>((r) => {
    held = r;
  });
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let first = true;
  return {
    holding,
    release,
    onProgress: async () => {
      if (!first) return;
      first = false;
      held();
      await gate;
    },
  };
}

async function lockHolder(name: string): Promise<unknown> {
  const [rows] = await fresh.conn.query('SELECT IS_USED_LOCK(?) AS holder', [name]);
  return (rows as { holder: unknown }[])[0]?.holder ?? null;
}

describe('one migration lock for the adapter’s migrate and the seam’s', () => {
  test('given the adapter’s migrate holding the lock, when the seam’s migrate runs over a pool configured without a database, then it waits and reports the lock held; once released it finds nothing to do', async () => {
    const prefix = 'lxa_';
    const hold = holdAtFirstReport();
    const adapterRun = migrate(pool, { prefix, migrations: list, onProgress: hold.onProgress });
    await hold.holding;
    expect(await lockHolder(migrationLockName(db.name, prefix))).not.toBeNull();

    const dialect = mysqlDialect({ pool: poolWithoutDatabase() });
    const seamDb = new Kysely<never>({ dialect: dialect.kysely });
    const e = await failure(seamMigrate(seamDb, dialect, { prefix, migrations: list, lockTimeoutMs: 1000 }));
    expect(e.code).toBe('MIGRATION_LOCK_TIMEOUT');
    expect(e.details).toMatchObject({ lock: migrationLockName(db.name, prefix) });

    hold.release();
    expect((await adapterRun).applied).toEqual(list.map((m) => m.id));
    const after = await seamMigrate(seamDb, dialect, { prefix, migrations: list, lockTimeoutMs: 1000 });
    expect(after).toMatchObject({ applied: [], alreadyApplied: list.map((m) => m.id) });
    expect((await journal(fresh.conn, prefix)).map((r) => [r.id, r.attempts])).toEqual(
      list.map((m) => [m.id, 1]),
    );
  });

  test('given the seam’s migrate holding the lock through a dialect told another database, when the adapter’s migrate runs, then it waits and reports the lock held; once released it finds nothing to do', async () => {
    const prefix = 'lxb_';
    const other = poolCalledElsewhere();
    const dialect = mysqlDialect(other);
    expect(dialect.database).not.toBe(db.name);
    const seamDb = new Kysely<never>({ dialect: dialect.kysely });
    const hold = holdAtFirstReport();
    const seamRun = migrateResumable(seamDb, dialect, {
      prefix,
      migrations: list,
      onProgress: hold.onProgress,
    });
    await hold.holding;
    expect(await lockHolder(migrationLockName(db.name, prefix))).not.toBeNull();

    const e = await failure(migrate(pool, { prefix, migrations: list, lockTimeoutSeconds: 1 }));
    expect(e.code).toBe('MIGRATION_LOCK_TIMEOUT');
    expect(e.details).toMatchObject({ lockName: migrationLockName(db.name, prefix) });

    hold.release();
    expect((await seamRun).applied).toEqual(list.map((m) => m.id));
    const after = await migrate(pool, { prefix, migrations: list, lockTimeoutSeconds: 1 });
    expect(after).toMatchObject({ applied: [], alreadyApplied: list.map((m) => m.id) });
  });
});
