import { z } from 'zod';
import { type IsoDate, isoDateSchema } from '../../identity/ids.js';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
  type Money,
  moneySchema,
} from '../../kernel/index.js';
import { type ProjectId, projectIdSchema, refSchema } from '../ids.js';

/**
 * The stream type of project streams (key of the `projects` state table).
 *
 * @example `const definition: AggregateDefinition<ProjectState> = { streamType: PROJECT_STREAM_TYPE, … }`
 */
export const PROJECT_STREAM_TYPE = 'project';

/** Why a project exists: sold (from a sale), or manual (internal, pre-sales, retrospective). */
export type ProjectKind = 'sold' | 'internal' | 'presales' | 'retrospective';

/** Payload of `delivery.project_created` v1: every field of the new project (sold fields immutable). */
export interface ProjectCreatedPayload {
  readonly projectId: ProjectId;
  readonly kind: ProjectKind;
  readonly name: string;
  readonly customerId: string | null;
  readonly siteId: string | null;
  readonly sourceQuoteId: string | null;
  readonly saleId: string | null;
  /** Declared by every manual project; always true for a sold one. */
  readonly soldConstraintsApply: boolean;
  /** Sold minutes at creation (v1); null when sold constraints do not apply. */
  readonly soldMinutes: number | null;
  /** Sold value at creation (v1); null when sold constraints do not apply. */
  readonly soldValue: Money | null;
  readonly startDate: IsoDate | null;
  readonly endDate: IsoDate | null;
  readonly createdAt: Instant;
}

/** The fields a project manager may refine (sold values, customer and source are immutable). */
export interface ProjectChanges {
  readonly name?: string;
  readonly startDate?: IsoDate | null;
  readonly endDate?: IsoDate | null;
}

/** Payload of `project.updated` v1: only the fields that changed. */
export interface ProjectUpdatedPayload {
  readonly projectId: ProjectId;
  readonly changes: ProjectChanges;
}

/** Payload of the state-transition events (`project.planned|activated|completed|archived`). */
export interface ProjectTransitionPayload {
  readonly projectId: ProjectId;
  readonly at: Instant;
}

/** Payload of `project.cancelled` v1. */
export interface ProjectCancelledPayload {
  readonly projectId: ProjectId;
  readonly reason: string;
  readonly at: Instant;
}

const name = z.string().trim().min(1).max(255);
/** Zod schema of a {@link ProjectKind}. @example `projectKindSchema.parse('internal')` */
export const projectKindSchema: z.ZodType<ProjectKind> = z.enum([
  'sold',
  'internal',
  'presales',
  'retrospective',
]);
const changesSchema = z
  .object({
    name: name.exactOptional(),
    startDate: isoDateSchema.nullable().exactOptional(),
    endDate: isoDateSchema.nullable().exactOptional(),
  })
  .refine((c) => Object.keys(c).length > 0, 'must change at least one field');

/**
 * `delivery.project_created` v1.
 *
 * @example `if (e.type === projectCreated.type) console.log(e.payload.kind, e.payload.soldMinutes)`
 */
export const projectCreated: EventDefinition<
  'delivery.project_created',
  z.ZodType<ProjectCreatedPayload>
> = defineEvent({
  type: 'delivery.project_created',
  version: 1,
  payload: z.object({
    projectId: projectIdSchema,
    kind: projectKindSchema,
    name,
    customerId: refSchema.nullable(),
    siteId: refSchema.nullable(),
    sourceQuoteId: refSchema.nullable(),
    saleId: refSchema.nullable(),
    soldConstraintsApply: z.boolean(),
    soldMinutes: z.number().int().min(0).nullable(),
    soldValue: moneySchema.nullable(),
    startDate: isoDateSchema.nullable(),
    endDate: isoDateSchema.nullable(),
    createdAt: instantSchema,
  }),
});

/**
 * `project.updated` v1: only the changed fields.
 *
 * @example `projectUpdated.payload.parse({ projectId, changes: { name: 'Phase 2' } })`
 */
export const projectUpdated: EventDefinition<
  'project.updated',
  z.ZodType<ProjectUpdatedPayload>
> = defineEvent({
  type: 'project.updated',
  version: 1,
  payload: z.object({ projectId: projectIdSchema, changes: changesSchema }),
});

const transition = z.object({ projectId: projectIdSchema, at: instantSchema });
const defineTransition = <const T extends string>(type: T) =>
  defineEvent({ type, version: 1, payload: transition as z.ZodType<ProjectTransitionPayload> });

/** `project.planned` v1: created → planned. @example `{ type: projectPlanned.type, payload: { projectId, at } }` */
export const projectPlanned: EventDefinition<
  'project.planned',
  z.ZodType<ProjectTransitionPayload>
> = defineTransition('project.planned');
/** `project.activated` v1: planned → active. @example `{ type: projectActivated.type, payload: { projectId, at } }` */
export const projectActivated: EventDefinition<
  'project.activated',
  z.ZodType<ProjectTransitionPayload>
> = defineTransition('project.activated');
/** `project.completed` v1: active → completed (immutable from then on). @example `{ type: projectCompleted.type, payload: { projectId, at } }` */
export const projectCompleted: EventDefinition<
  'project.completed',
  z.ZodType<ProjectTransitionPayload>
> = defineTransition('project.completed');
/** `project.archived` v1: completed | cancelled → archived. @example `{ type: projectArchived.type, payload: { projectId, at } }` */
export const projectArchived: EventDefinition<
  'project.archived',
  z.ZodType<ProjectTransitionPayload>
> = defineTransition('project.archived');

/**
 * `project.cancelled` v1: created | planned | active → cancelled.
 *
 * @example `projectCancelled.payload.parse({ projectId, reason: 'customer withdrew', at })`
 */
export const projectCancelled: EventDefinition<
  'project.cancelled',
  z.ZodType<ProjectCancelledPayload>
> = defineEvent({
  type: 'project.cancelled',
  version: 1,
  payload: z.object({
    projectId: projectIdSchema,
    reason: z.string().trim().min(1).max(2000),
    at: instantSchema,
  }),
});

/** Every event a project stream holds. */
export type ProjectEvent =
  | EventOf<typeof projectCreated>
  | EventOf<typeof projectUpdated>
  | EventOf<typeof projectPlanned>
  | EventOf<typeof projectActivated>
  | EventOf<typeof projectCompleted>
  | EventOf<typeof projectCancelled>
  | EventOf<typeof projectArchived>;

/**
 * The project event definitions (current versions).
 *
 * @example `createEventRegistry({ events: projectEvents }).knownTypes()`
 */
export const projectEvents: readonly EventDefinition[] = [
  projectCreated,
  projectUpdated,
  projectPlanned,
  projectActivated,
  projectCompleted,
  projectCancelled,
  projectArchived,
];
