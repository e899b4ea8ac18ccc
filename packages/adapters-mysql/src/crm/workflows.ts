import { type CommandRuntime, parseInput } from '@pet-ops/core';
import { type CrmCommands, createCrmCommands as createOnSeam } from '@pet-ops/sql';
import { tablePrefixSchema } from '../prefix.js';

export type {
  CompanyInput,
  CrmCommands,
  InsertCompanyRejection,
  InsertCompanyResult,
  PersonInput,
} from '@pet-ops/sql';

/**
 * The CRM operations on MySQL/MariaDB: `createCrmCommands` of `@pet-ops/sql` (one implementation for
 * every database, with `insertPerson`, `linkPersonToSlotByUid` and `vacateSlotByUid`) on a runtime whose
 * `unitOfWork` is `createMysqlUnitOfWork` over tables under `prefix` (checked; the unit's prefix is used).
 *
 * @example
 * ```ts
 * const unitOfWork = createMysqlUnitOfWork({ pool, prefix, tables: CRM_STATE_TABLES });
 * const crm = createCrmCommands({ runtime: { unitOfWork, registry, clock: systemClock, ids: uuidV7Ids }, prefix });
 * const r = await crm.insertCompanyWithSlots({ name: 'Acme', website: 'acme.com' }, { actor });
 * if (r.ok) console.log(r.value.result, r.value.companyUid);
 * ```
 */
export function createCrmCommands(options: {
  readonly runtime: CommandRuntime;
  readonly prefix: string;
}): CrmCommands {
  parseInput(tablePrefixSchema, (options as { prefix?: unknown } | null)?.prefix, 'table prefix');
  return createOnSeam({ runtime: options.runtime });
}
