import { defineMigration, type Migration } from '../migration.js';
import { appendOnlyGuards, CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * The append-only event log, `<prefix>domain_events`: global `position`, unique event ids, optimistic
 * concurrency per stream (`uq_stream_version`), optional idempotency keys, JSON payload and context,
 * and the UPDATE/DELETE guards that make it append-only in the database itself.
 */
export const createDomainEvents: Migration = defineMigration({
  id: '2026_11_22_0002_create_domain_events',
  name: 'Create the append-only domain event log',
  operations: [
    {
      op: 'createTable',
      table: 'domain_events',
      columns: [
        col.bigintAutoIncrement('position'),
        col.id('event_id'),
        col.text('event_type', 128),
        col.smallint('schema_version', { unsigned: true }),
        col.text('stream_type', 64),
        col.id('stream_id'),
        col.int('stream_version', { unsigned: true }),
        col.instant('occurred_at'),
        col.instant('recorded_at', { default: CURRENT_INSTANT }),
        col.text('actor_type', 16),
        col.text('actor_id', 64, { nullable: true }),
        col.id('correlation_id', { nullable: true }),
        col.id('causation_id', { nullable: true }),
        col.text('idempotency_key', 191, { nullable: true, binary: true }),
        col.json('context'),
        col.json('payload'),
      ],
      primaryKey: ['position'],
      uniques: [
        { name: 'uq_event_id', columns: ['event_id'] },
        { name: 'uq_stream_version', columns: ['stream_id', 'stream_version'] },
        { name: 'uq_idempotency_key', columns: ['idempotency_key'] },
      ],
      indexes: [
        { name: 'ix_event_type', columns: ['event_type', 'position'] },
        { name: 'ix_occurred_at', columns: ['occurred_at'] },
      ],
    },
    ...appendOnlyGuards('domain_events'),
  ],
});
