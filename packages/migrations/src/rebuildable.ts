/**
 * The tables whose rows PET deletes, because they are caches of the event log that a KPI rebuild makes
 * again from scratch; every other PET table refuses DELETE in the database (archive instead, issue 22):
 *
 * - `kpi_checkpoints`, `kpi_checkpoint_parts`: the KPI runner's fold state. A new checkpoint replaces its
 *   set's chain, and a rebuild drops the state of retired sets.
 * - `kpi_results`: the KPI results of a result set, derived from the events. A catch-up replaces the rows
 *   it recomputes (delete and insert; MySQL's `LOAD DATA … REPLACE`).
 *
 * @example
 * ```ts
 * const deletable = (table: string): boolean => REBUILDABLE_TABLES.includes(table);
 * deletable('leads'); // false: a DELETE is refused, a lead is archived
 * ```
 */
export const REBUILDABLE_TABLES: readonly string[] = Object.freeze([
  'kpi_results',
  'kpi_checkpoints',
  'kpi_checkpoint_parts',
]);

/**
 * Every table a DELETE is not refused on: the {@link REBUILDABLE_TABLES}, and the migration journal
 * (`schema_migrations`). The journal is the engines' bookkeeping, not PET data, and it must keep the shape
 * its bootstrap migration gives it: an older version of the library probes that shape before it reads the
 * journal, and must then name the migrations it does not know (`MIGRATION_TAMPERED`, "upgrade the
 * library") rather than fail on a trigger it never made. Keep it safe by privileges: the application user
 * needs no access to it.
 *
 * @example
 * ```ts
 * DELETABLE_TABLES.includes('schema_migrations'); // true
 * DELETABLE_TABLES.includes('companies'); // false: archive a company instead
 * ```
 */
export const DELETABLE_TABLES: readonly string[] = Object.freeze([
  ...REBUILDABLE_TABLES,
  'schema_migrations',
]);
