import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>teams`: the state table of the `team` aggregate. `(parent_team_id, state)` serves the
 * "active sub-teams" and "sibling names" facts; name uniqueness within a parent is a domain rule
 * (`TEAM_NAME_TAKEN`), not a key, because root teams have a NULL parent.
 */
export const createTeams: Migration = defineMigration({
  id: '2026_11_22_0004_create_teams',
  name: 'Create teams',
  operations: [
    {
      op: 'createTable',
      table: 'teams',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['active', 'archived']),
        col.text('name', 255),
        col.id('parent_team_id', { nullable: true }),
        col.id('manager_id', { nullable: true }),
        col.id('escalation_manager_id', { nullable: true }),
        col.enum('visual_kind', ['system', 'upload'], { nullable: true }),
        col.text('visual_ref', 255, { nullable: true }),
        col.int('visual_version', { unsigned: true, default: 1 }),
        col.instant('archived_at', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
      ],
      primaryKey: ['id'],
      indexes: [
        { name: 'ix_parent_state', columns: ['parent_team_id', 'state'] },
        { name: 'ix_manager', columns: ['manager_id'] },
        { name: 'ix_escalation_manager', columns: ['escalation_manager_id'] },
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_created_at', columns: ['created_at'] },
        { name: 'ix_archived_at', columns: ['archived_at'] },
      ],
    },
  ],
});
