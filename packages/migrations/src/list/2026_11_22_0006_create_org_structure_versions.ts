import { defineMigration, type Migration } from '../migration.js';
import { appendOnlyGuards, CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>org_structure_versions`: immutable published org snapshots, one row per version, made
 * append-only by the database (UPDATE and DELETE guards). There is no `effective_to` column: a
 * version's period ends where the next version's begins, so it is derived (see the core's
 * `effectivePeriods`). Storing it would need an UPDATE of a published row, and deriving it makes the
 * periods contiguous and non-overlapping by construction; `uq_effective_from` keeps starts distinct.
 */
export const createOrgStructureVersions: Migration = defineMigration({
  id: '2026_11_22_0006_create_org_structure_versions',
  name: 'Create the append-only org structure versions',
  operations: [
    {
      op: 'createTable',
      table: 'org_structure_versions',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['published']),
        col.int('version_number', { unsigned: true }),
        col.instant('effective_from'),
        col.instant('published_at'),
        col.json('structure'),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('created_by_employee_id', { nullable: true }),
      ],
      primaryKey: ['id'],
      uniques: [
        { name: 'uq_version_number', columns: ['version_number'] },
        { name: 'uq_effective_from', columns: ['effective_from'] },
      ],
      indexes: [{ name: 'ix_created_at', columns: ['created_at'] }],
    },
    ...appendOnlyGuards('org_structure_versions'),
  ],
});
