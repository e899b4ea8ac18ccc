import { defineMigration, type Migration } from '../migration.js';
import { col } from '../vocabulary.js';

/**
 * One open variance per breach, held by the database (spec §2.18, issue 23): two planners who find the
 * same breach at once each read the variances they know, find none open and detect one. The domain's
 * check cannot see the other's uncommitted row, so `project_variances.open_breach` names the breach
 * (`<variance_type>/<milestone id or "project">/v<baseline version>`) while the variance is open and is
 * NULL once it is acknowledged or resolved, and `uq_open_breach (project_id, open_breach)` refuses the
 * second (NULLs never collide, on every database). The data step keys the variances already open; of
 * two open rows recording the same breach (written before this key existed) only the earlier is keyed,
 * so the key can be added.
 */
export const keyOpenVariances: Migration = defineMigration({
  id: '2026_12_06_1005_key_open_variances',
  name: 'One open variance per breach',
  operations: [
    {
      op: 'addColumn',
      table: 'project_variances',
      column: col.text('open_breach', 64, { nullable: true }),
    },
    {
      op: 'dataStep',
      step: 'open_variance_breach_keys',
      description: 'every open variance keyed by its breach (the earliest of duplicates)',
    },
    {
      op: 'addUnique',
      table: 'project_variances',
      index: { name: 'uq_open_breach', columns: ['project_id', 'open_breach'] },
    },
  ],
});
