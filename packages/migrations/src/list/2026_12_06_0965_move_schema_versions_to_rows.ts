import { defineMigration, type Migration } from '../migration.js';

/**
 * Moves every existing malleable schema version into `lead_schema_versions` (scenario 56: nothing
 * lost): the data step `lead_schema_version_rows` of `@pet-ops/sql` decodes each `malleable_schemas`
 * row's `versions` snapshot the way the unit of work does and inserts the rows missing, so it is
 * idempotent and resumable. The `versions` column is left as it was.
 */
export const moveSchemaVersionsToRows: Migration = defineMigration({
  id: '2026_12_06_0965_move_schema_versions_to_rows',
  name: 'Move malleable schema versions into lead_schema_versions',
  operations: [
    {
      op: 'dataStep',
      step: 'lead_schema_version_rows',
      description: 'every malleable schema version of the malleable_schemas.versions snapshots as a row',
    },
  ],
});
