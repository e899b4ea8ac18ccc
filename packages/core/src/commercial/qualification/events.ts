import { z } from 'zod';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
} from '../../kernel/index.js';
import {
  type LeadId,
  leadIdSchema,
  malleableDataSchema,
  type OpportunityClass,
  opportunityClassSchema,
  type QualificationId,
  qualificationIdSchema,
  reasonSchema,
} from '../lead/events.js';

/**
 * The stream type of qualification streams (key of the `qualifications` state table).
 *
 * @example
 * ```ts
 * const def: AggregateDefinition<QualificationState> = {
 *   streamType: QUALIFICATION_STREAM_TYPE, // 'qualification'
 *   initialState: initialQualificationState, encode, decode,
 * };
 * ```
 */
export const QUALIFICATION_STREAM_TYPE = 'qualification';

/** Outcome of a completed qualification. */
export type QualificationOutcome = 'qualified' | 'disqualified';

/** Payload of `qualification.started` v1 (contract fields plus the malleable binding). */
export interface QualificationStartedPayload {
  readonly qualificationId: QualificationId;
  readonly leadId: LeadId;
  readonly schemaVersion?: number | null;
  readonly data?: Readonly<Record<string, unknown>>;
  /** When it started (absent from events written before it). */
  readonly at?: Instant;
}
/** Payload of `qualification.data_changed` v1: the whole new malleable data (while started). */
export interface QualificationDataChangedPayload {
  readonly qualificationId: QualificationId;
  readonly data: Readonly<Record<string, unknown>>;
}
/** Payload of `qualification.completed` v1. */
export interface QualificationCompletedPayload {
  readonly qualificationId: QualificationId;
  readonly leadId: LeadId;
  readonly outcome: QualificationOutcome;
  readonly opportunityClass: OpportunityClass | null;
  readonly reason: string | null;
  /** When it completed (absent from events written before it). */
  readonly at?: Instant;
}
/** Payload of `qualification.archived` v1. */
export interface QualificationArchivedPayload {
  readonly qualificationId: QualificationId;
}

/**
 * `qualification.started` v1.
 *
 * @example
 * ```ts
 * qualificationStarted.payload.parse({ qualificationId, leadId, schemaVersion: 1, data: { budget: 5000 } });
 * ```
 */
export const qualificationStarted: EventDefinition<
  'qualification.started',
  z.ZodType<QualificationStartedPayload>
> = defineEvent({
  type: 'qualification.started',
  version: 1,
  payload: z.object({
    qualificationId: qualificationIdSchema,
    leadId: leadIdSchema,
    schemaVersion: z.number().int().min(1).nullable().exactOptional(),
    data: malleableDataSchema.exactOptional(),
    at: instantSchema.exactOptional(),
  }),
});

/**
 * `qualification.data_changed` v1 (internal to the context).
 *
 * @example
 * ```ts
 * qualificationDataChanged.payload.parse({ qualificationId, data: { budget: 7500 } });
 * ```
 */
export const qualificationDataChanged: EventDefinition<
  'qualification.data_changed',
  z.ZodType<QualificationDataChangedPayload>
> = defineEvent({
  type: 'qualification.data_changed',
  version: 1,
  payload: z.object({ qualificationId: qualificationIdSchema, data: malleableDataSchema }),
});

/**
 * `qualification.completed` v1: qualified ⇒ class and no reason; disqualified ⇒ reason and no class.
 *
 * @example
 * ```ts
 * qualificationCompleted.payload.parse({
 *   qualificationId, leadId, outcome: 'qualified', opportunityClass: 'gold', reason: null,
 * });
 * ```
 */
export const qualificationCompleted: EventDefinition<
  'qualification.completed',
  z.ZodType<QualificationCompletedPayload>
> = defineEvent({
  type: 'qualification.completed',
  version: 1,
  payload: z
    .object({
      qualificationId: qualificationIdSchema,
      leadId: leadIdSchema,
      outcome: z.enum(['qualified', 'disqualified']),
      opportunityClass: opportunityClassSchema.nullable(),
      reason: reasonSchema.nullable(),
      at: instantSchema.exactOptional(),
    })
    .refine(
      (p) =>
        p.outcome === 'qualified'
          ? p.opportunityClass !== null && p.reason === null
          : p.opportunityClass === null && p.reason !== null,
      { message: 'qualified needs a class (no reason); disqualified a reason (no class)', path: ['outcome'] },
    ),
});

/** `qualification.archived` v1. @example `qualificationArchived.type // 'qualification.archived'` */
export const qualificationArchived: EventDefinition<
  'qualification.archived',
  z.ZodType<QualificationArchivedPayload>
> = defineEvent({
  type: 'qualification.archived',
  version: 1,
  payload: z.object({ qualificationId: qualificationIdSchema }),
});

/** Every event a qualification stream holds. */
export type QualificationEvent =
  | EventOf<typeof qualificationStarted>
  | EventOf<typeof qualificationDataChanged>
  | EventOf<typeof qualificationCompleted>
  | EventOf<typeof qualificationArchived>;

/**
 * The qualification event definitions (current versions).
 *
 * @example
 * ```ts
 * createEventRegistry({ events: qualificationEvents });
 * ```
 */
export const qualificationEvents: readonly EventDefinition[] = [
  qualificationStarted,
  qualificationDataChanged,
  qualificationCompleted,
  qualificationArchived,
];
