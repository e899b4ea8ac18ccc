import type { z } from 'zod';
import { type Brand, idSchema } from '../kernel/index.js';

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
