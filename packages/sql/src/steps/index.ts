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

/**
 * Migration `2026_12_06_1001`: a converted lead, stored as `state = 'qualified'` with `converted_at` set
 * while `leads.state` had no `converted` value, becomes `state = 'converted'`. Only rows still in that old
 * form are updated, so a second run changes nothing; the version and times stay (the lead is unchanged).
 *
 * @example `dataStep('lead_converted_state')?.run({ db, dialect, prefix })` → `{ rows: 2 }` with two such leads
 */
export const leadConvertedState: DataStep = {
  name: 'lead_converted_state',
  description: 'leads stored as state qualified with converted_at set become state converted',
  async run({ db, prefix }) {
    const r = await db
      .updateTable(`${prefix}leads`)
      .set({ state: 'converted' })
      .where('state', '=', 'qualified')
      .where('converted_at', 'is not', null)
      .executeTakeFirst();
    return { rows: Number(r.numUpdatedRows) };
  },
};

/** The data steps PET's own migrations run, registered before any host code can run `migrate`. */
export const BUILT_IN_DATA_STEPS: readonly DataStep[] = [
  quoteContentRows,
  leadSchemaVersionRows,
  leadConvertedState,
];
