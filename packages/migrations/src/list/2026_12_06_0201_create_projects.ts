import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>projects` (spec §2.14): the state table of the `project` aggregate. The customer, site, source
 * quote, sale, sold minutes and value and `sold_constraints_apply` never change after creation (the
 * domain refuses it); the baselines a sold project is held to live in `proj_sold_constraints`. Dates
 * are calendar dates `YYYY-MM-DD` (the vocabulary has no DATE type). Projects are archived, never
 * deleted: deletes are refused by a trigger.
 */
export const createProjects: Migration = defineMigration({
  id: '2026_12_06_0201_create_projects',
  name: 'Create projects',
  operations: [
    {
      op: 'createTable',
      table: 'projects',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['created', 'planned', 'active', 'completed', 'cancelled', 'archived']),
        col.enum('project_kind', ['sold', 'internal', 'presales', 'retrospective']),
        col.text('name', 255),
        col.id('customer_id', { nullable: true }),
        col.id('site_id', { nullable: true }),
        col.id('source_quote_id', { nullable: true }),
        col.id('sale_id', { nullable: true }),
        col.bool('sold_constraints_apply'),
        col.minutes('sold_minutes', { nullable: true }),
        col.money('sold_value', { nullable: true }),
        col.text('sold_currency', 3, { nullable: true }),
        col.text('start_date', 10, { nullable: true }),
        col.text('end_date', 10, { nullable: true }),
        col.instant('planned_at', { nullable: true }),
        col.instant('activated_at', { nullable: true }),
        col.instant('closed_at', { nullable: true }),
        col.text('cancel_reason', 2000, { nullable: true }),
        col.int('malleable_schema_version', { unsigned: true, nullable: true }),
        col.json('malleable_data', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
        col.instant('archived_at', { nullable: true }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_sale_id', columns: ['sale_id'] }],
      indexes: [
        { name: 'ix_customer', columns: ['customer_id', 'state'] },
        { name: 'ix_site_id', columns: ['site_id'] },
        { name: 'ix_source_quote_id', columns: ['source_quote_id'] },
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_created_at', columns: ['created_at'] },
        { name: 'ix_archived_at', columns: ['archived_at'] },
      ],
    },
    { op: 'appendOnlyGuard', table: 'projects', event: 'delete' },
  ],
});
