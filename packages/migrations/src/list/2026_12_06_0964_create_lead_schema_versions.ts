import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

const CONTENT = ['id', 'schema_id', 'entity_type', 'version', 'schema_json', 'created_at'];

/**
 * `<prefix>lead_schema_versions` (spec §2.6): one immutable row per version of a malleable schema,
 * UNIQUE(entity_type, version), written by the unit of work from the schema's state in the same
 * transaction as its `malleable_schemas` row (still the one lock). The database refuses DELETE, any
 * change to a published version's content (`status` still moves active → historical, atomically with
 * the next publish) and any change at all to a historical one; a discarded draft is stamped
 * `discarded_at`.
 */
export const createLeadSchemaVersions: Migration = defineMigration({
  id: '2026_12_06_0964_create_lead_schema_versions',
  name: 'Create lead_schema_versions',
  operations: [
    {
      op: 'createTable',
      table: 'lead_schema_versions',
      columns: [
        col.id('id'),
        col.id('schema_id'),
        col.text('entity_type', 50),
        col.int('version', { unsigned: true }),
        col.enum('status', ['draft', 'active', 'historical']),
        col.json('schema_json'),
        col.instant('published_at', { nullable: true }),
        col.instant('discarded_at', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_entity_version', columns: ['entity_type', 'version'] }],
      indexes: [
        { name: 'ix_schema_id', columns: ['schema_id'] },
        { name: 'ix_status', columns: ['status'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
    { op: 'appendOnlyGuard', table: 'lead_schema_versions', event: 'delete' },
    {
      op: 'frozenColumnsGuard',
      table: 'lead_schema_versions',
      name: 'published',
      columns: [...CONTENT, 'published_at', 'discarded_at'],
      when: { column: 'status', values: ['active', 'historical'] },
    },
    {
      op: 'frozenColumnsGuard',
      table: 'lead_schema_versions',
      name: 'historical',
      columns: [...CONTENT, 'status', 'published_at', 'discarded_at'],
      when: { column: 'status', values: ['historical'] },
    },
  ],
});
