import { defineMigration, type Migration } from '../migration.js';

/**
 * Submitted time is never edited, only corrected by adjustments (spec §2.19–2.20): two `BEFORE UPDATE`
 * triggers on `<prefix>time_entries`. Once an entry is submitted or locked, its content (who, when, how
 * long, what, classification, attribution, the attestation) cannot change; once it is locked, neither
 * can its state nor the lock (who, when, the commercial snapshot). What still changes: `state`
 * submitted → locked and the lock fields at lock time, `net_minutes` and `adjustments_json` (the fold's
 * copy of the append-only adjustment rows), the optimistic `version` and `archived_at` (archival).
 */
export const freezeAttestedTime: Migration = defineMigration({
  id: '2026_12_06_0503_freeze_attested_time',
  name: 'Submitted and locked time entries are immutable',
  operations: [
    {
      op: 'frozenColumnsGuard',
      table: 'time_entries',
      name: 'frozen_content',
      columns: [
        'id',
        'employee_id',
        'ticket_id',
        'task_id',
        'operational_bucket_id',
        'project_id',
        'start_time',
        'end_time',
        'duration_minutes',
        'is_billable',
        'work_type',
        'description',
        'work_date',
        'attested_by_employee_id',
        'submitted_at',
        'created_at',
        'created_by_employee_id',
      ],
      when: { column: 'state', values: ['submitted', 'locked'] },
    },
    {
      op: 'frozenColumnsGuard',
      table: 'time_entries',
      name: 'frozen_lock',
      columns: ['state', 'locked_by_employee_id', 'locked_at', 'commercial_snapshot_json'],
      when: { column: 'state', values: ['locked'] },
    },
  ],
});
