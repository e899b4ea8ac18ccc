/**
 * Data steps in migrations (`{ op: 'dataStep' }`), written once and run against every engine and
 * database (not a test file itself: each adapter's `data-step.int.test.ts` calls
 * {@link describeDataStepContract}). A toy registered step copies `toy_sources` into `toy_targets`,
 * inserting only what is missing (idempotent, as the contract asks); on demand it throws after writing
 * some rows. The suite migrates a custom list: the step runs once, writes its rows and is journaled; a
 * run that fails mid-step leaves the migration unapplied and the next run completes it exactly once; the
 * plan lists it as one step with its description; verify is clean afterwards; an unregistered step is
 * refused with a typed error before anything of its migration runs.
 */
import {
  col,
  defineMigration,
  journalMigration,
  type Migration,
  schemaBeforeEach,
} from '@pet-ops/migrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DataStepContext, dataStep, type MissingDataStep, registerDataStep } from '../data-steps.js';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import { migrate, migrationStatus } from '../migrate.js';

/** One database under test, empty (not migrated), with its engine behind a common shape. */
export interface DataStepTarget {
  /** A handle for the test's own reads and writes (not the migration's). */
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  readonly prefix: string;
  /** Runs the engine's `migrate` on `list` (up to `target`). */
  readonly migrate: (
    list: readonly Migration[],
    target?: string,
  ) => Promise<{
    readonly applied: readonly string[];
    readonly dataSteps: readonly {
      readonly migrationId: string;
      readonly step: string;
      readonly rows: number;
    }[];
  }>;
  /** The engine's status: ids not applied yet and unregistered steps among them. */
  readonly status: (list: readonly Migration[]) => Promise<{
    readonly pending: readonly string[];
    readonly missingDataSteps: readonly MissingDataStep[];
  }>;
  /** What `pet migrate plan` lists for `list`: each pending statement with its text. */
  readonly plan: (
    list: readonly Migration[],
  ) => Promise<readonly { readonly migrationId: string; readonly sql: string }[]>;
  /** The engine's verify: every problem it reports (empty when clean). */
  readonly verify: (list: readonly Migration[]) => Promise<readonly string[]>;
  readonly close: () => Promise<void>;
}

/**
 * A {@link DataStepTarget} on `@pet-ops/sql`'s engine (SQLite, PostgreSQL): `plan` lists what
 * `pet migrate plan` lists for these dialects (the pending migrations compiled), `verify` is the given
 * live-schema check, or the journal check of `migrationStatus` alone.
 *
 * @example
 * ```ts
 * describeDataStepContract('sqlite', async () => seamDataStepTarget(db, dialect, 'ds_', close));
 * ```
 */
export function seamDataStepTarget(
  db: AnyDatabase,
  dialect: PetDialect,
  prefix: string,
  close: () => Promise<void>,
  verify?: (list: readonly Migration[]) => Promise<readonly string[]>,
): DataStepTarget {
  const status: DataStepTarget['status'] = async (list) => {
    const s = await migrationStatus(db, dialect, { prefix, migrations: list });
    return { pending: s.pending, missingDataSteps: s.missingDataSteps };
  };
  return {
    db,
    dialect,
    prefix,
    migrate: (list, target) =>
      migrate(db, dialect, { prefix, migrations: list, ...(target === undefined ? {} : { target }) }),
    status,
    plan: async (list) => {
      const pending = new Set((await status(list)).pending);
      const before = schemaBeforeEach(list);
      return list
        .flatMap((m, i) => (pending.has(m.id) ? [{ m, before: before[i] }] : []))
        .flatMap(({ m, before }) =>
          m.operations
            .flatMap((op, j) => dialect.compile(op, prefix, before?.[j]))
            .map((sql) => ({ migrationId: m.id, sql })),
        );
    },
    verify:
      verify ??
      (async (list) => {
        await status(list); // throws MIGRATION_TAMPERED on a journal that does not match
        return [];
      }),
    close,
  };
}

/** The toy step's name: what the migrations below call. */
export const TOY_STEP = 'contract_toy_copy';
const UNKNOWN_STEP = 'contract_nobody_registered';

const toy = { calls: 0, failAfter: undefined as number | undefined };

function registerToyStep(): void {
  if (dataStep(TOY_STEP) !== undefined) return;
  registerDataStep({
    name: TOY_STEP,
    description: 'copies toy_sources into toy_targets, doubling amounts',
    async run({ db, prefix }: DataStepContext) {
      toy.calls += 1;
      const sources = await db
        .selectFrom(`${prefix}toy_sources`)
        .select(['id', 'amount'])
        .orderBy('id')
        .execute();
      const copied = await db.selectFrom(`${prefix}toy_targets`).select('source_id').execute();
      const done = new Set(copied.map((r) => Number(r.source_id)));
      let rows = 0;
      for (const s of sources) {
        if (done.has(Number(s.id))) continue;
        await db
          .insertInto(`${prefix}toy_targets`)
          .values({ source_id: Number(s.id), doubled: Number(s.amount) * 2 })
          .execute();
        rows += 1;
        if (toy.failAfter !== undefined && rows === toy.failAfter) {
          toy.failAfter = undefined;
          throw new Error(`toy step interrupted after ${rows} rows`);
        }
      }
      return { rows };
    },
  });
}

const tables = defineMigration({
  id: '2026_12_31_0101_toy_tables',
  name: 'Toy tables',
  operations: [
    {
      op: 'createTable',
      table: 'toy_sources',
      columns: [col.int('id'), col.int('amount')],
      primaryKey: ['id'],
    },
    {
      op: 'createTable',
      table: 'toy_targets',
      // No key on source_id: a step that copied a row twice would show.
      columns: [col.bigintAutoIncrement('id'), col.int('source_id'), col.int('doubled')],
      primaryKey: ['id'],
    },
  ],
});

const move = defineMigration({
  id: '2026_12_31_0102_toy_move',
  name: 'Toy rows move',
  operations: [
    { op: 'dataStep', step: TOY_STEP, description: 'toy sources become toy targets' },
    { op: 'addColumn', table: 'toy_targets', column: col.text('note', 40, { nullable: true }) },
  ],
});

const unknown = defineMigration({
  id: '2026_12_31_0103_toy_unknown',
  name: 'Toy step nobody registered',
  operations: [
    {
      op: 'createTable',
      table: 'toy_never',
      columns: [col.int('id')],
      primaryKey: ['id'],
    },
    { op: 'dataStep', step: UNKNOWN_STEP, description: 'never runs' },
  ],
});

const list: readonly Migration[] = [journalMigration, tables, move];
const SOURCES = 5;

/**
 * Declares the data-step tests for one engine and database.
 *
 * @example
 * ```ts
 * describeDataStepContract('sqlite', async () => ({ db, dialect, prefix, migrate, status, plan, verify, close }));
 * ```
 */
export function describeDataStepContract(name: string, open: () => Promise<DataStepTarget>): void {
  describe(`data steps in migrations (${name})`, () => {
    let t: DataStepTarget;
    beforeAll(async () => {
      registerToyStep();
      t = await open();
      await t.migrate(list, tables.id);
      for (let id = 1; id <= SOURCES; id++) {
        await t.db
          .insertInto(`${t.prefix}toy_sources`)
          .values({ id, amount: id * 10 })
          .execute();
      }
    });
    afterAll(async () => {
      await t?.close();
    });

    const targets = async (): Promise<{ source_id: number; doubled: number }[]> =>
      (
        await t.db
          .selectFrom(`${t.prefix}toy_targets`)
          .select(['source_id', 'doubled'])
          .orderBy('source_id')
          .execute()
      ).map((r) => ({ source_id: Number(r.source_id), doubled: Number(r.doubled) }));

    const tableExists = async (logical: string): Promise<boolean> =>
      (await t.db.introspection.getTables()).some((x) => x.name === `${t.prefix}${logical}`);

    it('given a pending migration with an unregistered step, when migrated, then MIGRATION_FAILED names it and nothing of the migration ran', async () => {
      const withUnknown = [...list.slice(0, 2), unknown];
      const s = await t.status(withUnknown);
      expect(s.missingDataSteps).toEqual([{ migrationId: unknown.id, statement: 2, step: UNKNOWN_STEP }]);
      const e = await t.migrate(withUnknown).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toMatchObject({
        code: 'MIGRATION_FAILED',
        details: { reason: 'unknown_data_step', migrationId: unknown.id, step: UNKNOWN_STEP },
      });
      expect((e as Error).message).toContain(UNKNOWN_STEP);
      // Its first statement (a CREATE TABLE) did not run either.
      expect(await tableExists('toy_never')).toBe(false);
      expect((await t.status(withUnknown)).pending).toEqual([unknown.id]);
    });

    it('given a registered step, when planned, then it is one step: its marker with the description', async () => {
      const steps = (await t.plan(list)).filter((s) => s.migrationId === move.id);
      expect(steps.map((s) => s.sql)).toHaveLength(2);
      expect(steps[0]?.sql).toBe(`-- data step ${TOY_STEP}: toy sources become toy targets`);
      expect((await t.status(list)).missingDataSteps).toEqual([]);
    });

    it('given the step fails after writing rows, when migrated, then MIGRATION_FAILED and the migration stays pending', async () => {
      toy.failAfter = 2;
      const calls = toy.calls;
      const e = await t.migrate(list).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toMatchObject({ code: 'MIGRATION_FAILED' });
      expect(toy.calls).toBe(calls + 1);
      // PostgreSQL and SQLite roll the migration back as a whole; MySQL keeps what the step wrote.
      expect(await targets()).toHaveLength(t.dialect.transactionalDdl ? 0 : 2);
      expect((await t.status(list)).pending).toEqual([move.id]);
    });

    it('given the failed run, when migrated again, then the step runs again and completes the copy exactly once', async () => {
      const calls = toy.calls;
      const r = await t.migrate(list);
      expect(r.applied).toEqual([move.id]);
      expect(r.dataSteps).toEqual([
        { migrationId: move.id, step: TOY_STEP, rows: t.dialect.transactionalDdl ? SOURCES : SOURCES - 2 },
      ]);
      expect(toy.calls).toBe(calls + 1);
      expect(await targets()).toEqual(
        Array.from({ length: SOURCES }, (_, i) => ({ source_id: i + 1, doubled: (i + 1) * 20 })),
      );
      // The statement after the step ran too.
      await t.db.selectFrom(`${t.prefix}toy_targets`).select('note').execute();
    });

    it('given the applied migration, when read from the journal, then the step is journaled as one of its two steps', async () => {
      const row = await t.db
        .selectFrom(`${t.prefix}schema_migrations`)
        .select(['status', 'applied_steps', 'total_steps'])
        .where('id', '=', move.id)
        .executeTakeFirstOrThrow();
      expect({
        ...row,
        applied_steps: Number(row.applied_steps),
        total_steps: Number(row.total_steps),
      }).toEqual({
        status: 'applied',
        applied_steps: 2,
        total_steps: 2,
      });
    });

    it('given everything applied, when migrated again, then the step does not run and verify is clean', async () => {
      const calls = toy.calls;
      const r = await t.migrate(list);
      expect(r).toMatchObject({ applied: [], dataSteps: [] });
      expect(toy.calls).toBe(calls);
      expect(await targets()).toHaveLength(SOURCES);
      expect(await t.status(list)).toEqual({ pending: [], missingDataSteps: [] });
      expect(await t.plan(list)).toEqual([]);
      expect(await t.verify(list)).toEqual([]);
    });
  });
}
