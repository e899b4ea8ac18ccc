import { defineMigration, type Migration } from '../migration.js';
import { col } from '../vocabulary.js';

/**
 * `sales.commercial_snapshot_json` (the accepted version's commercial content as sold: number, title,
 * currency, validity, line groups with their lines, totals) and `sales.accepted_by_contact_id` (the
 * customer contact, a CRM person, who accepted), spec §2.13. Both are part of the immutable acceptance
 * snapshot, so a second `BEFORE UPDATE` trigger refuses changing them. Existing sales keep NULL in both:
 * their acceptance recorded neither (`accepted_by` stays as it was).
 */
export const addSaleSnapshotColumns: Migration = defineMigration({
  id: '2026_12_06_0932_add_sale_snapshot_columns',
  name: 'Sales keep the commercial snapshot and the accepting contact',
  operations: [
    { op: 'addColumn', table: 'sales', column: col.json('commercial_snapshot_json', { nullable: true }) },
    { op: 'addColumn', table: 'sales', column: col.id('accepted_by_contact_id', { nullable: true }) },
    {
      op: 'addIndex',
      table: 'sales',
      index: { name: 'ix_accepted_by_contact_id', columns: ['accepted_by_contact_id'] },
    },
    {
      op: 'frozenColumnsGuard',
      table: 'sales',
      name: 'frozen_snapshot',
      columns: ['commercial_snapshot_json', 'accepted_by_contact_id'],
    },
  ],
});
