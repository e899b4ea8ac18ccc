import { z } from 'zod';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
} from '../../kernel/index.js';
import { type MilestoneId, milestoneIdSchema, type ProjectId, projectIdSchema } from '../ids.js';

/**
 * The stream type of milestone streams (key of the `milestones` state table).
 *
 * @example `const definition: AggregateDefinition<MilestoneState> = { streamType: MILESTONE_STREAM_TYPE, … }`
 */
export const MILESTONE_STREAM_TYPE = 'milestone';

/** Payload of `delivery.milestone_defined` v1. */
export interface MilestoneDefinedPayload {
  readonly milestoneId: MilestoneId;
  readonly projectId: ProjectId;
  readonly name: string;
  readonly description: string | null;
  readonly sequence: number;
  /** Sold minutes of the milestone (Σ its sold tasks; 0 for a milestone added during delivery). Immutable. */
  readonly soldMinutes: number;
  /** The quote milestone it comes from (WBS ref), or null. */
  readonly sourceRef: string | null;
  readonly at: Instant;
}

/** The fields that may be refined. */
export interface MilestoneChanges {
  readonly name?: string;
  readonly description?: string | null;
  readonly sequence?: number;
}

/** Payload of `delivery.milestone_updated` v1: only the changed fields. */
export interface MilestoneUpdatedPayload {
  readonly milestoneId: MilestoneId;
  readonly projectId: ProjectId;
  readonly changes: MilestoneChanges;
}

/** Payload of `delivery.milestone_activated` v1 and `delivery.milestone_archived` v1. */
export interface MilestoneTransitionPayload {
  readonly milestoneId: MilestoneId;
  readonly projectId: ProjectId;
  readonly at: Instant;
}

/** Payload of `delivery.milestone_completed` v1: the cumulative values, frozen at completion. */
export interface MilestoneCompletedPayload {
  readonly milestoneId: MilestoneId;
  readonly projectId: ProjectId;
  readonly name: string;
  readonly soldMinutes: number;
  readonly plannedMinutes: number;
  readonly actualMinutes: number;
  readonly at: Instant;
}

const ids = { milestoneId: milestoneIdSchema, projectId: projectIdSchema };
const name = z.string().trim().min(1).max(255);
const description = z.string().trim().min(1).max(5000).nullable();
const minutes = z.number().int().min(0);
const sequence = z.number().int().min(1).max(100_000);

/**
 * `delivery.milestone_defined` v1.
 *
 * @example `milestoneDefined.payload.parse({ milestoneId, projectId, name: 'Build', description: null, sequence: 1, soldMinutes: 600, sourceRef: null, at })`
 */
export const milestoneDefined: EventDefinition<
  'delivery.milestone_defined',
  z.ZodType<MilestoneDefinedPayload>
> = defineEvent({
  type: 'delivery.milestone_defined',
  version: 1,
  payload: z.object({
    ...ids,
    name,
    description,
    sequence,
    soldMinutes: minutes,
    sourceRef: z.string().min(1).max(300).nullable(),
    at: instantSchema,
  }),
});

/**
 * `delivery.milestone_updated` v1.
 *
 * @example `milestoneUpdated.payload.parse({ milestoneId, projectId, changes: { sequence: 2 } })`
 */
export const milestoneUpdated: EventDefinition<
  'delivery.milestone_updated',
  z.ZodType<MilestoneUpdatedPayload>
> = defineEvent({
  type: 'delivery.milestone_updated',
  version: 1,
  payload: z.object({
    ...ids,
    changes: z
      .object({
        name: name.exactOptional(),
        description: description.exactOptional(),
        sequence: sequence.exactOptional(),
      })
      .refine((c) => Object.keys(c).length > 0, 'must change at least one field'),
  }),
});

const transition = z.object({ ...ids, at: instantSchema });

/**
 * `delivery.milestone_activated` v1: defined → active.
 *
 * @example `{ type: milestoneActivated.type, payload: { milestoneId, projectId, at } }`
 */
export const milestoneActivated: EventDefinition<
  'delivery.milestone_activated',
  z.ZodType<MilestoneTransitionPayload>
> = defineEvent({ type: 'delivery.milestone_activated', version: 1, payload: transition });

/**
 * `delivery.milestone_completed` v1 (spec §3): active → completed, values frozen.
 *
 * @example `if (e.type === milestoneCompleted.type) invoice(e.payload.milestoneId)`
 */
export const milestoneCompleted: EventDefinition<
  'delivery.milestone_completed',
  z.ZodType<MilestoneCompletedPayload>
> = defineEvent({
  type: 'delivery.milestone_completed',
  version: 1,
  payload: z.object({
    ...ids,
    name,
    soldMinutes: minutes,
    plannedMinutes: minutes,
    actualMinutes: minutes,
    at: instantSchema,
  }),
});

/**
 * `delivery.milestone_archived` v1: completed → archived.
 *
 * @example `{ type: milestoneArchived.type, payload: { milestoneId, projectId, at } }`
 */
export const milestoneArchived: EventDefinition<
  'delivery.milestone_archived',
  z.ZodType<MilestoneTransitionPayload>
> = defineEvent({ type: 'delivery.milestone_archived', version: 1, payload: transition });

/** Every event a milestone stream holds. */
export type MilestoneEvent =
  | EventOf<typeof milestoneDefined>
  | EventOf<typeof milestoneUpdated>
  | EventOf<typeof milestoneActivated>
  | EventOf<typeof milestoneCompleted>
  | EventOf<typeof milestoneArchived>;

/**
 * The milestone event definitions (current versions).
 *
 * @example `createEventRegistry({ events: milestoneEvents }).knownTypes()`
 */
export const milestoneEvents: readonly EventDefinition[] = [
  milestoneDefined,
  milestoneUpdated,
  milestoneActivated,
  milestoneCompleted,
  milestoneArchived,
];
