import { defineMigration, type Migration } from '../migration.js';

/**
 * `kpi_results.scope_type` gains `ticket` and `sla_tier` (issue 26): the KPI catalogue scopes SLA
 * measures by ticket and by SLA tier, and their results must be storable. `kpi_results` is the only
 * column holding KPI scope types.
 */
export const widenKpiScopeTypes: Migration = defineMigration({
  id: '2026_12_06_1002_widen_kpi_scope_types',
  name: 'Widen kpi_results.scope_type with ticket and sla_tier',
  operations: [
    {
      op: 'widenEnum',
      table: 'kpi_results',
      column: 'scope_type',
      values: ['employee', 'team', 'department', 'customer', 'project', 'org', 'ticket', 'sla_tier'],
    },
  ],
});
