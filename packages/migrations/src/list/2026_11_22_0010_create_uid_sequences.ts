import { defineMigration, type Migration } from '../migration.js';
import { col } from '../vocabulary.js';

/**
 * `<prefix>uid_sequences`: one counter per uid kind (`CO`, `PE`) and UTC day (`YYYYMMDD`), from which
 * the adapter allocates the `######` part atomically (e.g. `INSERT … ON DUPLICATE KEY UPDATE
 * last_sequence = LAST_INSERT_ID(last_sequence + 1)` inside the creating transaction): concurrent inserts
 * serialise on one counter row instead of racing on `MAX(company_uid)`. Infrastructure, not an
 * aggregate, hence its natural primary key and no version/state columns.
 */
export const createUidSequences: Migration = defineMigration({
  id: '2026_11_22_0010_create_uid_sequences',
  name: 'Create the per-day uid sequences',
  operations: [
    {
      op: 'createTable',
      table: 'uid_sequences',
      columns: [
        col.enum('kind', ['CO', 'PE']),
        col.text('day', 8),
        col.int('last_sequence', { unsigned: true }),
      ],
      primaryKey: ['kind', 'day'],
    },
  ],
});
