import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>sla_assignments` (spec §2.24): the state table of the `sla_assignment` aggregate — a ticket's
 * binding to one SLA version (or its explicit opt-out) and the clock. Frozen at binding: the version
 * (never 0), the targets, the warning and escalation thresholds and `calendar_snapshot_json`. The clock's
 * fold (`running_since`, per target the minutes elapsed before the current run, when it stopped, whether
 * it warned or breached; `escalation_stage`) makes the row the exact state of its stream.
 *
 * Read columns the unit of work derives from that state on every save (the clock view): `clock_state`,
 * `response_due_at`, `resolution_due_at`, `warning_at` and `breach_at` (the earliest pending warning and
 * breach) and `next_check_at` — the earliest instant an evaluation would fire something, NULL when
 * nothing is pending; the SLA evaluator selects `next_check_at <= now` through its index.
 * `last_evaluated_at` is the evaluator's own bookkeeping, outside the fold.
 *
 * `active_ticket_id` repeats `ticket_id` while the row is active and is NULL once unbound, so its unique
 * key allows one active assignment per ticket (an unbound one is kept with `is_active = 0`). Never
 * deleted (a trigger refuses it).
 */
export const createSlaAssignments: Migration = defineMigration({
  id: '2026_12_06_0304_create_sla_assignments',
  name: 'Create SLA assignments',
  operations: [
    {
      op: 'createTable',
      table: 'sla_assignments',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['bound', 'opted_out']),
        col.id('ticket_id'),
        col.id('active_ticket_id', { nullable: true }),
        col.id('contract_id', { nullable: true }),
        col.enum('source', ['contract', 'customer', 'explicit', 'opt_out']),
        col.text('opt_out_reason', 1000, { nullable: true }),
        col.id('sla_definition_id', { nullable: true }),
        col.int('sla_version_number', { unsigned: true, nullable: true }),
        col.text('sla_name', 255, { nullable: true }),
        col.minutes('response_target_minutes', { nullable: true }),
        col.minutes('resolution_target_minutes', { nullable: true }),
        col.basisPoints('warning_threshold_bp', { nullable: true }),
        col.json('escalation_thresholds_bp', { nullable: true }),
        col.json('calendar_snapshot_json', { nullable: true }),
        col.instant('started_at', { nullable: true }),
        col.instant('bound_at', { nullable: true }),
        col.instant('running_since', { nullable: true }),
        col.minutes('response_elapsed_before', { nullable: true }),
        col.instant('response_stopped_at', { nullable: true }),
        col.bool('response_warned', { nullable: true }),
        col.bool('response_breached', { nullable: true }),
        col.minutes('resolution_elapsed_before', { nullable: true }),
        col.instant('resolution_stopped_at', { nullable: true }),
        col.bool('resolution_warned', { nullable: true }),
        col.bool('resolution_breached', { nullable: true }),
        col.smallint('escalation_stage', { unsigned: true, default: 0 }),
        col.bool('is_active'),
        col.instant('last_change_at', { nullable: true }),
        col.enum('clock_state', ['active', 'paused', 'stopped'], { nullable: true }),
        col.instant('response_due_at', { nullable: true }),
        col.instant('resolution_due_at', { nullable: true }),
        col.instant('warning_at', { nullable: true }),
        col.instant('breach_at', { nullable: true }),
        col.instant('next_check_at', { nullable: true }),
        col.instant('last_evaluated_at', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_active_ticket_id', columns: ['active_ticket_id'] }],
      indexes: [
        { name: 'ix_ticket_id', columns: ['ticket_id'] },
        { name: 'ix_contract_id', columns: ['contract_id'] },
        { name: 'ix_sla_version', columns: ['sla_definition_id', 'sla_version_number'] },
        { name: 'ix_next_check_at', columns: ['next_check_at'] },
        { name: 'ix_clock_state', columns: ['clock_state'] },
        { name: 'ix_warning_at', columns: ['warning_at'] },
        { name: 'ix_breach_at', columns: ['breach_at'] },
        { name: 'ix_last_evaluated_at', columns: ['last_evaluated_at'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
    { op: 'appendOnlyGuard', table: 'sla_assignments', event: 'delete' },
  ],
});
