import { defineMigration, type Migration } from '../migration.js';

/**
 * `activity_feed` takes the seed's name, `<prefix>activity_feed_projections` (issue 22): the 22-character
 * cap on guarded table names that shortened it is gone. One atomic rename; the rows stay where they are,
 * and the append-only triggers and the keys move with the table under the names they were made with.
 */
export const renameActivityFeedProjections: Migration = defineMigration({
  id: '2026_12_06_0902_rename_activity_feed_projections',
  name: 'The activity feed under the seed name activity_feed_projections',
  operations: [{ op: 'renameTable', table: 'activity_feed', to: 'activity_feed_projections' }],
});
