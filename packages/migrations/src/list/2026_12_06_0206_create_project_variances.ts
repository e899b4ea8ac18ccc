import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>project_variances` (spec §2.18): the state table of the `project_variance` aggregate. The
 * detection fields (`constraint_id` … `detected_at`) never change and the resolution fields are written
 * once (the domain holds both); `sold_value`, `observed_value` and `delta` are in `unit` (minutes or the
 * currency's minor units). A variance is never deleted: deletes are refused by a trigger.
 */
export const createProjectVariances: Migration = defineMigration({
  id: '2026_12_06_0206_create_project_variances',
  name: 'Create project variances',
  operations: [
    {
      op: 'createTable',
      table: 'project_variances',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.id('project_id'),
        col.id('constraint_id'),
        col.int('baseline_version', { unsigned: true }),
        col.enum('variance_type', ['planned_over_sold', 'actual_over_sold', 'cost_over_ceiling']),
        col.id('milestone_id', { nullable: true }),
        col.enum('unit', ['minutes', 'minor_units']),
        col.text('currency', 3, { nullable: true }),
        col.money('sold_value'),
        col.money('observed_value'),
        col.money('delta'),
        col.instant('detected_at'),
        col.enum('state', ['open', 'acknowledged', 'resolved']),
        col.text('cause', 2000, { nullable: true }),
        col.id('acknowledged_by', { nullable: true }),
        col.instant('acknowledged_at', { nullable: true }),
        col.enum('resolution', ['change_order', 'variance_order', 'write_off', 'rebaseline'], {
          nullable: true,
        }),
        col.id('change_order_quote_id', { nullable: true }),
        col.int('new_baseline_version', { unsigned: true, nullable: true }),
        col.id('resolved_by', { nullable: true }),
        col.instant('resolved_at', { nullable: true }),
        col.json('variance_order_json', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      indexes: [
        { name: 'ix_project_state', columns: ['project_id', 'state'] },
        { name: 'ix_constraint_id', columns: ['constraint_id'] },
        { name: 'ix_milestone_id', columns: ['milestone_id'] },
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_detected_at', columns: ['detected_at'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
    { op: 'appendOnlyGuard', table: 'project_variances', event: 'delete' },
  ],
});
