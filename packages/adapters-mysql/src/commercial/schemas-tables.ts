/**
 * The state tables of the lead pipeline by stream type, for `createMysqlUnitOfWork({ tables })`.
 * `company` maps to the CRM table because creating an opportunity checks the customer there.
 *
 * @example
 * ```ts
 * const uow = createMysqlUnitOfWork({ pool, prefix: 'wp_', tables: { ...LEAD_PIPELINE_TABLES } });
 * ```
 */
export const LEAD_PIPELINE_TABLES: Readonly<Record<string, string>> = Object.freeze({
  malleable_schema: 'malleable_schemas',
  lead: 'leads',
  qualification: 'qualifications',
  opportunity: 'opportunities',
  company: 'companies',
});
