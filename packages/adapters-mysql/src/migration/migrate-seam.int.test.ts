// The seam's `migrate` on MariaDB through mysqlDialect (the resumable engine of @pet-ops/sql, DDL not
// transactional): the resumable-migration contract and the data-step contract, in one fresh database.
import { Kysely } from 'kysely';
import type { Pool } from 'mysql2/promise';
import { afterAll, inject } from 'vitest';
import {
  describeDataStepContract,
  seamDataStepTarget,
} from '../../../sql/src/contract/data-step-contract.test.js';
import { describeResumableMigrateContract } from '../../../sql/src/contract/resumable-migrate-contract.test.js';
import { connect } from '../connection.js';
import { mysqlDialect } from '../pet-dialect.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

let fresh: Promise<{ readonly db: TestDatabase; readonly pools: readonly [Pool, Pool] }> | undefined;

/** The file's database and two pools on it, made once. */
function shared(): Promise<{ readonly db: TestDatabase; readonly pools: readonly [Pool, Pool] }> {
  fresh ??= (async () => {
    const db = await createTestDatabase(inject('mysqlUrl'));
    return { db, pools: [await connect({ url: db.url }), await connect({ url: db.url })] as const };
  })();
  return fresh;
}

afterAll(async () => {
  if (fresh === undefined) return;
  const { db, pools } = await fresh;
  await Promise.all(pools.map((p) => p.end()));
  await db.drop();
});

// Kysely's destroy() would end the pools: the file's afterAll ends them.
const over = (pool: Pool) => {
  const dialect = mysqlDialect({ pool });
  return { db: new Kysely<never>({ dialect: dialect.kysely }), dialect };
};

describeResumableMigrateContract('mariadb, seam engine', async () => {
  const { pools } = await shared();
  const [a, b] = [over(pools[0]), over(pools[1])];
  return { ...a, second: b, close: async () => undefined };
});

describeDataStepContract('mariadb, seam engine', async () => {
  const { pools } = await shared();
  const a = over(pools[0]);
  return seamDataStepTarget(a.db, a.dialect, 'dss_', async () => undefined);
});
