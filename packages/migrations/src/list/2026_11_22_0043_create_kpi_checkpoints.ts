import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>kpi_checkpoints`: the serialised fold state of a result set and its watermark (last event
 * position included; `money` is the vocabulary's signed BIGINT). Written in the same transaction as
 * the results it belongs to, so a crash resumes from a consistent pair.
 */
export const createKpiCheckpoints: Migration = defineMigration({
  id: '2026_11_22_0043_create_kpi_checkpoints',
  name: 'Create the KPI checkpoints',
  operations: [
    {
      op: 'createTable',
      table: 'kpi_checkpoints',
      columns: [
        col.id('result_set_id'),
        col.money('watermark'),
        col.text('fingerprint', 64, { binary: true }),
        col.longText('checkpoint'),
        col.instant('updated_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['result_set_id'],
    },
  ],
});
