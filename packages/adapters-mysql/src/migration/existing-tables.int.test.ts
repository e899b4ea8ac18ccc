import { migrations } from '@pet-ops/migrations';
import type { Connection, Pool } from 'mysql2/promise';
import { describe, expect, test } from 'vitest';
import { compileList } from './checksum.js';
import { assertSchemaCurrent, migrate, status, verify } from './engine.js';
import { countByMigration, failure, journal, migrationEvents, widgetMigrations } from './fixtures.test.js';
import { useFreshDatabase } from './fresh-database.test.js';
import { tableExists } from './introspect.js';

let pool: Pool;
let conn: Connection;

useFreshDatabase((fresh) => {
  ({ pool, conn } = fresh);
});

const ids = migrations.map((m) => m.id);
const totalStatements = compileList(migrations, '').reduce((n, m) => n + m.statements.length, 0);
/** The CREATE TABLE statements of the list, exactly as the engine compiles them for `prefix`. */
const tablesOf = (prefix: string): string[] =>
  compileList(migrations, prefix).flatMap((m) =>
    m.compiled.filter((s) => s.probe.kind === 'table').map((s) => s.sql),
  );

/**
 * The backfills of the list on tables other than `withRows`: on a table without rows a backfill finds
 * nothing to fill, so the engine skips it.
 */
const emptyBackfills = (prefix: string, withRows: readonly string[] = []): number =>
  compileList(migrations, prefix)
    .flatMap((m) => m.compiled)
    .filter((s) => s.probe.kind === 'unfilled' && !withRows.includes(s.probe.table)).length;
/** The columns `before` had, as they are now: later migrations may add columns to the same rows. */
const sameColumns = (after: unknown, before: unknown): unknown =>
  (after as Record<string, unknown>[]).map((row, i) =>
    Object.fromEntries(Object.keys((before as Record<string, unknown>[])[i] ?? {}).map((k) => [k, row[k]])),
  );

/** After a run to head: every migration journalled applied once, one completed event each, schema clean. */
async function expectCleanHead(prefix: string): Promise<void> {
  expect((await status(pool, { prefix })).current).toBe(true);
  await expect(assertSchemaCurrent(pool, { prefix })).resolves.toBeUndefined();
  expect(await verify(pool, { prefix })).toMatchObject({ ok: true, drifts: [] });
  const rows = await journal(conn, prefix);
  expect(rows.map((r) => r.id)).toEqual(ids);
  expect(rows.every((r) => r.status === 'applied' && r.attempts === 1 && r.error === null)).toBe(true);
  const events = await migrationEvents(conn, prefix);
  expect(countByMigration(events, 'migration.completed')).toEqual(
    Object.fromEntries(ids.map((id) => [id, 1])),
  );
  expect(countByMigration(events, 'migration.failed')).toEqual({});
}

describe('scenario 58: tables that already exist before any migration ran', () => {
  test('given the first migration’s table (the journal) written by hand with DDL of the same shape and no rows, when migrated to head, then its statement is skipped, everything else runs and verify is clean', async () => {
    const prefix = 'hj_';
    // Hand-written, not the engine's text: other spelling, order and clauses, the same resulting shape.
    await conn.query(`create table if not exists ${prefix}schema_migrations (
      id varchar(128) not null,
      name varchar(255) not null,
      checksum varchar(64) not null,
      status enum('running','applied','failed') not null,
      applied_steps int unsigned not null default 0,
      total_steps int unsigned not null,
      step_checksums json not null,
      attempts int unsigned not null default 1,
      failed_step int unsigned null,
      error longtext null,
      started_at datetime(6) not null,
      updated_at datetime(6) not null,
      finished_at datetime(6) null,
      key ix_status (status),
      primary key (id)
    ) engine=innodb default character set utf8mb4 collate utf8mb4_unicode_ci`);

    const result = await migrate(pool, { prefix });

    expect(result).toMatchObject({
      applied: ids,
      alreadyApplied: [],
      skippedStatements: 1 + emptyBackfills(prefix),
      executedStatements: totalStatements - 1 - emptyBackfills(prefix),
    });
    await expectCleanHead(prefix);
  });

  test('given the tables of migrations 2–7 created by hand with the SQL the engine compiles (without their guards), holding rows, and no journal, when migrated to head, then those statements are skipped, the rest run, the rows survive and verify is clean', async () => {
    const prefix = 'hm_';
    // domain_events, employees, teams, team_memberships, org_structure_versions, companies
    const byHand = tablesOf(prefix).slice(1, 7);
    for (const sql of byHand) await conn.query(sql);
    expect(await tableExists(conn, `${prefix}schema_migrations`)).toBe(false);
    await conn.query(
      `INSERT INTO ${prefix}domain_events (event_id, event_type, schema_version, stream_type, stream_id, stream_version, occurred_at, actor_type, actor_id, context, payload)
       VALUES (UNHEX(REPLACE(UUID(), '-', '')), 'company.created', 1, 'company', UNHEX(REPLACE(UUID(), '-', '')), 1, '2026-11-22 10:00:00.123456', 'employee', 'e-1', '{}', '{"name": "Acme"}')`,
    );
    await conn.query(
      `INSERT INTO ${prefix}companies (id, version, state, company_uid, name) VALUES (UNHEX(REPLACE(UUID(), '-', '')), 1, 'active', 'CO-20261122-000001', 'Acme')`,
    );
    const [eventsBefore] = await conn.query(
      `SELECT event_id, occurred_at, payload FROM ${prefix}domain_events WHERE stream_type = 'company'`,
    );
    const [companiesBefore] = await conn.query(`SELECT * FROM ${prefix}companies`);

    const result = await migrate(pool, { prefix });

    // The journal is bootstrapped (1 statement run), then its own migration's statement is found done.
    expect(result).toMatchObject({
      applied: ids,
      alreadyApplied: [],
      skippedStatements: byHand.length + 1 + emptyBackfills(prefix, [`${prefix}companies`]),
      executedStatements: totalStatements - byHand.length - emptyBackfills(prefix, [`${prefix}companies`]),
    });
    await expectCleanHead(prefix);
    const [eventsAfter] = await conn.query(
      `SELECT event_id, occurred_at, payload FROM ${prefix}domain_events WHERE stream_type = 'company'`,
    );
    expect(eventsAfter).toEqual(eventsBefore);
    expect(sameColumns((await conn.query(`SELECT * FROM ${prefix}companies`))[0], companiesBefore)).toEqual(
      companiesBefore,
    );
    // The run added the guards the hand-made table lacked: the log is append-only now.
    await expect(conn.query(`DELETE FROM ${prefix}domain_events`)).rejects.toThrow(/append-only/);
  });

  test('given every table of the list created by hand (the journal included, no rows in it), when migrated to head, then every CREATE TABLE is skipped, only the guards run, and verify is clean', async () => {
    const prefix = 'ha_';
    const byHand = tablesOf(prefix);
    // One table per migration that creates one (the others add guards to existing tables).
    expect(byHand).toHaveLength(
      migrations.filter((m) => m.operations.some((o) => o.op === 'createTable')).length,
    );
    for (const sql of byHand) await conn.query(sql);

    const result = await migrate(pool, { prefix });

    expect(result).toMatchObject({
      applied: ids,
      alreadyApplied: [],
      skippedStatements: byHand.length + emptyBackfills(prefix),
      executedStatements: totalStatements - byHand.length - emptyBackfills(prefix),
    });
    await expectCleanHead(prefix);
    expect(await migrate(pool, { prefix })).toMatchObject({
      applied: [],
      alreadyApplied: ids,
      executedStatements: 0,
      skippedStatements: 0,
    });
  });

  test('by design: given a table made by hand with another shape, when migrated, then MIGRATION_FAILED names the conflict and leaves the table and its rows alone; once it matches, migrate resumes and completes', async () => {
    const prefix = 'hx_';
    const companies = ids[6] as string;
    const sql = tablesOf(prefix)[6] as string;
    expect(sql).toContain(`\`${prefix}companies\``);
    await conn.query(sql.replace('`name` VARCHAR(255)', '`name` VARCHAR(100)'));
    await conn.query(
      `INSERT INTO ${prefix}companies (id, version, state, company_uid, name) VALUES (UNHEX(REPLACE(UUID(), '-', '')), 1, 'active', 'CO-20261122-000001', 'Acme')`,
    );
    const [companiesBefore] = await conn.query(`SELECT * FROM ${prefix}companies`);

    const e = await failure(migrate(pool, { prefix }));

    expect(e.code).toBe('MIGRATION_FAILED');
    expect(e.message).toContain(`migration ${companies} ("Create companies") failed at statement 1 of 1`);
    expect(e.message).toContain(
      `column ${prefix}companies.name: type is varchar(100), expected varchar(255)`,
    );
    expect(e.details).toMatchObject({ migrationId: companies, statement: 1, totalStatements: 1 });
    expect((await journal(conn, prefix)).map((r) => [r.id, r.status])).toEqual([
      ...ids.slice(0, 6).map((id) => [id, 'applied']),
      [companies, 'failed'],
    ]);
    expect(await tableExists(conn, `${prefix}people`)).toBe(false);
    expect((await conn.query(`SELECT * FROM ${prefix}companies`))[0]).toEqual(companiesBefore);
    await expect(assertSchemaCurrent(pool, { prefix })).rejects.toMatchObject({ code: 'SCHEMA_NOT_CURRENT' });

    // The operator makes the table match the migration; the next run finds it done and goes on.
    await conn.query(`ALTER TABLE ${prefix}companies MODIFY \`name\` VARCHAR(255) NOT NULL`);
    const result = await migrate(pool, { prefix });
    expect(result.applied).toEqual(ids.slice(6));
    expect((await status(pool, { prefix })).current).toBe(true);
    expect(await verify(pool, { prefix })).toMatchObject({ ok: true, drifts: [] });
    expect(sameColumns((await conn.query(`SELECT * FROM ${prefix}companies`))[0], companiesBefore)).toEqual(
      companiesBefore,
    );
  });
  test('given a guarded table made by hand exactly as its migration leaves it (table and append-only guards), when migrated to head, then its creation and guards are skipped and verify is clean', async () => {
    const prefix = 'hg_';
    const compiled = compileList(migrations, prefix);
    const events = compiled.find((m) => m.compiled.some((s) => s.probe.kind === 'trigger'));
    const byHand = events?.compiled.map((s) => s.sql) ?? [];
    expect(byHand.length).toBeGreaterThan(1);
    for (const sql of byHand) await conn.query(sql);

    const result = await migrate(pool, { prefix });

    expect(result).toMatchObject({
      applied: ids,
      // + 1: the journal, created by the bootstrap, is found done when its migration is recorded.
      skippedStatements: byHand.length + 1 + emptyBackfills(prefix),
      executedStatements: totalStatements - byHand.length - emptyBackfills(prefix),
    });
    await expectCleanHead(prefix);
  });

  test('given a table made by hand at the shape later migrations give it (added columns, indexes, a backfilled value), when migrated, then every statement that made that shape is skipped and verify is clean', async () => {
    const prefix = 'hw_';
    const list = [...migrations, ...widgetMigrations];
    const widgetSql = compileList(list, prefix).flatMap((m) =>
      m.compiled.filter((s) => 'table' in s.probe && s.probe.table === `${prefix}widgets`).map((s) => s.sql),
    );
    // The create, the two added columns and the two indexes; the backfill is an UPDATE of no rows.
    await conn.query(widgetSql[0] as string);
    for (const sql of widgetSql.slice(1).filter((q) => q.startsWith('ALTER'))) await conn.query(sql);

    const result = await migrate(pool, { prefix, migrations: list });

    const widgetStatements = widgetSql.length;
    // + the journal, as above, and PET's own backfills of empty tables.
    expect(result.skippedStatements).toBe(widgetStatements + 1 + emptyBackfills(prefix));
    expect(await verify(pool, { prefix, migrations: list })).toMatchObject({ ok: true, drifts: [] });
  });

  test('given a table made by hand with a column no migration defines, when migrated, then MIGRATION_FAILED names it and nothing else of that migration ran', async () => {
    const prefix = 'hc_';
    const list = [...migrations, ...widgetMigrations];
    const create = compileList(list, prefix).flatMap((m) =>
      m.compiled.filter((s) => s.probe.kind === 'table' && s.probe.table === `${prefix}widgets`),
    )[0];
    await conn.query(create?.sql as string);
    await conn.query(`ALTER TABLE ${prefix}widgets ADD COLUMN colour VARCHAR(10) NULL`);

    const e = await failure(migrate(pool, { prefix, migrations: list }));

    expect(e.code).toBe('MIGRATION_FAILED');
    expect(e.message).toContain('colour');
    const rows = await journal(conn, prefix);
    expect(rows.find((r) => r.id === widgetMigrations[0]?.id)).toMatchObject({ status: 'failed' });
  });

  test('given a journal table of another shape made by hand (with a row of its own), when migrated, then MIGRATION_FAILED names the journal and its drift, and nothing is created or changed', async () => {
    const prefix = 'hy_';
    await conn.query(
      `CREATE TABLE ${prefix}schema_migrations (id VARCHAR(64) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL)`,
    );
    await conn.query(`INSERT INTO ${prefix}schema_migrations (id, name) VALUES ('mine', 'a row of my own')`);

    for (let attempt = 0; attempt < 2; attempt++) {
      const e = await failure(migrate(pool, { prefix }));
      expect(e.code).toBe('MIGRATION_FAILED');
      expect(e.message).toContain(`${prefix}schema_migrations`);
      expect(e.message).toContain('checksum');
    }
    expect(await tableExists(conn, `${prefix}domain_events`)).toBe(false);
    const [rows] = await conn.query(`SELECT id, name FROM ${prefix}schema_migrations`);
    expect(rows).toEqual([{ id: 'mine', name: 'a row of my own' }]);
  });
});
