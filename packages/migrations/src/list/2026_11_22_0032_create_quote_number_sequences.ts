import { defineMigration, type Migration } from '../migration.js';
import { col } from '../vocabulary.js';

/**
 * `<prefix>quote_number_sequences`: one counter per year from which the adapter allocates the `######`
 * of `Q-YYYY-######` atomically (`INSERT … ON DUPLICATE KEY UPDATE last_sequence =
 * LAST_INSERT_ID(last_sequence + 1)`): concurrent creations serialise on one row instead of racing on
 * `MAX(quote_number)`. Numbers are unique, not gapless (a failed creation leaves a hole). Infrastructure,
 * not an aggregate, hence its natural primary key.
 */
export const createQuoteNumberSequences: Migration = defineMigration({
  id: '2026_11_22_0032_create_quote_number_sequences',
  name: 'Create the quote number sequences',
  operations: [
    {
      op: 'createTable',
      table: 'quote_number_sequences',
      columns: [col.text('year', 4), col.int('last_sequence', { unsigned: true })],
      primaryKey: ['year'],
    },
  ],
});
