import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/** `<prefix>projection_offsets`: the last event position each projection (e.g. the activity feed) has processed. */
export const createProjectionOffsets: Migration = defineMigration({
  id: '2026_11_22_0046_create_projection_offsets',
  name: 'Create the projection offsets',
  operations: [
    {
      op: 'createTable',
      table: 'projection_offsets',
      columns: [
        col.text('projection_name', 64, { binary: true }),
        col.money('last_position'),
        col.instant('updated_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['projection_name'],
    },
  ],
});
