import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>quotes`: the state table of the `quote` aggregate. Identity and lifecycle are columns
 * (`quote_number` `Q-YYYY-######` unique and immutable, opportunity, customer, current version and its
 * state, derived totals of the current version, acceptance); the **content of every version** (line
 * groups, lines with their catalog/role/rate snapshots, payment schedule, approval) is the `versions`
 * JSON array.
 *
 * Why JSON and not `quote_versions` / `quote_line_groups` / `quote_lines` tables: a version is only ever
 * read and decided as a whole together with its siblings (the "≤ 1 open version", "sent is frozen" and
 * "one acceptance" rules span versions), so one row is one lock and one optimistic version check — the
 * concurrent-accept guarantee rests on it — and a save is one UPDATE instead of a diff over three
 * tables. Frozen versions are never rewritten by the domain (property-tested), every content change is
 * also an event in `domain_events`, and reporting needs (sold value, minutes by role) are served by
 * columns here, by `sales`, and by projections from events. Deletes are refused by a trigger.
 * `quote_id` repeats `id`: the unit of work hands `decode` the state columns only, and the state
 * carries its own id.
 */
export const createQuotes: Migration = defineMigration({
  id: '2026_11_22_0030_create_quotes',
  name: 'Create quotes',
  operations: [
    {
      op: 'createTable',
      table: 'quotes',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['open', 'accepted', 'rejected']),
        col.id('quote_id'),
        col.text('quote_number', 20),
        col.id('opportunity_id'),
        col.id('customer_id'),
        col.text('currency', 3),
        col.id('parent_quote_id', { nullable: true }),
        col.id('supersedes_quote_id', { nullable: true }),
        col.int('current_version', { unsigned: true }),
        col.enum('current_version_state', ['draft', 'sent', 'accepted', 'rejected', 'superseded', 'expired']),
        col.text('title', 255),
        col.text('valid_until', 10, { nullable: true }),
        col.money('total_sell'),
        col.money('total_cost'),
        col.money('total_margin'),
        col.int('accepted_version', { unsigned: true, nullable: true }),
        col.id('sale_id', { nullable: true }),
        col.text('accepted_by', 64, { nullable: true }),
        col.instant('accepted_at', { nullable: true }),
        col.json('versions'),
        col.json('due_item_ids'),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
        col.instant('archived_at', { nullable: true }),
      ],
      primaryKey: ['id'],
      uniques: [
        { name: 'uq_quote_number', columns: ['quote_number'] },
        { name: 'uq_quote_id', columns: ['quote_id'] },
        { name: 'uq_sale_id', columns: ['sale_id'] },
      ],
      indexes: [
        { name: 'ix_opportunity_id', columns: ['opportunity_id'] },
        { name: 'ix_customer_state', columns: ['customer_id', 'state'] },
        { name: 'ix_parent_quote_id', columns: ['parent_quote_id'] },
        { name: 'ix_supersedes_quote_id', columns: ['supersedes_quote_id'] },
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_created_at', columns: ['created_at'] },
        { name: 'ix_archived_at', columns: ['archived_at'] },
      ],
    },
    { op: 'appendOnlyGuard', table: 'quotes', event: 'delete' },
  ],
});
