import { type Migration, migrations } from '@pet-ops/migrations';
import type { Connection, Pool } from 'mysql2/promise';
import { describe, expect, test } from 'vitest';
import { legacyChecksums, migrationChecksums } from './checksum.js';
import { assertSchemaCurrent, type MigrationProgress, migrate, plan, status, verify } from './engine.js';
import { extendedList, failure, widgetMigrations } from './fixtures.test.js';
import { useFreshDatabase } from './fresh-database.test.js';

let pool: Pool;
let conn: Connection;

useFreshDatabase((fresh) => {
  ({ pool, conn } = fresh);
});

interface ChecksumRow {
  id: string;
  checksum: string;
  step_checksums: string[];
  status: string;
  applied_steps: number;
  updated_at: string;
}

async function journalChecksums(prefix: string): Promise<ChecksumRow[]> {
  const [rows] = await conn.query(
    `SELECT id, checksum, step_checksums, status, applied_steps, updated_at FROM \`${prefix}schema_migrations\` ORDER BY id`,
  );
  return (rows as (Omit<ChecksumRow, 'step_checksums'> & { step_checksums: unknown })[]).map((r) => ({
    ...r,
    step_checksums: (typeof r.step_checksums === 'string'
      ? JSON.parse(r.step_checksums)
      : r.step_checksums) as string[],
  }));
}

async function writeChecksums(
  prefix: string,
  id: string,
  c: { readonly checksum: string; readonly stepChecksums: readonly string[] },
): Promise<void> {
  await conn.query(
    `UPDATE \`${prefix}schema_migrations\` SET checksum = ?, step_checksums = ? WHERE id = ?`,
    [c.checksum, JSON.stringify(c.stepChecksums), id],
  );
}

/** A database "as today's head" made it: migrated, its journal recording the compiled (legacy) checksums. */
async function migratedByLegacyHead(prefix: string, list: readonly Migration[]): Promise<void> {
  await migrate(pool, { prefix, migrations: list });
  for (const m of list) await writeChecksums(prefix, m.id, legacyChecksums(m));
}

const logicalRows = (list: readonly Migration[]) =>
  list.map((m) => ({
    id: m.id,
    checksum: migrationChecksums(m).checksum,
    step_checksums: migrationChecksums(m).stepChecksums,
  }));
const legacyRows = (list: readonly Migration[]) =>
  list.map((m) => ({
    id: m.id,
    checksum: legacyChecksums(m).checksum,
    step_checksums: legacyChecksums(m).stepChecksums,
  }));
const checksumsOnly = (rows: readonly ChecksumRow[]) =>
  rows.map(({ id, checksum, step_checksums }) => ({ id, checksum, step_checksums }));

describe('checksums upgrade from the compiled (legacy) ones to the logical ones', () => {
  test('given a fresh install, then the journal records the logical checksums of every migration', async () => {
    const prefix = 'fresh_';
    await migrate(pool, { prefix });
    expect(checksumsOnly(await journalChecksums(prefix))).toEqual(logicalRows(migrations));
  });

  test('given a database migrated by the legacy head, when status, plan, verify and assertSchemaCurrent run, then all are clean and nothing is rewritten', async () => {
    const prefix = 'legacy_ro_';
    await migratedByLegacyHead(prefix, migrations);
    const before = await journalChecksums(prefix);
    expect(checksumsOnly(before)).toEqual(legacyRows(migrations));

    const s = await status(pool, { prefix });
    expect(s).toMatchObject({ current: true, problem: null, unknown: [] });
    expect(s.legacyChecksums).toEqual(migrations.map((m) => m.id));
    expect(await verify(pool, { prefix })).toMatchObject({ ok: true, drifts: [], journal: [] });
    await expect(assertSchemaCurrent(pool, { prefix })).resolves.toBeUndefined();
    expect(await plan(pool, { prefix })).toEqual([]);

    expect(await journalChecksums(prefix)).toEqual(before);
  });

  test('given a database migrated by the legacy head, when migrated, then every row is upgraded to the logical checksums once, and nothing else runs', async () => {
    const prefix = 'legacy_up_';
    await migratedByLegacyHead(prefix, migrations);
    const before = await journalChecksums(prefix);
    const progress: MigrationProgress[] = [];

    const result = await migrate(pool, { prefix, onProgress: (p) => void progress.push(p) });

    expect(result).toMatchObject({ applied: [], executedStatements: 0, skippedStatements: 0 });
    expect(result.upgradedChecksums).toEqual(migrations.map((m) => m.id));
    expect(progress).toEqual(
      migrations.map((m) => ({
        kind: 'checksums-upgraded',
        migrationId: m.id,
        from: legacyChecksums(m).checksum,
        to: migrationChecksums(m).checksum,
      })),
    );
    const after = await journalChecksums(prefix);
    expect(checksumsOnly(after)).toEqual(logicalRows(migrations));
    // Only the checksums (and when) changed: status and progress stay.
    expect(after.map((r) => [r.id, r.status, r.applied_steps])).toEqual(
      before.map((r) => [r.id, r.status, r.applied_steps]),
    );
    expect((await status(pool, { prefix })).legacyChecksums).toEqual([]);
    expect(await verify(pool, { prefix })).toMatchObject({ ok: true, journal: [] });

    const again = await migrate(pool, { prefix });
    expect(again.upgradedChecksums).toEqual([]);
    expect(await journalChecksums(prefix)).toEqual(after);
  });

  test('given a legacy crashed run (last statement not recorded), when migrated, then it is upgraded and resumes to applied', async () => {
    const prefix = 'legacy_crash_';
    await migratedByLegacyHead(prefix, extendedList);
    const last = widgetMigrations.at(-1) as Migration;
    const steps = last.operations.length;
    await conn.query(
      `UPDATE \`${prefix}schema_migrations\` SET status = 'running', applied_steps = ?, finished_at = NULL WHERE id = ?`,
      [steps - 1, last.id],
    );
    expect((await status(pool, { prefix, migrations: extendedList })).problem).toBeNull();

    const result = await migrate(pool, { prefix, migrations: extendedList });

    expect(result).toMatchObject({ applied: [last.id], skippedStatements: 1 });
    expect(result.upgradedChecksums).toEqual(extendedList.map((m) => m.id));
    expect(checksumsOnly(await journalChecksums(prefix))).toEqual(logicalRows(extendedList));
    expect(await verify(pool, { prefix, migrations: extendedList })).toMatchObject({ ok: true, journal: [] });
  });

  test('given a row that matches neither the legacy nor the logical checksums, then every command refuses it as tampered and nothing is written', async () => {
    const prefix = 'legacy_bad_';
    await migratedByLegacyHead(prefix, migrations);
    const victim = migrations[3] as Migration;
    const legacy = legacyChecksums(victim);
    // The legacy checksum, but one statement's checksum is neither the legacy nor the logical one.
    await writeChecksums(prefix, victim.id, {
      checksum: legacy.checksum,
      stepChecksums: legacy.stepChecksums.map((c, i) => (i === 0 ? 'f'.repeat(64) : c)),
    });
    const before = await journalChecksums(prefix);

    const e = await failure(migrate(pool, { prefix }));
    expect(e.code).toBe('MIGRATION_TAMPERED');
    expect(e.details).toMatchObject({ migrationId: victim.id, reason: 'tampered' });
    const s = await status(pool, { prefix });
    expect(s.problem).toMatchObject({ kind: 'tampered', migrationId: victim.id });
    expect(s.current).toBe(false);
    expect(s.legacyChecksums).not.toContain(victim.id);
    expect((await failure(assertSchemaCurrent(pool, { prefix }))).code).toBe('MIGRATION_TAMPERED');
    expect((await failure(plan(pool, { prefix }))).code).toBe('MIGRATION_TAMPERED');
    const v = await verify(pool, { prefix });
    expect(v.ok).toBe(false);
    expect(v.journal).toEqual([
      expect.stringContaining(`${victim.id}: journal checksum ${legacy.checksum}`),
      expect.stringContaining(`${victim.id} statement 1:`),
    ]);
    // Refused before anything ran: not even the legacy rows around it were upgraded.
    expect(await journalChecksums(prefix)).toEqual(before);
  });
});
