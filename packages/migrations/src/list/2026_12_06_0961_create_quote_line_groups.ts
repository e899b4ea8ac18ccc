import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>quote_line_groups` (spec §2.11): one row per line group (component) of a quote version, in
 * the version's order, with its pricing model and recurring terms and the SLA binding columns recurring
 * groups will carry. A version's groups are only ever added (while it is a draft): the database refuses
 * DELETE and any change but to `sell_value` and `internal_cost`, the group's derived totals (Σ its
 * lines), which follow the lines added to a draft and, once the version is sent, cannot change because
 * its lines cannot.
 */
export const createQuoteLineGroups: Migration = defineMigration({
  id: '2026_12_06_0961_create_quote_line_groups',
  name: 'Create quote_line_groups',
  operations: [
    {
      op: 'createTable',
      table: 'quote_line_groups',
      columns: [
        col.id('id'),
        col.id('quote_id'),
        col.id('quote_version_id'),
        col.int('version_number', { unsigned: true }),
        col.id('group_id'),
        col.enum('component_type', ['catalog', 'implementation', 'recurring', 'adjustment']),
        col.enum('pricing_model', ['once_off', 'project', 'recurring']),
        col.text('title', 255),
        col.int('sort_order', { unsigned: true }),
        col.enum('cadence', ['monthly', 'quarterly', 'annually'], { nullable: true }),
        col.int('term_months', { unsigned: true, nullable: true }),
        col.minutes('expected_minutes_per_period', { nullable: true }),
        col.id('sla_definition_id', { nullable: true }),
        col.int('sla_version_number', { unsigned: true, nullable: true }),
        col.money('sell_value'),
        col.money('internal_cost'),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_version_group', columns: ['quote_version_id', 'group_id'] }],
      indexes: [
        { name: 'ix_quote_id', columns: ['quote_id'] },
        { name: 'ix_sla_definition_id', columns: ['sla_definition_id'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
    { op: 'appendOnlyGuard', table: 'quote_line_groups', event: 'delete' },
    {
      op: 'frozenColumnsGuard',
      table: 'quote_line_groups',
      name: 'frozen',
      columns: [
        'id',
        'quote_id',
        'quote_version_id',
        'version_number',
        'group_id',
        'component_type',
        'pricing_model',
        'title',
        'sort_order',
        'cadence',
        'term_months',
        'expected_minutes_per_period',
        'sla_definition_id',
        'sla_version_number',
        'created_at',
      ],
    },
  ],
});
