import { defineMigration, type Migration } from '../migration.js';
import { appendOnlyGuards, CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>sla_events` (spec §2.25): the clock's history, one append-only row per clock event of an SLA
 * assignment (`id` and `domain_event_id` are the event's id), written by the unit of work with the
 * assignment's row. `threshold_bp` is the spec's threshold percentage in basis points (10 000 for a
 * breach).
 *
 * UNIQUE(sla_assignment_id, kind, target_kind, stage): `stage` is 0 for a warning or a breach and the
 * stage (1, 2, …) for an escalation, so the database itself refuses a second warning, breach or
 * escalation stage of one assignment; it is NULL for the repeatable kinds (paused, resumed, responded,
 * resolved), which a unique key never compares. UPDATE and DELETE are refused by triggers: a breach is
 * never edited, dismissed or deleted.
 */
export const createSlaEvents: Migration = defineMigration({
  id: '2026_12_06_0305_create_sla_events',
  name: 'Create the append-only SLA events',
  operations: [
    {
      op: 'createTable',
      table: 'sla_events',
      columns: [
        col.id('id'),
        col.id('sla_assignment_id'),
        col.id('ticket_id'),
        col.enum('kind', ['warning', 'breach', 'escalation', 'paused', 'resumed', 'responded', 'resolved']),
        col.enum('target_kind', ['response', 'resolution']),
        col.basisPoints('threshold_bp', { nullable: true }),
        col.smallint('stage', { unsigned: true, nullable: true }),
        col.int('sla_version_number', { unsigned: true }),
        col.minutes('elapsed_business_minutes'),
        col.minutes('target_minutes'),
        col.instant('due_at', { nullable: true }),
        col.instant('occurred_at'),
        col.id('domain_event_id'),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_once', columns: ['sla_assignment_id', 'kind', 'target_kind', 'stage'] }],
      indexes: [
        { name: 'ix_ticket_id', columns: ['ticket_id'] },
        { name: 'ix_kind_occurred_at', columns: ['kind', 'occurred_at'] },
        { name: 'ix_domain_event_id', columns: ['domain_event_id'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
    ...appendOnlyGuards('sla_events'),
  ],
});
