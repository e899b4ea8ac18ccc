import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>time_entries`: the state table of the `time_entry` aggregate (spec §2.19; one row = the fold
 * of its stream). The content columns (employee, interval, duration, description, classification,
 * attribution) change only while `state = 'draft'`: from submission on, the unit of work writes them
 * with the same values (no event after `time_entry.submitted` touches them) and a lock or an adjustment
 * changes only the lock fields, `adjustments_json` and `net_minutes`. Corrections are rows of
 * `time_entry_adjustments` (append-only, guarded); `adjustments_json` is the fold's copy of those rows,
 * so the aggregate loads from its row alone. `ticket_id` is NULL only in draft; `work_date` is the
 * local date of the start in the employee's zone (`YYYY-MM-DD`). No malleable columns (spec §0). Never
 * deleted: a trigger refuses DELETE.
 */
export const createTimeEntries: Migration = defineMigration({
  id: '2026_12_06_0401_create_time_entries',
  name: 'Create time entries',
  operations: [
    {
      op: 'createTable',
      table: 'time_entries',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['draft', 'submitted', 'locked']),
        col.id('employee_id'),
        col.id('ticket_id', { nullable: true }),
        col.id('task_id', { nullable: true }),
        col.id('operational_bucket_id', { nullable: true }),
        col.id('project_id', { nullable: true }),
        col.instant('start_time'),
        col.instant('end_time'),
        col.minutes('duration_minutes'),
        col.bool('is_billable', { nullable: true }),
        col.enum('work_type', ['project', 'support', 'admin'], { nullable: true }),
        col.longText('description'),
        col.text('work_date', 10, { nullable: true }),
        col.id('attested_by_employee_id', { nullable: true }),
        col.instant('submitted_at', { nullable: true }),
        col.id('locked_by_employee_id', { nullable: true }),
        col.instant('locked_at', { nullable: true }),
        col.json('commercial_snapshot_json', { nullable: true }),
        col.minutes('net_minutes'),
        col.json('adjustments_json'),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
        col.instant('archived_at', { nullable: true }),
      ],
      primaryKey: ['id'],
      indexes: [
        { name: 'ix_employee_start', columns: ['employee_id', 'start_time'] },
        { name: 'ix_employee_work_date', columns: ['employee_id', 'work_date'] },
        { name: 'ix_ticket', columns: ['ticket_id', 'state'] },
        { name: 'ix_task', columns: ['task_id'] },
        { name: 'ix_bucket', columns: ['operational_bucket_id'] },
        { name: 'ix_project', columns: ['project_id', 'state'] },
        { name: 'ix_start_time', columns: ['start_time'] },
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_submitted_at', columns: ['submitted_at'] },
        { name: 'ix_created_at', columns: ['created_at'] },
        { name: 'ix_archived_at', columns: ['archived_at'] },
      ],
    },
    // No hard delete (spec §0): the row stays; archival only hides it.
    { op: 'appendOnlyGuard', table: 'time_entries', event: 'delete' },
  ],
});
