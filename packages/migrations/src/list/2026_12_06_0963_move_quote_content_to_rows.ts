import { defineMigration, type Migration } from '../migration.js';

/**
 * Moves every existing quote's content into `quote_versions`, `quote_line_groups` and `quote_lines`
 * (scenario 56: nothing lost): the data step `quote_content_rows` of `@pet-ops/sql` decodes each quote
 * row's `versions` snapshot the way the unit of work does and inserts the rows it implies that are not
 * there yet, quote by quote — so it is idempotent and resumes where an interrupted run stopped. The
 * `versions` column itself is left as it was.
 */
export const moveQuoteContentToRows: Migration = defineMigration({
  id: '2026_12_06_0963_move_quote_content_to_rows',
  name: 'Move quote content into quote_versions, quote_line_groups and quote_lines',
  operations: [
    {
      op: 'dataStep',
      step: 'quote_content_rows',
      description: 'every quote version, line group and line of the quotes.versions snapshots as rows',
    },
  ],
});
