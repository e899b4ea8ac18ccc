import type { DataStep } from '../data-steps.js';
import { malleableSchemasTable, quotesTable } from '../tables/commercial.js';
import { partRowsStep } from './part-rows.js';

/**
 * Migration `2026_12_06_0963`: every quote's content from its `versions` snapshot into
 * `quote_versions`, `quote_line_groups` and `quote_lines`.
 *
 * @example `dataStep('quote_content_rows')?.run({ db, dialect, prefix })`
 */
export const quoteContentRows: DataStep = partRowsStep({
  name: 'quote_content_rows',
  description: 'every quote version, line group and line of the quotes.versions snapshots as rows',
  table: quotesTable,
  ownerColumn: 'quote_id',
});

/**
 * Migration `2026_12_06_0965`: every malleable schema version from the `malleable_schemas.versions`
 * snapshot into `lead_schema_versions`.
 *
 * @example `dataStep('lead_schema_version_rows')?.run({ db, dialect, prefix })`
 */
export const leadSchemaVersionRows: DataStep = partRowsStep({
  name: 'lead_schema_version_rows',
  description: 'every malleable schema version of the malleable_schemas.versions snapshots as a row',
  table: malleableSchemasTable,
  ownerColumn: 'schema_id',
});

/** The data steps PET's own migrations run, registered before any host code can run `migrate`. */
export const BUILT_IN_DATA_STEPS: readonly DataStep[] = [quoteContentRows, leadSchemaVersionRows];
