import { defineMigration, type Migration } from '../migration.js';
import { appendOnlyGuards, CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>crm_dead_letters`: every CSV row an intake run refused — file name, row number (`source_row`, 1-based; `row_number` is reserved in MySQL 8), the raw text
 * verbatim and the reason (a stable code such as `MISSING_NAME`, plus a human detail). A record of what
 * happened, so append-only (UPDATE and DELETE guards). `reason` is text so new codes need no table change.
 */
export const createCrmDeadLetters: Migration = defineMigration({
  id: '2026_11_22_0012_create_crm_dead_letters',
  name: 'Create the append-only CRM dead letters',
  operations: [
    {
      op: 'createTable',
      table: 'crm_dead_letters',
      columns: [
        col.id('id'),
        col.id('run_id'),
        col.text('file_name', 255),
        col.int('source_row', { unsigned: true }),
        col.longText('raw_text'),
        col.text('reason', 64),
        col.text('detail', 500, { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_run_row', columns: ['run_id', 'source_row'] }],
      indexes: [
        { name: 'ix_reason', columns: ['reason'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
    ...appendOnlyGuards('crm_dead_letters'),
  ],
});
