/**
 * The seam's `migrate` where DDL is not transactional (the resumable engine), written once (not a test file
 * itself: each such adapter's `migrate-seam.int.test.ts` calls {@link describeResumableMigrateContract}).
 * A migration whose third statement fails keeps its first two and is journaled `failed` at step 3; a rerun
 * retries it; a corrected version of the same id resumes at step 3 and completes; editing a statement
 * that already ran is tampering, before and after; a crashed run's `running` row resumes after its last
 * recorded step; of two migrators started together one applies and the other finds nothing to do.
 */
import { isPetError, type PetError } from '@pet-ops/core';
import { col, defineMigration, journalMigration, type Migration } from '@pet-ops/migrations';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logicalChecksums } from '../checksum.js';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import { assertSchemaCurrent, migrate, migrationStatus } from '../migrate.js';
import { type MigrationProgress, migrateResumable } from '../migrate-resumable.js';

/** One empty database (not migrated) whose dialect has no transactional DDL. */
export interface ResumableMigrateTarget {
  /** A handle for the engine and the test's own reads and writes. */
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  /** A second handle on connections of its own, for a second migrator. */
  readonly second: { readonly db: AnyDatabase; readonly dialect: PetDialect };
  readonly close: () => Promise<void>;
}

const gadgets = defineMigration({
  id: '2026_12_31_0301_rm_gadgets',
  name: 'Gadgets',
  operations: [
    {
      op: 'createTable',
      table: 'rm_gadgets',
      columns: [col.int('id'), col.text('code', 16)],
      primaryKey: ['id'],
    },
  ],
});
const keyId = '2026_12_31_0302_rm_gadget_keys';
// Statement 3 fails on data: the codes are not unique.
const broken = defineMigration({
  id: keyId,
  name: 'Gadgets get a serial, a note and unique codes',
  operations: [
    { op: 'addColumn', table: 'rm_gadgets', column: col.text('serial', 16, { nullable: true }) },
    { op: 'addColumn', table: 'rm_gadgets', column: col.text('note', 40, { nullable: true }) },
    { op: 'addUnique', table: 'rm_gadgets', index: { name: 'uq_code', columns: ['code'] } },
  ],
});
// The fix: statements 1 and 2 (applied) unchanged, statement 3 a plain index.
const fixed = defineMigration({
  ...broken,
  operations: [
    broken.operations[0] as Migration['operations'][number],
    broken.operations[1] as Migration['operations'][number],
    { op: 'addIndex', table: 'rm_gadgets', index: { name: 'ix_code', columns: ['code'] } },
  ],
});
// A "fix" that edits statement 2, which already ran.
const badFix = defineMigration({
  ...fixed,
  operations: [
    fixed.operations[0] as Migration['operations'][number],
    { op: 'addColumn', table: 'rm_gadgets', column: col.text('note', 80, { nullable: true }) },
    fixed.operations[2] as Migration['operations'][number],
  ],
});
const later = defineMigration({
  id: '2026_12_31_0303_rm_gadget_price',
  name: 'Gadgets get a price',
  operations: [{ op: 'addColumn', table: 'rm_gadgets', column: col.int('price', { nullable: true }) }],
});

const listWith = (m: Migration): Migration[] => [journalMigration, gadgets, m];

interface Row {
  id: string;
  status: string;
  applied_steps: number;
  total_steps: number;
  attempts: number;
  failed_step: number | null;
  error: string | null;
  finished_at: unknown;
}

async function failure(p: Promise<unknown>): Promise<PetError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!isPetError(e)) throw new Error(`expected a PetError, got ${String(e)}`);
  return e;
}

/**
 * Declares the resumable-engine tests for one database.
 *
 * @example
 * ```ts
 * describeResumableMigrateContract('mariadb', async () => ({ db, dialect, second, close }));
 * ```
 */
export function describeResumableMigrateContract(
  name: string,
  open: () => Promise<ResumableMigrateTarget>,
): void {
  describe(`resumable migrations (${name})`, () => {
    let t: ResumableMigrateTarget;
    beforeAll(async () => {
      t = await open();
    });
    afterAll(async () => {
      await t?.close();
    });

    const journal = async (prefix: string): Promise<Row[]> =>
      (
        await t.db
          .selectFrom(`${prefix}schema_migrations`)
          .select([
            'id',
            'status',
            'applied_steps',
            'total_steps',
            'attempts',
            'failed_step',
            'error',
            'finished_at',
          ])
          .orderBy('id')
          .execute()
      ).map((r) => ({
        ...r,
        applied_steps: Number(r.applied_steps),
        total_steps: Number(r.total_steps),
        attempts: Number(r.attempts),
        failed_step: r.failed_step === null ? null : Number(r.failed_step),
      })) as Row[];
    const rowOf = async (prefix: string, id: string): Promise<Row | undefined> =>
      (await journal(prefix)).find((r) => r.id === id);
    const columns = async (prefix: string): Promise<string[]> =>
      ((await t.db.introspection.getTables()).find((x) => x.name === `${prefix}rm_gadgets`)?.columns ?? [])
        .map((c) => c.name)
        .sort();

    describe('a migration whose third statement fails', () => {
      const prefix = 'rf_';
      beforeAll(async () => {
        expect(t.dialect.transactionalDdl).toBe(false);
        await migrate(t.db, t.dialect, { prefix, migrations: listWith(broken), target: gadgets.id });
        await t.db
          .insertInto(`${prefix}rm_gadgets`)
          .values([
            { id: 1, code: 'dup' },
            { id: 2, code: 'dup' },
          ])
          .execute();
      });

      it('given duplicate codes, when migrated, then MIGRATION_FAILED names statement 3, statements 1 and 2 stay applied, and the row is failed at step 3', async () => {
        const e = await failure(migrate(t.db, t.dialect, { prefix, migrations: listWith(broken) }));
        expect(e.code).toBe('MIGRATION_FAILED');
        expect(e.message).toContain(`migration ${keyId} ("${broken.name}") failed at statement 3 of 3`);
        expect(e.message).toContain('resumes at statement 3');
        expect(e.details).toMatchObject({ migrationId: keyId, statement: 3, totalStatements: 3 });
        expect(await columns(prefix)).toEqual(['code', 'id', 'note', 'serial']);
        const row = await rowOf(prefix, keyId);
        expect(row).toMatchObject({
          status: 'failed',
          applied_steps: 2,
          total_steps: 3,
          failed_step: 3,
          attempts: 1,
          finished_at: null,
        });
        expect(row?.error).toMatch(/^statement 3: \S/);
        expect(row?.error).not.toContain('\n    at ');
      });

      it('then status lists it pending and the gate refuses', async () => {
        const s = await migrationStatus(t.db, t.dialect, { prefix, migrations: listWith(broken) });
        expect(s).toMatchObject({ current: false, pending: [keyId] });
        const gate = await failure(
          assertSchemaCurrent(t.db, t.dialect, { prefix, migrations: listWith(broken) }),
        );
        expect(gate.code).toBe('SCHEMA_NOT_CURRENT');
      });

      it('given no fix, when migrated again, then it retries statement 3 alone and fails again (attempt 2)', async () => {
        const progress: MigrationProgress[] = [];
        const e = await failure(
          migrateResumable(t.db, t.dialect, {
            prefix,
            migrations: listWith(broken),
            onProgress: (p) => void progress.push(p),
          }),
        );
        expect(e.details).toMatchObject({ statement: 3 });
        expect(progress.map((p) => p.kind)).toEqual(['migration-started', 'migration-failed']);
        expect(progress[0]).toMatchObject({ migrationId: keyId, fromStatement: 3, totalStatements: 3 });
        expect(await rowOf(prefix, keyId)).toMatchObject({
          status: 'failed',
          applied_steps: 2,
          failed_step: 3,
          attempts: 2,
        });
      });

      it('given a "fix" that edits statement 2, which already ran, then it is MIGRATION_TAMPERED and nothing is written', async () => {
        const before = await journal(prefix);
        const e = await failure(migrate(t.db, t.dialect, { prefix, migrations: listWith(badFix) }));
        expect(e.code).toBe('MIGRATION_TAMPERED');
        expect(e.message).toContain(`migration ${keyId} was edited in statement 2, which already ran`);
        expect(e.details).toMatchObject({ reason: 'tampered', migrationId: keyId, step: 2 });
        expect(await journal(prefix)).toEqual(before);
      });

      it('given the fix of statement 3, when migrated, then it resumes at statement 3 and completes', async () => {
        const progress: MigrationProgress[] = [];
        const r = await migrateResumable(t.db, t.dialect, {
          prefix,
          migrations: listWith(fixed),
          onProgress: (p) => void progress.push(p),
        });
        expect(r).toMatchObject({ applied: [keyId], executedStatements: 1, skippedStatements: 0 });
        expect(r.alreadyApplied).toEqual([journalMigration.id, gadgets.id]);
        expect(progress.filter((p) => p.kind === 'statement-executed')).toEqual([
          expect.objectContaining({ migrationId: keyId, statement: 3, skipped: false }),
        ]);
        const row = await rowOf(prefix, keyId);
        expect(row).toMatchObject({
          status: 'applied',
          applied_steps: 3,
          failed_step: null,
          error: null,
          attempts: 3,
        });
        expect(row?.finished_at).not.toBeNull();
        await expect(
          assertSchemaCurrent(t.db, t.dialect, { prefix, migrations: listWith(fixed) }),
        ).resolves.toBeUndefined();
        expect((await migrate(t.db, t.dialect, { prefix, migrations: listWith(fixed) })).applied).toEqual([]);
      });

      it('given the applied migration, when the code edits one of its statements, then every entry point refuses it as tampered', async () => {
        const before = await journal(prefix);
        const edited = [...listWith(badFix), later];
        const e = await failure(migrate(t.db, t.dialect, { prefix, migrations: edited }));
        expect(e.code).toBe('MIGRATION_TAMPERED');
        expect(e.message).toContain(`migration ${keyId} was edited after it was applied`);
        expect(await journal(prefix)).toEqual(before);
        expect(await columns(prefix)).not.toContain('price');
        expect((await failure(migrationStatus(t.db, t.dialect, { prefix, migrations: edited }))).code).toBe(
          'MIGRATION_TAMPERED',
        );
      });
    });

    it('given a crashed run (its row running after step 1), when migrated, then it resumes at step 2 and completes', async () => {
      const prefix = 'rc_';
      const list = [...listWith(fixed), later];
      await migrate(t.db, t.dialect, { prefix, migrations: list, target: gadgets.id });
      // What a runner killed after recording step 1 of the key migration leaves behind.
      const [first] = fixed.operations;
      for (const s of first === undefined ? [] : t.dialect.compile(first, prefix))
        await sql.raw(s).execute(t.db);
      await t.db
        .insertInto(`${prefix}schema_migrations`)
        .values({
          id: fixed.id,
          name: fixed.name,
          checksum: logicalChecksums(fixed).checksum,
          status: 'running',
          applied_steps: 1,
          total_steps: 3,
          step_checksums: t.dialect.codecs.encodeJson(logicalChecksums(fixed).stepChecksums),
          attempts: 1,
          started_at: t.dialect.codecs.encodeInstant('2026-12-31T10:00:00.000000Z'),
          updated_at: t.dialect.codecs.encodeInstant('2026-12-31T10:00:01.000000Z'),
        })
        .execute();
      expect((await migrationStatus(t.db, t.dialect, { prefix, migrations: list })).pending).toEqual([
        fixed.id,
        later.id,
      ]);

      const progress: MigrationProgress[] = [];
      const r = await migrateResumable(t.db, t.dialect, {
        prefix,
        migrations: list,
        onProgress: (p) => void progress.push(p),
      });
      expect(r.applied).toEqual([fixed.id, later.id]);
      expect(progress.find((p) => p.kind === 'migration-started')).toMatchObject({
        migrationId: fixed.id,
        fromStatement: 2,
      });
      expect(await rowOf(prefix, fixed.id)).toMatchObject({
        status: 'applied',
        applied_steps: 3,
        attempts: 2,
      });
      expect(await columns(prefix)).toEqual(['code', 'id', 'note', 'price', 'serial']);
    });

    it('given two migrators started together, then one applies every migration and the other finds nothing to do', async () => {
      const prefix = 'rx_';
      const list = [...listWith(fixed), later];
      const ids = list.map((m) => m.id);
      const results = await Promise.all([
        migrate(t.db, t.dialect, { prefix, migrations: list }),
        migrate(t.second.db, t.second.dialect, { prefix, migrations: list }),
      ]);
      const winners = results.filter((r) => r.applied.length > 0);
      expect(winners).toHaveLength(1);
      expect(winners[0]?.applied).toEqual(ids);
      const loser = results.find((r) => r !== winners[0]);
      expect(loser).toMatchObject({ applied: [], alreadyApplied: ids });
      expect((await journal(prefix)).map((r) => [r.id, r.status, r.attempts])).toEqual(
        ids.map((id) => [id, 'applied', 1]),
      );
    });
  });
}
