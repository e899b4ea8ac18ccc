// widenEnum on MariaDB through the adapter's resumable engine (ALTER TABLE … MODIFY COLUMN … ENUM(…),
// ALGORITHM=INSTANT): the shared contract, then what only this engine has: a run that crashed after some
// widens resumes over them (their probe reads COLUMN_TYPE and finds them done), and a column that is
// neither the old nor the widened enum is refused before anything runs.
import { schemaBeforeEach } from '@pet-ops/migrations';
import { Kysely } from 'kysely';
import type { Connection, Pool } from 'mysql2/promise';
import { describe, expect, test } from 'vitest';
import {
  describeWidenEnumContract,
  fillWidenTables,
  widenList,
  widenMigration,
} from '../../../sql/src/contract/widen-enum-contract.test.js';
import { mysqlDialect } from '../pet-dialect.js';
import { compileMigration } from './dialect.js';
import { migrate, status, verify } from './engine.js';
import { mariadbEngineTarget, useFreshDatabase } from './fresh-database.test.js';

describeWidenEnumContract('mariadb', () => mariadbEngineTarget('we_'));

let pool: Pool;
let conn: Connection;

useFreshDatabase((fresh) => {
  ({ pool, conn } = fresh);
});

const upTo = widenList.slice(0, 3);

/** Makes the journal say a run of the widen migration crashed after its first `steps` statements. */
async function crashedAfter(prefix: string, steps: number): Promise<void> {
  await conn.query(
    `UPDATE \`${prefix}schema_migrations\` SET status = 'running', applied_steps = ?, finished_at = NULL WHERE id = ?`,
    [steps, widenMigration.id],
  );
}

describe('widenEnum on MariaDB', () => {
  test('given a widen, when compiled, then it is one MODIFY COLUMN regenerated from the column (nullability, default), instant', () => {
    const before = schemaBeforeEach(widenList)[2];
    expect(compileMigration(widenMigration, 'p_', before).map((s) => s.sql)).toEqual([
      "ALTER TABLE `p_we_items` MODIFY COLUMN `state` ENUM('a','b','c') NOT NULL DEFAULT 'a', ALGORITHM=INSTANT",
      "ALTER TABLE `p_we_items` MODIFY COLUMN `kind` ENUM('x','y') NULL, ALGORITHM=INSTANT",
      "ALTER TABLE `p_we_log` MODIFY COLUMN `level` ENUM('info','warn') NOT NULL, ALGORITHM=INSTANT",
    ]);
    expect(() => compileMigration(widenMigration, 'p_')).toThrow(
      'widenEnum we_items.state: compiling it needs the schema before it',
    );
  });

  test('given a run that crashed after its widens ran but before they were recorded, when migrated again, then it skips them, runs the one missing and verifies clean', async () => {
    const prefix = 'wr_';
    const t = { db: new Kysely<never>({ dialect: mysqlDialect({ pool }).kysely }), prefix };
    await migrate(pool, { prefix, migrations: widenList, target: widenList[1]?.id as string });
    await fillWidenTables(t as never);
    await migrate(pool, { prefix, migrations: upTo });
    // The first widen was recorded; the second ran unrecorded; the third never ran.
    await conn.query(`ALTER TABLE \`${prefix}we_log\` MODIFY COLUMN \`level\` ENUM('info') NOT NULL`);
    await crashedAfter(prefix, 1);
    expect((await status(pool, { prefix, migrations: upTo })).migrations.at(-1)?.state).not.toBe('applied');
    const r = await migrate(pool, { prefix, migrations: upTo });
    expect(r.skippedStatements).toBe(1);
    expect((await verify(pool, { prefix, migrations: upTo })).drifts).toEqual([]);
    const [rows] = await conn.query(`SELECT level, text FROM \`${prefix}we_log\` ORDER BY position`);
    expect(rows).toEqual([
      { level: 'info', text: 'first' },
      { level: 'info', text: 'second' },
      { level: 'info', text: 'third' },
    ]);
    await conn.query(`INSERT INTO \`${prefix}we_log\` (level, text) VALUES ('warn', 'fourth')`);

    // A column that is neither the enum before the widen nor after it: refused, nothing changed.
    await conn.query(`ALTER TABLE \`${prefix}we_items\` MODIFY COLUMN \`kind\` ENUM('x','z') NULL`);
    await crashedAfter(prefix, 1);
    const e = await migrate(pool, { prefix, migrations: upTo }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toMatchObject({ code: 'MIGRATION_FAILED' });
    expect((e as Error).message).toContain("neither enum('x','y') nor a head of it");
    const [kind] = await conn.query(
      `SELECT COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = 'kind'`,
      [`${prefix}we_items`],
    );
    expect(kind).toEqual([{ t: "enum('x','z')" }]);
  });
});
