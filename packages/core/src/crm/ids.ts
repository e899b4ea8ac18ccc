import type { z } from 'zod';
import { type Brand, type IdGenerator, idSchema } from '../kernel/index.js';

/** Surrogate id of a company (UUIDv7); also its stream id. The public reference is its `CompanyUid`. */
export type CompanyId = Brand<string, 'CompanyId'>;
/** Surrogate id of one company slot (UUIDv7); also its stream id. The public reference is its `SlotUid`. */
export type CompanySlotId = Brand<string, 'CompanySlotId'>;
/** Surrogate id of a person (UUIDv7); also its stream id. The public reference is its `PersonUid`. */
export type PersonId = Brand<string, 'PersonId'>;

/** Zod schema of a {@link CompanyId}. @example `companyIdSchema.parse(id)` */
export const companyIdSchema: z.ZodType<CompanyId, string> = idSchema<'CompanyId'>();
/** Zod schema of a {@link CompanySlotId}. @example `companySlotIdSchema.parse(id)` */
export const companySlotIdSchema: z.ZodType<CompanySlotId, string> = idSchema<'CompanySlotId'>();
/** Zod schema of a {@link PersonId}. @example `personIdSchema.parse(id)` */
export const personIdSchema: z.ZodType<PersonId, string> = idSchema<'PersonId'>();

/*
 * Typed id factories, one per aggregate: a new id from the host's {@link IdGenerator} (UUIDv7 in
 * production), already branded, so user code needs no cast.
 */

/**
 * A new {@link CompanyId} for a company, from the host's id generator (no cast needed).
 *
 * @example `const companyId = Crm.newCompanyId(ids);`
 */
export function newCompanyId(ids: IdGenerator): CompanyId {
  return ids.next() as CompanyId;
}

/**
 * A new {@link CompanySlotId} for a company slot, from the host's id generator (no cast needed).
 *
 * @example `const companySlotId = Crm.newCompanySlotId(ids);`
 */
export function newCompanySlotId(ids: IdGenerator): CompanySlotId {
  return ids.next() as CompanySlotId;
}

/**
 * A new {@link PersonId} for a person, from the host's id generator (no cast needed).
 *
 * @example `const personId = Crm.newPersonId(ids);`
 */
export function newPersonId(ids: IdGenerator): PersonId {
  return ids.next() as PersonId;
}
