import { z } from 'zod';
import { type CompanyId, companyIdSchema } from '../../crm/ids.js';
import { type EmployeeId, employeeIdSchema, type TeamId, teamIdSchema } from '../../identity/ids.js';
import {
  type Brand,
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  idSchema,
  instantSchema,
  type Money,
  moneySchema,
} from '../../kernel/index.js';

/** Id of a lead (UUIDv7); also its stream id. */
export type LeadId = Brand<string, 'LeadId'>;
/** Id of a qualification (UUIDv7); also its stream id. */
export type QualificationId = Brand<string, 'QualificationId'>;
/** Zod schema of a {@link LeadId}. @example `leadIdSchema.parse(id)` */
export const leadIdSchema: z.ZodType<LeadId, string> = idSchema<'LeadId'>();
/** Zod schema of a {@link QualificationId}. @example `qualificationIdSchema.parse(id)` */
export const qualificationIdSchema: z.ZodType<QualificationId, string> = idSchema<'QualificationId'>();

/** Opportunity class set by a qualification: caps pre-sales effort and quote depth. */
export type OpportunityClass = 'gold' | 'silver' | 'bronze';
/** The opportunity classes, best first. @example `OPPORTUNITY_CLASSES[0] // 'gold'` */
export const OPPORTUNITY_CLASSES: readonly OpportunityClass[] = ['gold', 'silver', 'bronze'];
/** Zod schema of an {@link OpportunityClass}. @example `opportunityClassSchema.parse('gold')` */
export const opportunityClassSchema: z.ZodType<OpportunityClass> = z.enum(['gold', 'silver', 'bronze']);

/**
 * The stream type of lead streams (key of the `leads` state table).
 *
 * @example
 * ```ts
 * const def: AggregateDefinition<LeadState> = {
 *   streamType: LEAD_STREAM_TYPE, // 'lead'
 *   initialState: initialLeadState, encode, decode,
 * };
 * ```
 */
export const LEAD_STREAM_TYPE = 'lead';

/** Lead source, e.g. `web`, `referral`, `apollo`. @example `leadSourceSchema.parse(' web ') // 'web'` */
export const leadSourceSchema: z.ZodType<string> = z.string().trim().min(1).max(50);
/** Subject line of a lead. @example `leadSubjectSchema.parse('Network refresh for 3 sites')` */
export const leadSubjectSchema: z.ZodType<string> = z.string().trim().min(1).max(255);
/**
 * Free-text description of a lead.
 *
 * @example
 * ```ts
 * leadDescriptionSchema.safeParse('x'.repeat(10_001)).success; // false
 * ```
 */
export const leadDescriptionSchema: z.ZodType<string> = z.string().max(10_000);
/**
 * Disqualification reason: required, trimmed, ≤ 1000 characters.
 *
 * @example
 * ```ts
 * reasonSchema.parse(' no budget '); // 'no budget'
 * ```
 */
export const reasonSchema: z.ZodType<string> = z.string().trim().min(1).max(1000);
/**
 * Malleable data as stored in events: field key → JSON value.
 *
 * @example
 * ```ts
 * malleableDataSchema.parse({ budget: 5000 });
 * ```
 */
export const malleableDataSchema: z.ZodType<Readonly<Record<string, unknown>>> = z.record(
  z.string().regex(/^[a-z0-9_]+$/),
  z.unknown(),
);

/**
 * A lead's estimated value: integer minor units (≥ 0) and an ISO-4217 currency.
 *
 * @example
 * ```ts
 * leadEstimatedValueSchema.parse({ amountMinor: 2_500_000, currency: 'EUR' });
 * ```
 */
export const leadEstimatedValueSchema: z.ZodType<Money> = (moneySchema as z.ZodType<Money>).refine(
  (m) => m.amountMinor >= 0 && Number.isSafeInteger(m.amountMinor),
  { message: 'must be a non-negative safe integer of minor units', path: ['amountMinor'] },
);

/**
 * Payload of `lead.created` v1 (contract fields plus `subject`, `description`, `data`; later optional
 * `estimatedValue`, `createdByEmployeeId` and `at`, absent from events written before them).
 */
export interface LeadCreatedPayload {
  readonly leadId: LeadId;
  readonly source: string;
  readonly customerId: CompanyId | null;
  readonly ownerEmployeeId: EmployeeId | null;
  readonly teamId: TeamId | null;
  readonly schemaVersion: number | null;
  readonly subject?: string;
  readonly description?: string | null;
  readonly data?: Readonly<Record<string, unknown>>;
  /** The estimated deal value, when known. */
  readonly estimatedValue?: Money | null;
  /** The employee who captured the lead. */
  readonly createdByEmployeeId?: EmployeeId | null;
  /** When the lead was captured (the application's clock). */
  readonly at?: Instant;
}

/** The editable fields of a lead; `lead.updated` carries only the changed ones. */
export interface LeadChanges {
  readonly source?: string;
  readonly subject?: string;
  readonly description?: string | null;
  readonly customerId?: CompanyId | null;
  readonly ownerEmployeeId?: EmployeeId | null;
  readonly teamId?: TeamId | null;
  /** The whole new malleable data (validated against the lead's own schema version). */
  readonly data?: Readonly<Record<string, unknown>>;
  /** The estimated deal value (null clears it). */
  readonly estimatedValue?: Money | null;
}

/** Payload of `lead.updated` v1 (`at` optional: absent from events written before it). */
export interface LeadUpdatedPayload {
  readonly leadId: LeadId;
  readonly changes: LeadChanges;
  readonly at?: Instant;
}
/** Payload of `lead.qualified` v1 (`at` optional). */
export interface LeadQualifiedPayload {
  readonly leadId: LeadId;
  readonly qualificationId: QualificationId;
  readonly opportunityClass: OpportunityClass;
  readonly at?: Instant;
}
/** Payload of `lead.disqualified` v1 (`at` optional). */
export interface LeadDisqualifiedPayload {
  readonly leadId: LeadId;
  readonly qualificationId: QualificationId;
  readonly reason: string;
  readonly at?: Instant;
}
/** Payload of `lead.converted` v1: the first opportunity created from the qualified lead. */
export interface LeadConvertedPayload {
  readonly leadId: LeadId;
  /** The opportunity whose creation converted the lead (an `OpportunityId`). */
  readonly opportunityId: string;
  readonly at?: Instant;
}
/** Payload of `lead.archived` v1 (`at` optional). */
export interface LeadArchivedPayload {
  readonly leadId: LeadId;
  readonly at?: Instant;
}

const changesSchema = z
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
  .strict();

/**
 * `lead.created` v1.
 *
 * @example
 * ```ts
 * registry.validateDraft({ type: leadCreated.type, schemaVersion: leadCreated.version, payload });
 * ```
 */
export const leadCreated: EventDefinition<'lead.created', z.ZodType<LeadCreatedPayload>> = defineEvent({
  type: 'lead.created',
  version: 1,
  payload: z.object({
    leadId: leadIdSchema,
    source: leadSourceSchema,
    customerId: companyIdSchema.nullable(),
    ownerEmployeeId: employeeIdSchema.nullable(),
    teamId: teamIdSchema.nullable(),
    schemaVersion: z.number().int().min(1).nullable(),
    subject: leadSubjectSchema.exactOptional(),
    description: leadDescriptionSchema.nullable().exactOptional(),
    data: malleableDataSchema.exactOptional(),
    estimatedValue: leadEstimatedValueSchema.nullable().exactOptional(),
    createdByEmployeeId: employeeIdSchema.nullable().exactOptional(),
    at: instantSchema.exactOptional(),
  }),
});

/**
 * `lead.updated` v1: only the changed fields.
 *
 * @example
 * ```ts
 * leadUpdated.payload.parse({ leadId, changes: { subject: 'Relaunch' } });
 * ```
 */
export const leadUpdated: EventDefinition<'lead.updated', z.ZodType<LeadUpdatedPayload>> = defineEvent({
  type: 'lead.updated',
  version: 1,
  payload: z.object({
    leadId: leadIdSchema,
    changes: changesSchema.refine((c) => Object.keys(c).length > 0, 'must change at least one field'),
    at: instantSchema.exactOptional(),
  }),
});

/**
 * `lead.qualified` v1.
 *
 * @example
 * ```ts
 * leadQualified.payload.parse({ leadId, qualificationId, opportunityClass: 'gold' });
 * ```
 */
export const leadQualified: EventDefinition<'lead.qualified', z.ZodType<LeadQualifiedPayload>> = defineEvent({
  type: 'lead.qualified',
  version: 1,
  payload: z.object({
    leadId: leadIdSchema,
    qualificationId: qualificationIdSchema,
    opportunityClass: opportunityClassSchema,
    at: instantSchema.exactOptional(),
  }),
});

/**
 * `lead.disqualified` v1.
 *
 * @example
 * ```ts
 * leadDisqualified.payload.parse({ leadId, qualificationId, reason: 'no budget' });
 * ```
 */
export const leadDisqualified: EventDefinition<
  'lead.disqualified',
  z.ZodType<LeadDisqualifiedPayload>
> = defineEvent({
  type: 'lead.disqualified',
  version: 1,
  payload: z.object({
    leadId: leadIdSchema,
    qualificationId: qualificationIdSchema,
    reason: reasonSchema,
    at: instantSchema.exactOptional(),
  }),
});

/**
 * `lead.converted` v1: the first opportunity was created from the qualified lead (in the same unit of
 * work as the opportunity).
 *
 * @example
 * ```ts
 * leadConverted.payload.parse({ leadId, opportunityId, at: clock.now() });
 * ```
 */
export const leadConverted: EventDefinition<'lead.converted', z.ZodType<LeadConvertedPayload>> = defineEvent({
  type: 'lead.converted',
  version: 1,
  payload: z.object({
    leadId: leadIdSchema,
    opportunityId: idSchema<'OpportunityId'>() as unknown as z.ZodType<string>,
    at: instantSchema.exactOptional(),
  }),
});

/** `lead.archived` v1. @example `leadArchived.type // 'lead.archived'` */
export const leadArchived: EventDefinition<'lead.archived', z.ZodType<LeadArchivedPayload>> = defineEvent({
  type: 'lead.archived',
  version: 1,
  payload: z.object({ leadId: leadIdSchema, at: instantSchema.exactOptional() }),
});

/** Every event a lead stream holds. */
export type LeadEvent =
  | EventOf<typeof leadCreated>
  | EventOf<typeof leadUpdated>
  | EventOf<typeof leadQualified>
  | EventOf<typeof leadDisqualified>
  | EventOf<typeof leadConverted>
  | EventOf<typeof leadArchived>;

/** The lead event definitions (current versions). @example `createEventRegistry({ events: leadEvents })` */
export const leadEvents: readonly EventDefinition[] = [
  leadCreated,
  leadUpdated,
  leadQualified,
  leadDisqualified,
  leadConverted,
  leadArchived,
];
