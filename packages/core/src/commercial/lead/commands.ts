import { z } from 'zod';
import { type CompanyId, companyIdSchema } from '../../crm/ids.js';
import { type EmployeeId, employeeIdSchema, type TeamId, teamIdSchema } from '../../identity/ids.js';
import { type Instant, idSchema, instantSchema, type Money } from '../../kernel/index.js';
import {
  type LeadChanges,
  type LeadId,
  leadDescriptionSchema,
  leadEstimatedValueSchema,
  leadIdSchema,
  leadSourceSchema,
  leadSubjectSchema,
  malleableDataSchema,
  type OpportunityClass,
  opportunityClassSchema,
  type QualificationId,
  qualificationIdSchema,
} from './events.js';

/** Captures a lead; needs no customer. Malleable data binds to `schemaVersion` (the active one). */
export interface CreateLead {
  readonly type: 'create';
  readonly leadId: LeadId;
  readonly source: string;
  readonly subject: string;
  readonly description: string | null;
  readonly customerId: CompanyId | null;
  readonly ownerEmployeeId: EmployeeId | null;
  readonly teamId: TeamId | null;
  readonly schemaVersion: number | null;
  readonly data: Readonly<Record<string, unknown>>;
  /** The estimated deal value (minor units), when known. */
  readonly estimatedValue?: Money | null;
  /** The employee who captures the lead (the seam's workflow fills it from an employee actor). */
  readonly createdByEmployeeId?: EmployeeId | null;
  /** When (the application's clock; the seam's workflow fills it). Sets `updatedAt`. */
  readonly at?: Instant;
}
/** Edits a lead (until it is qualified or disqualified); unchanged fields are ignored. */
export interface UpdateLead {
  readonly type: 'update';
  readonly changes: LeadChanges;
  /** When (sets `updatedAt`). */
  readonly at?: Instant;
}
/** Marks the lead qualified (issued by the qualification workflow). */
export interface QualifyLead {
  readonly type: 'qualify';
  readonly qualificationId: QualificationId;
  readonly opportunityClass: OpportunityClass;
  readonly at?: Instant;
}
/** Marks the lead disqualified with a reason (issued by the qualification workflow). */
export interface DisqualifyLead {
  readonly type: 'disqualify';
  readonly qualificationId: QualificationId;
  readonly reason: string;
  readonly at?: Instant;
}
/**
 * qualified → converted: issued by the opportunity workflow when the first opportunity is created from
 * the lead, in the same unit of work (sets `convertedAt`).
 */
export interface ConvertLead {
  readonly type: 'convert';
  readonly opportunityId: string;
  readonly at?: Instant;
}
/** qualified | converted | disqualified → archived (sets `archivedAt`). */
export interface ArchiveLead {
  readonly type: 'archive';
  readonly at?: Instant;
}

/** Every lead command. */
export type LeadCommand = CreateLead | UpdateLead | QualifyLead | DisqualifyLead | ConvertLead | ArchiveLead;

/**
 * Zod schema of a {@link LeadCommand} (shape only; malleable data is checked by the decider against
 * the schema version given as facts).
 *
 * @example
 * ```ts
 * parseInput(leadCommandSchema, { type: 'create', leadId, source: 'web', subject: 'ERP rollout' }, 'lead command');
 * ```
 */
export const leadCommandSchema: z.ZodType<LeadCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('create'),
    leadId: leadIdSchema,
    source: leadSourceSchema,
    subject: leadSubjectSchema,
    description: leadDescriptionSchema.nullable().default(null),
    customerId: companyIdSchema.nullable().default(null),
    ownerEmployeeId: employeeIdSchema.nullable().default(null),
    teamId: teamIdSchema.nullable().default(null),
    schemaVersion: z.number().int().min(1).nullable().default(null),
    data: malleableDataSchema.default({}),
    estimatedValue: leadEstimatedValueSchema.nullable().exactOptional(),
    createdByEmployeeId: employeeIdSchema.nullable().exactOptional(),
    at: instantSchema.exactOptional(),
  }),
  z.object({
    type: z.literal('update'),
    changes: z
      .object({
        source: leadSourceSchema.exactOptional(),
        subject: leadSubjectSchema.exactOptional(),
        description: leadDescriptionSchema.nullable().exactOptional(),
        customerId: companyIdSchema.nullable().exactOptional(),
        ownerEmployeeId: employeeIdSchema.nullable().exactOptional(),
        teamId: teamIdSchema.nullable().exactOptional(),
        data: malleableDataSchema.exactOptional(),
        estimatedValue: leadEstimatedValueSchema.nullable().exactOptional(),
      })
      .strict(),
    at: instantSchema.exactOptional(),
  }),
  z.object({
    type: z.literal('qualify'),
    qualificationId: qualificationIdSchema,
    opportunityClass: opportunityClassSchema,
    at: instantSchema.exactOptional(),
  }),
  z.object({
    type: z.literal('disqualify'),
    qualificationId: qualificationIdSchema,
    reason: z.string().max(1000),
    at: instantSchema.exactOptional(),
  }),
  z.object({
    type: z.literal('convert'),
    opportunityId: idSchema<'OpportunityId'>() as unknown as z.ZodType<string>,
    at: instantSchema.exactOptional(),
  }),
  z.object({ type: z.literal('archive'), at: instantSchema.exactOptional() }),
]) as z.ZodType<LeadCommand>;
