import { defineMigration, type Migration } from '../migration.js';

/**
 * `proj_sold_constraints` takes the seed's name, `<prefix>project_sold_constraints` (issue 22): the
 * 22-character cap on guarded table names that shortened it is gone. One atomic rename; the rows stay
 * where they are, and the append-only triggers and the keys move with the table under the names they
 * were made with.
 */
export const renameProjectSoldConstraints: Migration = defineMigration({
  id: '2026_12_06_0903_rename_project_sold_constraints',
  name: 'Sold constraints under the seed name project_sold_constraints',
  operations: [{ op: 'renameTable', table: 'proj_sold_constraints', to: 'project_sold_constraints' }],
});
