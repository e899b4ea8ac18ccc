import { defineMigration, type Migration } from '../migration.js';
import type { AppendOnlyGuard } from '../vocabulary.js';

/**
 * Every table that could still be deleted from with plain SQL before this migration, but the rebuildable
 * caches and the migration journal (`DELETABLE_TABLES`).
 */
const TABLES = [
  'employees',
  'teams',
  'team_memberships',
  'companies',
  'people',
  'company_slots',
  'uid_sequences',
  'crm_import_runs',
  'malleable_schemas',
  'leads',
  'qualifications',
  'opportunities',
  'quote_number_sequences',
  'kpi_definitions',
  'kpi_result_sets',
  'projection_offsets',
  'knowledge_articles',
] as const;

/**
 * Nothing is deleted, in the database too (issue 22): a `BEFORE DELETE` trigger on every PET table that
 * had none (the organisation, CRM, the lead pipeline, counters, KPI definitions
 * and result sets, feed offsets, knowledge articles). A row leaves by archival. Updates stay free (the
 * rows keep their states). Only the caches a KPI rebuild makes again stay deletable, `kpi_results`,
 * `kpi_checkpoints` and `kpi_checkpoint_parts` (`REBUILDABLE_TABLES`), and the engines' own journal
 * (`DELETABLE_TABLES` says why). As for every delete guard, MySQL's REPLACE is refused too; TRUNCATE is
 * refused on PostgreSQL, and by privileges on MySQL/MariaDB.
 */
export const refuseDeletes: Migration = defineMigration({
  id: '2026_12_06_0904_refuse_deletes',
  name: 'Rows are archived, never deleted: delete guards on every table but the rebuildable KPI caches',
  operations: TABLES.map((table): AppendOnlyGuard => ({ op: 'appendOnlyGuard', table, event: 'delete' })),
});
