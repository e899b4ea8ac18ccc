import { col, defineMigration, type Migration, migrations } from '@pet-ops/migrations';
import type { Connection, Pool } from 'mysql2/promise';
import { describe, expect, test } from 'vitest';
import { assertSchemaCurrent, migrate, plan, status, verify } from './engine.js';
import { failure, journal, migrationEvents } from './fixtures.test.js';
import { useFreshDatabase } from './fresh-database.test.js';

let pool: Pool;
let conn: Connection;
const prefix = 'fx_';

useFreshDatabase((fresh) => {
  ({ pool, conn } = fresh);
});

const createGadgets = defineMigration({
  id: '2026_12_30_0001_create_gadgets',
  name: 'Create gadgets',
  operations: [
    {
      op: 'createTable',
      table: 'gadgets',
      columns: [col.id('id'), col.text('code', 16, { nullable: true })],
      primaryKey: ['id'],
    },
  ],
});

const keyId = '2026_12_30_0002_gadget_keys';
// Statement 2 fails on data: the codes are not unique.
const broken = defineMigration({
  id: keyId,
  name: 'Gadgets get a serial and unique codes',
  operations: [
    { op: 'addColumn', table: 'gadgets', column: col.text('serial', 16, { nullable: true }) },
    { op: 'addUnique', table: 'gadgets', index: { name: 'uq_code', columns: ['code'] } },
    { op: 'addIndex', table: 'gadgets', index: { name: 'ix_serial', columns: ['serial'] } },
  ],
});
// The fix: statement 1 (already applied) unchanged, statement 2 changed to a plain index.
const fixed = defineMigration({
  ...broken,
  operations: [
    broken.operations[0]!,
    { op: 'addIndex', table: 'gadgets', index: { name: 'ix_code', columns: ['code'] } },
    broken.operations[2]!,
  ],
});
// A "fix" that edits the statement that already ran.
const badFix = defineMigration({
  ...fixed,
  operations: [
    { op: 'addColumn', table: 'gadgets', column: col.text('serial', 20, { nullable: true }) },
    ...fixed.operations.slice(1),
  ],
});

const list = (m: Migration): Migration[] => [...migrations, createGadgets, m];

describe('a migration whose second statement fails', () => {
  test('given duplicate codes, when migrated, then MIGRATION_FAILED names the migration, the statement and the fix', async () => {
    await migrate(pool, { prefix, migrations: list(broken), target: createGadgets.id });
    await conn.query(
      `INSERT INTO ${prefix}gadgets (id, code) VALUES (UNHEX(REPLACE(UUID(), '-', '')), 'dup'), (UNHEX(REPLACE(UUID(), '-', '')), 'dup')`,
    );
    const e = await failure(migrate(pool, { prefix, migrations: list(broken) }));
    expect(e.code).toBe('MIGRATION_FAILED');
    expect(e.message).toContain(
      `migration ${keyId} ("Gadgets get a serial and unique codes") failed at statement 2 of 3`,
    );
    expect(e.message).toContain('Duplicate entry');
    expect(e.message).toContain('resumes at statement 2');
    expect(e.details).toMatchObject({
      migrationId: keyId,
      statement: 2,
      totalStatements: 3,
      cause: 'DUPLICATE_KEY',
      errno: 1062,
    });
    expect(e.stack).toBeDefined();
  });

  test('then the journal marks it failed after statement 1, with the error and no stack trace', async () => {
    const row = (await journal(conn, prefix)).find((r) => r.id === keyId);
    expect(row).toMatchObject({ status: 'failed', applied_steps: 1, failed_step: 2, attempts: 1 });
    expect(row?.error).toMatch(/^statement 2: Duplicate entry 'dup' for key 'uq_code'$/);
    const events = (await migrationEvents(conn, prefix)).filter((x) => x.migrationId === keyId);
    expect(events.map((x) => x.type)).toEqual(['migration.started', 'migration.failed']);
    expect(events[1]?.error).toContain('Duplicate entry');
  });

  test('then the gate refuses, naming the migration, the statement, the error and the fix', async () => {
    const e = await failure(assertSchemaCurrent(pool, { prefix, migrations: list(broken) }));
    expect(e.code).toBe('SCHEMA_NOT_CURRENT');
    expect(e.message).toContain(`migration ${keyId}`);
    expect(e.message).toContain('failed at statement 2 of 3');
    expect(e.message).toContain('Duplicate entry');
    expect(e.message).toContain('run migrate() again');
    const s = await status(pool, { prefix, migrations: list(broken) });
    expect(s.migrations.at(-1)).toMatchObject({
      state: 'failed',
      appliedStatements: 1,
      failedStatement: 2,
      attempts: 1,
    });
  });

  test('then plan shows the statements from the failed one, and verify finds the schema as the journal describes it', async () => {
    expect(
      (await plan(pool, { prefix, migrations: list(broken) })).map((p) => [p.migrationId, p.statement]),
    ).toEqual([
      [keyId, 2],
      [keyId, 3],
    ]);
    expect(await verify(pool, { prefix, migrations: list(broken) })).toMatchObject({ ok: true, drifts: [] });
  });

  test('given no fix, when migrated again, then it retries the same statement and fails again', async () => {
    const e = await failure(migrate(pool, { prefix, migrations: list(broken) }));
    expect(e.details).toMatchObject({ statement: 2 });
    expect((await journal(conn, prefix)).find((r) => r.id === keyId)).toMatchObject({
      status: 'failed',
      attempts: 2,
    });
  });

  test('given a "fix" that edits the statement that already ran, when migrated, then it is tampering and nothing runs', async () => {
    const before = await journal(conn, prefix);
    const e = await failure(migrate(pool, { prefix, migrations: list(badFix) }));
    expect(e.code).toBe('MIGRATION_TAMPERED');
    expect(e.message).toContain(`migration ${keyId} was edited in statement 1, which already ran`);
    expect(await journal(conn, prefix)).toEqual(before);
  });

  test('given a fix of the statements not yet run, when migrated, then it resumes at statement 2 and completes', async () => {
    const result = await migrate(pool, { prefix, migrations: list(fixed) });
    expect(result).toMatchObject({ applied: [keyId], executedStatements: 2, skippedStatements: 0 });
    expect((await journal(conn, prefix)).find((r) => r.id === keyId)).toMatchObject({
      status: 'applied',
      applied_steps: 3,
      failed_step: null,
      error: null,
      attempts: 3,
    });
    await expect(assertSchemaCurrent(pool, { prefix, migrations: list(fixed) })).resolves.toBeUndefined();
    expect(await verify(pool, { prefix, migrations: list(fixed) })).toMatchObject({ ok: true, drifts: [] });
    const events = (await migrationEvents(conn, prefix)).filter((x) => x.migrationId === keyId);
    expect(events.map((x) => [x.type, x.version])).toEqual([
      ['migration.started', 1],
      ['migration.failed', 2],
      ['migration.started', 3],
      ['migration.failed', 4],
      ['migration.started', 5],
      ['migration.completed', 6],
    ]);
  });

  test('given the fixed migration is applied, when the code goes back to the broken version, then it is tampering', async () => {
    const e = await failure(assertSchemaCurrent(pool, { prefix, migrations: list(broken) }));
    expect(e.code).toBe('MIGRATION_TAMPERED');
  });
});

describe('a statement whose object exists with another shape', () => {
  test('given a hand-made column of another type, when migrated, then the migration fails naming the conflict', async () => {
    const p = 'shape_';
    await migrate(pool, { prefix: p, migrations: list(fixed), target: createGadgets.id });
    await conn.query(`ALTER TABLE ${p}gadgets ADD COLUMN serial INT NULL`);
    const e = await failure(migrate(pool, { prefix: p, migrations: list(fixed) }));
    expect(e.code).toBe('MIGRATION_FAILED');
    expect(e.message).toContain('statement 1 of 3');
    expect(e.message).toContain(`column ${p}gadgets.serial: type is int, expected varchar(16)`);
  });
});
