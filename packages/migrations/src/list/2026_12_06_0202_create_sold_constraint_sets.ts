import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>sold_constraint_sets`: the state row of a project's sold-constraints aggregate (one stream per
 * project holding every baseline version; its rows, one per version, are `proj_sold_constraints`). It
 * names the active version and keeps every version's sold numbers and WBS (`versions_json`), so a
 * decision loads one row. Never deleted.
 */
export const createSoldConstraintSets: Migration = defineMigration({
  id: '2026_12_06_0202_create_sold_constraint_sets',
  name: 'Create the sold-constraints state of each project',
  operations: [
    {
      op: 'createTable',
      table: 'sold_constraint_sets',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.id('project_id'),
        col.text('currency', 3),
        col.int('active_version', { unsigned: true }),
        col.id('active_constraint_id'),
        col.json('versions_json'),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_project_id', columns: ['project_id'] }],
      indexes: [
        { name: 'ix_active_constraint_id', columns: ['active_constraint_id'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
    { op: 'appendOnlyGuard', table: 'sold_constraint_sets', event: 'delete' },
  ],
});
