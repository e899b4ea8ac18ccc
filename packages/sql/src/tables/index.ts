import type { AnyStateTable } from '../state-table.js';
import { employeesTable } from './identity.js';

export { employeesTable } from './identity.js';

/**
 * Every state table declared on the seam so far (one line per context); `checkStateTables` holds them
 * against the migrations, and a unit of work given this list can load and save every aggregate in it.
 *
 * @example
 * ```ts
 * createUnitOfWork({ dialect, prefix, events, tables: STATE_TABLES });
 * ```
 */
export const STATE_TABLES: readonly AnyStateTable[] = [
  // identity
  employeesTable,
];
