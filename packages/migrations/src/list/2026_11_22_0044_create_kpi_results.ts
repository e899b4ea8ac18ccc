import { defineMigration, type Migration } from '../migration.js';
import { col } from '../vocabulary.js';

/**
 * `<prefix>kpi_results`: KPI results per (result set, definition version, scope, period), written only
 * by the KPI runner (never by hand). Integer values in the definition's unit (`money` is the
 * vocabulary's signed BIGINT); `input_watermark` is the last event position included;
 * `result_id` is the engine's deterministic id (`key@version/scope:id/periodStart`).
 */
export const createKpiResults: Migration = defineMigration({
  id: '2026_11_22_0044_create_kpi_results',
  name: 'Create the KPI results',
  operations: [
    {
      op: 'createTable',
      table: 'kpi_results',
      columns: [
        col.id('result_set_id'),
        col.text('result_id', 255, { binary: true }),
        col.text('definition_key', 100, { binary: true }),
        col.int('definition_version', { unsigned: true }),
        col.enum('scope_type', ['employee', 'team', 'department', 'customer', 'project', 'org']),
        col.text('scope_id', 64, { binary: true }),
        col.text('period_start', 10, { binary: true }),
        col.text('period_end', 10, { binary: true }),
        col.text('unit', 20, { binary: true }),
        col.money('value'),
        col.money('numerator'),
        col.money('denominator', { nullable: true }),
        col.money('target', { nullable: true }),
        col.enum('classification', ['good', 'warning', 'breach', 'unclassified']),
        col.text('classification_reason', 500),
        col.int('org_structure_version', { unsigned: true, nullable: true }),
        col.money('input_watermark'),
        col.int('contributing_event_count', { unsigned: true }),
        col.instant('computed_at'),
      ],
      primaryKey: ['result_set_id', 'result_id'],
      indexes: [
        {
          name: 'ix_definition_scope_period',
          columns: ['result_set_id', 'definition_key', 'scope_type', 'scope_id', 'period_start'],
        },
      ],
    },
  ],
});
