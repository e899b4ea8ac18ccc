import { z } from 'zod';
import { type IsoDate, isoDateSchema } from '../../identity/ids.js';
import { type Instant, instantSchema, type Money, moneySchema } from '../../kernel/index.js';
import { type ProjectId, projectIdSchema, refSchema, type TaskId, type VarianceId } from '../ids.js';
import type { VarianceFact } from '../sold-bounds.js';
import { type ProjectKind, projectKindSchema } from './events.js';

/**
 * Creates a project: `sold` from a sale (customer, quote and sale named, sold constraints apply, sold
 * minutes and value given), or manual (`internal | presales | retrospective`, no sale) declaring whether
 * sold constraints apply (then with a sold budget) or not.
 */
export interface CreateProject {
  readonly type: 'create';
  readonly projectId: ProjectId;
  readonly kind: ProjectKind;
  readonly name: string;
  readonly customerId: string | null;
  readonly siteId: string | null;
  readonly sourceQuoteId: string | null;
  readonly saleId: string | null;
  readonly soldConstraintsApply: boolean;
  readonly soldMinutes: number | null;
  readonly soldValue: Money | null;
  readonly startDate: IsoDate | null;
  readonly endDate: IsoDate | null;
  readonly at: Instant;
}

/**
 * What an edit form may send. Only `name`, `startDate` and `endDate` may change; sold values, the
 * customer, the site, the source and `soldConstraintsApply` are accepted here only to be refused with
 * their numbers (a project manager never raises sold).
 */
export interface ProjectUpdateRequest {
  readonly name?: string;
  readonly startDate?: IsoDate | null;
  readonly endDate?: IsoDate | null;
  readonly soldMinutes?: number | null;
  readonly soldValue?: Money | null;
  readonly customerId?: string | null;
  readonly siteId?: string | null;
  readonly sourceQuoteId?: string | null;
  readonly saleId?: string | null;
  readonly soldConstraintsApply?: boolean;
}

/** Refines a project; a command that changes nothing emits nothing. */
export interface UpdateProject {
  readonly type: 'update';
  readonly changes: ProjectUpdateRequest;
}
/** created → planned (needs at least one task). */
export interface PlanProject {
  readonly type: 'plan';
  readonly at: Instant;
}
/** planned → active, once work has started (a task started or time booked): status follows the work. */
export interface ActivateProject {
  readonly type: 'activate';
  readonly at: Instant;
}
/** active → completed: every task completed or cancelled, no open variance. */
export interface CompleteProject {
  readonly type: 'complete';
  readonly at: Instant;
}
/** created | planned | active → cancelled. */
export interface CancelProject {
  readonly type: 'cancel';
  readonly reason: string;
  readonly at: Instant;
}
/** completed | cancelled → archived. */
export interface ArchiveProject {
  readonly type: 'archive';
  readonly at: Instant;
}

/** Every project command (no delete: projects are archived, never deleted). */
export type ProjectCommand =
  | CreateProject
  | UpdateProject
  | PlanProject
  | ActivateProject
  | CompleteProject
  | CancelProject
  | ArchiveProject;

/** A project task's status as loaded by the application. */
export interface ProjectTaskFact {
  readonly taskId: TaskId;
  readonly status: 'planned' | 'in_progress' | 'completed' | 'cancelled' | 'archived';
}

/**
 * What project decisions need: `tasks` (the project's tasks) for `plan`, `activate` and `complete`;
 * `actualMinutes` (time booked on the project) for `activate`; `variances` (the project's variances) for
 * `complete`; `activeBaselineVersion` to put in refusals of sold edits.
 */
export interface ProjectFacts {
  readonly tasks?: readonly ProjectTaskFact[];
  readonly actualMinutes?: number;
  readonly variances?: readonly VarianceFact[];
  readonly activeBaselineVersion?: number | null;
}

/** An open variance as a refusal lists it. */
export interface OpenVarianceDetail {
  readonly varianceId: VarianceId;
  readonly varianceType: VarianceFact['varianceType'];
  readonly milestoneId: VarianceFact['milestoneId'];
  readonly sold: number;
  readonly observed: number;
  readonly delta: number;
  readonly baselineVersion: number;
}

const name = z.string().trim().min(1).max(255);
const ref = refSchema.nullable();

/**
 * Zod schema of a {@link ProjectCommand}.
 *
 * @example `const command = parseInput(projectCommandSchema, raw, 'project command');`
 */
export const projectCommandSchema: z.ZodType<ProjectCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('create'),
    projectId: projectIdSchema,
    kind: projectKindSchema,
    name,
    customerId: ref,
    siteId: ref.default(null),
    sourceQuoteId: ref.default(null),
    saleId: ref.default(null),
    soldConstraintsApply: z.boolean(),
    soldMinutes: z.number().int().min(0).nullable().default(null),
    soldValue: moneySchema.nullable().default(null),
    startDate: isoDateSchema.nullable().default(null),
    endDate: isoDateSchema.nullable().default(null),
    at: instantSchema,
  }),
  z.object({
    type: z.literal('update'),
    changes: z
      .object({
        name: name.exactOptional(),
        startDate: isoDateSchema.nullable().exactOptional(),
        endDate: isoDateSchema.nullable().exactOptional(),
        soldMinutes: z.number().int().min(0).nullable().exactOptional(),
        soldValue: moneySchema.nullable().exactOptional(),
        customerId: ref.exactOptional(),
        siteId: ref.exactOptional(),
        sourceQuoteId: ref.exactOptional(),
        saleId: ref.exactOptional(),
        soldConstraintsApply: z.boolean().exactOptional(),
      })
      .strict(),
  }),
  z.object({ type: z.literal('plan'), at: instantSchema }),
  z.object({ type: z.literal('activate'), at: instantSchema }),
  z.object({ type: z.literal('complete'), at: instantSchema }),
  z.object({ type: z.literal('cancel'), reason: z.string().trim().min(1).max(2000), at: instantSchema }),
  z.object({ type: z.literal('archive'), at: instantSchema }),
]);
