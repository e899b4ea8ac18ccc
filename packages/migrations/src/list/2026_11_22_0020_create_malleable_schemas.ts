import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>malleable_schemas`: the state table of the `malleable_schema` aggregate, one row per entity
 * type (unique). `versions` holds every kept version (fields, status draft|active|historical, publish
 * time) as JSON — published versions never change, so records bound to them read back unchanged;
 * `active_version` / `draft_version` are the pointers the ≤ 1 rule is about, kept for lookups.
 */
export const createMalleableSchemas: Migration = defineMigration({
  id: '2026_11_22_0020_create_malleable_schemas',
  name: 'Create malleable schemas',
  operations: [
    {
      op: 'createTable',
      table: 'malleable_schemas',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.text('entity_type', 50),
        col.int('active_version', { unsigned: true, nullable: true }),
        col.int('draft_version', { unsigned: true, nullable: true }),
        col.int('last_version', { unsigned: true }),
        col.json('versions'),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_entity_type', columns: ['entity_type'] }],
      indexes: [{ name: 'ix_created_at', columns: ['created_at'] }],
    },
  ],
});
