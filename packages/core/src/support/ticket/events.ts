import { z } from 'zod';
import { type EmployeeId, employeeIdSchema, type TeamId, teamIdSchema } from '../../identity/ids.js';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
} from '../../kernel/index.js';
import {
  type CustomerId,
  customerIdSchema,
  type ProjectId,
  projectIdSchema,
  type SiteId,
  siteIdSchema,
  type TicketId,
  ticketIdSchema,
} from '../ids.js';
import type { SlaApplicability, SplitChild, TicketKind, TicketLinkType, TicketPriority } from './commands.js';
import type { TicketOwner, TicketStatus } from './lifecycle.js';

/**
 * The stream type of tickets (and the key of the `tickets` table).
 *
 * @example `const definition: AggregateDefinition<TicketState> = { streamType: TICKET_STREAM_TYPE, … }`
 */
export const TICKET_STREAM_TYPE = 'ticket';

/** How the current assignment came about (the `assignment_mode` column). */
export type AssignmentMode = 'PREFERRED_PERSON' | 'TEAM_QUEUE_PULL' | 'MANAGER_ALLOCATED';

/** Payload of `ticket.created` v1. */
export interface TicketCreatedPayload {
  readonly ticketId: TicketId;
  readonly owner: TicketOwner;
  readonly status: TicketStatus;
  readonly customerId: CustomerId | null;
  readonly siteId: SiteId | null;
  readonly projectId: ProjectId | null;
  readonly subject: string;
  readonly priority: TicketPriority;
  readonly kind: TicketKind;
  readonly soldMinutes: number | null;
  readonly sla: SlaApplicability;
  readonly parentTicketId: TicketId | null;
  readonly rootTicketId: TicketId;
  readonly at: Instant;
}
/** Payload of `ticket.status_changed` v1 (`to: 'resolved'` is PET's TicketResolved). */
export interface TicketStatusChangedPayload {
  readonly ticketId: TicketId;
  readonly from: TicketStatus;
  readonly to: TicketStatus;
  readonly at: Instant;
}
/** Payload of `ticket.responded` v1: the first response. */
export interface TicketRespondedPayload {
  readonly ticketId: TicketId;
  readonly at: Instant;
}
/**
 * Payload of `ticket.assigned` v1 (PET's TicketAssigned / …ToTeam / …ToEmployee / TicketPulledFromTeam):
 * the intent (mode, preferred assignee) and the actual assignee, exactly one of team or employee.
 */
export interface TicketAssignedPayload {
  readonly ticketId: TicketId;
  readonly mode: AssignmentMode;
  readonly preferredAssigneeId: EmployeeId | null;
  readonly assignedTeamId: TeamId | null;
  readonly assignedEmployeeId: EmployeeId | null;
  readonly previousTeamId: TeamId | null;
  readonly previousEmployeeId: EmployeeId | null;
  /** The manager who allocated (MANAGER_ALLOCATED), else `null`. */
  readonly byEmployeeId: EmployeeId | null;
  readonly at: Instant;
}
/** Payload of `ticket.priority_changed` v1. */
export interface TicketPriorityChangedPayload {
  readonly ticketId: TicketId;
  readonly from: TicketPriority;
  readonly to: TicketPriority;
  readonly at: Instant;
}
/** Payload of `ticket.split` v1: the parent becomes a roll-up; the children are created next. */
export interface TicketSplitPayload {
  readonly ticketId: TicketId;
  readonly children: readonly SplitChild[];
  readonly at: Instant;
}
/** Payload of `ticket.link_added` v1. */
export interface TicketLinkAddedPayload {
  readonly ticketId: TicketId;
  readonly linkType: TicketLinkType;
  readonly linkedId: string;
  readonly at: Instant;
}

const status = z.enum([
  'new',
  'open',
  'pending',
  'resolved',
  'planned',
  'ready',
  'in_progress',
  'blocked',
  'done',
  'baseline_locked',
  'closed',
  'archived',
]);
const priority = z.enum(['low', 'medium', 'high', 'critical']);
const child = z.object({
  ticketId: ticketIdSchema,
  subject: z.string().min(1),
  soldMinutes: z.number().int().min(0),
});

/** `ticket.created` v1. @example `ticketCreated.payload.parse(raw)` */
export const ticketCreated: EventDefinition<'ticket.created', z.ZodType<TicketCreatedPayload>> = defineEvent({
  type: 'ticket.created',
  version: 1,
  payload: z.object({
    ticketId: ticketIdSchema,
    owner: z.enum(['support', 'project', 'internal']),
    status,
    customerId: customerIdSchema.nullable(),
    siteId: siteIdSchema.nullable(),
    projectId: projectIdSchema.nullable(),
    subject: z.string().min(1).max(255),
    priority,
    kind: z.enum(['work', 'incident', 'change_order', 'admin', 'internal', 'delivery']),
    soldMinutes: z.number().int().min(0).nullable(),
    sla: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('inherit') }),
      z.object({ mode: z.literal('opt_out'), reason: z.string().min(1) }),
    ]),
    parentTicketId: ticketIdSchema.nullable(),
    rootTicketId: ticketIdSchema,
    at: instantSchema,
  }),
});

/** `ticket.status_changed` v1. @example `ticketStatusChanged.type` */
export const ticketStatusChanged: EventDefinition<
  'ticket.status_changed',
  z.ZodType<TicketStatusChangedPayload>
> = defineEvent({
  type: 'ticket.status_changed',
  version: 1,
  payload: z.object({ ticketId: ticketIdSchema, from: status, to: status, at: instantSchema }),
});

/** `ticket.responded` v1. @example `ticketResponded.type` */
export const ticketResponded: EventDefinition<
  'ticket.responded',
  z.ZodType<TicketRespondedPayload>
> = defineEvent({
  type: 'ticket.responded',
  version: 1,
  payload: z.object({ ticketId: ticketIdSchema, at: instantSchema }),
});

/** `ticket.assigned` v1. @example `ticketAssigned.type` */
export const ticketAssigned: EventDefinition<
  'ticket.assigned',
  z.ZodType<TicketAssignedPayload>
> = defineEvent({
  type: 'ticket.assigned',
  version: 1,
  payload: z
    .object({
      ticketId: ticketIdSchema,
      mode: z.enum(['PREFERRED_PERSON', 'TEAM_QUEUE_PULL', 'MANAGER_ALLOCATED']),
      preferredAssigneeId: employeeIdSchema.nullable(),
      assignedTeamId: teamIdSchema.nullable(),
      assignedEmployeeId: employeeIdSchema.nullable(),
      previousTeamId: teamIdSchema.nullable(),
      previousEmployeeId: employeeIdSchema.nullable(),
      byEmployeeId: employeeIdSchema.nullable(),
      at: instantSchema,
    })
    .refine((p) => (p.assignedTeamId === null) !== (p.assignedEmployeeId === null), {
      message: 'exactly one of assignedTeamId and assignedEmployeeId',
    }),
});

/** `ticket.priority_changed` v1. @example `ticketPriorityChanged.type` */
export const ticketPriorityChanged: EventDefinition<
  'ticket.priority_changed',
  z.ZodType<TicketPriorityChangedPayload>
> = defineEvent({
  type: 'ticket.priority_changed',
  version: 1,
  payload: z.object({ ticketId: ticketIdSchema, from: priority, to: priority, at: instantSchema }),
});

/** `ticket.split` v1. @example `ticketSplit.type` */
export const ticketSplit: EventDefinition<'ticket.split', z.ZodType<TicketSplitPayload>> = defineEvent({
  type: 'ticket.split',
  version: 1,
  payload: z.object({ ticketId: ticketIdSchema, children: z.array(child).min(2), at: instantSchema }),
});

/** `ticket.link_added` v1. @example `ticketLinkAdded.type` */
export const ticketLinkAdded: EventDefinition<
  'ticket.link_added',
  z.ZodType<TicketLinkAddedPayload>
> = defineEvent({
  type: 'ticket.link_added',
  version: 1,
  payload: z.object({
    ticketId: ticketIdSchema,
    linkType: z.enum(['project', 'quote', 'site', 'customer', 'ticket', 'external']),
    linkedId: z.string().min(1).max(64),
    at: instantSchema,
  }),
});

/** Every event a ticket stream holds. */
export type TicketEvent =
  | EventOf<typeof ticketCreated>
  | EventOf<typeof ticketStatusChanged>
  | EventOf<typeof ticketResponded>
  | EventOf<typeof ticketAssigned>
  | EventOf<typeof ticketPriorityChanged>
  | EventOf<typeof ticketSplit>
  | EventOf<typeof ticketLinkAdded>;

/** The ticket event definitions. @example `createEventRegistry({ events: ticketEvents })` */
export const ticketEvents: readonly EventDefinition[] = [
  ticketCreated,
  ticketStatusChanged,
  ticketResponded,
  ticketAssigned,
  ticketPriorityChanged,
  ticketSplit,
  ticketLinkAdded,
];
