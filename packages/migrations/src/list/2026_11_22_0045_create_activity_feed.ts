import { defineMigration, type Migration } from '../migration.js';
import { appendOnlyGuards, CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>activity_feed`: the activity-feed projection (spec §2.33, §5), append-only by database
 * triggers, one row per source event (`source_event_id` unique: replays and rebuilds add nothing).
 * Corrections are new rows; archival only filters.
 */
export const createActivityFeed: Migration = defineMigration({
  id: '2026_11_22_0045_create_activity_feed',
  name: 'Create the append-only activity feed',
  operations: [
    {
      op: 'createTable',
      table: 'activity_feed',
      columns: [
        col.id('id'),
        col.id('source_event_id'),
        col.money('source_position'),
        col.instant('occurred_at'),
        col.enum('actor_type', ['employee', 'system', 'integration']),
        col.text('actor_id', 64, { binary: true, nullable: true }),
        col.text('event_type', 64, { binary: true }),
        col.enum('severity', ['info', 'attention', 'risk', 'breach', 'commercial']),
        col.text('reference_type', 32, { binary: true }),
        col.text('reference_id', 64, { binary: true }),
        col.text('customer_id', 64, { binary: true, nullable: true }),
        col.text('project_id', 64, { binary: true, nullable: true }),
        col.text('ticket_id', 64, { binary: true, nullable: true }),
        col.json('scope_team_ids'),
        col.text('headline', 255),
        col.text('subline', 500),
        col.json('tags'),
        col.text('previous_state', 64, { nullable: true }),
        col.text('new_state', 64),
        col.json('meta'),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_source_event', columns: ['source_event_id'] }],
      indexes: [
        { name: 'ix_occurred_at', columns: ['occurred_at'] },
        { name: 'ix_source_position', columns: ['source_position'] },
      ],
    },
    ...appendOnlyGuards('activity_feed'),
  ],
});
