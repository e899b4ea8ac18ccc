import { col, defineMigration, type Migration, migrations } from '@pet-ops/migrations';
import { migrate, verifySchema } from '@pet-ops/sql';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDatabase } from './open.js';

const prefix = 'pet_';
const opened: SqliteDatabase[] = [];

/** A private in-memory database migrated to head with `list`. */
async function migrated(list: readonly Migration[] = migrations): Promise<SqliteDatabase> {
  const s = openSqlite();
  opened.push(s);
  await migrate(s.db, s.dialect, { prefix, migrations: list });
  return s;
}

afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

const drifts = async (s: SqliteDatabase, list: readonly Migration[] = migrations) => {
  const v = await verifySchema(s.db, s.dialect, { prefix, migrations: list });
  return { ...v, found: v.drifts.map((d) => [d.kind, d.table, d.name ?? null, d.property ?? null]) };
};

describe('verify on SQLite compares the live schema with the migrations', () => {
  it("given PET's migrations applied, when verified through the dialect alone, then the live schema was checked and is clean", async () => {
    const s = await migrated();
    const v = await drifts(s);
    expect(v.liveSchemaChecked).toBe(true);
    expect(v.journal).toEqual([]);
    expect(v.drifts).toEqual([]);
    expect(v.ok).toBe(true);
  });

  it('given a column added by hand, when verified, then exactly that column is reported as extra', async () => {
    const s = await migrated();
    await sql`ALTER TABLE "pet_domain_events" ADD COLUMN "x" TEXT NULL`.execute(s.db);
    const v = await drifts(s);
    expect(v.found).toEqual([['extra_column', 'pet_domain_events', 'x', null]]);
    expect(v.ok).toBe(false);
  });

  it('given an index dropped by hand, when verified, then exactly that index is reported missing', async () => {
    const s = await migrated();
    const [index] = (
      await sql<{
        name: string;
      }>`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'pet_domain_events' AND sql IS NOT NULL ORDER BY name LIMIT 1`.execute(
        s.db,
      )
    ).rows;
    expect(index).toBeDefined();
    const name = (index as { name: string }).name;
    await sql.raw(`DROP INDEX "${name}"`).execute(s.db);
    const v = await drifts(s);
    expect(v.found).toEqual([['missing_index', 'pet_domain_events', name, null]]);
  });

  it('given a table dropped and one created by hand, when verified, then one missing and one extra table are reported', async () => {
    const list = [
      ...migrations,
      defineMigration({
        id: '2099_01_01_0001_t',
        name: 't',
        operations: [{ op: 'createTable', table: 'things', columns: [col.id('id')], primaryKey: ['id'] }],
      }),
    ];
    const s = await migrated(list);
    await sql`DROP TABLE "pet_things"`.execute(s.db);
    await sql`CREATE TABLE "pet_other" ("id" TEXT NOT NULL PRIMARY KEY)`.execute(s.db);
    const v = await drifts(s, list);
    expect(v.found).toEqual([
      ['missing_table', 'pet_things', null, null],
      ['extra_table', 'pet_other', null, null],
    ]);
  });

  it('given a table rebuilt by hand with a looser column, when verified, then the CHECK, nullability, default and collation that changed are reported, each once', async () => {
    const list = [
      ...migrations,
      defineMigration({
        id: '2099_01_01_0001_t',
        name: 't',
        operations: [
          {
            op: 'createTable',
            table: 'things',
            columns: [col.id('id'), col.text('label', 10, { default: 'x' }), col.enum('state', ['a', 'b'])],
            primaryKey: ['id'],
          },
          { op: 'addIndex', table: 'things', index: { name: 'ix_state', columns: ['state'] } },
          { op: 'appendOnlyGuard', table: 'things', event: 'delete' },
        ],
      }),
    ];
    const s = await migrated(list);
    expect((await drifts(s, list)).drifts).toEqual([]);
    await sql`DROP TABLE "pet_things"`.execute(s.db);
    await sql`CREATE TABLE "pet_things" ("id" TEXT NOT NULL CHECK (length("id") = 36), "label" TEXT NULL, "state" TEXT NOT NULL CHECK ("state" IN ('a', 'b')), PRIMARY KEY ("id"))`.execute(
      s.db,
    );
    await sql`CREATE UNIQUE INDEX "pet_things__ix_state" ON "pet_things" ("state")`.execute(s.db);
    const v = await drifts(s, list);
    expect(v.found).toEqual([
      ['column_mismatch', 'pet_things', 'label', 'nullable'],
      ['column_mismatch', 'pet_things', 'label', 'default'],
      ['column_mismatch', 'pet_things', 'label', 'collation'],
      ['column_mismatch', 'pet_things', 'label', 'check'],
      ['index_mismatch', 'pet_things', 'pet_things__ix_state', null],
      ['missing_trigger', 'pet_things', 'pet_things_no_delete', null],
    ]);
  });
});
