import { z } from 'zod';
import { type CompanyId, companyIdSchema } from '../../crm/ids.js';
import { type EmployeeId, employeeIdSchema, type TeamId, teamIdSchema } from '../../identity/ids.js';
import {
  type BasisPoints,
  type Instant,
  instantSchema,
  type Money,
  probabilityBpSchema,
} from '../../kernel/index.js';
import { type LeadId, leadIdSchema, type OpportunityClass, opportunityClassSchema } from '../lead/events.js';
import { closeDateSchema, estimatedValueSchema, type OpportunityId, opportunityIdSchema } from './events.js';

/** Opens an opportunity from a qualified lead for a CRM company; the class comes from the lead. */
export interface CreateOpportunity {
  readonly type: 'create';
  readonly opportunityId: OpportunityId;
  readonly leadId: LeadId;
  readonly customerId: CompanyId;
  readonly probabilityBp: BasisPoints;
  readonly estimatedValue: Money;
  readonly ownerEmployeeId: EmployeeId | null;
  readonly teamId: TeamId | null;
  /** When the deal is expected to close, `YYYY-MM-DD` (optional). */
  readonly expectedCloseDate?: string | null;
}
/** Sets, moves or clears the expected close date (`YYYY-MM-DD`) of an open opportunity. */
export interface ChangeOpportunityCloseDate {
  readonly type: 'change_close_date';
  readonly expectedCloseDate: string | null;
}
/** Changes the class (an explicit reclassification). */
export interface ClassifyOpportunity {
  readonly type: 'classify';
  readonly opportunityClass: OpportunityClass;
}
/** Changes the probability (basis points, 0–10000). */
export interface ChangeOpportunityProbability {
  readonly type: 'change_probability';
  readonly probabilityBp: BasisPoints;
}
/** Changes the estimated value (same currency). */
export interface ChangeOpportunityValue {
  readonly type: 'change_value';
  readonly estimatedValue: Money;
}
/** Moves to the next open stage (open → proposal → negotiation). */
export interface AdvanceOpportunity {
  readonly type: 'advance';
  readonly to: 'proposal' | 'negotiation';
}
/** Wins it (optionally naming the accepted quote). */
export interface WinOpportunity {
  readonly type: 'win';
  readonly quoteId: string | null;
}
/** Loses it, with a reason. */
export interface LoseOpportunity {
  readonly type: 'lose';
  readonly reason: string;
}
/** won | lost → archived (`at`, the application's clock, sets `archivedAt`; the seam's workflow fills it). */
export interface ArchiveOpportunity {
  readonly type: 'archive';
  readonly at?: Instant;
}

/** Every opportunity command. */
export type OpportunityCommand =
  | CreateOpportunity
  | ClassifyOpportunity
  | ChangeOpportunityProbability
  | ChangeOpportunityValue
  | ChangeOpportunityCloseDate
  | AdvanceOpportunity
  | WinOpportunity
  | LoseOpportunity
  | ArchiveOpportunity;

/**
 * Zod schema of an {@link OpportunityCommand} (shape only).
 *
 * @example
 * ```ts
 * parseInput(opportunityCommandSchema, { type: 'change_probability', probabilityBp: 4000 }, 'command');
 * ```
 */
export const opportunityCommandSchema: z.ZodType<OpportunityCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('create'),
    opportunityId: opportunityIdSchema,
    leadId: leadIdSchema,
    customerId: companyIdSchema,
    probabilityBp: probabilityBpSchema,
    estimatedValue: estimatedValueSchema,
    ownerEmployeeId: employeeIdSchema.nullable().default(null),
    teamId: teamIdSchema.nullable().default(null),
    expectedCloseDate: closeDateSchema.nullable().exactOptional(),
  }),
  z.object({ type: z.literal('change_close_date'), expectedCloseDate: closeDateSchema.nullable() }),
  z.object({ type: z.literal('classify'), opportunityClass: opportunityClassSchema }),
  z.object({ type: z.literal('change_probability'), probabilityBp: probabilityBpSchema }),
  z.object({ type: z.literal('change_value'), estimatedValue: estimatedValueSchema }),
  z.object({ type: z.literal('advance'), to: z.enum(['proposal', 'negotiation']) }),
  z.object({ type: z.literal('win'), quoteId: z.string().min(1).max(64).nullable().default(null) }),
  z.object({ type: z.literal('lose'), reason: z.string().max(1000) }),
  z.object({ type: z.literal('archive'), at: instantSchema.exactOptional() }),
]) as z.ZodType<OpportunityCommand>;
