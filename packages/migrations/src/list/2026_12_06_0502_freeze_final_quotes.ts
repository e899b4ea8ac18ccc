import { defineMigration, type Migration } from '../migration.js';

/**
 * An accepted or rejected quote is immutable (spec §2.12–2.13): a `BEFORE UPDATE` trigger on
 * `<prefix>quotes` refuses, for a row whose state is `accepted` or `rejected`, any UPDATE (also
 * `INSERT … ON DUPLICATE KEY UPDATE` / `ON CONFLICT DO UPDATE`) that changes its state, identity,
 * content (`versions`), totals or acceptance. Only `due_item_ids` (the accepted quote releases its due
 * payment items), the optimistic `version` and `archived_at` (archival, spec §0) still change; DELETE
 * was already refused.
 */
export const freezeFinalQuotes: Migration = defineMigration({
  id: '2026_12_06_0502_freeze_final_quotes',
  name: 'An accepted or rejected quote is immutable',
  operations: [
    {
      op: 'frozenColumnsGuard',
      table: 'quotes',
      name: 'frozen',
      columns: [
        'id',
        'state',
        'quote_id',
        'quote_number',
        'opportunity_id',
        'customer_id',
        'currency',
        'parent_quote_id',
        'supersedes_quote_id',
        'current_version',
        'current_version_state',
        'title',
        'valid_until',
        'total_sell',
        'total_cost',
        'total_margin',
        'accepted_version',
        'sale_id',
        'accepted_by',
        'accepted_at',
        'versions',
        'created_at',
        'created_by_employee_id',
      ],
      when: { column: 'state', values: ['accepted', 'rejected'] },
    },
  ],
});
