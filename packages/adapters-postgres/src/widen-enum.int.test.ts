// widenEnum on PostgreSQL (the column's CHECK dropped and re-added in one ALTER TABLE, looked up in
// pg_constraint): the shared contract with the live-schema verify, then the constraint's name.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  describeWidenEnumContract,
  fillWidenTables,
  widenList,
} from '../../sql/src/contract/widen-enum-contract.test.js';
import { postgresEngineTarget } from './fixtures.test.js';

const target = postgresEngineTarget;

describeWidenEnumContract('postgres', () => target('we_'));

describe('widenEnum on PostgreSQL', () => {
  it('given enum columns, when widened twice, then each has one CHECK, named explicitly, listing the new values', async () => {
    const t = await target('wx_');
    try {
      await t.migrate(widenList, widenList[1]?.id);
      await fillWidenTables(t);
      const checks = async (): Promise<string[]> =>
        (
          await sql<{ name: string; def: string }>`
            SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
            WHERE conrelid = '"wx_we_items"'::regclass AND contype = 'c' ORDER BY conname`.execute(t.db)
        ).rows.map((r) => `${r.name}: ${r.def}`);
      // PostgreSQL's own names for the inline checks.
      expect(await checks()).toEqual([
        expect.stringMatching(/^wx_we_items_kind_check: CHECK \(\(kind = 'x'::text\)\)$/),
        expect.stringMatching(
          /^wx_we_items_state_check: CHECK \(\(state = ANY \(ARRAY\['a'::text, 'b'::text\]\)\)\)$/,
        ),
      ]);
      await t.migrate(widenList);
      expect(await checks()).toEqual([
        "wx_we_items__kind_check: CHECK ((kind = ANY (ARRAY['x'::text, 'y'::text])))",
        "wx_we_items__state_check: CHECK ((state = ANY (ARRAY['a'::text, 'b'::text, 'c'::text, 'd'::text])))",
      ]);
      expect(await t.verify(widenList)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
