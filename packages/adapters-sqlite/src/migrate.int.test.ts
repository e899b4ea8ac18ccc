import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPetError, type PetError } from '@pet-ops/core';
import { col, defineMigration, type Migration, migrations } from '@pet-ops/migrations';
import { assertSchemaCurrent, logicalChecksums, migrate, migrationStatus } from '@pet-ops/sql';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { freshFile } from './fixtures.test.js';
import { openSqlite } from './open.js';

async function caught(work: Promise<unknown>): Promise<PetError> {
  try {
    await work;
  } catch (e) {
    if (isPetError(e)) return e;
    throw e;
  }
  throw new Error('expected a PetError');
}

async function tableNames(db: ReturnType<typeof openSqlite>['db']): Promise<string[]> {
  const r = await sql<{
    name: string;
  }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(
    db,
  );
  return r.rows.map((x) => x.name);
}

const extra = (id: string, table: string): Migration =>
  defineMigration({
    id,
    name: `create ${table}`,
    operations: [
      { op: 'createTable', table, columns: [col.id('id'), col.text('name', 20)], primaryKey: ['id'] },
    ],
  });

describe('migrate on SQLite (transactional DDL)', () => {
  it('given an empty database, when migrating, then every migration is applied once, the schema is current, and a second run does nothing', async () => {
    const { db, dialect, close } = openSqlite();
    const first = await migrate(db, dialect, { prefix: 'wp_pet_' });
    expect(first.applied).toEqual(migrations.map((m) => m.id));
    const tables = await tableNames(db);
    expect(tables).toContain('wp_pet_domain_events');
    expect(tables).toContain('wp_pet_schema_migrations');
    expect(tables.every((t) => t.startsWith('wp_pet_'))).toBe(true);
    const again = await migrate(db, dialect, { prefix: 'wp_pet_' });
    expect(again).toEqual({ applied: [], alreadyApplied: migrations.map((m) => m.id), dataSteps: [] });
    expect(await migrationStatus(db, dialect, { prefix: 'wp_pet_' })).toEqual({
      applied: migrations.map((m) => m.id),
      pending: [],
      current: true,
      missingDataSteps: [],
    });
    await expect(assertSchemaCurrent(db, dialect, { prefix: 'wp_pet_' })).resolves.toBeUndefined();
    await close();
  });

  it('given a migrated database, then its journal records the logical checksums, the same as on MariaDB', async () => {
    const { db, dialect, close } = openSqlite();
    await migrate(db, dialect, { prefix: 'wp_pet_' });
    const journal = await sql<{
      id: string;
      checksum: string;
      step_checksums: string;
    }>`SELECT id, checksum, step_checksums FROM wp_pet_schema_migrations ORDER BY id`.execute(db);
    const recorded = journal.rows.map((r) => ({
      id: r.id,
      checksum: r.checksum,
      stepChecksums: JSON.parse(r.step_checksums) as string[],
    }));
    expect(recorded).toEqual(migrations.map((m) => ({ id: m.id, ...logicalChecksums(m) })));
    // Frozen values, the same as in the MariaDB journal (adapters-mysql checksum.unit.test.ts freezes them
    // for the MySQL engine, and its checksum-upgrade int test reads them from a MariaDB journal).
    expect(Object.fromEntries(recorded.slice(0, 2).map((r) => [r.id, r.checksum]))).toEqual({
      '2026_11_22_0001_create_schema_migrations':
        '93975cd4bbe53211a0dd1a0da7c0b9c0e9e85c4246340effc2e47b88c6255b0c',
      '2026_11_22_0002_create_domain_events':
        'b4ced8c9297e46ff0e36881aff8483400d3184c982f87df9c2ab46cd597973c0',
    });
    await close();
  });

  it('given a database behind the list, when the host starts, then the activation gate names the first pending migration', async () => {
    const { db, dialect, close } = openSqlite();
    await migrate(db, dialect, { prefix: '', target: migrations[1]?.id as string });
    const e = await caught(assertSchemaCurrent(db, dialect, { prefix: '' }));
    expect(e.code).toBe('SCHEMA_NOT_CURRENT');
    expect(e.message).toContain(migrations[2]?.id);
    await close();
  });

  it('given a migration whose second statement fails, when migrating, then it leaves nothing behind and is not recorded (scenario 57), and earlier ones stay applied', async () => {
    const { db, dialect, close } = openSqlite();
    const list = [...migrations.slice(0, 2), extra('2026_11_23_0001_create_widgets', 'widgets')];
    const broken = defineMigration({
      id: '2026_11_23_0002_broken',
      name: 'a table, then an index on a column that does not exist',
      operations: [
        { op: 'createTable', table: 'gadgets', columns: [col.id('id')], primaryKey: ['id'] },
        { op: 'addIndex', table: 'gadgets', index: { name: 'ix_missing', columns: ['missing'] } },
      ],
    });
    const e = await caught(migrate(db, dialect, { prefix: '', migrations: [...list, broken] }));
    expect(e.code).toBe('MIGRATION_FAILED');
    expect(e.details).toMatchObject({ migrationId: '2026_11_23_0002_broken', statement: 2 });
    expect(await tableNames(db)).not.toContain('gadgets');
    expect(await tableNames(db)).toContain('widgets');
    const status = await migrationStatus(db, dialect, { prefix: '', migrations: [...list, broken] });
    expect(status.pending).toEqual(['2026_11_23_0002_broken']);
    const journal = await sql<{ id: string }>`SELECT id FROM schema_migrations ORDER BY id`.execute(db);
    expect(journal.rows.map((r) => r.id)).toEqual(list.map((m) => m.id));
    await close();
  });

  it('given an applied migration edited afterwards, when migrating, then MIGRATION_TAMPERED before anything runs', async () => {
    const { db, dialect, close } = openSqlite();
    const original = extra('2026_11_23_0001_create_widgets', 'widgets');
    await migrate(db, dialect, { prefix: '', migrations: [...migrations.slice(0, 1), original] });
    const edited = defineMigration({
      ...original,
      operations: [
        {
          op: 'createTable',
          table: 'widgets',
          columns: [col.id('id'), col.text('name', 30)],
          primaryKey: ['id'],
        },
      ],
    });
    const later = extra('2026_11_23_0002_create_gizmos', 'gizmos');
    const e = await caught(
      migrate(db, dialect, { prefix: '', migrations: [...migrations.slice(0, 1), edited, later] }),
    );
    expect(e.code).toBe('MIGRATION_TAMPERED');
    expect(await tableNames(db)).not.toContain('gizmos');
    await close();
  });

  it('given four migrators on one database file at once, then each migration is applied exactly once and all of them succeed', async () => {
    const file = await freshFile('');
    // freshFile migrated the default list; four processes' worth of connections add two more migrations.
    const list = [
      ...migrations,
      extra('2026_12_31_0001_create_widgets', 'widgets'),
      extra('2026_12_31_0002_create_gizmos', 'gizmos'),
    ];
    const dbs = Array.from({ length: 4 }, () => file.open());
    const reports = await Promise.all(
      dbs.map((d) => migrate(d.db, d.dialect, { prefix: '', migrations: list })),
    );
    const applied = reports.flatMap((r) => r.applied).sort();
    expect(applied).toEqual(['2026_12_31_0001_create_widgets', '2026_12_31_0002_create_gizmos']);
    for (const d of dbs) await d.close();
    file.remove();
  });

  it('given bad options, when migrating, then VALIDATION_FAILED names the field and nothing is created', async () => {
    const { db, dialect, close } = openSqlite();
    const e = await caught(migrate(db, dialect, { prefix: 'bad-prefix!' }));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toContain('prefix');
    expect(await tableNames(db)).toEqual([]);
    await close();
  });

  it('given a file that is not a SQLite database, when migrating, then CONNECTION_FAILED says so and the file is left as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pet-sqlite-notadb-'));
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'hello, not a database\n');
    const { db, dialect, close } = openSqlite({ path });
    const e = await caught(migrate(db, dialect, { prefix: '' }));
    expect(e.code).toBe('CONNECTION_FAILED');
    expect(e.message).toContain('not a SQLite database');
    await close();
    expect(readFileSync(path, 'utf8')).toBe('hello, not a database\n');
    rmSync(dir, { recursive: true, force: true });
  });
});
