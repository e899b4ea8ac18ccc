import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>team_memberships`: the state table of the `team_membership` aggregate; closed rows are the
 * history. At most one open membership per (team, employee) is enforced by the database through the
 * helper column `open_marker`: `1` while the membership is open, `NULL` once it is closed. A UNIQUE key
 * ignores rows with a NULL part, so `uq_open_membership (team_id, employee_id, open_marker)` allows any
 * number of closed rows but one open row per pair. The vocabulary has no generated columns (they differ
 * across MySQL, MariaDB and SQLite), so the aggregate's encoder writes `open_marker` from its state.
 */
export const createTeamMemberships: Migration = defineMigration({
  id: '2026_11_22_0005_create_team_memberships',
  name: 'Create team memberships',
  operations: [
    {
      op: 'createTable',
      table: 'team_memberships',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['open', 'closed']),
        col.id('team_id'),
        col.id('employee_id'),
        col.enum('role', ['member', 'lead']),
        col.instant('assigned_at'),
        col.instant('removed_at', { nullable: true }),
        col.bool('open_marker', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_open_membership', columns: ['team_id', 'employee_id', 'open_marker'] }],
      indexes: [
        { name: 'ix_team_state', columns: ['team_id', 'state'] },
        { name: 'ix_employee_state', columns: ['employee_id', 'state'] },
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
  ],
});
