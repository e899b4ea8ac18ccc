import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>milestones` (spec §2.16): the state table of the `milestone` aggregate. `sold_minutes` never
 * changes; `planned_minutes` and `actual_minutes` are frozen at completion (NULL before). Archived, never
 * deleted: deletes are refused by a trigger.
 */
export const createMilestones: Migration = defineMigration({
  id: '2026_12_06_0204_create_milestones',
  name: 'Create milestones',
  operations: [
    {
      op: 'createTable',
      table: 'milestones',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.id('project_id'),
        col.enum('state', ['defined', 'active', 'completed', 'archived']),
        col.text('name', 255),
        col.longText('description', { nullable: true }),
        col.int('sequence', { unsigned: true }),
        col.minutes('sold_minutes'),
        col.minutes('planned_minutes', { nullable: true }),
        col.minutes('actual_minutes', { nullable: true }),
        col.text('source_quote_milestone_ref', 300, { nullable: true }),
        col.instant('defined_at'),
        col.instant('completed_at', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
        col.instant('archived_at', { nullable: true }),
      ],
      primaryKey: ['id'],
      indexes: [
        { name: 'ix_project_state', columns: ['project_id', 'state'] },
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_created_at', columns: ['created_at'] },
        { name: 'ix_archived_at', columns: ['archived_at'] },
      ],
    },
    { op: 'appendOnlyGuard', table: 'milestones', event: 'delete' },
  ],
});
