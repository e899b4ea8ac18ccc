// verify on PostgreSQL: a freshly migrated schema has no drift; each kind of hand-made change is found.
import { migrate } from '@pet-ops/sql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres } from './fixtures.test.js';
import type { PostgresDatabase } from './open.js';
import { verifyPostgres } from './verify.js';

let fx: Awaited<ReturnType<typeof freshPostgres>>;
let o: PostgresDatabase;

beforeAll(async () => {
  fx = await freshPostgres('pet_', 'marketing');
  o = fx.client();
});
afterAll(async () => {
  await o?.close();
  await fx?.drop();
});

describe('verifyPostgres', () => {
  it('given a schema migrated to head, then verify finds no drift and the journal agrees', async () => {
    const r = await verifyPostgres(o.db, o.dialect, { prefix: 'pet_' });
    expect(r.drifts).toEqual([]);
    expect(r).toMatchObject({ ok: true, journal: [], schema: 'marketing', prefix: 'pet_' });
    // Another prefix in the same schema: no journal, so nothing applied and nothing expected.
    const other = await verifyPostgres(o.db, o.dialect, { prefix: 'zz_' });
    expect(other.ok).toBe(true);
  });

  it('given hand-made changes, then each is a drift naming the table and the object', async () => {
    for (const statement of [
      'ALTER TABLE pet_employees ADD COLUMN nickname text',
      'ALTER TABLE pet_teams ALTER COLUMN name TYPE text',
      'DROP INDEX pet_domain_events__ix_occurred_at',
      'DROP TRIGGER sla_events_no_truncate ON pet_sla_events',
      'CREATE TABLE pet_extra (id int)',
    ]) {
      await sql.raw(statement).execute(o.db);
    }
    const r = await verifyPostgres(o.db, o.dialect, { prefix: 'pet_' });
    expect(r.ok).toBe(false);
    expect(r.drifts.map((d) => [d.kind, d.table, d.name ?? null])).toEqual(
      expect.arrayContaining([
        ['extra_column', 'pet_employees', 'nickname'],
        ['column_mismatch', 'pet_teams', 'name'],
        ['missing_index', 'pet_domain_events', 'pet_domain_events__ix_occurred_at'],
        ['missing_trigger', 'pet_sla_events', 'sla_events_no_truncate'],
        ['extra_table', 'pet_extra', null],
      ]),
    );
    expect(r.drifts).toHaveLength(5);
  });

  it('given an applied migration whose journal checksum changed, then the journal disagrees', async () => {
    await sql`UPDATE pet_schema_migrations SET checksum = 'x' WHERE id = '2026_11_22_0003_create_employees'`.execute(
      o.db,
    );
    const r = await verifyPostgres(o.db, o.dialect, { prefix: 'pet_' });
    expect(r.journal).toHaveLength(1);
    expect(r.journal[0]).toContain('2026_11_22_0003_create_employees');
    await expect(migrate(o.db, o.dialect, { prefix: 'pet_' })).rejects.toMatchObject({
      code: 'MIGRATION_TAMPERED',
    });
  });
});
