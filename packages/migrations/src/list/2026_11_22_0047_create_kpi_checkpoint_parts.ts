import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>kpi_checkpoint_parts`: a result set's stored fold state as a chain — `seq` 0 is the base
 * checkpoint, each later `seq` what one catch-up batch changed (`from_watermark` = the previous link's
 * watermark). Each link is split into `part`s of at most about 1 MB, so no statement or row ever
 * exceeds a server's `max_allowed_packet`, however large the state grows. `kpi_checkpoints` keeps the
 * base's watermark and fingerprint. Compaction writes a new base and deletes the chain: the table is a
 * derived cache of the event log (no append-only guard).
 */
export const createKpiCheckpointParts: Migration = defineMigration({
  id: '2026_11_22_0047_create_kpi_checkpoint_parts',
  name: 'Create the KPI checkpoint parts',
  operations: [
    {
      op: 'createTable',
      table: 'kpi_checkpoint_parts',
      columns: [
        col.id('result_set_id'),
        col.int('seq', { unsigned: true }),
        col.int('part', { unsigned: true }),
        col.money('from_watermark'),
        col.money('watermark'),
        col.longText('body'),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['result_set_id', 'seq', 'part'],
    },
  ],
});
