import { z } from 'zod';
import { type BusinessCalendar, businessCalendarSchema } from '../../calendar/index.js';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
} from '../../kernel/index.js';
import {
  type ContractId,
  contractIdSchema,
  type SlaAssignmentId,
  type SlaDefinitionId,
  slaAssignmentIdSchema,
  slaDefinitionIdSchema,
  type TicketId,
  ticketIdSchema,
} from '../ids.js';
import type { SlaBindingSource } from './commands.js';

/**
 * The stream type of SLA assignments (one stream per binding: the `sla_assignments` row and its clock).
 *
 * @example `const definition: AggregateDefinition<SlaAssignmentState> = { streamType: SLA_ASSIGNMENT_STREAM_TYPE, … }`
 */
export const SLA_ASSIGNMENT_STREAM_TYPE = 'sla_assignment';

/** Which target a clock event is about. */
export type SlaTargetKind = 'response' | 'resolution';

/** Payload of `sla.bound` v1: the frozen SLA version, its calendar snapshot and the first due instants. */
export interface SlaBoundPayload {
  readonly assignmentId: SlaAssignmentId;
  readonly ticketId: TicketId;
  readonly contractId: ContractId | null;
  readonly source: SlaBindingSource;
  readonly slaDefinitionId: SlaDefinitionId;
  /** The real version (≥ 1, never 0). */
  readonly slaVersionNumber: number;
  readonly slaName: string;
  readonly responseTargetMinutes: number;
  readonly resolutionTargetMinutes: number;
  readonly warningThresholdBp: number;
  /** Thresholds of the enabled escalation rules in stage order (stage = index + 1). */
  readonly escalationThresholdsBp: readonly number[];
  readonly calendar: BusinessCalendar;
  readonly startedAt: Instant;
  readonly at: Instant;
  readonly responseDueAt: Instant;
  readonly resolutionDueAt: Instant;
}

/** Payload of `sla.opted_out` v1. */
export interface SlaOptedOutPayload {
  readonly assignmentId: SlaAssignmentId;
  readonly ticketId: TicketId;
  readonly reason: string;
  readonly at: Instant;
}

/**
 * Payload of the clock events (`sla.warning`, `sla.breached`, `sla.escalated`, `sla.paused`,
 * `sla.resumed`, `sla.responded`, `sla.resolved`) v1. `dueAt`: for a threshold event the instant the
 * threshold was reached; for the others the target's due instant as of the event (`null` while paused or
 * once the target has passed).
 */
export interface SlaClockPayload {
  readonly assignmentId: SlaAssignmentId;
  readonly ticketId: TicketId;
  readonly slaVersionNumber: number;
  readonly targetKind: SlaTargetKind;
  readonly at: Instant;
  readonly elapsedBusinessMinutes: number;
  readonly targetMinutes: number;
  readonly dueAt: Instant | null;
}

/** Payload of `sla.warning` and `sla.breached` v1 (`thresholdBp` 10 000 for a breach). */
export interface SlaThresholdPayload extends SlaClockPayload {
  readonly thresholdBp: number;
}

/** Payload of `sla.escalated` v1: one stage, once. */
export interface SlaEscalatedPayload extends SlaThresholdPayload {
  readonly stage: number;
}

/** Payload of `sla.resumed` v1: `reopened` when a resolved ticket was opened again (§8, decision). */
export interface SlaResumedPayload extends SlaClockPayload {
  readonly reopened: boolean;
}

/** Payload of `sla.unbound` v1: the SLA was removed or replaced; the row stays with `is_active = 0`. */
export interface SlaUnboundPayload {
  readonly assignmentId: SlaAssignmentId;
  readonly ticketId: TicketId;
  readonly slaVersionNumber: number;
  readonly at: Instant;
}

const bp = z.number().int().min(1).max(10_000);
const clock = z.object({
  assignmentId: slaAssignmentIdSchema,
  ticketId: ticketIdSchema,
  slaVersionNumber: z.number().int().min(1),
  targetKind: z.enum(['response', 'resolution']),
  at: instantSchema,
  elapsedBusinessMinutes: z.number().int().min(0),
  targetMinutes: z.number().int().min(1),
  dueAt: instantSchema.nullable(),
});

/** `sla.bound` v1. @example `slaBound.payload.parse(raw)` */
export const slaBound: EventDefinition<'sla.bound', z.ZodType<SlaBoundPayload>> = defineEvent({
  type: 'sla.bound',
  version: 1,
  payload: z.object({
    assignmentId: slaAssignmentIdSchema,
    ticketId: ticketIdSchema,
    contractId: contractIdSchema.nullable(),
    source: z.enum(['contract', 'customer', 'explicit']),
    slaDefinitionId: slaDefinitionIdSchema,
    slaVersionNumber: z.number().int().min(1, 'a binding names a real version (never 0)'),
    slaName: z.string().min(1),
    responseTargetMinutes: z.number().int().min(1),
    resolutionTargetMinutes: z.number().int().min(1),
    warningThresholdBp: bp,
    escalationThresholdsBp: z.array(bp),
    calendar: businessCalendarSchema,
    startedAt: instantSchema,
    at: instantSchema,
    responseDueAt: instantSchema,
    resolutionDueAt: instantSchema,
  }),
});

/** `sla.opted_out` v1. @example `slaOptedOut.payload.parse(raw)` */
export const slaOptedOut: EventDefinition<'sla.opted_out', z.ZodType<SlaOptedOutPayload>> = defineEvent({
  type: 'sla.opted_out',
  version: 1,
  payload: z.object({
    assignmentId: slaAssignmentIdSchema,
    ticketId: ticketIdSchema,
    reason: z.string().min(1),
    at: instantSchema,
  }),
});

/** `sla.warning` v1: the warning threshold reached, once per target. @example `slaWarning.type` */
export const slaWarning: EventDefinition<'sla.warning', z.ZodType<SlaThresholdPayload>> = defineEvent({
  type: 'sla.warning',
  version: 1,
  payload: clock.extend({ thresholdBp: bp }),
});

/** `sla.breached` v1: 100 % reached, once per target; never edited or dismissed. @example `slaBreached.type` */
export const slaBreached: EventDefinition<'sla.breached', z.ZodType<SlaThresholdPayload>> = defineEvent({
  type: 'sla.breached',
  version: 1,
  payload: clock.extend({ thresholdBp: bp }),
});

/** `sla.escalated` v1: one escalation stage, once. @example `slaEscalated.type` */
export const slaEscalated: EventDefinition<'sla.escalated', z.ZodType<SlaEscalatedPayload>> = defineEvent({
  type: 'sla.escalated',
  version: 1,
  payload: clock.extend({ thresholdBp: bp, stage: z.number().int().min(1) }),
});

/** `sla.paused` v1 (waiting on the customer / pending). @example `slaPaused.type` */
export const slaPaused: EventDefinition<'sla.paused', z.ZodType<SlaClockPayload>> = defineEvent({
  type: 'sla.paused',
  version: 1,
  payload: clock,
});

/** `sla.resumed` v1: the clock continues from its elapsed time. @example `slaResumed.type` */
export const slaResumed: EventDefinition<'sla.resumed', z.ZodType<SlaResumedPayload>> = defineEvent({
  type: 'sla.resumed',
  version: 1,
  payload: clock.extend({ reopened: z.boolean() }),
});

/** `sla.responded` v1: the response target's clock stops. @example `slaResponded.type` */
export const slaResponded: EventDefinition<'sla.responded', z.ZodType<SlaClockPayload>> = defineEvent({
  type: 'sla.responded',
  version: 1,
  payload: clock,
});

/** `sla.resolved` v1: the resolution clock stops. @example `slaResolved.type` */
export const slaResolved: EventDefinition<'sla.resolved', z.ZodType<SlaClockPayload>> = defineEvent({
  type: 'sla.resolved',
  version: 1,
  payload: clock,
});

/** `sla.unbound` v1. @example `slaUnbound.type` */
export const slaUnbound: EventDefinition<'sla.unbound', z.ZodType<SlaUnboundPayload>> = defineEvent({
  type: 'sla.unbound',
  version: 1,
  payload: z.object({
    assignmentId: slaAssignmentIdSchema,
    ticketId: ticketIdSchema,
    slaVersionNumber: z.number().int().min(1),
    at: instantSchema,
  }),
});

/** Every event an SLA assignment stream holds. */
export type SlaAssignmentEvent =
  | EventOf<typeof slaBound>
  | EventOf<typeof slaOptedOut>
  | EventOf<typeof slaWarning>
  | EventOf<typeof slaBreached>
  | EventOf<typeof slaEscalated>
  | EventOf<typeof slaPaused>
  | EventOf<typeof slaResumed>
  | EventOf<typeof slaResponded>
  | EventOf<typeof slaResolved>
  | EventOf<typeof slaUnbound>;

/** The SLA assignment event definitions. @example `createEventRegistry({ events: slaAssignmentEvents })` */
export const slaAssignmentEvents: readonly EventDefinition[] = [
  slaBound,
  slaOptedOut,
  slaWarning,
  slaBreached,
  slaEscalated,
  slaPaused,
  slaResumed,
  slaResponded,
  slaResolved,
  slaUnbound,
];
