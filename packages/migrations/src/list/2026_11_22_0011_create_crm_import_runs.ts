import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>crm_import_runs`: one row per CSV intake run — file, content hash (re-runs of the same file
 * are recognisable), mode, counts and timings. The row is updated while the run progresses, so it has a
 * `version` for optimistic concurrency and no append-only guard.
 */
export const createCrmImportRuns: Migration = defineMigration({
  id: '2026_11_22_0011_create_crm_import_runs',
  name: 'Create CRM import runs',
  operations: [
    {
      op: 'createTable',
      table: 'crm_import_runs',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['running', 'completed', 'failed']),
        col.enum('mode', ['dry_run', 'commit']),
        col.text('file_name', 255),
        col.text('file_sha256', 64, { nullable: true }),
        col.int('rows_total', { unsigned: true, default: 0 }),
        col.int('rows_created', { unsigned: true, default: 0 }),
        col.int('rows_existing', { unsigned: true, default: 0 }),
        col.int('rows_rejected', { unsigned: true, default: 0 }),
        col.instant('started_at'),
        col.instant('finished_at', { nullable: true }),
        col.longText('error', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
      ],
      primaryKey: ['id'],
      indexes: [
        { name: 'ix_file_sha256', columns: ['file_sha256'] },
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
  ],
});
