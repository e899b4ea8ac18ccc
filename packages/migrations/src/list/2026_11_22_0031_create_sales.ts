import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>sales`: the state table of the `sale` aggregate — the immutable commercial snapshot taken at
 * acceptance (totals, currency, canonical payment schedule, sold minutes per role, who accepted and
 * when). `quote_id` is unique: the database itself holds "one sale per quote". Only `state` (created →
 * fulfilled) and `fulfilled_at` ever change; deletes are refused by a trigger. `sale_id` repeats `id`
 * (the unit of work hands `decode` the state columns only).
 */
export const createSales: Migration = defineMigration({
  id: '2026_11_22_0031_create_sales',
  name: 'Create sales',
  operations: [
    {
      op: 'createTable',
      table: 'sales',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['created', 'fulfilled']),
        col.id('sale_id'),
        col.id('quote_id'),
        col.int('quote_version', { unsigned: true }),
        col.id('opportunity_id'),
        col.id('customer_id'),
        col.text('currency', 3),
        col.money('sold_value'),
        col.money('sold_internal_cost'),
        col.money('sold_margin'),
        col.minutes('sold_minutes'),
        col.json('sold_minutes_by_role'),
        col.json('payment_schedule_json'),
        col.text('accepted_by', 64),
        col.instant('accepted_at'),
        col.instant('fulfilled_at', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
        col.instant('archived_at', { nullable: true }),
      ],
      primaryKey: ['id'],
      uniques: [
        { name: 'uq_sale_id', columns: ['sale_id'] },
        { name: 'uq_quote_id', columns: ['quote_id'] },
      ],
      indexes: [
        { name: 'ix_opportunity_id', columns: ['opportunity_id'] },
        { name: 'ix_customer_id', columns: ['customer_id'] },
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_accepted_at', columns: ['accepted_at'] },
        { name: 'ix_created_at', columns: ['created_at'] },
        { name: 'ix_archived_at', columns: ['archived_at'] },
      ],
    },
    { op: 'appendOnlyGuard', table: 'sales', event: 'delete' },
  ],
});
