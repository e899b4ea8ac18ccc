import { defineMigration, type Migration } from '../migration.js';
import { appendOnlyGuards, CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>proj_sold_constraints` (spec §2.15 project_sold_constraints — shortened because guarded table
 * names are limited to 22 characters): one immutable row per baseline version of a project, written from
 * the sold-constraints events in the same transaction. `UNIQUE(project_id, version_number)`; UPDATE and
 * DELETE are refused by triggers, so a version's sold fields can never be edited (scenario 21). Which
 * version is active lives in `sold_constraint_sets` (an immutable row cannot carry a flag that moves).
 */
export const createProjSoldConstraints: Migration = defineMigration({
  id: '2026_12_06_0203_create_proj_sold_constraints',
  name: 'Create the append-only baseline versions of projects',
  operations: [
    {
      op: 'createTable',
      table: 'proj_sold_constraints',
      columns: [
        col.id('id'),
        col.id('project_id'),
        col.int('version_number', { unsigned: true }),
        col.enum('reason', ['acceptance', 'change_order', 'explicit']),
        col.id('sale_id', { nullable: true }),
        col.id('source_quote_id', { nullable: true }),
        col.int('source_quote_version', { unsigned: true, nullable: true }),
        col.text('currency', 3),
        col.minutes('sold_minutes'),
        col.money('sold_value'),
        col.money('internal_cost_ceiling'),
        col.money('margin_at_sale'),
        col.json('sold_wbs_json'),
        col.text('cause', 2000, { nullable: true }),
        col.id('approved_by', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_project_version', columns: ['project_id', 'version_number'] }],
      indexes: [
        { name: 'ix_sale_id', columns: ['sale_id'] },
        { name: 'ix_source_quote_id', columns: ['source_quote_id'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
    ...appendOnlyGuards('proj_sold_constraints'),
  ],
});
