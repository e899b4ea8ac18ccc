import type { Uuid } from '@pet-ops/core';
import type { MigrationEventType as SeamMigrationEventType } from '@pet-ops/sql';
import { v5 } from 'uuid';

// The migration events themselves are written by the seam's engine through the event store
// (`@pet-ops/sql`'s migration-events), on MySQL as on every database; what stays here is their public
// vocabulary, and the stream id as the adapter has always computed it, which the seam's must equal.

// Namespace of the name-based (v5) stream ids of migration streams. Never change it: stream ids of
// recorded migration events derive from it.
const MIGRATION_STREAM_NAMESPACE = '2cfd7ee0-409d-4848-a389-e5018f1b4b2a';

/** The event types the engine records in `domain_events` (stream type `migration`). */
export type MigrationEventType = SeamMigrationEventType;

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
