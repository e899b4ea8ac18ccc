import type { Connection, Pool } from 'mysql2/promise';
import { describe, expect, test } from 'vitest';
import { connect } from '../connection.js';
import type { TestDatabase } from '../testing/test-database.js';
import { type Child, startChild } from './child-process.test.js';
import { type MigrateResult, migrate, verify } from './engine.js';
import {
  countByMigration,
  crashList,
  extendedIds,
  extendedStatements,
  journal,
  migrationEvents,
} from './fixtures.test.js';
import { useFreshDatabase } from './fresh-database.test.js';

let db: TestDatabase;
let pool: Pool;
let conn: Connection;

useFreshDatabase((fresh) => {
  ({ db, pool, conn } = fresh);
});

const once = Object.fromEntries(extendedIds.map((id) => [id, 1]));

async function expectAppliedExactlyOnce(prefix: string, results: readonly MigrateResult[]): Promise<void> {
  // Exactly one runner applied everything; the others waited for the lock and found nothing to do.
  const winners = results.filter((r) => r.applied.length > 0);
  expect(winners).toHaveLength(1);
  expect(winners[0]?.applied).toEqual(extendedIds);
  // Every statement once, plus the journal's own statement probed a second time after the bootstrap ran it
  // (the backfill on the empty table is found done by its probe, hence skipped, not executed).
  expect((winners[0]?.executedStatements ?? 0) + (winners[0]?.skippedStatements ?? 0)).toBe(
    extendedStatements + 1,
  );
  for (const r of results.filter((x) => x !== winners[0])) {
    expect(r).toMatchObject({ applied: [], alreadyApplied: extendedIds, executedStatements: 0 });
  }
  // One journal transition each: every migration started once and completed once.
  expect((await journal(conn, prefix)).map((r) => [r.id, r.status, r.attempts])).toEqual(
    extendedIds.map((id) => [id, 'applied', 1]),
  );
  const events = await migrationEvents(conn, prefix);
  expect(countByMigration(events, 'migration.started')).toEqual(once);
  expect(countByMigration(events, 'migration.completed')).toEqual(once);
  expect(await verify(pool, { prefix, migrations: crashList })).toMatchObject({ ok: true, drifts: [] });
}

describe('concurrent runners', () => {
  test('given 4 runner processes started together, then each migration is applied exactly once', async () => {
    const prefix = 'proc_';
    const children: Child[] = Array.from({ length: 4 }, () =>
      startChild({ MIGRATE_URL: db.url, MIGRATE_PREFIX: prefix, WAIT_FOR_GO: '1', SLOW_MS: '100' }),
    );
    await Promise.all(children.map((c) => c.line('ready')));
    for (const c of children) c.process.stdin.write('go\n');
    const lines = await Promise.all(children.map((c) => c.line('result ', 'error ')));
    await Promise.all(children.map((c) => c.exited));
    for (const [i, l] of lines.entries()) expect(l.startsWith('result '), children[i]?.output()).toBe(true);
    await expectAppliedExactlyOnce(
      prefix,
      lines.map((l) => JSON.parse(l.slice('result '.length)) as MigrateResult),
    );
  });

  test('given 4 pools in one process migrating at once, then each migration is applied exactly once', async () => {
    const prefix = 'pools_';
    const pools = await Promise.all(
      Array.from({ length: 4 }, () => connect({ url: db.url, connectionLimit: 1 })),
    );
    try {
      const results = await Promise.all(
        pools.map((p) =>
          migrate(p, {
            prefix,
            migrations: crashList,
            target: extendedIds.at(-1) as string,
            lockTimeoutSeconds: 60,
          }),
        ),
      );
      await expectAppliedExactlyOnce(prefix, results);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});
