import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>kpi_result_sets`: generations of KPI results. A rebuild writes a fresh `building` set and
 * switches it to `active` (the previous one to `retired`) in one transaction at the end, so readers,
 * who read only the active set, never see a half-rebuilt set. Retired sets are kept (nothing is deleted).
 */
export const createKpiResultSets: Migration = defineMigration({
  id: '2026_11_22_0042_create_kpi_result_sets',
  name: 'Create the KPI result sets',
  operations: [
    {
      op: 'createTable',
      table: 'kpi_result_sets',
      columns: [
        col.id('id'),
        col.enum('state', ['building', 'active', 'retired', 'abandoned']),
        col.text('fingerprint', 64, { binary: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.instant('activated_at', { nullable: true }),
      ],
      primaryKey: ['id'],
      indexes: [{ name: 'ix_state', columns: ['state'] }],
    },
  ],
});
