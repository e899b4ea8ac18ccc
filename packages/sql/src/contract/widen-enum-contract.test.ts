/**
 * `widenEnum` in migrations, written once and run against every engine and database (not a test file
 * itself: each adapter's `widen-enum.int.test.ts` calls {@link describeWidenEnumContract}). A custom list
 * makes `we_items` (an enum with a default, a nullable enum, a unique key, an index, a delete guard and a
 * frozen-columns guard conditioned on the enum) and `we_log` (auto-increment, append-only), fills them,
 * then widens their enums, and once more the same column. After each widen: the rows are as they were,
 * the new value is accepted, the old ones still are, an unknown one is still refused, defaults, NULLs,
 * keys and guards still hold, positions continue, and verify is clean.
 */
import { col, defineMigration, journalMigration, type Migration } from '@pet-ops/migrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataStepTarget } from './data-step-contract.test.js';

/** One database under test, empty (not migrated): the data-step contract's target serves as is. */
export type WidenEnumTarget = DataStepTarget;

const tables = defineMigration({
  id: '2026_12_31_0201_we_tables',
  name: 'Widen-enum tables',
  operations: [
    {
      op: 'createTable',
      table: 'we_items',
      columns: [
        col.int('id'),
        col.enum('state', ['a', 'b'], { default: 'a' }),
        col.text('label', 20),
        col.enum('kind', ['x'], { nullable: true }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_label', columns: ['label'] }],
      indexes: [{ name: 'ix_state', columns: ['state', 'kind'] }],
    },
    { op: 'appendOnlyGuard', table: 'we_items', event: 'delete' },
    {
      op: 'frozenColumnsGuard',
      table: 'we_items',
      name: 'frozen',
      columns: ['label'],
      when: { column: 'state', values: ['b'] },
    },
    {
      op: 'createTable',
      table: 'we_log',
      columns: [col.bigintAutoIncrement('position'), col.enum('level', ['info']), col.text('text', 40)],
      primaryKey: ['position'],
    },
    { op: 'appendOnlyGuard', table: 'we_log', event: 'update' },
    { op: 'appendOnlyGuard', table: 'we_log', event: 'delete' },
  ],
});

/** Exported for the adapters' own checks (the MySQL engine's resume). */
export const widenMigration: Migration = defineMigration({
  id: '2026_12_31_0202_we_widen',
  name: 'Widen the enums',
  operations: [
    { op: 'widenEnum', table: 'we_items', column: 'state', values: ['a', 'b', 'c'] },
    { op: 'widenEnum', table: 'we_items', column: 'kind', values: ['x', 'y'] },
    { op: 'widenEnum', table: 'we_log', column: 'level', values: ['info', 'warn'] },
  ],
});

const again = defineMigration({
  id: '2026_12_31_0203_we_widen_again',
  name: 'Widen a widened enum',
  operations: [{ op: 'widenEnum', table: 'we_items', column: 'state', values: ['a', 'b', 'c', 'd'] }],
});

/** The contract's migration list: tables, the widen, a second widen of one column. */
export const widenList: readonly Migration[] = [journalMigration, tables, widenMigration, again];
/** The id of the migration that makes and the contract's tables (migrate to it, then fill them). */
export const WIDEN_TABLES_ID: string = tables.id;

/**
 * Fills the contract's tables with the rows {@link describeWidenEnumContract} expects to survive.
 *
 * @example `await fillWidenTables(t)`
 */
export async function fillWidenTables(t: WidenEnumTarget): Promise<void> {
  await t.db
    .insertInto(`${t.prefix}we_items`)
    .values([
      { id: 1, state: 'a', label: 'one', kind: null },
      { id: 2, state: 'b', label: 'two', kind: 'x' },
    ])
    .execute();
  for (const text of ['first', 'second', 'third'])
    await t.db.insertInto(`${t.prefix}we_log`).values({ level: 'info', text }).execute();
}

/**
 * Declares the widen-enum tests for one engine and database.
 *
 * @example
 * ```ts
 * describeWidenEnumContract('sqlite', async () => seamDataStepTarget(db, dialect, 'we_', close));
 * ```
 */
export function describeWidenEnumContract(name: string, open: () => Promise<WidenEnumTarget>): void {
  describe(`widenEnum in migrations (${name})`, () => {
    let t: WidenEnumTarget;
    beforeAll(async () => {
      t = await open();
      await t.migrate(widenList, tables.id);
      await fillWidenTables(t);
    });
    afterAll(async () => {
      await t?.close();
    });

    const items = async (): Promise<unknown[]> =>
      (
        await t.db
          .selectFrom(`${t.prefix}we_items`)
          .select(['id', 'state', 'label', 'kind'])
          .orderBy('id')
          .execute()
      ).map((r) => ({ ...r, id: Number(r.id) }));
    const log = async (): Promise<unknown[]> =>
      (
        await t.db
          .selectFrom(`${t.prefix}we_log`)
          .select(['position', 'level', 'text'])
          .orderBy('position')
          .execute()
      ).map((r) => ({ ...r, position: Number(r.position) }));
    const insertItem = (row: Record<string, unknown>): Promise<unknown> =>
      t.db.insertInto(`${t.prefix}we_items`).values(row).execute();
    const refused = async (work: Promise<unknown>): Promise<boolean> =>
      work.then(
        () => false,
        () => true,
      );

    it('given filled tables, when the enums are widened, then the rows are as they were and verify is clean', async () => {
      const before = { items: await items(), log: await log() };
      expect(before.items).toHaveLength(2);
      const r = await t.migrate(widenList, widenMigration.id);
      expect(r.applied).toEqual([widenMigration.id]);
      expect({ items: await items(), log: await log() }).toEqual(before);
      expect(await t.verify(widenList.slice(0, 3))).toEqual([]);
    });

    it('given the widened enums, then the new values are accepted, the old ones still are, and unknown ones are still refused', async () => {
      await insertItem({ id: 3, state: 'c', label: 'three', kind: 'y' });
      await insertItem({ id: 4, state: 'a', label: 'four', kind: 'x' });
      await insertItem({ id: 5, state: 'b', label: 'five', kind: null });
      expect(await refused(insertItem({ id: 6, state: 'z', label: 'six' }))).toBe(true);
      expect(await refused(insertItem({ id: 6, state: 'd', label: 'six' }))).toBe(true);
      expect(await refused(insertItem({ id: 6, state: 'a', label: 'six', kind: 'q' }))).toBe(true);
      // The default stays.
      await insertItem({ id: 6, label: 'six' });
      expect((await items()).slice(2)).toEqual([
        { id: 3, state: 'c', label: 'three', kind: 'y' },
        { id: 4, state: 'a', label: 'four', kind: 'x' },
        { id: 5, state: 'b', label: 'five', kind: null },
        { id: 6, state: 'a', label: 'six', kind: null },
      ]);
      await t.db.insertInto(`${t.prefix}we_log`).values({ level: 'warn', text: 'fourth' }).execute();
      expect(
        await refused(t.db.insertInto(`${t.prefix}we_log`).values({ level: 'error', text: 'x' }).execute()),
      ).toBe(true);
      // Positions continue after the rows that were there.
      expect((await log()).at(-1)).toEqual({ position: 4, level: 'warn', text: 'fourth' });
    });

    it('given the widened tables, then their unique key, delete guards and frozen columns still hold', async () => {
      expect(await refused(insertItem({ id: 7, state: 'a', label: 'one' }))).toBe(true);
      expect(await refused(t.db.deleteFrom(`${t.prefix}we_items`).where('id', '=', 1).execute())).toBe(true);
      expect(
        await refused(
          t.db.updateTable(`${t.prefix}we_items`).set({ label: 'deux' }).where('id', '=', 2).execute(),
        ),
      ).toBe(true);
      // Not frozen in state a; a move to the new state is free.
      await t.db
        .updateTable(`${t.prefix}we_items`)
        .set({ label: 'uno', state: 'c' })
        .where('id', '=', 1)
        .execute();
      expect(
        await refused(
          t.db.updateTable(`${t.prefix}we_log`).set({ text: 'x' }).where('position', '=', 1).execute(),
        ),
      ).toBe(true);
      expect(await refused(t.db.deleteFrom(`${t.prefix}we_log`).where('position', '=', 1).execute())).toBe(
        true,
      );
      expect(await items()).toHaveLength(6);
      expect(await log()).toHaveLength(4);
    });

    it('given a widened column, when widened again, then the latest value is accepted, verify is clean and a re-run has nothing to do', async () => {
      expect(await refused(insertItem({ id: 8, state: 'd', label: 'eight' }))).toBe(true);
      expect((await t.migrate(widenList)).applied).toEqual([again.id]);
      await insertItem({ id: 8, state: 'd', label: 'eight' });
      expect(await refused(insertItem({ id: 9, state: 'e', label: 'nine' }))).toBe(true);
      expect(await t.verify(widenList)).toEqual([]);
      expect((await t.migrate(widenList)).applied).toEqual([]);
      expect(await items()).toHaveLength(7);
    });
  });
}
