import { z } from 'zod';
import { type Instant, instantSchema } from '../../kernel/index.js';
import {
  type LeadId,
  leadIdSchema,
  malleableDataSchema,
  type OpportunityClass,
  opportunityClassSchema,
  type QualificationId,
  qualificationIdSchema,
} from '../lead/events.js';
import type { QualificationOutcome } from './events.js';

/** Starts qualifying an open lead; malleable data binds to `schemaVersion` (the active one). */
export interface StartQualification {
  readonly type: 'start';
  readonly qualificationId: QualificationId;
  readonly leadId: LeadId;
  readonly schemaVersion: number | null;
  readonly data: Readonly<Record<string, unknown>>;
  /** When it starts (the application's clock; the seam's workflow fills it). Sets `startedAt`. */
  readonly at?: Instant;
}
/** Replaces the malleable data (while started; required fields may still be missing). */
export interface ChangeQualificationData {
  readonly type: 'change_data';
  readonly data: Readonly<Record<string, unknown>>;
}
/** Completes explicitly: qualified (with a class) or disqualified (with a reason). */
export interface CompleteQualification {
  readonly type: 'complete';
  readonly outcome: QualificationOutcome;
  readonly opportunityClass: OpportunityClass | null;
  readonly reason: string | null;
  /** When it completes (the seam's workflow fills it). Sets `completedAt`. */
  readonly at?: Instant;
}
/** completed → archived. */
export interface ArchiveQualification {
  readonly type: 'archive';
}

/** Every qualification command. */
export type QualificationCommand =
  | StartQualification
  | ChangeQualificationData
  | CompleteQualification
  | ArchiveQualification;

/**
 * Zod schema of a {@link QualificationCommand} (shape only).
 *
 * @example
 * ```ts
 * parseInput(qualificationCommandSchema, { type: 'complete', outcome: 'qualified', opportunityClass: 'gold' }, 'command');
 * ```
 */
export const qualificationCommandSchema: z.ZodType<QualificationCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    qualificationId: qualificationIdSchema,
    leadId: leadIdSchema,
    schemaVersion: z.number().int().min(1).nullable().default(null),
    data: malleableDataSchema.default({}),
    at: instantSchema.exactOptional(),
  }),
  z.object({ type: z.literal('change_data'), data: malleableDataSchema }),
  z.object({
    type: z.literal('complete'),
    outcome: z.enum(['qualified', 'disqualified']),
    opportunityClass: opportunityClassSchema.nullable().default(null),
    reason: z.string().max(1000).nullable().default(null),
    at: instantSchema.exactOptional(),
  }),
  z.object({ type: z.literal('archive') }),
]) as z.ZodType<QualificationCommand>;
