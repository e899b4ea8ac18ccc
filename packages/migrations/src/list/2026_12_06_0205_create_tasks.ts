import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>tasks` (spec §2.17): the state table of the `task` aggregate. `ticket_id` is UNIQUE (NULL
 * allowed): the database itself holds "one task per ticket" (the ticket backbone bridge). `sold_minutes`
 * never changes. Archived, never deleted: deletes are refused by a trigger.
 */
export const createTasks: Migration = defineMigration({
  id: '2026_12_06_0205_create_tasks',
  name: 'Create tasks',
  operations: [
    {
      op: 'createTable',
      table: 'tasks',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.id('project_id'),
        col.id('milestone_id', { nullable: true }),
        col.id('ticket_id', { nullable: true }),
        col.text('name', 1000),
        col.minutes('estimated_minutes'),
        col.minutes('sold_minutes'),
        col.id('role_id', { nullable: true }),
        col.id('assignee_employee_id', { nullable: true }),
        col.int('sequence', { unsigned: true }),
        col.id('source_line_id', { nullable: true }),
        col.enum('state', ['planned', 'in_progress', 'completed', 'cancelled', 'archived']),
        col.instant('started_at', { nullable: true }),
        col.instant('closed_at', { nullable: true }),
        col.text('cancel_reason', 2000, { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
        col.instant('archived_at', { nullable: true }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_ticket_id', columns: ['ticket_id'] }],
      indexes: [
        { name: 'ix_project_state', columns: ['project_id', 'state'] },
        { name: 'ix_milestone_state', columns: ['milestone_id', 'state'] },
        { name: 'ix_assignee', columns: ['assignee_employee_id', 'state'] },
        { name: 'ix_role_id', columns: ['role_id'] },
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_created_at', columns: ['created_at'] },
        { name: 'ix_archived_at', columns: ['archived_at'] },
      ],
    },
    { op: 'appendOnlyGuard', table: 'tasks', event: 'delete' },
  ],
});
