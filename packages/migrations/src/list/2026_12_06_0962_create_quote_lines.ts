import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>quote_lines` (spec §2.12): one row per priced line of a quote version with its frozen
 * catalog, role and rate snapshots, derived sell and cost, and the columns the seed names for what the
 * domain does not capture yet (department snapshot, draft ticket). A line's content never changes once
 * written: only `removed_at` is set, once, when a draft line is removed (rows are never deleted, and the
 * database refuses both), and `sort_order`, its position in its group, closes up behind a removed line
 * while the version is a draft.
 */
export const createQuoteLines: Migration = defineMigration({
  id: '2026_12_06_0962_create_quote_lines',
  name: 'Create quote_lines',
  operations: [
    {
      op: 'createTable',
      table: 'quote_lines',
      columns: [
        col.id('id'),
        col.id('quote_id'),
        col.id('quote_version_id'),
        col.id('quote_line_group_id'),
        col.int('version_number', { unsigned: true }),
        col.id('line_id'),
        col.enum('line_kind', ['product', 'service', 'labour_task', 'recurring', 'adjustment']),
        col.text('description', 1000),
        col.int('sort_order', { unsigned: true }),
        col.int('quantity', { unsigned: true }),
        col.enum('unit', ['hour', 'day', 'week', 'each']),
        col.money('unit_price', { nullable: true }),
        col.money('unit_cost', { nullable: true }),
        col.minutes('minutes', { nullable: true }),
        col.id('catalog_item_id', { nullable: true }),
        col.text('sku', 100, { nullable: true }),
        col.text('catalog_name', 255, { nullable: true }),
        col.id('role_id', { nullable: true }),
        col.text('role_name', 100, { nullable: true }),
        col.money('sell_rate_per_hour', { nullable: true }),
        col.money('cost_rate_per_hour', { nullable: true }),
        col.money('recommended_sell_rate_per_hour', { nullable: true }),
        col.text('department_snapshot', 255, { nullable: true }),
        col.text('milestone_name', 255, { nullable: true }),
        col.int('milestone_sequence', { unsigned: true, nullable: true }),
        col.id('draft_ticket_id', { nullable: true }),
        col.money('sell_value'),
        col.money('internal_cost'),
        col.instant('removed_at', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_version_line', columns: ['quote_version_id', 'line_id'] }],
      indexes: [
        { name: 'ix_quote_id', columns: ['quote_id'] },
        { name: 'ix_group', columns: ['quote_line_group_id'] },
        { name: 'ix_role_id', columns: ['role_id'] },
        { name: 'ix_catalog_item_id', columns: ['catalog_item_id'] },
        { name: 'ix_draft_ticket_id', columns: ['draft_ticket_id'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
    { op: 'appendOnlyGuard', table: 'quote_lines', event: 'delete' },
    {
      op: 'frozenColumnsGuard',
      table: 'quote_lines',
      name: 'frozen',
      columns: [
        'id',
        'quote_id',
        'quote_version_id',
        'quote_line_group_id',
        'version_number',
        'line_id',
        'line_kind',
        'description',
        'quantity',
        'unit',
        'unit_price',
        'unit_cost',
        'minutes',
        'catalog_item_id',
        'sku',
        'catalog_name',
        'role_id',
        'role_name',
        'sell_rate_per_hour',
        'cost_rate_per_hour',
        'recommended_sell_rate_per_hour',
        'department_snapshot',
        'milestone_name',
        'milestone_sequence',
        'draft_ticket_id',
        'sell_value',
        'internal_cost',
        'created_at',
      ],
    },
  ],
});
