import { z } from 'zod';
import { type Brand, type IdGenerator, idSchema } from '../kernel/index.js';

/** Surrogate id of an employee (UUIDv7); also the employee's stream id. */
export type EmployeeId = Brand<string, 'EmployeeId'>;
/** Surrogate id of a team (UUIDv7); also the team's stream id. */
export type TeamId = Brand<string, 'TeamId'>;
/** Surrogate id of one team membership (UUIDv7); also its stream id. */
export type TeamMembershipId = Brand<string, 'TeamMembershipId'>;
/** Surrogate id of one published org-structure version (UUIDv7); also its stream id. */
export type OrgStructureVersionId = Brand<string, 'OrgStructureVersionId'>;

/** Zod schema of an {@link EmployeeId}. @example `employeeIdSchema.parse(id)` */
export const employeeIdSchema: z.ZodType<EmployeeId, string> = idSchema<'EmployeeId'>();
/** Zod schema of a {@link TeamId}. @example `teamIdSchema.parse(id)` */
export const teamIdSchema: z.ZodType<TeamId, string> = idSchema<'TeamId'>();
/** Zod schema of a {@link TeamMembershipId}. @example `teamMembershipIdSchema.parse(id)` */
export const teamMembershipIdSchema: z.ZodType<TeamMembershipId, string> = idSchema<'TeamMembershipId'>();
/** Zod schema of an {@link OrgStructureVersionId}. @example `orgStructureVersionIdSchema.parse(id)` */
export const orgStructureVersionIdSchema: z.ZodType<OrgStructureVersionId, string> =
  idSchema<'OrgStructureVersionId'>();

/** A calendar date `YYYY-MM-DD` (no time zone), e.g. a hire date. */
export type IsoDate = Brand<string, 'IsoDate'>;

function isRealDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y, m - 1, d); // Date.UTC alone maps years 0–99 to 1900–1999
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Zod schema of an {@link IsoDate}: `YYYY-MM-DD` and a real calendar day. @example `isoDateSchema.parse('2026-02-28')` */
export const isoDateSchema: z.ZodType<IsoDate, string> = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD', abort: true })
  .refine(isRealDate, 'must be a real calendar date') as unknown as z.ZodType<IsoDate, string>;

/*
 * Typed id factories, one per aggregate: a new id from the host's {@link IdGenerator} (UUIDv7 in
 * production), already branded, so user code needs no cast.
 */

/**
 * A new {@link EmployeeId} for an employee, from the host's id generator (no cast needed).
 *
 * @example `const employeeId = Identity.newEmployeeId(ids);`
 */
export function newEmployeeId(ids: IdGenerator): EmployeeId {
  return ids.next() as EmployeeId;
}

/**
 * A new {@link TeamId} for a team, from the host's id generator (no cast needed).
 *
 * @example `const teamId = Identity.newTeamId(ids);`
 */
export function newTeamId(ids: IdGenerator): TeamId {
  return ids.next() as TeamId;
}

/**
 * A new {@link TeamMembershipId} for a team membership, from the host's id generator (no cast needed).
 *
 * @example `const teamMembershipId = Identity.newTeamMembershipId(ids);`
 */
export function newTeamMembershipId(ids: IdGenerator): TeamMembershipId {
  return ids.next() as TeamMembershipId;
}

/**
 * A new {@link OrgStructureVersionId} for an org-structure version, from the host's id generator (no cast needed).
 *
 * @example `const orgStructureVersionId = Identity.newOrgStructureVersionId(ids);`
 */
export function newOrgStructureVersionId(ids: IdGenerator): OrgStructureVersionId {
  return ids.next() as OrgStructureVersionId;
}
