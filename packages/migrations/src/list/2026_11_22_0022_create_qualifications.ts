import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>qualifications`: the state table of the `qualification` aggregate (started → completed →
 * archived). `outcome`, `opportunity_class` and `disqualification_reason` are set once, on completion.
 */
export const createQualifications: Migration = defineMigration({
  id: '2026_11_22_0022_create_qualifications',
  name: 'Create qualifications',
  operations: [
    {
      op: 'createTable',
      table: 'qualifications',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['started', 'completed', 'archived']),
        col.id('lead_id'),
        col.enum('outcome', ['qualified', 'disqualified'], { nullable: true }),
        col.enum('opportunity_class', ['gold', 'silver', 'bronze'], { nullable: true }),
        col.text('disqualification_reason', 1000, { nullable: true }),
        col.int('malleable_schema_version', { unsigned: true, nullable: true }),
        col.json('malleable_data'),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      indexes: [
        { name: 'ix_lead_id', columns: ['lead_id'] },
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
  ],
});
