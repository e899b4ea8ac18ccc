import { z } from 'zod';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
} from '../../kernel/index.js';
import { teamNameSchema } from '../fields.js';
import { type EmployeeId, employeeIdSchema, type TeamId, teamIdSchema } from '../ids.js';

/**
 * The stream type of team streams (and the key of the `teams` state table).
 *
 * @example `tables: { [TEAM_STREAM_TYPE]: 'teams' }`
 */
export const TEAM_STREAM_TYPE = 'team';

/** A team's picture: a built-in (`system`) one or an uploaded file, by reference. */
export interface TeamVisual {
  readonly kind: 'system' | 'upload';
  readonly ref: string;
}

/**
 * Zod schema of a {@link TeamVisual}.
 *
 * @example `teamVisualSchema.parse({ kind: 'upload', ref: ' logos/ops.png ' })` → `ref` trimmed
 */
export const teamVisualSchema: z.ZodType<TeamVisual> = z.object({
  kind: z.enum(['system', 'upload']),
  ref: z.string().trim().min(1, 'is required').max(255, 'must be at most 255 characters'),
});

/** Payload of `team.created` v1. `visualVersion` starts at 1. */
export interface TeamCreatedPayload {
  readonly teamId: TeamId;
  readonly name: string;
  readonly parentTeamId: TeamId | null;
  readonly managerId: EmployeeId | null;
  readonly escalationManagerId: EmployeeId | null;
  readonly visual: TeamVisual | null;
  readonly visualVersion: number;
}

/**
 * The changed fields of a `team.updated` event (only those that changed). A changed `visual` always
 * comes with the incremented `visualVersion`.
 */
export interface TeamChanges {
  readonly name?: string;
  readonly parentTeamId?: TeamId | null;
  readonly managerId?: EmployeeId | null;
  readonly escalationManagerId?: EmployeeId | null;
  readonly visual?: TeamVisual | null;
  readonly visualVersion?: number;
}

/** Payload of `team.updated` v1. */
export interface TeamUpdatedPayload {
  readonly teamId: TeamId;
  readonly changes: TeamChanges;
}

/** Payload of `team.archived` v1. */
export interface TeamArchivedPayload {
  readonly teamId: TeamId;
  readonly at: Instant;
}

/** `team.created` v1. @example `teamCreated.payload.parse(raw)` */
export const teamCreated: EventDefinition<'team.created', z.ZodType<TeamCreatedPayload>> = defineEvent({
  type: 'team.created',
  version: 1,
  payload: z.object({
    teamId: teamIdSchema,
    name: teamNameSchema,
    parentTeamId: teamIdSchema.nullable(),
    managerId: employeeIdSchema.nullable(),
    escalationManagerId: employeeIdSchema.nullable(),
    visual: teamVisualSchema.nullable(),
    visualVersion: z.number().int().min(1),
  }),
});

/**
 * `team.updated` v1: renamed, moved, managers or visual changed — only the changed fields.
 *
 * @example
 * ```ts
 * teamUpdated.payload.safeParse({ teamId, changes: { visual } }).success; // false: no visualVersion
 * ```
 */
export const teamUpdated: EventDefinition<'team.updated', z.ZodType<TeamUpdatedPayload>> = defineEvent({
  type: 'team.updated',
  version: 1,
  payload: z.object({
    teamId: teamIdSchema,
    changes: z
      .object({
        name: teamNameSchema.exactOptional(),
        parentTeamId: teamIdSchema.nullable().exactOptional(),
        managerId: employeeIdSchema.nullable().exactOptional(),
        escalationManagerId: employeeIdSchema.nullable().exactOptional(),
        visual: teamVisualSchema.nullable().exactOptional(),
        visualVersion: z.number().int().min(2).exactOptional(),
      })
      .refine((c) => Object.keys(c).length > 0, 'must change at least one field')
      .refine((c) => 'visual' in c === 'visualVersion' in c, 'visual and visualVersion change together'),
  }),
});

/**
 * `team.archived` v1: active → archived (terminal).
 *
 * @example `{ type: teamArchived.type, payload: { teamId, at: clock.now() } }`
 */
export const teamArchived: EventDefinition<'team.archived', z.ZodType<TeamArchivedPayload>> = defineEvent({
  type: 'team.archived',
  version: 1,
  payload: z.object({ teamId: teamIdSchema, at: instantSchema }),
});

/** Every event a team stream holds. */
export type TeamEvent =
  | EventOf<typeof teamCreated>
  | EventOf<typeof teamUpdated>
  | EventOf<typeof teamArchived>;

/** The team event definitions (current versions). @example `createEventRegistry({ events: teamEvents })` */
export const teamEvents: readonly EventDefinition[] = [teamCreated, teamUpdated, teamArchived];
