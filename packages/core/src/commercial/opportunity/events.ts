import { z } from 'zod';
import { type CompanyId, companyIdSchema } from '../../crm/ids.js';
import { type EmployeeId, employeeIdSchema, type TeamId, teamIdSchema } from '../../identity/ids.js';
import {
  type BasisPoints,
  type Brand,
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  idSchema,
  instantSchema,
  type Money,
  moneySchema,
  probabilityBpSchema,
} from '../../kernel/index.js';
import {
  type LeadId,
  leadIdSchema,
  type OpportunityClass,
  opportunityClassSchema,
  type QualificationId,
  qualificationIdSchema,
  reasonSchema,
} from '../lead/events.js';

/** Id of an opportunity (UUIDv7); also its stream id. */
export type OpportunityId = Brand<string, 'OpportunityId'>;
/** Zod schema of an {@link OpportunityId}. @example `opportunityIdSchema.parse(id)` */
export const opportunityIdSchema: z.ZodType<OpportunityId, string> = idSchema<'OpportunityId'>();

/** Opportunity stages: open → proposal → negotiation → won | lost (won and lost are final). */
export type OpportunityStage = 'open' | 'proposal' | 'negotiation' | 'won' | 'lost';
/**
 * Every opportunity stage in pipeline order.
 *
 * @example
 * ```ts
 * OPPORTUNITY_STAGES.filter((s) => !isFinalStage(s)); // ['open', 'proposal', 'negotiation']
 * ```
 */
export const OPPORTUNITY_STAGES: readonly OpportunityStage[] = [
  'open',
  'proposal',
  'negotiation',
  'won',
  'lost',
];
const stageSchema = z.enum(['open', 'proposal', 'negotiation', 'won', 'lost']);

/**
 * The stream type of opportunity streams (key of the `opportunities` state table).
 *
 * @example
 * ```ts
 * const def: AggregateDefinition<OpportunityState> = {
 *   streamType: OPPORTUNITY_STREAM_TYPE, // 'opportunity'
 *   initialState: initialOpportunityState, encode, decode,
 * };
 * ```
 */
export const OPPORTUNITY_STREAM_TYPE = 'opportunity';

/** Estimated value: non-negative money. @example `estimatedValueSchema.parse(money(25_000_00, 'EUR'))` */
export const estimatedValueSchema: z.ZodType<Money> = (moneySchema as z.ZodType<Money>).refine(
  (m) => m.amountMinor >= 0 && Number.isSafeInteger(m.amountMinor),
  { message: 'must be a non-negative safe integer of minor units', path: ['amountMinor'] },
);

/**
 * A calendar date `YYYY-MM-DD` (an opportunity's expected close date).
 *
 * @example
 * ```ts
 * closeDateSchema.parse('2027-03-31');
 * ```
 */
export const closeDateSchema: z.ZodType<string> = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD');

/**
 * Payload of `opportunity.created` v1 (contract fields plus `qualificationId`; later optional
 * `expectedCloseDate`, absent from events written before it).
 */
export interface OpportunityCreatedPayload {
  readonly opportunityId: OpportunityId;
  readonly leadId: LeadId;
  readonly customerId: CompanyId;
  readonly opportunityClass: OpportunityClass;
  readonly probabilityBp: BasisPoints;
  readonly estimatedValue: Money;
  readonly ownerEmployeeId: EmployeeId | null;
  readonly teamId: TeamId | null;
  readonly qualificationId?: QualificationId;
  /** When the deal is expected to close, `YYYY-MM-DD`. */
  readonly expectedCloseDate?: string | null;
}
/** Payload of `opportunity.classified` v1. */
export interface OpportunityClassifiedPayload {
  readonly opportunityId: OpportunityId;
  readonly opportunityClass: OpportunityClass;
  readonly previous: OpportunityClass;
}
/** Payload of `opportunity.probability_changed` v1. */
export interface OpportunityProbabilityChangedPayload {
  readonly opportunityId: OpportunityId;
  readonly probabilityBp: BasisPoints;
  readonly previous: BasisPoints;
}
/** Payload of `opportunity.value_changed` v1. */
export interface OpportunityValueChangedPayload {
  readonly opportunityId: OpportunityId;
  readonly estimatedValue: Money;
  readonly previous: Money;
}
/** Payload of `opportunity.stage_changed` v1 (between the open stages). */
export interface OpportunityStageChangedPayload {
  readonly opportunityId: OpportunityId;
  readonly from: OpportunityStage;
  readonly to: OpportunityStage;
}
/** Payload of `opportunity.won` v1. */
export interface OpportunityWonPayload {
  readonly opportunityId: OpportunityId;
  readonly opportunityClass: OpportunityClass;
  readonly quoteId: string | null;
}
/** Payload of `opportunity.lost` v1. */
export interface OpportunityLostPayload {
  readonly opportunityId: OpportunityId;
  readonly opportunityClass: OpportunityClass;
  readonly reason: string;
}
/** Payload of `opportunity.archived` v1 (won | lost → archived; `at` absent from events written before it). */
export interface OpportunityArchivedPayload {
  readonly opportunityId: OpportunityId;
  readonly at?: Instant;
}
/** Payload of `opportunity.close_date_changed` v1. */
export interface OpportunityCloseDateChangedPayload {
  readonly opportunityId: OpportunityId;
  readonly expectedCloseDate: string | null;
  readonly previous: string | null;
}

/**
 * `opportunity.created` v1.
 *
 * @example
 * ```ts
 * registry.validateDraft({
 *   type: opportunityCreated.type, // 'opportunity.created'
 *   schemaVersion: opportunityCreated.version, // 1
 *   payload,
 * });
 * ```
 */
export const opportunityCreated: EventDefinition<
  'opportunity.created',
  z.ZodType<OpportunityCreatedPayload>
> = defineEvent({
  type: 'opportunity.created',
  version: 1,
  payload: z.object({
    opportunityId: opportunityIdSchema,
    leadId: leadIdSchema,
    customerId: companyIdSchema,
    opportunityClass: opportunityClassSchema,
    probabilityBp: probabilityBpSchema,
    estimatedValue: estimatedValueSchema,
    ownerEmployeeId: employeeIdSchema.nullable(),
    teamId: teamIdSchema.nullable(),
    qualificationId: qualificationIdSchema.exactOptional(),
    expectedCloseDate: closeDateSchema.nullable().exactOptional(),
  }),
});

/**
 * `opportunity.close_date_changed` v1: the expected close date moved (or was set or cleared).
 *
 * @example
 * ```ts
 * opportunityCloseDateChanged.payload.parse({ opportunityId, expectedCloseDate: '2027-03-31', previous: null });
 * ```
 */
export const opportunityCloseDateChanged: EventDefinition<
  'opportunity.close_date_changed',
  z.ZodType<OpportunityCloseDateChangedPayload>
> = defineEvent({
  type: 'opportunity.close_date_changed',
  version: 1,
  payload: z.object({
    opportunityId: opportunityIdSchema,
    expectedCloseDate: closeDateSchema.nullable(),
    previous: closeDateSchema.nullable(),
  }),
});

/**
 * `opportunity.classified` v1.
 *
 * @example
 * ```ts
 * opportunityClassified.payload.parse({ opportunityId, opportunityClass: 'gold', previous: 'silver' });
 * ```
 */
export const opportunityClassified: EventDefinition<
  'opportunity.classified',
  z.ZodType<OpportunityClassifiedPayload>
> = defineEvent({
  type: 'opportunity.classified',
  version: 1,
  payload: z.object({
    opportunityId: opportunityIdSchema,
    opportunityClass: opportunityClassSchema,
    previous: opportunityClassSchema,
  }),
});

/**
 * `opportunity.probability_changed` v1.
 *
 * @example
 * ```ts
 * opportunityProbabilityChanged.payload.parse({ opportunityId, probabilityBp: 6000, previous: 4000 });
 * ```
 */
export const opportunityProbabilityChanged: EventDefinition<
  'opportunity.probability_changed',
  z.ZodType<OpportunityProbabilityChangedPayload>
> = defineEvent({
  type: 'opportunity.probability_changed',
  version: 1,
  payload: z.object({
    opportunityId: opportunityIdSchema,
    probabilityBp: probabilityBpSchema,
    previous: probabilityBpSchema,
  }),
});

/**
 * `opportunity.value_changed` v1.
 *
 * @example
 * ```ts
 * opportunityValueChanged.payload.parse({
 *   opportunityId,
 *   estimatedValue: money(30_000_00, 'EUR'),
 *   previous: money(25_000_00, 'EUR'),
 * });
 * ```
 */
export const opportunityValueChanged: EventDefinition<
  'opportunity.value_changed',
  z.ZodType<OpportunityValueChangedPayload>
> = defineEvent({
  type: 'opportunity.value_changed',
  version: 1,
  payload: z.object({
    opportunityId: opportunityIdSchema,
    estimatedValue: estimatedValueSchema,
    previous: estimatedValueSchema,
  }),
});

/**
 * `opportunity.stage_changed` v1.
 *
 * @example
 * ```ts
 * opportunityStageChanged.payload.parse({ opportunityId, from: 'open', to: 'proposal' });
 * ```
 */
export const opportunityStageChanged: EventDefinition<
  'opportunity.stage_changed',
  z.ZodType<OpportunityStageChangedPayload>
> = defineEvent({
  type: 'opportunity.stage_changed',
  version: 1,
  payload: z.object({ opportunityId: opportunityIdSchema, from: stageSchema, to: stageSchema }),
});

/**
 * `opportunity.won` v1.
 *
 * @example
 * ```ts
 * opportunityWon.payload.parse({ opportunityId, opportunityClass: 'gold', quoteId });
 * ```
 */
export const opportunityWon: EventDefinition<
  'opportunity.won',
  z.ZodType<OpportunityWonPayload>
> = defineEvent({
  type: 'opportunity.won',
  version: 1,
  payload: z.object({
    opportunityId: opportunityIdSchema,
    opportunityClass: opportunityClassSchema,
    quoteId: z.string().min(1).max(64).nullable(),
  }),
});

/**
 * `opportunity.lost` v1.
 *
 * @example
 * ```ts
 * opportunityLost.payload.parse({ opportunityId, opportunityClass: 'silver', reason: 'chose a competitor' });
 * ```
 */
export const opportunityLost: EventDefinition<
  'opportunity.lost',
  z.ZodType<OpportunityLostPayload>
> = defineEvent({
  type: 'opportunity.lost',
  version: 1,
  payload: z.object({
    opportunityId: opportunityIdSchema,
    opportunityClass: opportunityClassSchema,
    reason: reasonSchema,
  }),
});

/** `opportunity.archived` v1. @example `opportunityArchived.type // 'opportunity.archived'` */
export const opportunityArchived: EventDefinition<
  'opportunity.archived',
  z.ZodType<OpportunityArchivedPayload>
> = defineEvent({
  type: 'opportunity.archived',
  version: 1,
  payload: z.object({ opportunityId: opportunityIdSchema, at: instantSchema.exactOptional() }),
});

/** Every event an opportunity stream holds. */
export type OpportunityEvent =
  | EventOf<typeof opportunityCreated>
  | EventOf<typeof opportunityClassified>
  | EventOf<typeof opportunityProbabilityChanged>
  | EventOf<typeof opportunityValueChanged>
  | EventOf<typeof opportunityStageChanged>
  | EventOf<typeof opportunityWon>
  | EventOf<typeof opportunityLost>
  | EventOf<typeof opportunityCloseDateChanged>
  | EventOf<typeof opportunityArchived>;

/**
 * The opportunity event definitions (current versions).
 *
 * @example
 * ```ts
 * createEventRegistry({ events: opportunityEvents });
 * ```
 */
export const opportunityEvents: readonly EventDefinition[] = [
  opportunityCreated,
  opportunityClassified,
  opportunityProbabilityChanged,
  opportunityValueChanged,
  opportunityStageChanged,
  opportunityWon,
  opportunityLost,
  opportunityCloseDateChanged,
  opportunityArchived,
];
