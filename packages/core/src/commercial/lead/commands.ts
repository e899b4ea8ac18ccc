import { z } from 'zod';
import { type CompanyId, companyIdSchema } from '../../crm/ids.js';
import { type EmployeeId, employeeIdSchema, type TeamId, teamIdSchema } from '../../identity/ids.js';
import {
  type LeadChanges,
  type LeadId,
  leadDescriptionSchema,
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
}
/** Edits a lead (until it is qualified or disqualified); unchanged fields are ignored. */
export interface UpdateLead {
  readonly type: 'update';
  readonly changes: LeadChanges;
}
/** Marks the lead qualified (issued by the qualification workflow). */
export interface QualifyLead {
  readonly type: 'qualify';
  readonly qualificationId: QualificationId;
  readonly opportunityClass: OpportunityClass;
}
/** Marks the lead disqualified with a reason (issued by the qualification workflow). */
export interface DisqualifyLead {
  readonly type: 'disqualify';
  readonly qualificationId: QualificationId;
  readonly reason: string;
}
/** qualified | disqualified → archived. */
export interface ArchiveLead {
  readonly type: 'archive';
}

/** Every lead command. */
export type LeadCommand = CreateLead | UpdateLead | QualifyLead | DisqualifyLead | ArchiveLead;

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
      })
      .strict(),
  }),
  z.object({
    type: z.literal('qualify'),
    qualificationId: qualificationIdSchema,
    opportunityClass: opportunityClassSchema,
  }),
  z.object({
    type: z.literal('disqualify'),
    qualificationId: qualificationIdSchema,
    reason: z.string().max(1000),
  }),
  z.object({ type: z.literal('archive') }),
]) as z.ZodType<LeadCommand>;
