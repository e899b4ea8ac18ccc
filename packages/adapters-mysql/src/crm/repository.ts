import { parseInput } from '@pet-ops/core';
import { type CrmRepository, crmRepository } from '@pet-ops/sql';
import { tablePrefixSchema } from '../prefix.js';

export type { CrmRepository, UidKind, Versioned } from '@pet-ops/sql';

/**
 * The CRM repository on MySQL/MariaDB: `crmRepository` of `@pet-ops/sql` (one implementation for every
 * database), which reads inside the scope's transaction under the prefix of the unit of work the scope
 * belongs to (`createMysqlUnitOfWork`). `prefix` is checked and must be that unit's prefix.
 *
 * @example
 * ```ts
 * const crm = createCrmRepository('wp_pet_');
 * const company = await uow.run((scope) => crm.companyByWebsite(scope, 'https://www.acme.com/'));
 * ```
 */
export function createCrmRepository(prefix: string): CrmRepository {
  parseInput(tablePrefixSchema, prefix, 'table prefix');
  return crmRepository;
}
