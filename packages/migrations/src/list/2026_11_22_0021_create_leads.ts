import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>leads`: the state table of the `lead` aggregate. A lead needs no customer (spec §8.3);
 * `malleable_schema_version` is the version it was created with and never changes; `malleable_data`
 * is validated against it. History lives in `domain_events`.
 */
export const createLeads: Migration = defineMigration({
  id: '2026_11_22_0021_create_leads',
  name: 'Create leads',
  operations: [
    {
      op: 'createTable',
      table: 'leads',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['created', 'qualified', 'disqualified', 'archived']),
        col.text('source', 50),
        col.text('subject', 255),
        col.longText('description', { nullable: true }),
        col.id('customer_id', { nullable: true }),
        col.id('owner_employee_id', { nullable: true }),
        col.id('team_id', { nullable: true }),
        col.int('malleable_schema_version', { unsigned: true, nullable: true }),
        col.json('malleable_data'),
        col.id('qualification_id', { nullable: true }),
        col.enum('opportunity_class', ['gold', 'silver', 'bronze'], { nullable: true }),
        col.text('disqualification_reason', 1000, { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      indexes: [
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_customer_id', columns: ['customer_id'] },
        { name: 'ix_owner_employee_id', columns: ['owner_employee_id'] },
        { name: 'ix_team_id', columns: ['team_id'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
  ],
});
