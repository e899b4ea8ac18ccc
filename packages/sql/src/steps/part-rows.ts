import type { DataStep } from '../data-steps.js';
import { type AnyStateTable, aggregateOf, decodeColumn, encodeColumn } from '../state-table.js';

/** State rows read per page (keyset on the primary key). */
const PAGE = 200;

/**
 * A data step that fills the part tables of `table` for rows written before they existed: every state
 * row is decoded the way the unit of work decodes it, and the part rows that state implies (the same
 * `rowsOf` the unit of work writes) are inserted where missing, looked up by `ownerColumn` — so a second
 * run writes nothing, and an interrupted one resumes.
 *
 * @example
 * ```ts
 * const step = partRowsStep({ name: 'quote_content_rows', description: '…', table: quotesTable, ownerColumn: 'quote_id' });
 * ```
 */
export function partRowsStep(options: {
  readonly name: string;
  readonly description: string;
  readonly table: AnyStateTable;
  /** The column of every part table that holds the owning aggregate's id. */
  readonly ownerColumn: string;
}): DataStep {
  const { table, ownerColumn } = options;
  return {
    name: options.name,
    description: options.description,
    async run({ db, dialect, prefix }) {
      const codecs = dialect.codecs;
      const definition = aggregateOf(table);
      let after: unknown;
      let written = 0;
      for (;;) {
        let query = db.selectFrom(`${prefix}${table.table}`).selectAll().orderBy('id').limit(PAGE);
        if (after !== undefined) query = query.where('id', '>', after);
        const page = (await query.execute()) as Record<string, unknown>[];
        for (const raw of page) {
          const id = codecs.decodeId(raw['id']);
          const logical: Record<string, unknown> = {};
          for (const [column, spec] of Object.entries(table.columns)) {
            logical[column] = decodeColumn(codecs, spec, raw[column]);
          }
          const state = definition.decode({ id, row: logical });
          for (const part of table.parts ?? []) {
            const wanted = part.rowsOf(state, id);
            if (wanted.length === 0) continue;
            const present = (await db
              .selectFrom(`${prefix}${part.table}`)
              .select('id')
              .where(ownerColumn, '=', raw['id'])
              .execute()) as { id: unknown }[];
            const have = new Set(present.map((r) => codecs.decodeId(r.id)));
            const missing = wanted
              .filter((r) => !have.has(String(r['id'])))
              .map((r) => {
                const out: Record<string, unknown> = {};
                for (const [column, spec] of Object.entries(part.columns)) {
                  out[column] = encodeColumn(codecs, spec, r[column]);
                }
                return out;
              });
            if (missing.length === 0) continue;
            await db.insertInto(`${prefix}${part.table}`).values(missing).execute();
            written += missing.length;
          }
        }
        if (page.length < PAGE) break;
        after = page[page.length - 1]?.['id'];
      }
      return { rows: written };
    },
  };
}
