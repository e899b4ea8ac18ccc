import { defineMigration, type Migration } from '../migration.js';
import { col } from '../vocabulary.js';

/**
 * CRM dead letters get a key, so that re-running an import does not write its dead letters again
 * (issue 22): `letter_key` is the SHA-256 (hex) of the import kind, the file name, the row number, the
 * raw text and the reason; an import skips a dead letter whose key is already stored, and the unique key
 * settles two concurrent runs of the same file. Rows written before this migration keep a NULL key
 * (the table is append-only: nothing is rewritten, and nothing is deleted): NULLs never collide, so
 * duplicates that old re-runs already wrote stay as they are and do not break the unique key.
 */
export const keyCrmDeadLetters: Migration = defineMigration({
  id: '2026_12_06_0950_key_crm_dead_letters',
  name: 'CRM dead letters are keyed, so an import re-run adds none',
  operations: [
    {
      op: 'addColumn',
      table: 'crm_dead_letters',
      column: col.text('letter_key', 64, { nullable: true }),
    },
    { op: 'addUnique', table: 'crm_dead_letters', index: { name: 'uq_letter_key', columns: ['letter_key'] } },
  ],
});
