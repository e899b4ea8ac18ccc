import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>tickets` (spec §2.22): the state table of the `ticket` aggregate — the universal work unit,
 * one row per ticket, the fold of its stream. The lifecycle owner (`lifecycle_owner`, the primary
 * container) is immutable, `state` follows that owner's lifecycle, `responded_at` is set once. The split
 * children (`split_children`) and the links (`links`) are JSON copies of the state the decider needs;
 * the links are also rows of the append-only `ticket_links` for queries. Never deleted (a trigger refuses
 * it): closed tickets are immutable and archived.
 */
export const createTickets: Migration = defineMigration({
  id: '2026_12_06_0301_create_tickets',
  name: 'Create tickets',
  operations: [
    {
      op: 'createTable',
      table: 'tickets',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', [
          'new',
          'open',
          'pending',
          'resolved',
          'planned',
          'ready',
          'in_progress',
          'blocked',
          'done',
          'baseline_locked',
          'closed',
          'archived',
        ]),
        col.enum('lifecycle_owner', ['support', 'project', 'internal']),
        col.id('customer_id', { nullable: true }),
        col.id('site_id', { nullable: true }),
        col.id('project_id', { nullable: true }),
        col.text('subject', 255),
        col.enum('priority', ['low', 'medium', 'high', 'critical']),
        col.enum('ticket_kind', ['work', 'incident', 'change_order', 'admin', 'internal', 'delivery']),
        col.minutes('sold_minutes', { nullable: true }),
        col.enum('sla_mode', ['inherit', 'opt_out']),
        col.text('sla_opt_out_reason', 1000, { nullable: true }),
        col.id('parent_ticket_id', { nullable: true }),
        col.id('root_ticket_id'),
        col.bool('is_rollup'),
        col.json('split_children'),
        col.enum('assignment_mode', ['PREFERRED_PERSON', 'TEAM_QUEUE_PULL', 'MANAGER_ALLOCATED'], {
          nullable: true,
        }),
        col.id('preferred_assignee_id', { nullable: true }),
        col.id('assigned_team_id', { nullable: true }),
        col.id('assigned_employee_id', { nullable: true }),
        col.json('links'),
        col.instant('opened_at', { nullable: true }),
        col.instant('responded_at', { nullable: true }),
        col.instant('resolved_at', { nullable: true }),
        col.instant('closed_at', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
        col.instant('archived_at', { nullable: true }),
      ],
      primaryKey: ['id'],
      indexes: [
        { name: 'ix_customer_state', columns: ['customer_id', 'state'] },
        { name: 'ix_site_id', columns: ['site_id'] },
        { name: 'ix_project_state', columns: ['project_id', 'state'] },
        { name: 'ix_parent_ticket_id', columns: ['parent_ticket_id'] },
        { name: 'ix_root_ticket_id', columns: ['root_ticket_id'] },
        { name: 'ix_state_created_at', columns: ['state', 'created_at'] },
        { name: 'ix_resolved_at', columns: ['resolved_at'] },
        { name: 'ix_team_state', columns: ['assigned_team_id', 'state'] },
        { name: 'ix_employee_state', columns: ['assigned_employee_id', 'state'] },
        { name: 'ix_preferred_assignee_id', columns: ['preferred_assignee_id'] },
        { name: 'ix_created_at', columns: ['created_at'] },
        { name: 'ix_archived_at', columns: ['archived_at'] },
      ],
    },
    { op: 'appendOnlyGuard', table: 'tickets', event: 'delete' },
  ],
});
