import type { EmployeeId, TeamId } from '../../identity/ids.js';
import { err, type Instant, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import {
  type CreateTicket,
  type SplitTicket,
  type TicketCommand,
  type TicketFacts,
  ticketCommandSchema,
} from './commands.js';
import type { AssignmentMode, TicketEvent } from './events.js';
import { allowedTicketTransitions, initialTicketStatus } from './lifecycle.js';
import type { TicketRejection } from './rejections.js';
import type { TicketDetails, TicketState } from './state.js';

type Decision = Result<readonly TicketEvent[], TicketRejection>;

function create(command: CreateTicket, facts: TicketFacts | undefined): Decision {
  const { customerId, siteId, projectId } = command;
  if (customerId === null && siteId === null && projectId === null) {
    return err(
      reject('TICKET_CONTEXT_REQUIRED', 'a ticket needs a customer, a site or a project', {
        customerId,
        siteId,
        projectId,
      }),
    );
  }
  if (command.owner === 'project' && projectId === null) {
    return err(
      reject('TICKET_CONTAINER_INVALID', 'a project-owned ticket needs its project', {
        owner: command.owner,
      }),
    );
  }
  let rootTicketId = command.ticketId;
  if (command.parentTicketId !== null) {
    const parent = facts?.parent;
    if (parent === undefined || parent.ticketId !== command.parentTicketId) {
      return err(
        reject('TICKET_FACTS_MISSING', 'the parent ticket was not loaded', {
          fact: 'parent',
          parentTicketId: command.parentTicketId,
        }),
      );
    }
    const listed = parent.children.find((c) => c.ticketId === command.ticketId);
    if (listed === undefined || listed.soldMinutes !== command.soldMinutes) {
      return err(
        reject('TICKET_PARENT_INVALID', 'a child is created only as announced by its parent’s split', {
          parentTicketId: parent.ticketId,
          soldMinutes: command.soldMinutes,
          announcedSoldMinutes: listed?.soldMinutes ?? null,
        }),
      );
    }
    rootTicketId = parent.rootTicketId;
  }
  return ok([
    {
      type: 'ticket.created',
      payload: {
        ticketId: command.ticketId,
        owner: command.owner,
        status: initialTicketStatus(command.owner),
        customerId,
        siteId,
        projectId,
        subject: command.subject.trim(),
        priority: command.priority,
        kind: command.kind,
        soldMinutes: command.soldMinutes,
        sla:
          command.sla.mode === 'inherit'
            ? { mode: 'inherit' }
            : { mode: 'opt_out', reason: command.sla.reason.trim() },
        parentTicketId: command.parentTicketId,
        rootTicketId,
        at: command.at,
      },
    },
  ]);
}

function split(command: SplitTicket, t: TicketDetails, facts: TicketFacts | undefined): Decision {
  if (t.isRollup) {
    return err(
      reject('TICKET_IS_ROLLUP', 'a roll-up is split already; split one of its leaves', {
        children: t.children.length,
      }),
    );
  }
  const ids = command.children.map((c) => c.ticketId);
  if (
    t.soldMinutes === null ||
    command.children.length < 2 ||
    new Set(ids).size !== ids.length ||
    ids.includes(t.ticketId)
  ) {
    return err(
      reject('TICKET_SPLIT_INVALID', 'a split needs sold minutes and at least two distinct children', {
        soldMinutes: t.soldMinutes,
        children: command.children.length,
      }),
    );
  }
  const childrenSum = command.children.reduce((sum, c) => sum + c.soldMinutes, 0);
  if (childrenSum !== t.soldMinutes) {
    return err(
      reject('TICKET_SPLIT_MISMATCH', 'the children’s sold minutes must sum exactly to the parent’s', {
        soldMinutes: t.soldMinutes,
        childrenSum,
        difference: t.soldMinutes - childrenSum,
      }),
    );
  }
  if (facts?.loggedMinutes === undefined) {
    return err(
      reject('TICKET_FACTS_MISSING', 'the time already on the ticket was not loaded', {
        fact: 'loggedMinutes',
      }),
    );
  }
  if (facts.loggedMinutes > 0) {
    return err(
      reject('TICKET_HAS_TIME', 'a ticket with time cannot become a roll-up', {
        loggedMinutes: facts.loggedMinutes,
      }),
    );
  }
  const children = command.children.map((c) => ({
    ticketId: c.ticketId,
    subject: c.subject.trim(),
    soldMinutes: c.soldMinutes,
  }));
  return ok([{ type: 'ticket.split', payload: { ticketId: t.ticketId, children, at: command.at } }]);
}

function assigned(
  t: TicketDetails,
  mode: AssignmentMode,
  to: { teamId: TeamId | null; employeeId: EmployeeId | null },
  at: Instant,
  extra: { preferredAssigneeId?: EmployeeId; byEmployeeId?: EmployeeId } = {},
): Decision {
  const preferredAssigneeId = extra.preferredAssigneeId ?? t.preferredAssigneeId;
  if (
    t.assignedTeamId === to.teamId &&
    t.assignedEmployeeId === to.employeeId &&
    t.assignmentMode === mode &&
    t.preferredAssigneeId === preferredAssigneeId
  ) {
    return ok([]); // a self-transition changes nothing
  }
  return ok([
    {
      type: 'ticket.assigned',
      payload: {
        ticketId: t.ticketId,
        mode,
        preferredAssigneeId,
        assignedTeamId: to.teamId,
        assignedEmployeeId: to.employeeId,
        previousTeamId: t.assignedTeamId,
        previousEmployeeId: t.assignedEmployeeId,
        byEmployeeId: extra.byEmployeeId ?? null,
        at,
      },
    },
  ]);
}

/**
 * Decides a ticket command: creation with a customer, site or project and exactly one primary container;
 * the owner's lifecycle (closed is immutable, resolved/done may be reopened — see the module doc of
 * `lifecycle.ts`); the first response once; assignment by preferred person, team-queue pull (refused when
 * an employee has the ticket) or manager allocation, always exactly one of team or employee; priority
 * changes; splits whose children sum exactly to the parent's sold minutes; links to other contexts.
 *
 * @example
 * ```ts
 * const r = decideTicket({ type: 'pull', employeeId, at }, state, { pullerTeamIds });
 * if (!r.ok) console.log(r.error.code); // e.g. TICKET_ALREADY_ASSIGNED (409)
 * ```
 */
export function decideTicket(
  command: TicketCommand,
  state: TicketState,
  facts: TicketFacts | undefined,
): Decision {
  return checkedDecision(ticketCommandSchema, command, 'ticket command', () => {
    if (command.type === 'create') {
      if (state.status !== 'absent') {
        return err(reject('TICKET_ALREADY_EXISTS', 'the ticket exists already', { status: state.status }));
      }
      return create(command, facts);
    }
    if (state.status === 'absent') return err(reject('TICKET_NOT_FOUND', 'no such ticket'));
    const t = state;
    const archivingClosed =
      command.type === 'change_status' && command.to === 'archived' && t.status === 'closed';
    if ((t.status === 'closed' || t.status === 'archived') && !archivingClosed) {
      return err(
        reject('TICKET_CLOSED', 'a closed ticket is immutable and never reopens: open a new, linked ticket', {
          status: t.status,
        }),
      );
    }
    if (t.status === 'baseline_locked') {
      return err(
        reject(
          'TICKET_BASELINE_LOCKED',
          'a baseline ticket is the immutable sold record: use a change order',
          {
            status: t.status,
          },
        ),
      );
    }
    switch (command.type) {
      case 'change_status': {
        const allowed = allowedTicketTransitions(t.owner, t.status);
        if (!allowed.includes(command.to)) {
          return err(
            reject(
              'TICKET_TRANSITION_INVALID',
              `a ${t.owner} ticket cannot go from ${t.status} to ${command.to}`,
              {
                owner: t.owner,
                from: t.status,
                to: command.to,
                allowed,
              },
            ),
          );
        }
        const changed: TicketEvent = {
          type: 'ticket.status_changed',
          payload: { ticketId: t.ticketId, from: t.status, to: command.to, at: command.at },
        };
        // Resolving answers the ticket: an unanswered one records its first response at the same instant,
        // so the ticket's responded_at and the SLA's response target stop together.
        const answers = (command.to === 'resolved' || command.to === 'done') && t.respondedAt === null;
        return ok(
          answers
            ? [{ type: 'ticket.responded', payload: { ticketId: t.ticketId, at: command.at } }, changed]
            : [changed],
        );
      }
      case 'respond':
        if (t.respondedAt !== null) {
          return err(
            reject('TICKET_ALREADY_RESPONDED', 'the first response is recorded once', {
              respondedAt: t.respondedAt,
            }),
          );
        }
        return ok([{ type: 'ticket.responded', payload: { ticketId: t.ticketId, at: command.at } }]);
      case 'prefer':
        return assigned(t, 'PREFERRED_PERSON', { teamId: null, employeeId: command.employeeId }, command.at, {
          preferredAssigneeId: command.employeeId,
        });
      case 'queue':
        return assigned(t, 'TEAM_QUEUE_PULL', { teamId: command.teamId, employeeId: null }, command.at);
      case 'pull': {
        if (t.assignedEmployeeId !== null) {
          return err(
            reject(
              'TICKET_ALREADY_ASSIGNED',
              'an employee has this ticket; only a manager can reallocate it',
              {
                assignedEmployeeId: t.assignedEmployeeId,
                httpStatus: 409,
              },
            ),
          );
        }
        if (t.assignedTeamId === null) {
          return err(
            reject('TICKET_NOT_IN_QUEUE', 'the ticket is in no team queue', { assignedTeamId: null }),
          );
        }
        if (facts?.pullerTeamIds === undefined) {
          return err(
            reject('TICKET_FACTS_MISSING', 'the puller’s teams were not loaded', { fact: 'pullerTeamIds' }),
          );
        }
        if (!facts.pullerTeamIds.includes(t.assignedTeamId)) {
          return err(
            reject('TICKET_NOT_TEAM_MEMBER', 'only a member of the queue’s team can pull', {
              assignedTeamId: t.assignedTeamId,
              pullerTeamIds: facts.pullerTeamIds,
            }),
          );
        }
        return assigned(t, 'TEAM_QUEUE_PULL', { teamId: null, employeeId: command.employeeId }, command.at);
      }
      case 'allocate': {
        const to =
          'employeeId' in command.to
            ? { teamId: null, employeeId: command.to.employeeId }
            : { teamId: command.to.teamId, employeeId: null };
        return assigned(t, 'MANAGER_ALLOCATED', to, command.at, { byEmployeeId: command.byEmployeeId });
      }
      case 'change_priority':
        if (command.priority === t.priority) return ok([]);
        return ok([
          {
            type: 'ticket.priority_changed',
            payload: { ticketId: t.ticketId, from: t.priority, to: command.priority, at: command.at },
          },
        ]);
      case 'split':
        return split(command, t, facts);
      case 'add_link': {
        const primary =
          (command.linkType === 'project' && command.linkedId === t.projectId) ||
          (command.linkType === 'customer' && command.linkedId === t.customerId) ||
          (command.linkType === 'site' && command.linkedId === t.siteId) ||
          (command.linkType === 'ticket' && command.linkedId === t.ticketId);
        const exists = t.links.some(
          (l) => l.linkType === command.linkType && l.linkedId === command.linkedId,
        );
        if (primary || exists) {
          return err(
            reject('TICKET_LINK_DUPLICATE', 'the link exists or repeats the ticket’s own context', {
              linkType: command.linkType,
              linkedId: command.linkedId,
            }),
          );
        }
        return ok([
          {
            type: 'ticket.link_added',
            payload: {
              ticketId: t.ticketId,
              linkType: command.linkType,
              linkedId: command.linkedId,
              at: command.at,
            },
          },
        ]);
      }
    }
  });
}
