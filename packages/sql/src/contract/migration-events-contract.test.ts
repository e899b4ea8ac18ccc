/**
 * Migration events on a database whose DDL is transactional (not a test file itself: the SQLite and
 * PostgreSQL adapters' `migration-events.int.test.ts` call {@link describeMigrationEventsContract}):
 * every applied migration has `migration.started` and `migration.completed` in its own stream, written
 * through the event store with the migration; a failed one leaves only `migration.failed` (the journal
 * and the schema keep nothing of it), and its later success goes on in the same stream. And the resumable
 * engine, meant for databases whose DDL commits statement by statement, refuses such a database.
 */
import { ValidationError } from '@pet-ops/core';
import { col, defineMigration, migrations } from '@pet-ops/migrations';
import { describe, expect, it } from 'vitest';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import { createEventStore } from '../event-store/event-store.js';
import { migrate, migrationStatus } from '../migrate.js';
import { migrateResumable } from '../migrate-resumable.js';
import { migrationStreamId } from '../migration-events.js';
import { caught } from './event-store-contract.test.js';

/** A fresh, empty database (nothing migrated) to run the contract on. */
export interface MigrationEventsTarget {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  readonly close: () => Promise<void>;
}

const prefix = 'me_';
const widgets = defineMigration({
  id: '2026_11_23_0001_create_widgets',
  name: 'create widgets',
  operations: [
    {
      op: 'createTable',
      table: 'widgets',
      columns: [col.id('id'), col.text('name', 20)],
      primaryKey: ['id'],
    },
  ],
});
const gadgets = { id: '2026_11_23_0002_create_gadgets', name: 'create gadgets' };
const broken = defineMigration({
  ...gadgets,
  operations: [
    { op: 'createTable', table: 'gadgets', columns: [col.id('id')], primaryKey: ['id'] },
    { op: 'addIndex', table: 'gadgets', index: { name: 'ix_missing', columns: ['missing'] } },
  ],
});
const fixed = defineMigration({
  ...gadgets,
  operations: [{ op: 'createTable', table: 'gadgets', columns: [col.id('id')], primaryKey: ['id'] }],
});

/**
 * Declares the contract for one database.
 *
 * @example `describeMigrationEventsContract('sqlite', async () => ({ ...openSqlite() }))`
 */
export function describeMigrationEventsContract(
  name: string,
  open: () => Promise<MigrationEventsTarget>,
): void {
  describe(`migration events (${name})`, () => {
    it('given a fresh database, when migrated and one migration fails, then each applied one has started and completed in its own stream under the run’s correlation id, the failed one only migration.failed and no journal row; fixed, it goes on in the same stream', async () => {
      const t = await open();
      try {
        const list = [...migrations.slice(0, 2), widgets];
        const failure = await caught(migrate(t.db, t.dialect, { prefix, migrations: [...list, broken] }));
        expect(failure.code).toBe('MIGRATION_FAILED');
        const store = createEventStore({ db: t.db, dialect: t.dialect, prefix });

        const streams = await Promise.all(list.map((m) => store.readStream(migrationStreamId(m.id))));
        const correlations = new Set(streams.flat().map((e) => e.correlationId));
        expect(correlations.size).toBe(1);
        streams.forEach((events, i) => {
          const m = list[i] as (typeof list)[number];
          expect(events.map((e) => [e.type, e.streamType, e.streamVersion])).toEqual([
            ['migration.started', 'migration', 1],
            ['migration.completed', 'migration', 2],
          ]);
          for (const e of events) {
            expect(e.payload).toEqual({ migrationId: m.id, name: m.name, checksum: expect.any(String) });
            expect(e.actor).toEqual({ type: 'system', id: 'migrator' });
          }
        });

        const failed = await store.readStream(migrationStreamId(gadgets.id));
        expect(failed.map((e) => e.type)).toEqual(['migration.failed']);
        expect(failed[0]?.payload).toMatchObject({ migrationId: gadgets.id, error: expect.any(String) });
        expect(
          (await migrationStatus(t.db, t.dialect, { prefix, migrations: [...list, broken] })).pending,
        ).toEqual([gadgets.id]);

        await migrate(t.db, t.dialect, { prefix, migrations: [...list, fixed] });
        const after = await store.readStream(migrationStreamId(gadgets.id));
        expect(after.map((e) => e.type)).toEqual([
          'migration.failed',
          'migration.started',
          'migration.completed',
        ]);
        expect(after[1]?.correlationId).not.toBe(after[0]?.correlationId);
        // Nothing pending: a further run records nothing.
        const count = async () => {
          let n = 0;
          for await (const _ of store.readAll()) n += 1;
          return n;
        };
        const before = await count();
        await migrate(t.db, t.dialect, { prefix, migrations: [...list, fixed] });
        expect(await count()).toBe(before);
      } finally {
        await t.close();
      }
    });

    // Not about events, but about this kind of database: the resumable engine is not for it.
    it('given this database’s transactional DDL, when migrateResumable is called directly, then it refuses with VALIDATION_FAILED naming the rule, and nothing is created', async () => {
      const t = await open();
      try {
        const e = await caught(migrateResumable(t.db, t.dialect, { prefix: 'mr_' }));
        expect(e).toBeInstanceOf(ValidationError);
        expect(e.code).toBe('VALIDATION_FAILED');
        expect(e.details['issues']).toEqual([
          { field: 'dialect.transactionalDdl', rule: expect.stringContaining('migrate()') },
        ]);
        const tables = await t.db.introspection.getTables();
        expect(tables.filter((x) => x.name.startsWith('mr_'))).toEqual([]);
      } finally {
        await t.close();
      }
    });
  });
}
