import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>sla_definitions` (spec §2.23): the state table of the `sla_definition` aggregate, one row per
 * SLA **version** (UNIQUE(name, version_number); names compared byte for byte on every database). A draft
 * is edited in place; once published everything but `state` is frozen (a change is a new version).
 *
 * The escalation rules (PET's `pet_sla_escalation_rules`: threshold, action, notify method, role, enabled)
 * are the `escalation_rules` JSON array of the version's row, not a child table: they belong to the
 * version's terms, a draft's edit replaces them as a whole, and they freeze with the version — the
 * clocks bound to it copy their enabled thresholds (`sla_assignments.escalation_thresholds_bp`).
 * Deletes are refused by a trigger (archived versions are kept).
 */
export const createSlaDefinitions: Migration = defineMigration({
  id: '2026_12_06_0303_create_sla_definitions',
  name: 'Create SLA definitions',
  operations: [
    {
      op: 'createTable',
      table: 'sla_definitions',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['draft', 'published', 'deprecated', 'archived']),
        col.text('name', 255, { binary: true }),
        col.int('version_number', { unsigned: true }),
        col.enum('tier', ['bronze', 'silver', 'gold', 'custom']),
        col.minutes('response_target_minutes'),
        col.minutes('resolution_target_minutes'),
        col.basisPoints('warning_threshold_bp'),
        col.id('calendar_id', { nullable: true }),
        col.json('escalation_rules'),
        col.instant('published_at', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
        col.instant('archived_at', { nullable: true }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_name_version', columns: ['name', 'version_number'] }],
      indexes: [
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_calendar_id', columns: ['calendar_id'] },
        { name: 'ix_created_at', columns: ['created_at'] },
        { name: 'ix_archived_at', columns: ['archived_at'] },
      ],
    },
    { op: 'appendOnlyGuard', table: 'sla_definitions', event: 'delete' },
  ],
});
