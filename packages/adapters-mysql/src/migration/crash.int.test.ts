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
  extendedProgressEvents,
  extendedStatements,
  journal,
  migrationEvents,
} from './fixtures.test.js';
import { useFreshDatabase } from './fresh-database.test.js';

let pool: Pool;
const target = extendedIds.at(-1) as string;

useFreshDatabase((fresh) => {
  ({ pool } = fresh);
});

describe('crash-resume', () => {
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
  });

  const killPoints = Array.from({ length: extendedProgressEvents }, (_, i) => i + 1);

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
