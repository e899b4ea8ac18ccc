import { defineMigration, type Migration } from '../migration.js';

/**
 * A sale is immutable except its state (spec §2.13): a `BEFORE UPDATE` trigger on `<prefix>sales`
 * refuses any UPDATE (also `INSERT … ON DUPLICATE KEY UPDATE` / `ON CONFLICT DO UPDATE`) that changes
 * the snapshot taken at acceptance. Only `state`, `fulfilled_at` (created → fulfilled), the optimistic
 * `version` and `archived_at` (archival, spec §0) still change; DELETE was already refused.
 */
export const freezeSales: Migration = defineMigration({
  id: '2026_12_06_0501_freeze_sales',
  name: 'A sale is immutable except its state',
  operations: [
    {
      op: 'frozenColumnsGuard',
      table: 'sales',
      name: 'frozen',
      columns: [
        'id',
        'sale_id',
        'quote_id',
        'quote_version',
        'opportunity_id',
        'customer_id',
        'currency',
        'sold_value',
        'sold_internal_cost',
        'sold_margin',
        'sold_minutes',
        'sold_minutes_by_role',
        'payment_schedule_json',
        'accepted_by',
        'accepted_at',
        'created_at',
        'created_by_employee_id',
      ],
    },
  ],
});
