import { z } from 'zod';
import { type Instant, instantSchema } from '../../kernel/index.js';
import { type MilestoneId, milestoneIdSchema, type ProjectId, projectIdSchema, type TaskId } from '../ids.js';
import type { ProjectStatus } from '../project/state.js';

/** Defines a milestone of a project (from the WBS at acceptance, or added during delivery with 0 sold). */
export interface DefineMilestone {
  readonly type: 'define';
  readonly milestoneId: MilestoneId;
  readonly projectId: ProjectId;
  readonly name: string;
  readonly description: string | null;
  readonly sequence: number;
  readonly soldMinutes: number;
  readonly sourceRef: string | null;
  readonly at: Instant;
}

/** What an edit may send; `soldMinutes` is accepted only to be refused with its numbers. */
export interface MilestoneUpdateRequest {
  readonly name?: string;
  readonly description?: string | null;
  readonly sequence?: number;
  readonly soldMinutes?: number;
}

/** Refines (renames, resequences) a milestone; a command that changes nothing emits nothing. */
export interface UpdateMilestone {
  readonly type: 'update';
  readonly changes: MilestoneUpdateRequest;
}
/** defined → active. */
export interface ActivateMilestone {
  readonly type: 'activate';
  readonly at: Instant;
}
/** active → completed: every task of it completed or cancelled; planned and actual minutes frozen. */
export interface CompleteMilestone {
  readonly type: 'complete';
  readonly at: Instant;
}
/** completed → archived. */
export interface ArchiveMilestone {
  readonly type: 'archive';
  readonly at: Instant;
}

/** Every milestone command. */
export type MilestoneCommand =
  | DefineMilestone
  | UpdateMilestone
  | ActivateMilestone
  | CompleteMilestone
  | ArchiveMilestone;

/** One task of the milestone as loaded by the application. */
export interface MilestoneTaskFact {
  readonly taskId: TaskId;
  readonly status: 'planned' | 'in_progress' | 'completed' | 'cancelled' | 'archived';
  readonly estimatedMinutes: number;
}

/**
 * What milestone decisions need: `projectStatus` for `define`; `tasks` and `actualMinutes` (time booked
 * on its tasks) for `complete`.
 */
export interface MilestoneFacts {
  readonly projectStatus?: ProjectStatus;
  readonly tasks?: readonly MilestoneTaskFact[];
  readonly actualMinutes?: number;
}

const name = z.string().trim().min(1).max(255);
const description = z.string().trim().min(1).max(5000).nullable();
const sequence = z.number().int().min(1).max(100_000);

/**
 * Zod schema of a {@link MilestoneCommand}.
 *
 * @example `const command = parseInput(milestoneCommandSchema, raw, 'milestone command');`
 */
export const milestoneCommandSchema: z.ZodType<MilestoneCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('define'),
    milestoneId: milestoneIdSchema,
    projectId: projectIdSchema,
    name,
    description: description.default(null),
    sequence,
    soldMinutes: z.number().int().min(0).default(0),
    sourceRef: z.string().min(1).max(300).nullable().default(null),
    at: instantSchema,
  }),
  z.object({
    type: z.literal('update'),
    changes: z
      .object({
        name: name.exactOptional(),
        description: description.exactOptional(),
        sequence: sequence.exactOptional(),
        soldMinutes: z.number().int().min(0).exactOptional(),
      })
      .strict(),
  }),
  z.object({ type: z.literal('activate'), at: instantSchema }),
  z.object({ type: z.literal('complete'), at: instantSchema }),
  z.object({ type: z.literal('archive'), at: instantSchema }),
]);
