// Data steps in migrations on MariaDB through the adapter's resumable engine: the shared contract (the
// step runs on the engine's own connection, outside a transaction, so a failed step keeps what it wrote
// and the re-run completes it), then what only this engine has: the plan's `dataStep`, the step's rows in
// progress, and a connection killed mid-step.
import { col, defineMigration, journalMigration, type Migration } from '@pet-ops/migrations';
import { dataStep, registerDataStep } from '@pet-ops/sql';
import { sql } from 'kysely';
import type { Connection, Pool } from 'mysql2/promise';
import { describe, expect, test } from 'vitest';
import { describeDataStepContract } from '../../../sql/src/contract/data-step-contract.test.js';
import { type MigrationProgress, migrate, plan, status, verify } from './engine.js';
import { failure, journal } from './fixtures.test.js';
import { mariadbEngineTarget, useFreshDatabase } from './fresh-database.test.js';

describeDataStepContract('mariadb', () => mariadbEngineTarget('ds_'));

let pool: Pool;
let conn: Connection;
const prefix = 'dk_';

useFreshDatabase((fresh) => {
  ({ pool, conn } = fresh);
});

const KILLED_STEP = 'mysql_toy_killed';
/** Set to a connection to kill its session after the step wrote two rows (once). */
const killer: { conn: Connection | undefined; calls: number } = { conn: undefined, calls: 0 };

if (dataStep(KILLED_STEP) === undefined) {
  registerDataStep({
    name: KILLED_STEP,
    description: 'copies items into copies; its connection can be killed mid-way',
    async run({ db, prefix: p }) {
      killer.calls += 1;
      const items = await db.selectFrom(`${p}items`).select('id').orderBy('id').execute();
      const done = new Set(
        (await db.selectFrom(`${p}copies`).select('item_id').execute()).map((r) => Number(r.item_id)),
      );
      let rows = 0;
      for (const item of items) {
        if (done.has(Number(item.id))) continue;
        await db
          .insertInto(`${p}copies`)
          .values({ item_id: Number(item.id) })
          .execute();
        rows += 1;
        if (rows === 2 && killer.conn !== undefined) {
          const by = killer.conn;
          killer.conn = undefined;
          const r = await sql<{ id: unknown }>`SELECT CONNECTION_ID() AS id`.execute(db);
          await by.query(`KILL CONNECTION ${Number(r.rows[0]?.id)}`);
        }
      }
      return { rows };
    },
  });
}

const itemTables = defineMigration({
  id: '2026_12_31_0201_items',
  name: 'Items and copies',
  operations: [
    { op: 'createTable', table: 'items', columns: [col.int('id')], primaryKey: ['id'] },
    {
      op: 'createTable',
      table: 'copies',
      columns: [col.bigintAutoIncrement('id'), col.int('item_id')],
      primaryKey: ['id'],
    },
  ],
});
const copyItems = defineMigration({
  id: '2026_12_31_0202_copy_items',
  name: 'Copy items',
  operations: [
    { op: 'addIndex', table: 'copies', index: { name: 'ix_item', columns: ['item_id'] } },
    { op: 'dataStep', step: KILLED_STEP, description: 'every item gets its copy' },
  ],
});
const list: readonly Migration[] = [journalMigration, itemTables, copyItems];
const unknownList: readonly Migration[] = [
  journalMigration,
  itemTables,
  defineMigration({
    id: '2026_12_31_0203_unknown',
    name: 'Unknown step',
    operations: [{ op: 'dataStep', step: 'mysql_nobody', description: 'never runs' }],
  }),
];

const copies = async (): Promise<number[]> => {
  const [rows] = await conn.query(`SELECT item_id FROM ${prefix}copies ORDER BY item_id`);
  return (rows as { item_id: number }[]).map((r) => Number(r.item_id));
};

describe('data steps on the MySQL/MariaDB engine', () => {
  test('given a pending data step, when planned, then it is listed with its marker and dataStep, and an unknown one is refused', async () => {
    await migrate(pool, { prefix, migrations: list, target: itemTables.id });
    await conn.query(`INSERT INTO ${prefix}items (id) VALUES (1), (2), (3), (4), (5)`);
    const steps = await plan(pool, { prefix, migrations: list });
    expect(steps.map((s) => [s.statement, s.dataStep ?? null])).toEqual([
      [1, null],
      [2, KILLED_STEP],
    ]);
    expect(steps[1]?.sql).toBe(`-- data step ${KILLED_STEP}: every item gets its copy`);
    const e = await failure(plan(pool, { prefix, migrations: unknownList }));
    expect(e).toMatchObject({
      code: 'MIGRATION_FAILED',
      details: { reason: 'unknown_data_step', step: 'mysql_nobody' },
    });
    expect(e.message).toMatch(/^plan: migration 2026_12_31_0203_unknown runs data step mysql_nobody/);
    expect((await status(pool, { prefix, migrations: unknownList })).missingDataSteps).toEqual([
      { migrationId: '2026_12_31_0203_unknown', statement: 1, step: 'mysql_nobody' },
    ]);
  });

  test('given the connection is killed mid-step, when migrated again, then the step resumes from its start and completes each copy once', async () => {
    killer.conn = conn;
    const e = await failure(migrate(pool, { prefix, migrations: list }));
    expect(e.retryable).toBe(true);
    expect(await copies()).toEqual([1, 2]);
    // The index ran and was recorded; the step was not.
    expect((await journal(conn, prefix)).find((r) => r.id === copyItems.id)).toMatchObject({
      status: 'running',
      applied_steps: 1,
    });
    const progress: MigrationProgress[] = [];
    const calls = killer.calls;
    const r = await migrate(pool, {
      prefix,
      migrations: list,
      onProgress: (p) => {
        progress.push(p);
      },
    });
    expect(killer.calls).toBe(calls + 1);
    expect(r.applied).toEqual([copyItems.id]);
    expect(r.dataSteps).toEqual([{ migrationId: copyItems.id, step: KILLED_STEP, rows: 3 }]);
    expect(await copies()).toEqual([1, 2, 3, 4, 5]);
    expect(progress.filter((p) => p.kind === 'statement-executed')).toEqual([
      {
        kind: 'statement-executed',
        migrationId: copyItems.id,
        statement: 2,
        totalStatements: 2,
        sql: `-- data step ${KILLED_STEP}: every item gets its copy`,
        skipped: false,
        rows: 3,
      },
    ]);
    const v = await verify(pool, { prefix, migrations: list });
    expect(v).toMatchObject({ ok: true, drifts: [], journal: [] });
  });
});
