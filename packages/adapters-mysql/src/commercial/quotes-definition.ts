import type { AggregateDefinition, Commercial } from '@pet-ops/core';
import { aggregateOf, quotesTable, salesTable } from '@pet-ops/sql';

/**
 * The `quote` aggregate: `aggregateOf(quotesTable)` of `@pet-ops/sql`, the table declared once for every
 * database. Saved by the seam's unit of work (`createMysqlUnitOfWork`), a quote's state row and its part
 * rows (versions, line groups, lines) move together in one transaction.
 *
 * @example
 * ```ts
 * const uow = createMysqlUnitOfWork({ pool, prefix });
 * const handle = createCommandHandler({ unitOfWork: uow, registry, clock, ids }, Commercial.quoteBinding(quoteDefinition));
 * ```
 */
export const quoteDefinition: AggregateDefinition<Commercial.QuoteState> = aggregateOf(quotesTable);

/**
 * The `sale` aggregate: `aggregateOf(salesTable)` of `@pet-ops/sql` (the immutable acceptance snapshot;
 * `quote_id` is unique, so the database itself allows one sale per quote).
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(saleDefinition).load(saleId));
 * ```
 */
export const saleDefinition: AggregateDefinition<Commercial.SaleState> = aggregateOf(salesTable);

/**
 * The quoting aggregates' state tables by stream type (`quote` → `quotes`, `sale` → `sales`), as declared by
 * `@pet-ops/sql` (`QUOTING_STATE_TABLES`). `createMysqlUnitOfWork` maps them anyway; passing this as its
 * deprecated `tables` only checks it.
 *
 * @example
 * ```ts
 * createMysqlUnitOfWork({ pool, prefix, tables: QUOTING_TABLES });
 * ```
 */
export const QUOTING_TABLES: Readonly<Record<string, string>> = Object.freeze({
  [quotesTable.streamType]: quotesTable.table,
  [salesTable.streamType]: salesTable.table,
});
