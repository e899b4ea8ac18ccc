import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>people`: the state table of the `person` aggregate and the home of the CRM's personal data
 * (name, e-mail, LinkedIn URL; see `core/src/crm/PERSONAL-DATA.md`). `person_uid` (`PE-YYYYMMDD-######`)
 * is the public reference; `email` is stored normalised, so its unique key is "unique after
 * normalisation". `validation_status` is text (not an enum) so new statuses need no table change.
 */
export const createPeople: Migration = defineMigration({
  id: '2026_11_22_0008_create_people',
  name: 'Create people',
  operations: [
    {
      op: 'createTable',
      table: 'people',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['active', 'archived']),
        col.text('person_uid', 18),
        col.text('name', 255),
        col.text('email', 254, { nullable: true }),
        col.text('linkedin_url', 500, { nullable: true }),
        col.text('validation_status', 32, { default: 'unverified' }),
        col.instant('archived_at', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
      ],
      primaryKey: ['id'],
      uniques: [
        { name: 'uq_person_uid', columns: ['person_uid'] },
        { name: 'uq_email', columns: ['email'] },
      ],
      indexes: [
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_validation_status', columns: ['validation_status'] },
        { name: 'ix_created_at', columns: ['created_at'] },
        { name: 'ix_archived_at', columns: ['archived_at'] },
      ],
    },
  ],
});
