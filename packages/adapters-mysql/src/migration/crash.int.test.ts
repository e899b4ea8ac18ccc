import type { Pool } from 'mysql2/promise';
import { createConnection } from 'mysql2/promise';
import { describe, expect, inject, test } from 'vitest';
import { connect, connectionOptions } from '../connection.js';
import { createTestDatabase } from '../testing/test-database.js';
import { startChild } from './child-process.test.js';
import { type MigrationProgress, migrate, status, verify } from './engine.js';
import {
  beyondTarget,
  countByMigration,
  crashList,
  extendedIds,
  extendedList,
  extendedProgressEvents,
  extendedStatements,
  journal,
  migrationEvents,
  widgetMigrations,
} from './fixtures.test.js';
import { useFreshDatabase } from './fresh-database.test.js';

let pool: Pool;
const target = extendedIds.at(-1) as string;

/** One progress event of a fresh run: what a kill right after it interrupts. */
interface KillPoint {
  readonly k: number;
  readonly kind: MigrationProgress['kind'];
  readonly migrationId: string;
  readonly op: string | undefined;
}

/** Every progress event of a fresh run of the list, in order (the first test checks it against a run). */
const allPoints: readonly KillPoint[] = (() => {
  const out: KillPoint[] = [];
  const add = (kind: MigrationProgress['kind'], migrationId: string, op?: string): void =>
    void out.push({ k: out.length + 1, kind, migrationId, op });
  add('journal-created', '');
  for (const m of extendedList) {
    add('migration-started', m.id);
    for (const o of m.operations) {
      add('statement-executed', m.id, o.op);
      add('statement-recorded', m.id, o.op);
    }
    add('migration-completed', m.id);
  }
  return out;
})();

/**
 * The kill points this run tries. All ~460 took 15 minutes, most of the suite: each is a child process
 * and a migration to head in a database of its own. Kept every time: every point of the widget
 * migrations (this file's own mix of operations), the first and last point of each event kind, and the
 * first and last statement of each operation kind, executed and recorded. Then a seeded sample of the
 * rest, a different one per run (`PET_CRASH_SEED` repeats one; the seed is in the suite's name).
 */
const seed = Number(process.env['PET_CRASH_SEED'] ?? Date.now() % 1_000_000);
const killPoints: readonly number[] = (() => {
  const widgetIds = new Set(widgetMigrations.map((m) => m.id));
  const chosen = new Set<number>();
  for (const p of allPoints) if (widgetIds.has(p.migrationId)) chosen.add(p.k);
  const firstAndLast = (points: readonly KillPoint[]): void => {
    const [first, last] = [points[0], points.at(-1)];
    if (first !== undefined) chosen.add(first.k);
    if (last !== undefined) chosen.add(last.k);
  };
  for (const kind of new Set(allPoints.map((p) => p.kind)))
    firstAndLast(allPoints.filter((p) => p.kind === kind));
  for (const op of new Set(allPoints.flatMap((p) => (p.op === undefined ? [] : [p.op])))) {
    firstAndLast(allPoints.filter((p) => p.op === op && p.kind === 'statement-executed'));
    firstAndLast(allPoints.filter((p) => p.op === op && p.kind === 'statement-recorded'));
  }
  let x = seed || 1;
  const rest = allPoints.filter((p) => !chosen.has(p.k));
  for (let i = 0; i < 16 && rest.length > 0; i++) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    const [picked] = rest.splice(x % rest.length, 1);
    if (picked !== undefined) chosen.add(picked.k);
  }
  return [...chosen].sort((a, b) => a - b);
})();

useFreshDatabase((fresh) => {
  ({ pool } = fresh);
});

describe(`crash-resume (sample seed ${seed})`, () => {
  test('given a fresh run, then it reports exactly the expected progress events (the kill points below)', async () => {
    const seen: MigrationProgress[] = [];
    await migrate(pool, {
      prefix: 'count_',
      migrations: crashList,
      target,
      onProgress: (p) => void seen.push(p),
    });
    expect(seen).toHaveLength(extendedProgressEvents);
    expect(seen.filter((p) => p.kind === 'statement-recorded')).toHaveLength(extendedStatements);
    expect(seen.map((p) => p.kind)).toEqual(allPoints.map((p) => p.kind));
    expect(killPoints.length).toBeLessThan(allPoints.length / 3);
  });

  // Each kill point runs in its own database (dropped afterwards), so they run concurrently — the
  // child's start-up (a fresh Node process) overlaps with the other points' resume and verify — and
  // the schema probes never scan the tables of the other points (information_schema reads grow with
  // the number of tables in a database).
  test.concurrent.for(killPoints)(
    'given a runner SIGKILLed at progress event %i, when a fresh run resumes, then it reaches exactly the target and verifies clean',
    async (k, { expect }) => {
      const own = await createTestDatabase(inject('mysqlUrl'));
      const pool = await connect({ url: own.url, connectionLimit: 2 });
      const conn = await createConnection(connectionOptions(own.url));
      try {
        const prefix = `k${k}_`;
        const child = startChild({ MIGRATE_URL: own.url, MIGRATE_PREFIX: prefix, PAUSE_AT: String(k) });
        const paused = JSON.parse((await child.line('paused ')).slice('paused '.length)) as MigrationProgress;
        child.process.kill('SIGKILL');
        expect((await child.exited).signal).toBe('SIGKILL');

        const resumed = await migrate(pool, {
          prefix,
          migrations: crashList,
          target,
          lockTimeoutSeconds: 60,
        });
        if (paused.kind === 'statement-executed') expect(resumed.skippedStatements).toBeGreaterThanOrEqual(1);

        const s = await status(pool, { prefix, migrations: crashList });
        expect(s.problem).toBeNull();
        expect(s.migrations.filter((m) => m.state === 'applied').map((m) => m.id)).toEqual(extendedIds);
        expect(s.migrations.find((m) => m.id === beyondTarget.id)?.state).toBe('pending');
        expect((await journal(conn, prefix)).every((r) => r.status === 'applied' && r.error === null)).toBe(
          true,
        );
        expect(await verify(pool, { prefix, migrations: crashList })).toEqual({
          database: own.name,
          prefix,
          ok: true,
          drifts: [],
          journal: [],
        });
        const events = await migrationEvents(conn, prefix);
        expect(countByMigration(events, 'migration.completed')).toEqual(
          Object.fromEntries(extendedIds.map((id) => [id, 1])),
        );
        expect(countByMigration(events, 'migration.failed')).toEqual({});
        // Each stream's versions are 1..n without gaps.
        for (const id of extendedIds) {
          const versions = events.filter((e) => e.migrationId === id).map((e) => e.version);
          expect(versions).toEqual(versions.map((_, i) => i + 1));
        }
      } finally {
        await conn.end();
        await pool.end();
        await own.drop();
      }
    },
  );
});
