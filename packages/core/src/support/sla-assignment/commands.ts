import { z } from 'zod';
import type { BusinessCalendar } from '../../calendar/index.js';
import { type Instant, instantSchema } from '../../kernel/index.js';
import {
  type ContractId,
  contractIdSchema,
  type SlaAssignmentId,
  type SlaDefinitionId,
  slaAssignmentIdSchema,
  type TicketId,
  ticketIdSchema,
} from '../ids.js';
import type { SlaDefinitionStatus } from '../sla-definition/state.js';
import type { SlaTerms } from '../sla-definition/terms.js';

/** Where a binding comes from: the contract's SLA, the customer's default, an explicit choice. */
export type SlaBindingSource = 'contract' | 'customer' | 'explicit';

/**
 * Binds a ticket to one SLA version: freezes its targets, thresholds and a snapshot of its calendar.
 * The clocks start at `startedAt` (the ticket's opening); `at` is when the binding is recorded.
 */
export interface BindSla {
  readonly type: 'bind';
  readonly assignmentId: SlaAssignmentId;
  readonly ticketId: TicketId;
  readonly contractId: ContractId | null;
  readonly source: SlaBindingSource;
  readonly startedAt: Instant;
  readonly at: Instant;
}

/** Records that the ticket explicitly has no SLA (applicability stays explicit), with a reason. */
export interface OptOutOfSla {
  readonly type: 'opt_out';
  readonly assignmentId: SlaAssignmentId;
  readonly ticketId: TicketId;
  readonly reason: string;
  readonly at: Instant;
}

/** Evaluates the clocks at `now`: warnings, breaches and escalations that are due, each exactly once. */
export interface EvaluateSla {
  readonly type: 'evaluate';
  readonly now: Instant;
}

/**
 * Clock changes driven by the ticket: `pause` (waiting on the customer / pending), `resume`, `respond`
 * (first response: the response target is met), `resolve` (both targets stop), `reopen` (a resolved
 * ticket opened again: the resolution clock continues from its elapsed time), `unbind` (the SLA is
 * removed or replaced by a ChangeOrder; the row stays, inactive).
 */
export interface ChangeSlaClock {
  readonly type: 'pause' | 'resume' | 'respond' | 'resolve' | 'reopen' | 'unbind';
  readonly at: Instant;
}

/** Any attempt to edit, dismiss or delete a recorded breach; always refused (`SLA_BREACH_IMMUTABLE`). */
export interface AlterSlaBreach {
  readonly type: 'alter_breach';
  readonly action: 'edit' | 'dismiss' | 'delete';
}

/** Every SLA assignment command. */
export type SlaAssignmentCommand = BindSla | OptOutOfSla | EvaluateSla | ChangeSlaClock | AlterSlaBreach;

/** The SLA version a binding needs, as loaded by the application. */
export interface SlaVersionFact {
  readonly slaDefinitionId: SlaDefinitionId;
  readonly versionNumber: number;
  readonly status: SlaDefinitionStatus;
  readonly terms: SlaTerms;
}

/** What `bind` needs: the SLA version and the current version of its calendar. */
export interface SlaAssignmentFacts {
  readonly sla?: SlaVersionFact;
  readonly calendar?: BusinessCalendar;
}

/**
 * Zod schema of an {@link SlaAssignmentCommand}.
 *
 * @example
 * ```ts
 * const command = parseInput(slaAssignmentCommandSchema, raw, 'SLA assignment command');
 * ```
 */
export const slaAssignmentCommandSchema: z.ZodType<SlaAssignmentCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('bind'),
    assignmentId: slaAssignmentIdSchema,
    ticketId: ticketIdSchema,
    contractId: contractIdSchema.nullable().default(null),
    source: z.enum(['contract', 'customer', 'explicit']),
    startedAt: instantSchema,
    at: instantSchema,
  }),
  z.object({
    type: z.literal('opt_out'),
    assignmentId: slaAssignmentIdSchema,
    ticketId: ticketIdSchema,
    reason: z.string().trim().min(1, 'an opt-out needs a reason').max(1000),
    at: instantSchema,
  }),
  z.object({ type: z.literal('evaluate'), now: instantSchema }),
  z.object({
    type: z.enum(['pause', 'resume', 'respond', 'resolve', 'reopen', 'unbind']),
    at: instantSchema,
  }),
  z.object({ type: z.literal('alter_breach'), action: z.enum(['edit', 'dismiss', 'delete']) }),
]);
