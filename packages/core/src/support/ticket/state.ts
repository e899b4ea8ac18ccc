import type { EmployeeId, TeamId } from '../../identity/ids.js';
import type { Instant } from '../../kernel/index.js';
import type { CustomerId, ProjectId, SiteId, TicketId } from '../ids.js';
import type { SlaApplicability, SplitChild, TicketKind, TicketLinkType, TicketPriority } from './commands.js';
import type { AssignmentMode, TicketEvent } from './events.js';
import type { TicketOwner, TicketStatus } from './lifecycle.js';

/** An existing ticket. */
export interface TicketDetails {
  readonly ticketId: TicketId;
  /** The primary container (lifecycle owner); immutable. */
  readonly owner: TicketOwner;
  readonly status: TicketStatus;
  readonly customerId: CustomerId | null;
  readonly siteId: SiteId | null;
  readonly projectId: ProjectId | null;
  readonly subject: string;
  readonly priority: TicketPriority;
  readonly kind: TicketKind;
  /** Sold minutes; immutable (a change is a change-order ticket). */
  readonly soldMinutes: number | null;
  readonly sla: SlaApplicability;
  readonly parentTicketId: TicketId | null;
  readonly rootTicketId: TicketId;
  /** True once split: no direct time; progress, time and cost come from the leaves. */
  readonly isRollup: boolean;
  readonly children: readonly SplitChild[];
  readonly assignmentMode: AssignmentMode | null;
  readonly preferredAssigneeId: EmployeeId | null;
  readonly assignedTeamId: TeamId | null;
  readonly assignedEmployeeId: EmployeeId | null;
  readonly links: readonly { readonly linkType: TicketLinkType; readonly linkedId: string }[];
  readonly createdAt: Instant;
  /** Set when the ticket leaves `new`. */
  readonly openedAt: Instant | null;
  /** Set once, at the first response. */
  readonly respondedAt: Instant | null;
  readonly resolvedAt: Instant | null;
  readonly closedAt: Instant | null;
  /** Set when a closed ticket is archived (the `archived_at` audit column). */
  readonly archivedAt: Instant | null;
}

/** A ticket's state (`absent` = no stream yet). */
export type TicketState = { readonly status: 'absent' } | TicketDetails;

/** The state before any event. @example `initialTicketState()` → `{ status: 'absent' }` */
export function initialTicketState(): TicketState {
  return { status: 'absent' };
}

/**
 * Folds one event into a ticket's state; events that do not fit leave it unchanged (total).
 *
 * @example
 * ```ts
 * const ticket = events.reduce(evolveTicket, initialTicketState());
 * ```
 */
export function evolveTicket(state: TicketState, event: TicketEvent): TicketState {
  if (event.type === 'ticket.created') {
    if (state.status !== 'absent') return state;
    const { at, ...p } = event.payload;
    return {
      ...p,
      isRollup: false,
      children: [],
      assignmentMode: null,
      preferredAssigneeId: null,
      assignedTeamId: null,
      assignedEmployeeId: null,
      links: [],
      createdAt: at,
      openedAt: null,
      respondedAt: null,
      resolvedAt: null,
      closedAt: null,
      archivedAt: null,
    };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'ticket.status_changed': {
      const { from, to, at } = event.payload;
      if (from !== state.status) return state;
      return {
        ...state,
        status: to,
        openedAt: state.openedAt ?? (from === 'new' ? at : null),
        resolvedAt:
          to === 'resolved' || to === 'done'
            ? at
            : to === 'closed' || to === 'archived'
              ? state.resolvedAt
              : null,
        closedAt: to === 'closed' ? at : state.closedAt,
        archivedAt: to === 'archived' ? at : state.archivedAt,
      };
    }
    case 'ticket.responded':
      return { ...state, respondedAt: state.respondedAt ?? event.payload.at };
    case 'ticket.assigned': {
      const { mode, preferredAssigneeId, assignedTeamId, assignedEmployeeId } = event.payload;
      return { ...state, assignmentMode: mode, preferredAssigneeId, assignedTeamId, assignedEmployeeId };
    }
    case 'ticket.priority_changed':
      return { ...state, priority: event.payload.to };
    case 'ticket.split':
      return { ...state, isRollup: true, children: event.payload.children };
    case 'ticket.link_added':
      return {
        ...state,
        links: [...state.links, { linkType: event.payload.linkType, linkedId: event.payload.linkedId }],
      };
  }
}
