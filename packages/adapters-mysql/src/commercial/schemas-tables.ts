import {
  companiesTable,
  leadsTable,
  malleableSchemasTable,
  opportunitiesTable,
  qualificationsTable,
} from '@pet-ops/sql';

/**
 * The lead pipeline's state tables by stream type, as `@pet-ops/sql` declares them
 * (`LEAD_PIPELINE_STATE_TABLES`; `company` is the CRM table an opportunity's customer is checked in).
 * `createMysqlUnitOfWork` maps them anyway; passing this as its deprecated `tables` only checks it.
 *
 * @example
 * ```ts
 * const uow = createMysqlUnitOfWork({ pool, prefix: 'wp_', tables: LEAD_PIPELINE_TABLES });
 * ```
 */
export const LEAD_PIPELINE_TABLES: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(
    [malleableSchemasTable, leadsTable, qualificationsTable, opportunitiesTable, companiesTable].map((t) => [
      t.streamType,
      t.table,
    ]),
  ),
);
