import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>company_slots`: the state table of the `company_slot` aggregate — exactly three per company
 * (CEO, CFO, HR). `uq_company_role` allows at most one slot per role and company; creating all three
 * in the company's workflow makes it exactly three. `slot_uid` is `SL-<company_uid>-<ROLE>`.
 * `(person_id, state)` answers "which slots does this person fill" (a person may fill several).
 */
export const createCompanySlots: Migration = defineMigration({
  id: '2026_11_22_0009_create_company_slots',
  name: 'Create company slots',
  operations: [
    {
      op: 'createTable',
      table: 'company_slots',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['open', 'pending', 'filled']),
        col.text('slot_uid', 32),
        col.id('company_id'),
        col.text('company_uid', 18),
        col.enum('role', ['CEO', 'CFO', 'HR']),
        col.id('person_id', { nullable: true }),
        col.instant('archived_at', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
      ],
      primaryKey: ['id'],
      uniques: [
        { name: 'uq_slot_uid', columns: ['slot_uid'] },
        { name: 'uq_company_role', columns: ['company_id', 'role'] },
      ],
      indexes: [
        { name: 'ix_person_state', columns: ['person_id', 'state'] },
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
  ],
});
