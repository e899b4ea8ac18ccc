import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>resource_allocations`: the state table of the `resource_allocation` aggregate (spec §2.21):
 * planned minutes of a person, role or department (exactly one subject column is set) in one layer
 * (forecast → committed → scheduled) over local dates `period_start`..`period_end` (inclusive,
 * `YYYY-MM-DD`), from a source (quote, sale, task, ticket, opportunity). `weighted_minutes` =
 * planned × `probability_weight` (basis points), rounded half-even. active → superseded | released;
 * never deleted (a trigger refuses DELETE). Never counted as actual time.
 */
export const createResourceAllocations: Migration = defineMigration({
  id: '2026_12_06_0403_create_resource_allocations',
  name: 'Create resource allocations',
  operations: [
    {
      op: 'createTable',
      table: 'resource_allocations',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['active', 'superseded', 'released']),
        col.enum('layer', ['forecast', 'committed', 'scheduled']),
        col.id('employee_id', { nullable: true }),
        col.id('role_id', { nullable: true }),
        col.id('department_id', { nullable: true }),
        col.enum('source_type', ['quote', 'sale', 'task', 'ticket', 'opportunity']),
        col.id('source_id'),
        col.text('period_start', 10),
        col.text('period_end', 10),
        col.minutes('planned_minutes'),
        col.basisPoints('probability_weight'),
        col.minutes('weighted_minutes'),
        col.instant('planned_at'),
        col.id('superseded_by_id', { nullable: true }),
        col.enum('release_reason', ['quote_rejected', 'quote_expired', 'completed', 'cancelled'], {
          nullable: true,
        }),
        col.instant('ended_at', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
        col.instant('archived_at', { nullable: true }),
      ],
      primaryKey: ['id'],
      indexes: [
        { name: 'ix_employee_period', columns: ['employee_id', 'state', 'period_start'] },
        { name: 'ix_role', columns: ['role_id', 'state'] },
        { name: 'ix_department', columns: ['department_id', 'state'] },
        { name: 'ix_source', columns: ['source_type', 'source_id'] },
        { name: 'ix_layer_state', columns: ['layer', 'state'] },
        { name: 'ix_superseded_by', columns: ['superseded_by_id'] },
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_created_at', columns: ['created_at'] },
        { name: 'ix_archived_at', columns: ['archived_at'] },
      ],
    },
    // No hard delete (spec §0): the row stays; archival only hides it.
    { op: 'appendOnlyGuard', table: 'resource_allocations', event: 'delete' },
  ],
});
