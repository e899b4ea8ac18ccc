// verify on PostgreSQL: a freshly migrated schema has no drift; each kind of hand-made change is found.
import { migrate, verifySchema } from '@pet-ops/sql';
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

  it("given only the dialect, then the seam's verifySchema finds PostgreSQL's shapes in its migrationHooks and checks the live schema", async () => {
    const v = await verifySchema(o.db, o.dialect, { prefix: 'pet_' });
    expect(v).toMatchObject({ ok: true, liveSchemaChecked: true, drifts: [], journal: [] });
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

  it('given an enum column whose CHECK lost a value or was dropped, then verify names the column and its allowed values', async () => {
    const checkOf = async (table: string, column: string): Promise<string | undefined> =>
      (
        await sql<{ name: string }>`
          SELECT k.conname AS name FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
          JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
          WHERE c.relname = ${table} AND a.attname = ${column} AND k.contype = 'c'
            AND c.relnamespace = current_schema()::regnamespace`.execute(o.db)
      ).rows[0]?.name;
    // As a widen that failed to apply would leave it: leads.state without `converted`.
    const leads = await checkOf('pet_leads', 'state');
    const quotes = await checkOf('pet_quotes', 'state');
    expect(leads).toBeDefined();
    expect(quotes).toBeDefined();
    await sql
      .raw(
        `ALTER TABLE pet_leads DROP CONSTRAINT "${leads}", ADD CONSTRAINT pet_leads_state_narrow CHECK (state IN ('created', 'qualified', 'disqualified', 'archived'))`,
      )
      .execute(o.db);
    await sql.raw(`ALTER TABLE pet_quotes DROP CONSTRAINT "${quotes}"`).execute(o.db);
    const r = await verifyPostgres(o.db, o.dialect, { prefix: 'pet_' });
    const state = r.drifts.find((d) => d.table === 'pet_leads' && d.name === 'state');
    expect(state).toMatchObject({
      kind: 'column_mismatch',
      property: 'allowed values',
      expected: 'archived, converted, created, disqualified, qualified',
      actual: 'archived, created, disqualified, qualified',
    });
    expect(state?.message).toContain('pet_leads.state: allowed values');
    expect(r.drifts.find((d) => d.table === 'pet_quotes' && d.name === 'state')).toMatchObject({
      property: 'allowed values',
      actual: '(no check)',
    });
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
