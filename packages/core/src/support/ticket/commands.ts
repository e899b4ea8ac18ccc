import { z } from 'zod';
import { type EmployeeId, employeeIdSchema, type TeamId, teamIdSchema } from '../../identity/ids.js';
import { type Instant, instantSchema } from '../../kernel/index.js';
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
import type { TicketOwner, TicketStatus } from './lifecycle.js';

/** Ticket priority (a change never re-binds the SLA). */
export type TicketPriority = 'low' | 'medium' | 'high' | 'critical';
/** What kind of work a ticket is. */
export type TicketKind = 'work' | 'incident' | 'change_order' | 'admin' | 'internal' | 'delivery';
/** Kinds of links to other contexts (never a second primary container). */
export type TicketLinkType = 'project' | 'quote' | 'site' | 'customer' | 'ticket' | 'external';

/** SLA applicability is explicit: inherited (from contract or customer) or opted out with a reason. */
export type SlaApplicability =
  | { readonly mode: 'inherit' }
  | { readonly mode: 'opt_out'; readonly reason: string };

/** One child of a split: its id, subject and sold minutes. */
export interface SplitChild {
  readonly ticketId: TicketId;
  readonly subject: string;
  readonly soldMinutes: number;
}

/** Creates a ticket in its owner's first status. A child of a split names its parent. */
export interface CreateTicket {
  readonly type: 'create';
  readonly ticketId: TicketId;
  readonly owner: TicketOwner;
  readonly customerId: CustomerId | null;
  readonly siteId: SiteId | null;
  readonly projectId: ProjectId | null;
  readonly subject: string;
  readonly priority: TicketPriority;
  readonly kind: TicketKind;
  /** Sold minutes (baseline); `null` when nothing was sold (most support tickets). */
  readonly soldMinutes: number | null;
  readonly sla: SlaApplicability;
  readonly parentTicketId: TicketId | null;
  readonly at: Instant;
}

/** Moves the ticket along its owner's lifecycle. */
export interface ChangeTicketStatus {
  readonly type: 'change_status';
  readonly to: TicketStatus;
  readonly at: Instant;
}

/** Records the first response (`responded_at`, once). */
export interface RespondToTicket {
  readonly type: 'respond';
  readonly at: Instant;
}

/** PREFERRED_PERSON: the ticket goes to a named person, who is also recorded as the preferred assignee. */
export interface PreferAssignee {
  readonly type: 'prefer';
  readonly employeeId: EmployeeId;
  readonly at: Instant;
}

/** Puts the ticket in a team's queue (TEAM_QUEUE_PULL: a member will pull it). */
export interface QueueTicket {
  readonly type: 'queue';
  readonly teamId: TeamId;
  readonly at: Instant;
}

/** TEAM_QUEUE_PULL: a member of the queue's team takes the ticket. Refused once an employee has it. */
export interface PullTicket {
  readonly type: 'pull';
  readonly employeeId: EmployeeId;
  readonly at: Instant;
}

/** MANAGER_ALLOCATED: a manager gives the ticket to a person or a team (overrides any assignment). */
export interface AllocateTicket {
  readonly type: 'allocate';
  readonly to: { readonly employeeId: EmployeeId } | { readonly teamId: TeamId };
  readonly byEmployeeId: EmployeeId;
  readonly at: Instant;
}

/** Changes the priority (the SLA binding stays as it is). */
export interface ChangeTicketPriority {
  readonly type: 'change_priority';
  readonly priority: TicketPriority;
  readonly at: Instant;
}

/** Splits a leaf into children whose sold minutes sum exactly to its own; it becomes a roll-up. */
export interface SplitTicket {
  readonly type: 'split';
  readonly children: readonly SplitChild[];
  readonly at: Instant;
}

/** Links another context (never double-counted as a container). */
export interface AddTicketLink {
  readonly type: 'add_link';
  readonly linkType: TicketLinkType;
  readonly linkedId: string;
  readonly at: Instant;
}

/** Every ticket command. */
export type TicketCommand =
  | CreateTicket
  | ChangeTicketStatus
  | RespondToTicket
  | PreferAssignee
  | QueueTicket
  | PullTicket
  | AllocateTicket
  | ChangeTicketPriority
  | SplitTicket
  | AddTicketLink;

/** A split's parent as loaded for a child's `create`: which children it announced. */
export interface ParentTicketFact {
  readonly ticketId: TicketId;
  readonly rootTicketId: TicketId;
  readonly children: readonly SplitChild[];
}

/**
 * What ticket decisions need from elsewhere: `parent` for a child's `create`; `pullerTeamIds` (the
 * puller's current teams) for `pull`; `loggedMinutes` (time already on the ticket) for `split`.
 */
export interface TicketFacts {
  readonly parent?: ParentTicketFact;
  readonly pullerTeamIds?: readonly TeamId[];
  readonly loggedMinutes?: number;
}

const priority = z.enum(['low', 'medium', 'high', 'critical']);
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
const subject = z.string().trim().min(1, 'is required').max(255);

/**
 * Zod schema of a {@link TicketCommand}.
 *
 * @example
 * ```ts
 * const command = parseInput(ticketCommandSchema, raw, 'ticket command');
 * ```
 */
export const ticketCommandSchema: z.ZodType<TicketCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('create'),
    ticketId: ticketIdSchema,
    owner: z.enum(['support', 'project', 'internal']),
    customerId: customerIdSchema.nullable().default(null),
    siteId: siteIdSchema.nullable().default(null),
    projectId: projectIdSchema.nullable().default(null),
    subject,
    priority: priority.default('medium'),
    kind: z.enum(['work', 'incident', 'change_order', 'admin', 'internal', 'delivery']),
    soldMinutes: z.number().int('must be whole minutes').min(0).nullable().default(null),
    sla: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('inherit') }),
      z.object({
        mode: z.literal('opt_out'),
        reason: z.string().trim().min(1, 'an opt-out needs a reason').max(1000),
      }),
    ]),
    parentTicketId: ticketIdSchema.nullable().default(null),
    at: instantSchema,
  }),
  z.object({ type: z.literal('change_status'), to: status, at: instantSchema }),
  z.object({ type: z.literal('respond'), at: instantSchema }),
  z.object({ type: z.literal('prefer'), employeeId: employeeIdSchema, at: instantSchema }),
  z.object({ type: z.literal('queue'), teamId: teamIdSchema, at: instantSchema }),
  z.object({ type: z.literal('pull'), employeeId: employeeIdSchema, at: instantSchema }),
  z.object({
    type: z.literal('allocate'),
    to: z.union([
      z.object({ employeeId: employeeIdSchema }).strict(),
      z.object({ teamId: teamIdSchema }).strict(),
    ]),
    byEmployeeId: employeeIdSchema,
    at: instantSchema,
  }),
  z.object({ type: z.literal('change_priority'), priority, at: instantSchema }),
  z.object({
    type: z.literal('split'),
    children: z
      .array(
        z.object({
          ticketId: ticketIdSchema,
          subject,
          soldMinutes: z.number().int('must be whole minutes').min(0),
        }),
      )
      .max(200),
    at: instantSchema,
  }),
  z.object({
    type: z.literal('add_link'),
    linkType: z.enum(['project', 'quote', 'site', 'customer', 'ticket', 'external']),
    linkedId: z.string().trim().min(1).max(64),
    at: instantSchema,
  }),
]);
