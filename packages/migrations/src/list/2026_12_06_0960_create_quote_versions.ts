import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

const CONTENT = [
  'id',
  'quote_id',
  'version_number',
  'based_on_version',
  'supersedes_version_id',
  'title',
  'valid_until',
  'currency',
  'total_sell',
  'total_cost',
  'total_margin',
  'payment_schedule',
  'approved_by',
  'created_at',
];

/**
 * `<prefix>quote_versions` (spec §2.10): one row per version of a quote, UNIQUE(quote_id,
 * version_number), written by the unit of work from the quote's state in the same transaction as the
 * quote row (which stays the one lock and version check). The database freezes a version's content once
 * it leaves draft (only `state` and the acceptance stamp move on) and everything once it is final;
 * DELETE is refused.
 */
export const createQuoteVersions: Migration = defineMigration({
  id: '2026_12_06_0960_create_quote_versions',
  name: 'Create quote_versions',
  operations: [
    {
      op: 'createTable',
      table: 'quote_versions',
      columns: [
        col.id('id'),
        col.id('quote_id'),
        col.int('version_number', { unsigned: true }),
        col.int('based_on_version', { unsigned: true, nullable: true }),
        col.id('supersedes_version_id', { nullable: true }),
        col.enum('state', ['draft', 'sent', 'accepted', 'rejected', 'superseded', 'expired']),
        col.text('title', 255),
        col.text('valid_until', 10, { nullable: true }),
        col.text('currency', 3),
        col.money('total_sell'),
        col.money('total_cost'),
        col.money('total_margin'),
        col.json('payment_schedule', { nullable: true }),
        col.text('approved_by', 64, { nullable: true }),
        col.instant('accepted_at', { nullable: true }),
        col.text('accepted_by', 64, { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_quote_version', columns: ['quote_id', 'version_number'] }],
      indexes: [
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_supersedes', columns: ['supersedes_version_id'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
    { op: 'appendOnlyGuard', table: 'quote_versions', event: 'delete' },
    {
      op: 'frozenColumnsGuard',
      table: 'quote_versions',
      name: 'sent',
      columns: CONTENT,
      when: { column: 'state', values: ['sent', 'accepted', 'rejected', 'superseded', 'expired'] },
    },
    {
      op: 'frozenColumnsGuard',
      table: 'quote_versions',
      name: 'final',
      columns: [...CONTENT, 'state', 'accepted_at', 'accepted_by'],
      when: { column: 'state', values: ['accepted', 'rejected', 'superseded', 'expired'] },
    },
  ],
});
