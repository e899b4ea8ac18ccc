import { defineMigration, type Migration } from '../migration.js';
import { col } from '../vocabulary.js';

/**
 * `companies.updated_at` and `people.updated_at` (issue 22, spec §8 CRM rows): the latest instant the
 * row's state records — its archival when archived, else its creation. Existing rows are backfilled with
 * exactly that, from the row itself (`archived_at`, then `created_at` where still NULL), so they equal
 * what the state table writes on the next save.
 */
export const addCrmUpdatedAt: Migration = defineMigration({
  id: '2026_12_06_0931_add_crm_updated_at',
  name: 'Companies and people record when they last changed',
  operations: [
    { op: 'addColumn', table: 'companies', column: col.instant('updated_at', { nullable: true }) },
    {
      op: 'backfill',
      table: 'companies',
      column: 'updated_at',
      value: { kind: 'copyColumn', column: 'archived_at' },
      description: 'an archived company last changed when it was archived',
    },
    {
      op: 'backfill',
      table: 'companies',
      column: 'updated_at',
      value: { kind: 'copyColumn', column: 'created_at' },
      description: 'any other company last changed (as far as its row records) when it was created',
    },
    { op: 'addColumn', table: 'people', column: col.instant('updated_at', { nullable: true }) },
    {
      op: 'backfill',
      table: 'people',
      column: 'updated_at',
      value: { kind: 'copyColumn', column: 'archived_at' },
      description: 'an archived person last changed when archived',
    },
    {
      op: 'backfill',
      table: 'people',
      column: 'updated_at',
      value: { kind: 'copyColumn', column: 'created_at' },
      description: 'any other person last changed (as far as the row records) when created',
    },
  ],
});
