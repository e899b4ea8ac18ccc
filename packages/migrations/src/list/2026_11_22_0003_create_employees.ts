import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>employees`: the state table of the `employee` aggregate (one row = the fold of its events).
 * E-mail (normalised) and the host's user id are unique natural keys, never identity. `hire_date` is a
 * calendar date `YYYY-MM-DD` (the vocabulary has no DATE type; ISO dates sort correctly as text).
 */
export const createEmployees: Migration = defineMigration({
  id: '2026_11_22_0003_create_employees',
  name: 'Create employees',
  operations: [
    {
      op: 'createTable',
      table: 'employees',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['active', 'inactive', 'archived']),
        col.text('first_name', 100),
        col.text('last_name', 100),
        col.text('email', 191),
        col.text('host_user_id', 64, { nullable: true }),
        col.id('manager_id', { nullable: true }),
        col.text('hire_date', 10, { nullable: true }),
        col.instant('deactivated_at', { nullable: true }),
        col.instant('archived_at', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
      ],
      primaryKey: ['id'],
      uniques: [
        { name: 'uq_email', columns: ['email'] },
        { name: 'uq_host_user_id', columns: ['host_user_id'] },
      ],
      indexes: [
        { name: 'ix_manager', columns: ['manager_id', 'state'] },
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_created_at', columns: ['created_at'] },
        { name: 'ix_archived_at', columns: ['archived_at'] },
      ],
    },
  ],
});
