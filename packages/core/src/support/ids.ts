import type { z } from 'zod';
import { type Brand, type IdGenerator, idSchema } from '../kernel/index.js';

/** Surrogate id of a ticket (UUIDv7); also its stream id. */
export type TicketId = Brand<string, 'TicketId'>;
/** Surrogate id of one SLA definition version (UUIDv7); also its stream id. */
export type SlaDefinitionId = Brand<string, 'SlaDefinitionId'>;
/** Surrogate id of one SLA assignment (a ticket's binding and clock; UUIDv7); also its stream id. */
export type SlaAssignmentId = Brand<string, 'SlaAssignmentId'>;
/** Id of a customer (a CRM company). The same brand as the CRM's `CompanyId`. */
export type CustomerId = Brand<string, 'CompanyId'>;
/** Id of a customer site. */
export type SiteId = Brand<string, 'SiteId'>;
/** Id of a delivery project (the delivery context's brand). */
export type ProjectId = Brand<string, 'ProjectId'>;
/** Id of a contract (the commercial context's binding of a sale), the source of most SLA bindings. */
export type ContractId = Brand<string, 'ContractId'>;

/** Zod schema of a {@link TicketId}. @example `ticketIdSchema.parse(id)` */
export const ticketIdSchema: z.ZodType<TicketId, string> = idSchema<'TicketId'>();
/** Zod schema of a {@link SlaDefinitionId}. @example `slaDefinitionIdSchema.parse(id)` */
export const slaDefinitionIdSchema: z.ZodType<SlaDefinitionId, string> = idSchema<'SlaDefinitionId'>();
/** Zod schema of a {@link SlaAssignmentId}. @example `slaAssignmentIdSchema.parse(id)` */
export const slaAssignmentIdSchema: z.ZodType<SlaAssignmentId, string> = idSchema<'SlaAssignmentId'>();
/** Zod schema of a {@link CustomerId}. @example `customerIdSchema.parse(id)` */
export const customerIdSchema: z.ZodType<CustomerId, string> = idSchema<'CompanyId'>();
/** Zod schema of a {@link SiteId}. @example `siteIdSchema.parse(id)` */
export const siteIdSchema: z.ZodType<SiteId, string> = idSchema<'SiteId'>();
/** Zod schema of a {@link ProjectId}. @example `projectIdSchema.parse(id)` */
export const projectIdSchema: z.ZodType<ProjectId, string> = idSchema<'ProjectId'>();
/** Zod schema of a {@link ContractId}. @example `contractIdSchema.parse(id)` */
export const contractIdSchema: z.ZodType<ContractId, string> = idSchema<'ContractId'>();

/*
 * Typed id factories, one per aggregate: a new id from the host's {@link IdGenerator} (UUIDv7 in
 * production), already branded, so user code needs no cast.
 */

/**
 * A new {@link TicketId} for a ticket, from the host's id generator (no cast needed).
 *
 * @example `const ticketId = Support.newTicketId(ids);`
 */
export function newTicketId(ids: IdGenerator): TicketId {
  return ids.next() as TicketId;
}

/**
 * A new {@link SlaDefinitionId} for an SLA definition, from the host's id generator (no cast needed).
 *
 * @example `const slaDefinitionId = Support.newSlaDefinitionId(ids);`
 */
export function newSlaDefinitionId(ids: IdGenerator): SlaDefinitionId {
  return ids.next() as SlaDefinitionId;
}

/**
 * A new {@link SlaAssignmentId} for an SLA assignment, from the host's id generator (no cast needed).
 *
 * @example `const slaAssignmentId = Support.newSlaAssignmentId(ids);`
 */
export function newSlaAssignmentId(ids: IdGenerator): SlaAssignmentId {
  return ids.next() as SlaAssignmentId;
}
