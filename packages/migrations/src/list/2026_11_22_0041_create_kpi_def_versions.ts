import { defineMigration, type Migration } from '../migration.js';
import { appendOnlyGuards, CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>kpi_def_versions` (spec: kpi_definition_versions — shortened because guarded table names
 * are limited to 22 characters): immutable KPI definition versions as data (the whole
 * `KpiDefinitionVersion` in `definition`), append-only by database triggers. A changed target or
 * threshold is a new row with the next `version_number`.
 */
export const createKpiDefVersions: Migration = defineMigration({
  id: '2026_11_22_0041_create_kpi_def_versions',
  name: 'Create the append-only KPI definition versions',
  operations: [
    {
      op: 'createTable',
      table: 'kpi_def_versions',
      columns: [
        col.id('id'),
        col.text('definition_key', 100, { binary: true }),
        col.int('version_number', { unsigned: true }),
        col.json('definition'),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_key_version', columns: ['definition_key', 'version_number'] }],
    },
    ...appendOnlyGuards('kpi_def_versions'),
  ],
});
