import { defineMigration, type Migration } from '../migration.js';
import { col } from '../vocabulary.js';

/**
 * The organisation's time zone belongs in the database (issue 28): each KPI result set records the IANA
 * zone its periods were cut in, so a runner started in another zone can see the difference and a host or
 * the CLI can refuse it instead of silently replacing the active set. Null for sets built before this
 * migration (their zone is only inside the fingerprint).
 */
export const addKpiResultSetZone: Migration = defineMigration({
  id: '2026_12_06_0701_add_kpi_result_set_zone',
  name: 'KPI result sets record their organisation time zone',
  operations: [
    {
      op: 'addColumn',
      table: 'kpi_result_sets',
      column: col.text('org_time_zone', 64, { nullable: true }),
    },
  ],
});
