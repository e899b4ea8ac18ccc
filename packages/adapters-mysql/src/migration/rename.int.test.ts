// renameTable on MariaDB (issue 22): a rename a crashed run already made is found done by its probe, a
// table in the way of both names is refused, and the renamed tables keep the triggers they were made with
// (verify clean, the guards still refuse).
import { migrations } from '@pet-ops/migrations';
import type { Connection, Pool } from 'mysql2/promise';
import { describe, expect, test } from 'vitest';
import { migrate, verify } from './engine.js';
import { failure } from './fixtures.test.js';
import { useFreshDatabase } from './fresh-database.test.js';

let pool: Pool;
let conn: Connection;

useFreshDatabase((fresh) => {
  ({ pool, conn } = fresh);
});

const RENAME = '2026_12_06_0901_rename_kpi_definition_versions';
const before = migrations[migrations.findIndex((m) => m.id === RENAME) - 1]?.id ?? '';

describe('renameTable on MariaDB', () => {
  test('given a rename a crashed run made but did not record, when migrated, then the probe finds it done and verify is clean', async () => {
    const prefix = 'rn_';
    await migrate(pool, { prefix, target: before });
    // What a run killed between the statement and its journal update leaves behind.
    await conn.query(`RENAME TABLE ${prefix}kpi_def_versions TO ${prefix}kpi_definition_versions`);
    const result = await migrate(pool, { prefix });
    expect(result.applied).toContain(RENAME);
    expect(await verify(pool, { prefix })).toMatchObject({ ok: true, drifts: [] });
    // The guards made under the old name still hold on the renamed table, under their old names.
    await conn.query(
      `INSERT INTO ${prefix}kpi_definition_versions (id, definition_key, version_number, definition) VALUES (UNHEX(REPLACE(UUID(), '-', '')), 'k', 1, '{}')`,
    );
    await expect(conn.query(`DELETE FROM ${prefix}kpi_definition_versions`)).rejects.toThrow(/append-only/);
    const [triggers] = await conn.query(
      `SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = '${prefix}kpi_definition_versions' ORDER BY TRIGGER_NAME`,
    );
    expect(triggers).toEqual([
      { name: `${prefix}kpi_def_versions_no_delete` },
      { name: `${prefix}kpi_def_versions_no_update` },
    ]);
  });

  test('given a table under the new name next to the old one, when migrated, then the rename is refused naming both', async () => {
    const prefix = 'rc_';
    await migrate(pool, { prefix, target: before });
    await conn.query(`CREATE TABLE ${prefix}kpi_definition_versions (id INT PRIMARY KEY)`);
    const e = await failure(migrate(pool, { prefix }));
    expect(e.code).toBe('MIGRATION_FAILED');
    expect(e.message).toContain(
      `both ${prefix}kpi_def_versions and ${prefix}kpi_definition_versions exist, so ${prefix}kpi_def_versions cannot be renamed`,
    );
  });
});
