// widenEnum on SQLite (the table rebuilt in the migration's transaction): the shared contract, then what
// only SQLite has: the rebuilt table's indexes and triggers are the ones it had, and its definition is
// what a fresh CREATE of the widened table compiles to.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { seamDataStepTarget } from '../../sql/src/contract/data-step-contract.test.js';
import {
  describeWidenEnumContract,
  fillWidenTables,
  WIDEN_TABLES_ID,
  widenList,
  widenMigration,
} from '../../sql/src/contract/widen-enum-contract.test.js';
import { openSqlite } from './open.js';

describeWidenEnumContract('sqlite', async () => {
  const { db, dialect, close } = openSqlite();
  return seamDataStepTarget(db, dialect, 'we_', close);
});

describe('widenEnum on SQLite', () => {
  it('given a filled table, when its enum is widened, then its indexes and triggers are the same objects and the table is as a fresh one', async () => {
    const { db, dialect, close } = openSqlite();
    const t = seamDataStepTarget(db, dialect, 'wx_', close);
    try {
      const objects = async (): Promise<unknown[]> =>
        (
          await sql<{ type: string; name: string; tbl_name: string; sql: string | null }>`
            SELECT type, name, tbl_name, sql FROM sqlite_master
            WHERE name LIKE 'wx\\_%' ESCAPE '\\' AND type IN ('index', 'trigger') ORDER BY name`.execute(db)
        ).rows;
      await t.migrate(widenList, WIDEN_TABLES_ID);
      await fillWidenTables(t);
      const before = await objects();
      expect(before.length).toBeGreaterThanOrEqual(6);
      await t.migrate(widenList, widenMigration.id);
      expect(await objects()).toEqual(before);
      const tableSql = async (name: string): Promise<string | undefined> =>
        (
          await sql<{
            sql: string;
          }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ${name}`.execute(db)
        ).rows[0]?.sql;
      const rebuilt = await tableSql('wx_we_items');
      expect(rebuilt).toContain(`"state" IN ('a', 'b', 'c')`);
      expect(rebuilt).toContain(`"kind" IS NULL OR ("kind" IN ('x', 'y'))`);
      expect(await tableSql('wx_we_items__widen')).toBeUndefined();
      const seq = await sql<{
        seq: number;
      }>`SELECT seq FROM sqlite_sequence WHERE name = 'wx_we_log'`.execute(db);
      expect(seq.rows.map((r) => Number(r.seq))).toEqual([3]);
      expect(
        (await sql<{ integrity_check: string }>`SELECT * FROM pragma_integrity_check()`.execute(db)).rows,
      ).toEqual([{ integrity_check: 'ok' }]);
    } finally {
      await close();
    }
  });
});
