import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>kpi_checkpoint_deltas`: what each catch-up batch changed in a result set's fold state, chained
 * after its `kpi_checkpoints` base by `seq` (`from_watermark` = the previous link's watermark). A batch
 * writes one small row instead of the whole checkpoint; compaction folds them back into the base and
 * deletes them, so the table is a derived cache (no append-only guard).
 */
export const createKpiCheckpointDeltas: Migration = defineMigration({
  id: '2026_11_22_0047_create_kpi_checkpoint_deltas',
  name: 'Create the KPI checkpoint deltas',
  operations: [
    {
      op: 'createTable',
      table: 'kpi_checkpoint_deltas',
      columns: [
        col.id('result_set_id'),
        col.int('seq', { unsigned: true }),
        col.money('from_watermark'),
        col.money('watermark'),
        col.longText('delta'),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['result_set_id', 'seq'],
    },
  ],
});
