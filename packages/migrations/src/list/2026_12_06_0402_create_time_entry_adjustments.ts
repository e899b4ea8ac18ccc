import { defineMigration, type Migration } from '../migration.js';
import { appendOnlyGuards, CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>time_entry_adjustments`: one immutable row per `time_entry.adjusted` event (spec §2.20),
 * written with the entry's events in the same transaction; append-only by database triggers (UPDATE and
 * DELETE are refused). `id` is the adjustment's id; `delta_minutes` is signed (0 for reclassify and
 * re-attribute); the `new_…` columns are NULL unless the adjustment changes them. `created_at` is the
 * adjustment's time, `created_by_employee_id` its author; `recorded_at` when the row was written.
 */
export const createTimeEntryAdjustments: Migration = defineMigration({
  id: '2026_12_06_0402_create_time_entry_adjustments',
  name: 'Create the append-only time entry adjustments',
  operations: [
    {
      op: 'createTable',
      table: 'time_entry_adjustments',
      columns: [
        col.id('id'),
        col.id('time_entry_id'),
        col.enum('type', ['duration_delta', 'reclassify', 'reattribute', 'reversal']),
        col.minutes('delta_minutes'),
        col.bool('new_is_billable', { nullable: true }),
        col.enum('new_work_type', ['project', 'support', 'admin'], { nullable: true }),
        col.id('new_ticket_id', { nullable: true }),
        col.id('new_task_id', { nullable: true }),
        col.id('new_operational_bucket_id', { nullable: true }),
        col.text('reason', 1000),
        col.instant('created_at'),
        col.id('created_by_employee_id'),
        col.instant('recorded_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      indexes: [
        { name: 'ix_time_entry', columns: ['time_entry_id', 'created_at'] },
        { name: 'ix_new_ticket', columns: ['new_ticket_id'] },
        { name: 'ix_created_by', columns: ['created_by_employee_id'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
    ...appendOnlyGuards('time_entry_adjustments'),
  ],
});
