import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>kpi_definitions`: one row per KPI definition key (name, unit, state, the latest version
 * number). The definitions themselves are immutable versions in `kpi_def_versions`; this row only
 * points at the newest one and can be retired (never deleted).
 */
export const createKpiDefinitions: Migration = defineMigration({
  id: '2026_11_22_0040_create_kpi_definitions',
  name: 'Create the KPI definitions',
  operations: [
    {
      op: 'createTable',
      table: 'kpi_definitions',
      columns: [
        col.id('id'),
        col.text('definition_key', 100, { binary: true }),
        col.text('name', 255),
        col.text('unit', 20, { binary: true }),
        col.enum('state', ['active', 'retired']),
        col.int('current_version', { unsigned: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.instant('updated_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_definition_key', columns: ['definition_key'] }],
    },
  ],
});
