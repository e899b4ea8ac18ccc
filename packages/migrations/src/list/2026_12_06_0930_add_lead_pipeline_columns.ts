import { defineMigration, type Migration } from '../migration.js';
import { col } from '../vocabulary.js';

/**
 * The lead pipeline's missing columns (issue 22, spec §2.5, §2.7, §2.8), all nullable and written by the
 * state tables from the aggregates' state:
 *
 * - `leads`: `estimated_value` (integer minor units) with its `estimated_value_currency`,
 *   `created_by_employee_id`, `updated_at`, `converted_at`, `archived_at`. A converted lead keeps
 *   `state = 'qualified'` with `converted_at` set (the `state` enum is not widened here: that needs an
 *   enum-widening operation the vocabulary does not have yet).
 * - `qualifications`: `started_at`, `completed_at`.
 * - `opportunities`: `expected_close_date` (`YYYY-MM-DD`), `archived_at`.
 *
 * Existing rows: `qualifications.started_at` is backfilled from the row's own `created_at` (the row is
 * inserted by the start, so the two are the same instant); every other new column stays NULL, since the
 * events of existing rows recorded no instant, value or author to derive it from (a lead's `updated_at`
 * would be a guess for any lead edited after its creation).
 */
export const addLeadPipelineColumns: Migration = defineMigration({
  id: '2026_12_06_0930_add_lead_pipeline_columns',
  name: 'Leads, qualifications and opportunities get the columns the spec gives',
  operations: [
    { op: 'addColumn', table: 'leads', column: col.money('estimated_value', { nullable: true }) },
    {
      op: 'addColumn',
      table: 'leads',
      column: col.text('estimated_value_currency', 3, { nullable: true }),
    },
    { op: 'addColumn', table: 'leads', column: col.id('created_by_employee_id', { nullable: true }) },
    { op: 'addColumn', table: 'leads', column: col.instant('updated_at', { nullable: true }) },
    { op: 'addColumn', table: 'leads', column: col.instant('converted_at', { nullable: true }) },
    { op: 'addColumn', table: 'leads', column: col.instant('archived_at', { nullable: true }) },
    { op: 'addIndex', table: 'leads', index: { name: 'ix_converted_at', columns: ['converted_at'] } },
    { op: 'addColumn', table: 'qualifications', column: col.instant('started_at', { nullable: true }) },
    { op: 'addColumn', table: 'qualifications', column: col.instant('completed_at', { nullable: true }) },
    {
      op: 'backfill',
      table: 'qualifications',
      column: 'started_at',
      value: { kind: 'copyColumn', column: 'created_at' },
      description: 'a qualification row is inserted by its start: started_at is its created_at',
    },
    {
      op: 'addColumn',
      table: 'opportunities',
      column: col.text('expected_close_date', 10, { nullable: true }),
    },
    { op: 'addColumn', table: 'opportunities', column: col.instant('archived_at', { nullable: true }) },
    {
      op: 'addIndex',
      table: 'opportunities',
      index: { name: 'ix_expected_close_date', columns: ['expected_close_date'] },
    },
  ],
});
