import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>companies`: the state table of the `company` aggregate. `company_uid` (`CO-YYYYMMDD-######`)
 * is the immutable public reference; `website` holds the normalised form, so its unique key is the
 * "unique after normalisation" rule; `external_id` (e.g. Apollo's id) is unique when present (NULLs
 * never collide). `created_at` is written from the aggregate (the uid's day is its UTC day).
 */
export const createCompanies: Migration = defineMigration({
  id: '2026_11_22_0007_create_companies',
  name: 'Create companies',
  operations: [
    {
      op: 'createTable',
      table: 'companies',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['active', 'archived']),
        col.text('company_uid', 18),
        col.text('name', 255),
        col.text('website', 255, { nullable: true }),
        col.text('external_id', 128, { nullable: true, binary: true }),
        col.text('ein_raw', 64, { nullable: true }),
        col.instant('archived_at', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
      ],
      primaryKey: ['id'],
      uniques: [
        { name: 'uq_company_uid', columns: ['company_uid'] },
        { name: 'uq_website', columns: ['website'] },
        { name: 'uq_external_id', columns: ['external_id'] },
      ],
      indexes: [
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_created_at', columns: ['created_at'] },
        { name: 'ix_archived_at', columns: ['archived_at'] },
      ],
    },
  ],
});
