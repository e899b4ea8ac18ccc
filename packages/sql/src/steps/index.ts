import type { DataStep } from '../data-steps.js';
import { malleableSchemasTable, quotesTable } from '../tables/commercial.js';
import { openBreachKey } from '../tables/delivery.js';
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

/**
 * Migration `2026_12_06_1005`: every open variance not yet keyed gets its `open_breach` key. Of open
 * rows recording the same breach of one project (possible before the key existed), only the earliest
 * detected is keyed and the others keep NULL, so the unique key can be added; a second run keys nothing.
 *
 * @example `dataStep('open_variance_breach_keys')?.run({ db, dialect, prefix })` → `{ rows: 1 }` with one open variance
 */
export const openVarianceBreachKeys: DataStep = {
  name: 'open_variance_breach_keys',
  description: 'every open variance keyed by its breach (the earliest of duplicates)',
  async run({ db, dialect, prefix }) {
    const table = `${prefix}project_variances`;
    const rows = (await db
      .selectFrom(table)
      .select(['id', 'project_id', 'variance_type', 'milestone_id', 'baseline_version', 'open_breach'])
      .where('state', '=', 'open')
      .orderBy('detected_at')
      .orderBy('id')
      .execute()) as Record<string, unknown>[];
    const taken = new Set<string>();
    const keyOf = (r: Record<string, unknown>) => {
      const project = dialect.codecs.decodeId(r['project_id']);
      const milestone = r['milestone_id'] === null ? null : dialect.codecs.decodeId(r['milestone_id']);
      return `${project} ${openBreachKey({
        varianceType: String(r['variance_type']),
        milestoneId: milestone,
        baselineVersion: Number(r['baseline_version']),
      })}`;
    };
    for (const r of rows) if (r['open_breach'] !== null) taken.add(keyOf(r));
    let keyed = 0;
    for (const r of rows) {
      if (r['open_breach'] !== null) continue;
      const key = keyOf(r);
      if (taken.has(key)) continue;
      taken.add(key);
      await db
        .updateTable(table)
        .set({ open_breach: key.slice(key.indexOf(' ') + 1) })
        .where('id', '=', r['id'] as never)
        .where('open_breach', 'is', null)
        .execute();
      keyed += 1;
    }
    return { rows: keyed };
  },
};

/** The data steps PET's own migrations run, registered before any host code can run `migrate`. */
export const BUILT_IN_DATA_STEPS: readonly DataStep[] = [
  quoteContentRows,
  leadSchemaVersionRows,
  leadConvertedState,
  openVarianceBreachKeys,
];
