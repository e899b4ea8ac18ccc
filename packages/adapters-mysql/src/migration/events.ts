import { PetError, type Uuid } from '@pet-ops/core';
import { EVENTS_TABLE } from '@pet-ops/migrations';
import { v5, v7 } from 'uuid';
import { appendLatchName } from '../event-store/statements.js';
import { bytesToUuid, uuidToBytes } from '../internal/uuid-bytes.js';
import { type Queryable, selectRows } from './introspect.js';
import type { SchemaMigrationRow } from './journal.table.js';

// Namespace of the name-based (v5) stream ids of migration streams. Never change it: stream ids of
// recorded migration events derive from it.
const MIGRATION_STREAM_NAMESPACE = '2cfd7ee0-409d-4848-a389-e5018f1b4b2a';

/** The event types the engine records in `domain_events` (stream type `migration`). */
export type MigrationEventType = 'migration.started' | 'migration.completed' | 'migration.failed';

/** Payload of a migration event. */
export interface MigrationEventPayload {
  readonly migrationId: string;
  readonly name: string;
  readonly checksum: string;
  readonly error?: string;
}

/**
 * The deterministic stream id of a migration's events (a UUIDv5 of its id), so every run and every
 * installation puts the events of one migration in the same stream.
 *
 * @example
 * ```ts
 * const streamId = migrationStreamId('2026_11_22_0002_create_domain_events');
 * ```
 */
export function migrationStreamId(migrationId: string): Uuid {
  return v5(`pet-ops:migration:${migrationId}`, MIGRATION_STREAM_NAMESPACE) as Uuid;
}

/** The event log's physical table name for a prefix. */
export function eventsTableName(prefix: string): string {
  return `${prefix}${EVENTS_TABLE}`;
}

/**
 * Appends one migration event with a plain INSERT (the columns of `domain_events`), at the next version
 * of the migration's stream. Runs on the engine's connection inside the migration lock, which is what
 * makes "next version" safe. Like every writer of the event log it holds the append latch around the
 * INSERT (see event-store/GAP-SAFETY.md): positions must only be allocated under the latch, or a
 * checkpointed reader could skip an event.
 */
export async function recordMigrationEvent(
  conn: Queryable,
  prefix: string,
  event: {
    readonly type: MigrationEventType;
    readonly payload: MigrationEventPayload;
    readonly correlationId: Uuid;
    /** `DATETIME(6)` UTC text; now when omitted. */
    readonly occurredAt?: string;
  },
): Promise<void> {
  const table = eventsTableName(prefix);
  const streamId = uuidToBytes(migrationStreamId(event.payload.migrationId));
  const [last] = await selectRows<{ v: unknown }>(
    conn,
    `SELECT COALESCE(MAX(stream_version), 0) AS v FROM \`${table}\` WHERE stream_id = ?`,
    [streamId],
  );
  const version = Number(last?.v ?? 0) + 1;
  const [db] = await selectRows<{ db: string }>(conn, 'SELECT DATABASE() AS db');
  const latch = appendLatchName(String(db?.db), table);
  const [got] = await selectRows<{ l: unknown }>(conn, 'SELECT GET_LOCK(?, ?) AS l', [
    latch,
    LATCH_TIMEOUT_SECONDS,
  ]);
  if (String(got?.l) !== '1') {
    throw new PetError(
      'LOCK_TIMEOUT',
      `migration event: the append latch stayed busy for ${LATCH_TIMEOUT_SECONDS} s`,
      {
        retryable: true,
        details: { operation: 'migration event', latch },
      },
    );
  }
  try {
    await insertEvent(conn, table, streamId, version, event);
  } finally {
    await conn.query('DO RELEASE_LOCK(?)', [latch]);
  }
}

const LATCH_TIMEOUT_SECONDS = 30;

async function insertEvent(
  conn: Queryable,
  table: string,
  streamId: Buffer,
  version: number,
  event: {
    readonly type: MigrationEventType;
    readonly payload: MigrationEventPayload;
    readonly correlationId: Uuid;
    readonly occurredAt?: string;
  },
): Promise<void> {
  await conn.query(
    `INSERT INTO \`${table}\` (event_id, event_type, schema_version, stream_type, stream_id, stream_version,
       occurred_at, actor_type, actor_id, correlation_id, causation_id, idempotency_key, context, payload)
     VALUES (?, ?, 1, 'migration', ?, ?, ${event.occurredAt === undefined ? 'UTC_TIMESTAMP(6)' : '?'}, 'system', 'migrator', ?, NULL, NULL, '{}', ?)`,
    [
      uuidToBytes(v7()),
      event.type,
      streamId,
      version,
      ...(event.occurredAt === undefined ? [] : [event.occurredAt]),
      uuidToBytes(event.correlationId),
      JSON.stringify(event.payload),
    ],
  );
}

/**
 * Records `started` and `completed` for applied migrations whose stream has no event yet: the
 * migrations that ran before `domain_events` existed (the journal bootstrap and the event log itself),
 * with the times the journal kept. Idempotent.
 */
export async function recordMissingEvents(
  conn: Queryable,
  prefix: string,
  applied: readonly SchemaMigrationRow[],
  correlationId: Uuid,
): Promise<void> {
  if (applied.length === 0) return;
  const ids = applied.map((r) => uuidToBytes(migrationStreamId(r.id)));
  const rows = await selectRows<{ s: Uint8Array }>(
    conn,
    `SELECT DISTINCT stream_id AS s FROM \`${eventsTableName(prefix)}\` WHERE stream_id IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  const recorded = new Set(rows.map((r) => bytesToUuid(r.s)));
  for (const row of applied) {
    if (recorded.has(migrationStreamId(row.id))) continue;
    const payload = { migrationId: row.id, name: row.name, checksum: row.checksum };
    await recordMigrationEvent(conn, prefix, {
      type: 'migration.started',
      payload,
      correlationId,
      occurredAt: row.started_at,
    });
    await recordMigrationEvent(conn, prefix, {
      type: 'migration.completed',
      payload,
      correlationId,
      occurredAt: row.finished_at ?? row.updated_at,
    });
  }
}
