import { defineMigration, type Migration } from '../migration.js';

/**
 * A published SLA version's terms never change (spec §2.23: a change is a new version): two
 * `BEFORE UPDATE` triggers on `<prefix>sla_definitions`. Once a version is published (and when later
 * deprecated or archived) its identity, name, number, terms and publication cannot change; once
 * archived, neither can its state nor its archival. What still changes: `state` published → deprecated
 * → archived, `archived_at` at archival, the optimistic `version`. A draft is edited in place. DELETE
 * (so MySQL's REPLACE too) was already refused; KPI definition versions and knowledge versions are
 * append-only since they were created.
 */
export const freezePublishedSlas: Migration = defineMigration({
  id: '2026_12_06_0801_freeze_published_slas',
  name: 'A published SLA version is immutable',
  operations: [
    {
      op: 'frozenColumnsGuard',
      table: 'sla_definitions',
      name: 'frozen_terms',
      columns: [
        'id',
        'name',
        'version_number',
        'tier',
        'response_target_minutes',
        'resolution_target_minutes',
        'warning_threshold_bp',
        'calendar_id',
        'escalation_rules',
        'published_at',
        'created_at',
        'created_by_employee_id',
      ],
      when: { column: 'state', values: ['published', 'deprecated', 'archived'] },
    },
    {
      op: 'frozenColumnsGuard',
      table: 'sla_definitions',
      name: 'frozen_archive',
      columns: ['state', 'archived_at'],
      when: { column: 'state', values: ['archived'] },
    },
  ],
});
