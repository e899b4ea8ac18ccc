import { createHash } from 'node:crypto';
import type { EventDraft, Instant, Uuid } from '@pet-ops/core';
import { EVENTS_TABLE } from '@pet-ops/migrations';
import type { Transaction } from 'kysely';
import type { AnyTransaction, PetDialect } from './dialect.js';
import type { SqlEventStore } from './event-store/event-store.js';
import { uuidV7 } from './system.js';

// Namespace of the name-based (UUIDv5) stream ids of migration streams; the MySQL adapter's engine uses
// the same one, so a migration's events land in one stream on every database. Never change it.
const MIGRATION_STREAM_NAMESPACE = Buffer.from('2cfd7ee0409d4848a389e5018f1b4b2a', 'hex');

/** What a migration event says happened (stream type `migration`). */
export type MigrationEventKind = 'migration.started' | 'migration.completed' | 'migration.failed';

/**
 * The stream id of a migration's events: a UUIDv5 of its id, the same on every database and every run.
 *
 * @example `migrationStreamId('2026_11_22_0002_create_domain_events')` → a UUID, the same at every call
 */
export function migrationStreamId(migrationId: string): Uuid {
  const h = createHash('sha1')
    .update(MIGRATION_STREAM_NAMESPACE)
    .update(`pet-ops:migration:${migrationId}`, 'utf8')
    .digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}` as Uuid;
}

/** One migration event to record. */
export interface MigrationEventRecord {
  readonly kind: MigrationEventKind;
  readonly migration: { readonly id: string; readonly name: string; readonly checksum: string };
  readonly occurredAt: Instant;
  /** One id for every event of one `migrate` call. */
  readonly correlationId: Uuid;
  /** Why a migration failed (`migration.failed`). */
  readonly error?: string;
}

/**
 * Appends migration events through the event store inside `trx` (a transaction of `store.transaction()`),
 * each migration's at the end of its own stream, so they are written like every other event (latch,
 * positions, gap safety) and never by a raw INSERT.
 *
 * @example
 * ```ts
 * await store.transaction((trx) =>
 *   recordMigrationEvents(store, trx, [{ kind: 'migration.completed', migration, occurredAt, correlationId }]),
 * );
 * ```
 */
export async function recordMigrationEvents(
  store: SqlEventStore,
  trx: AnyTransaction,
  records: readonly MigrationEventRecord[],
): Promise<void> {
  const byMigration = new Map<string, MigrationEventRecord[]>();
  for (const r of records) byMigration.set(r.migration.id, [...(byMigration.get(r.migration.id) ?? []), r]);
  for (const [id, own] of byMigration) {
    const drafts: EventDraft[] = own.map((r) => ({
      eventId: uuidV7(),
      type: r.kind,
      schemaVersion: 1,
      streamType: 'migration',
      occurredAt: r.occurredAt,
      actor: { type: 'system', id: 'migrator' },
      context: {},
      correlationId: r.correlationId,
      causationId: null,
      payload: {
        migrationId: r.migration.id,
        name: r.migration.name,
        checksum: r.migration.checksum,
        ...(r.error === undefined ? {} : { error: r.error }),
      },
    }));
    await store.appendIn(trx, migrationStreamId(id), 'any', drafts);
  }
}

/** A migration the journal records as applied, with the times it kept (instants, canonical). */
export interface AppliedMigration {
  readonly id: string;
  readonly name: string;
  readonly checksum: string;
  readonly startedAt: Instant;
  readonly finishedAt: Instant;
}

/**
 * Records `migration.started` and `migration.completed`, at the journal's times, for every applied
 * migration whose stream has no event yet — the ones that ran before the event log existed (the journal
 * and the log itself), or whose events a crash lost between the journal row and the run's end. Through
 * the event store inside `trx` (a transaction of `store.transaction()`), in the order given. Idempotent:
 * a migration with any event in its stream is left alone.
 *
 * @example
 * ```ts
 * await store.transaction((trx) =>
 *   recordUnrecordedMigrations(store, trx, { dialect, prefix: 'pet_', applied, correlationId }),
 * );
 * ```
 */
export async function recordUnrecordedMigrations(
  store: SqlEventStore,
  trx: AnyTransaction,
  run: {
    readonly dialect: PetDialect;
    readonly prefix: string;
    readonly applied: readonly AppliedMigration[];
    readonly correlationId: Uuid;
  },
): Promise<void> {
  const { dialect, applied } = run;
  if (applied.length === 0) return;
  const recorded = new Set<string>();
  // A read of which streams have events; every write goes through the store.
  for (let at = 0; at < applied.length; at += 500) {
    const keys = applied.slice(at, at + 500).map((m) => dialect.codecs.encodeId(migrationStreamId(m.id)));
    const rows = await (trx as Transaction<EventStreams>)
      .selectFrom(`${run.prefix}${EVENTS_TABLE}` as 'domain_events')
      .select('stream_id')
      .distinct()
      .where('stream_id', 'in', keys)
      .execute();
    for (const r of rows) recorded.add(dialect.codecs.decodeId(r.stream_id));
  }
  await recordMigrationEvents(
    store,
    trx,
    applied
      .filter((m) => !recorded.has(migrationStreamId(m.id)))
      .flatMap((m): MigrationEventRecord[] => {
        const migration = { id: m.id, name: m.name, checksum: m.checksum };
        return [
          { kind: 'migration.started', migration, occurredAt: m.startedAt, correlationId: run.correlationId },
          {
            kind: 'migration.completed',
            migration,
            occurredAt: m.finishedAt,
            correlationId: run.correlationId,
          },
        ];
      }),
  );
}

/** The one column of the events table {@link recordUnrecordedMigrations} reads. */
interface EventStreams {
  domain_events: { stream_id: unknown };
}
