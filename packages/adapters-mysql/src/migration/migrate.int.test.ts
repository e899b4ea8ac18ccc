import { ValidationError } from '@pet-ops/core';
import { defineMigration, type Migration, migrations } from '@pet-ops/migrations';
import { type Connection, createConnection, type Pool } from 'mysql2/promise';
import { describe, expect, inject, test } from 'vitest';
import { connectionOptions } from '../connection.js';
import type { TestDatabase } from '../testing/test-database.js';
import { compileList } from './checksum.js';
import { assertSchemaCurrent, type MigrationProgress, migrate, plan, status, verify } from './engine.js';
import {
  countByMigration,
  extendedIds,
  extendedList,
  failure,
  journal,
  migrationEvents,
  widgetMigrations,
} from './fixtures.test.js';
import { useFreshDatabase } from './fresh-database.test.js';
import { introspect } from './introspect.js';
import { migrationLockName } from './lock.js';

let db: TestDatabase;
let pool: Pool;
let conn: Connection;

useFreshDatabase((fresh) => {
  ({ db, pool, conn } = fresh);
});

describe('a fresh install', () => {
  const prefix = 'wp_pet_';

  test('given an empty database, when migrated, then every migration is applied and the schema verifies clean', async () => {
    const progress: MigrationProgress['kind'][] = [];
    const result = await migrate(pool, { prefix, onProgress: (p) => void progress.push(p.kind) });
    expect(result.applied).toEqual(migrations.map((m) => m.id));
    expect(result.alreadyApplied).toEqual([]);
    const compiled = compileList(migrations, prefix);
    // A backfill finds nothing to fill on an empty database: it is in effect already and not executed.
    const backfills = migrations.flatMap((m) => m.operations).filter((o) => o.op === 'backfill').length;
    expect(result.executedStatements).toBe(compiled.reduce((n, m) => n + m.statements.length, 0) - backfills);
    expect(progress[0]).toBe('journal-created');
    expect(progress.filter((k) => k === 'migration-completed')).toHaveLength(migrations.length);

    expect(await journal(conn, prefix)).toEqual(
      compiled.map((m) => ({
        id: m.id,
        status: 'applied',
        applied_steps: m.statements.length,
        attempts: 1,
        failed_step: null,
        error: null,
      })),
    );
    // The first two are the journal (one statement) and the event log (table + two guards).
    expect(compiled.slice(0, 2).map((m) => m.statements.length)).toEqual([1, 3]);
    expect(await verify(pool, { prefix })).toMatchObject({ ok: true, drifts: [] });
    await expect(assertSchemaCurrent(pool, { prefix })).resolves.toBeUndefined();
    expect(await plan(pool, { prefix })).toEqual([]);
  });

  test('given the install, then started/completed events exist for every migration, recorded once the log existed', async () => {
    const events = await migrationEvents(conn, prefix);
    expect(events.map((e) => [e.type, e.migrationId, e.version])).toEqual(
      migrations.flatMap((m) => [
        ['migration.started', m.id, 1],
        ['migration.completed', m.id, 2],
      ]),
    );
    const [rows] = await conn.query(
      `SELECT actor_type, actor_id, schema_version, context FROM \`${prefix}domain_events\` LIMIT 1`,
    );
    expect(rows).toEqual([{ actor_type: 'system', actor_id: 'migrator', schema_version: 1, context: '{}' }]);
  });

  test('given an applied schema, when migrated again, then no statement runs and the journal is unchanged', async () => {
    const [before] = await conn.query(`SELECT * FROM \`${prefix}schema_migrations\` ORDER BY id`);
    const eventsBefore = await migrationEvents(conn, prefix);
    const progress: MigrationProgress[] = [];
    const result = await migrate(db.url, { prefix, onProgress: (p) => void progress.push(p) });
    expect(result).toMatchObject({ applied: [], executedStatements: 0, skippedStatements: 0 });
    expect(result.alreadyApplied).toEqual(migrations.map((m) => m.id));
    expect(progress).toEqual([]);
    const [after] = await conn.query(`SELECT * FROM \`${prefix}schema_migrations\` ORDER BY id`);
    expect(after).toEqual(before);
    expect(await migrationEvents(conn, prefix)).toEqual(eventsBefore);
  });

  test('given the install, then domain_events has exactly the shape of the stopgap test schema', async () => {
    // The DDL the event store was first written against (testing/schema.ts before the engine).
    await conn.query(`CREATE TABLE legacy_domain_events (
      position BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, event_id BINARY(16) NOT NULL,
      event_type VARCHAR(128) NOT NULL, schema_version SMALLINT UNSIGNED NOT NULL,
      stream_type VARCHAR(64) NOT NULL, stream_id BINARY(16) NOT NULL, stream_version INT UNSIGNED NOT NULL,
      occurred_at DATETIME(6) NOT NULL, recorded_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
      actor_type VARCHAR(16) NOT NULL, actor_id VARCHAR(64) NULL, correlation_id BINARY(16) NULL,
      causation_id BINARY(16) NULL, idempotency_key VARCHAR(191) NULL, context JSON NOT NULL, payload JSON NOT NULL,
      PRIMARY KEY (position), UNIQUE KEY uq_event_id (event_id), UNIQUE KEY uq_stream_version (stream_id, stream_version),
      UNIQUE KEY uq_idempotency_key (idempotency_key), KEY ix_event_type (event_type, position), KEY ix_occurred_at (occurred_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    for (const op of ['UPDATE', 'DELETE']) {
      await conn.query(`CREATE TRIGGER legacy_domain_events_no_${op.toLowerCase()} BEFORE ${op} ON legacy_domain_events
        FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'domain_events is append-only'`);
    }
    const [legacy] = (await introspect(conn, { prefix: 'legacy_', tables: ['legacy_domain_events'] })).tables;
    const [ours] = (await introspect(conn, { prefix, tables: [`${prefix}domain_events`] })).tables;
    const strip = (s: string, p: string) => s.replace(p, '');
    expect({
      columns: ours?.columns,
      indexes: ours?.indexes,
      triggers: ours?.triggers.map((t) => ({ ...t, name: strip(t.name, prefix) })),
    }).toEqual({
      columns: legacy?.columns,
      indexes: legacy?.indexes,
      triggers: legacy?.triggers.map((t) => ({ ...t, name: strip(t.name, 'legacy_') })),
    });
    await conn.query('DROP TABLE legacy_domain_events');
  });

  test('given the guards, when an event row is updated or deleted, then the database refuses (errno 1644)', async () => {
    for (const sql of [
      `UPDATE \`${prefix}domain_events\` SET event_type = 'x.y'`,
      `DELETE FROM \`${prefix}domain_events\``,
    ]) {
      await expect(conn.query(sql)).rejects.toMatchObject({ errno: 1644 });
    }
  });
});

describe('targets and later migrations', () => {
  const prefix = 'tg_';

  test('given a target, when migrated, then exactly the migrations up to it are applied; the next run goes on', async () => {
    const target = widgetMigrations[0]?.id as string;
    const base = migrations.length;
    const first = await migrate(pool, { prefix, migrations: extendedList, target });
    expect(first.applied).toEqual(extendedIds.slice(0, base + 1));
    const s = await status(pool, { prefix, migrations: extendedList });
    expect(s.migrations.map((m) => m.state)).toEqual([
      ...Array.from({ length: base + 1 }, () => 'applied'),
      'pending',
      'pending',
    ]);
    expect(s.current).toBe(false);
    expect(await verify(pool, { prefix, migrations: extendedList })).toMatchObject({ ok: true });
    expect(
      (await plan(pool, { prefix, migrations: extendedList })).map((p) => [p.migrationId, p.statement]),
    ).toEqual([
      [extendedIds[base + 1], 1],
      [extendedIds[base + 1], 2],
      [extendedIds[base + 1], 3],
      [extendedIds[base + 1], 4],
      [extendedIds[base + 1], 5],
      [extendedIds[base + 2], 1],
      [extendedIds[base + 2], 2],
      [extendedIds[base + 2], 3],
    ]);
    const gate = await failure(assertSchemaCurrent(pool, { prefix, migrations: extendedList }));
    expect(gate.code).toBe('SCHEMA_NOT_CURRENT');
    expect(gate.message).toContain(`migration ${extendedIds[base + 1]}`);
    expect(gate.message).toContain('run migrate()');

    await conn.query(
      `INSERT INTO ${prefix}widgets (id, code) VALUES (UNHEX(REPLACE(UUID(), '-', '')), 'a'), (UNHEX(REPLACE(UUID(), '-', '')), 'b')`,
    );
    const second = await migrate(pool, { prefix, migrations: extendedList });
    expect(second.applied).toEqual(extendedIds.slice(base + 1));
    const [labels] = await conn.query(`SELECT code, label, lead_time FROM ${prefix}widgets ORDER BY code`);
    expect(labels).toEqual([
      { code: 'a', label: 'a', lead_time: 0 },
      { code: 'b', label: 'b', lead_time: 0 },
    ]);
    await expect(assertSchemaCurrent(pool, { prefix, migrations: extendedList })).resolves.toBeUndefined();
    expect(await verify(pool, { prefix, migrations: extendedList })).toMatchObject({ ok: true, drifts: [] });
    const events = await migrationEvents(conn, prefix);
    expect(countByMigration(events, 'migration.completed')).toEqual(
      Object.fromEntries(extendedIds.map((id) => [id, 1])),
    );
  });

  test('given hand-made changes, when verified, then every drift is reported', async () => {
    await conn.query(`ALTER TABLE ${prefix}widgets ADD COLUMN hand_made INT NULL`);
    await conn.query(`ALTER TABLE ${prefix}widgets DROP COLUMN lead_time`);
    await conn.query(`ALTER TABLE ${prefix}widgets MODIFY price INT NOT NULL DEFAULT 0`);
    await conn.query(`ALTER TABLE ${prefix}widgets DROP INDEX ix_state`);
    await conn.query(`ALTER TABLE ${prefix}widgets ADD INDEX ix_hand (hand_made)`);
    await conn.query(`DROP TRIGGER ${prefix}widget_log_no_delete`);
    await conn.query(`CREATE TABLE ${prefix}stray (id INT PRIMARY KEY)`);
    await conn.query(`DROP TABLE ${prefix}widget_log`);
    const { ok, drifts } = await verify(pool, { prefix, migrations: extendedList });
    expect(ok).toBe(false);
    expect(drifts.map((d) => [d.kind, d.table, d.name ?? '', d.property ?? '']).sort()).toEqual(
      [
        ['column_mismatch', `${prefix}widgets`, 'price', 'type'],
        ['extra_column', `${prefix}widgets`, 'hand_made', ''],
        ['extra_index', `${prefix}widgets`, 'ix_hand', ''],
        ['extra_table', `${prefix}stray`, '', ''],
        ['missing_column', `${prefix}widgets`, 'lead_time', ''],
        ['missing_index', `${prefix}widgets`, 'ix_state', ''],
        ['missing_table', `${prefix}widget_log`, '', ''],
      ].sort(),
    );
    expect(drifts.find((d) => d.name === 'price')).toMatchObject({ expected: 'bigint', actual: 'int' });
  });

  test('given a dropped trigger on an existing table, when verified, then the missing trigger is reported', async () => {
    const p = 'trg_';
    await migrate(pool, { prefix: p });
    await conn.query(`DROP TRIGGER ${p}domain_events_no_update`);
    const { drifts } = await verify(pool, { prefix: p });
    expect(drifts).toEqual([
      expect.objectContaining({
        kind: 'missing_trigger',
        table: `${p}domain_events`,
        name: `${p}domain_events_no_update`,
      }),
    ]);
  });
});

describe('refusals', () => {
  test('given an invalid prefix, when any entry point is called, then a ValidationError names prefix', async () => {
    for (const call of [
      () => migrate(pool, { prefix: 'bad-prefix' }),
      () => status(pool, { prefix: 'x'.repeat(21) }),
      () => plan(pool, { prefix: 'a;drop' }),
      () => verify(pool, { prefix: 'é' }),
      () => assertSchemaCurrent(pool, { prefix: 'a b' }),
    ]) {
      const e = await failure(call());
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).issues.map((i) => i.field)).toEqual(['prefix']);
    }
  });

  test('given bad options, when migrated, then each field is named and nothing runs', async () => {
    const e = (await failure(
      migrate(pool, { prefix: 'opt_', lockTimeoutSeconds: -1, target: 'latest' }),
    )) as ValidationError;
    expect(e.issues.map((i) => i.field).sort()).toEqual(['lockTimeoutSeconds', 'target']);
    const unknownTarget = (await failure(
      migrate(pool, { prefix: 'opt_', target: '2030_01_01_0001_nope' }),
    )) as ValidationError;
    expect(unknownTarget.issues[0]).toMatchObject({ field: 'target' });
    const notJournalFirst = (await failure(
      migrate(pool, { prefix: 'opt_', migrations: migrations.slice(1) }),
    )) as ValidationError;
    expect(notJournalFirst.issues[0]?.field).toBe('migrations.0');
    const [tables] = await conn.query(
      "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'opt\\_%'",
    );
    expect(tables).toEqual([]);
  });

  test('given another connection holds the lock, when migrated with a timeout, then MIGRATION_LOCK_TIMEOUT and nothing ran', async () => {
    const prefix = 'lk_';
    const holder = await createConnection(connectionOptions(db.url));
    try {
      const [[got]] = (await holder.query('SELECT GET_LOCK(?, 0) AS got', [
        migrationLockName(db.name, prefix),
      ])) as unknown as [{ got: number }[]];
      expect(Number(got?.got)).toBe(1);
      const e = await failure(migrate(pool, { prefix, lockTimeoutSeconds: 1 }));
      expect(e.code).toBe('MIGRATION_LOCK_TIMEOUT');
      expect(e.retryable).toBe(true);
      expect(e.message).toContain(`database ${db.name}`);
      expect(e.message).toContain('lockTimeoutSeconds');
      expect((await status(pool, { prefix })).migrations.every((m) => m.state === 'pending')).toBe(true);
    } finally {
      await holder.end();
    }
    // The holder's session is gone, so its lock is free again.
    expect((await migrate(pool, { prefix, lockTimeoutSeconds: 5 })).applied).toHaveLength(migrations.length);
  });

  test('given an edited applied migration, when migrated, then MIGRATION_TAMPERED names it and nothing runs', async () => {
    const prefix = 'tamper_';
    await migrate(pool, { prefix, migrations: extendedList });
    const [w0, w1, w2] = widgetMigrations as [Migration, Migration, Migration];
    const edited = defineMigration({
      ...w1,
      operations: w1.operations.map((op, i) =>
        i === 3 ? { op: 'addIndex', table: 'widgets', index: { name: 'ix_state', columns: ['state'] } } : op,
      ),
    });
    const later = defineMigration({
      id: '2027_01_01_0001_more_widgets',
      name: 'More widgets',
      operations: [{ op: 'addIndex', table: 'widgets', index: { name: 'ix_price', columns: ['price'] } }],
    });
    const tampered = [...migrations, w0, edited, w2, later];
    const [before] = await conn.query(`SELECT * FROM ${prefix}schema_migrations ORDER BY id`);
    const e = await failure(migrate(pool, { prefix, migrations: tampered }));
    expect(e.code).toBe('MIGRATION_TAMPERED');
    expect(e.message).toContain(`migration ${w1.id} was edited after it was applied`);
    expect(e.message).toContain('new migration');
    const [after] = await conn.query(`SELECT * FROM ${prefix}schema_migrations ORDER BY id`);
    expect(after).toEqual(before);
    const [ix] = await conn.query(
      `SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${prefix}widgets' AND INDEX_NAME = 'ix_price'`,
    );
    expect(ix).toEqual([]);
    await expect(plan(pool, { prefix, migrations: tampered })).rejects.toMatchObject({
      code: 'MIGRATION_TAMPERED',
    });
    const gate = await failure(assertSchemaCurrent(pool, { prefix, migrations: tampered }));
    expect(gate.code).toBe('MIGRATION_TAMPERED');
    expect((await status(pool, { prefix, migrations: tampered })).problem).toMatchObject({
      kind: 'tampered',
      migrationId: w1.id,
    });
  });

  test('given a journal entry the list does not contain, when migrated, then it is refused naming it', async () => {
    const prefix = 'newer_';
    await migrate(pool, { prefix, migrations: extendedList });
    const e = await failure(migrate(pool, { prefix, migrations: extendedList.slice(0, 4) }));
    expect(e.code).toBe('MIGRATION_TAMPERED');
    expect(e.details).toMatchObject({ reason: 'unknown' });
    expect(e.message).toContain(`the journal has migration ${extendedIds[4]}`);
    expect(e.message).toContain('upgrade the library');
  });

  test('given a URL without a database, when migrated, then a ValidationError names the database', async () => {
    const e = await failure(migrate(inject('mysqlUrl'), {}));
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).issues[0]?.field).toBe('database');
  });
});
