import { defineMigration, type Migration } from '../migration.js';

/**
 * `kpi_def_versions` takes the seed's name, `<prefix>kpi_definition_versions` (issue 22): the 22-character
 * cap on guarded table names that shortened it is gone (trigger names are derived to fit). One atomic
 * rename; the rows stay where they are, and the append-only triggers and the unique key move with the
 * table under the names they were made with (`<prefix>kpi_def_versions_no_update`, …).
 */
export const renameKpiDefinitionVersions: Migration = defineMigration({
  id: '2026_12_06_0901_rename_kpi_definition_versions',
  name: 'KPI definition versions under the seed name kpi_definition_versions',
  operations: [{ op: 'renameTable', table: 'kpi_def_versions', to: 'kpi_definition_versions' }],
});
