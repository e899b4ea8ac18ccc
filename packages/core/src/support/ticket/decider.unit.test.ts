import { describe, expect, test } from 'vitest';
import { replay } from '../../kernel/index.js';
import { DeciderSpecification } from '../../testing/index.js';
import { customer, employee, iso, project, site, team, ticket, tracked } from '../test-support.test.js';
import { type CreateTicket, ticketCommandSchema } from './commands.js';
import { ticketDecider } from './decider.js';
import type { TicketEvent } from './events.js';
import {
  allowedTicketTransitions,
  slaEffectOfStatusChange,
  type TicketOwner,
  type TicketStatus,
} from './lifecycle.js';
import { ticketAcceptsTime } from './policy.js';
import { TICKET_REJECTION_CODES } from './rejections.js';
import type { TicketDetails } from './state.js';

const { decider, seen } = tracked(ticketDecider);
const spec = DeciderSpecification.for(decider);
const t1 = ticket(1);
const at = iso('2026-03-02T09:00Z');
const later = iso('2026-03-02T10:00Z');

const create: CreateTicket = {
  type: 'create',
  ticketId: t1,
  owner: 'support',
  customerId: customer(1),
  siteId: null,
  projectId: null,
  subject: ' Printer on fire ',
  priority: 'high',
  kind: 'incident',
  soldMinutes: null,
  sla: { mode: 'inherit' },
  parentTicketId: null,
  at,
};
const created: TicketEvent = {
  type: 'ticket.created',
  payload: {
    ticketId: t1,
    owner: 'support',
    status: 'new',
    customerId: customer(1),
    siteId: null,
    projectId: null,
    subject: 'Printer on fire',
    priority: 'high',
    kind: 'incident',
    soldMinutes: null,
    sla: { mode: 'inherit' },
    parentTicketId: null,
    rootTicketId: t1,
    at,
  },
};
const status = (from: TicketStatus, to: TicketStatus): TicketEvent => ({
  type: 'ticket.status_changed',
  payload: { ticketId: t1, from, to, at: later },
});
const projectCreated = (soldMinutes: number | null): TicketEvent => ({
  type: 'ticket.created',
  payload: {
    ...created.payload,
    owner: 'project',
    status: 'planned',
    projectId: project(1),
    kind: 'work',
    soldMinutes,
  } as never,
});

/** Walks a lifecycle path from the owner's first status. */
function path(owner: TicketOwner, first: TicketEvent, statuses: readonly TicketStatus[]): TicketEvent[] {
  const out: TicketEvent[] = [first];
  let from: TicketStatus = owner === 'support' ? 'new' : 'planned';
  for (const to of statuses) {
    out.push(status(from, to));
    from = to;
  }
  return out;
}

describe('ticket: creation', () => {
  test('a support ticket for a customer starts new, in its one primary container, SLA applicability explicit', () => {
    spec.given([]).when(create).then([created]);
    spec
      .given([])
      .when({ ...create, sla: { mode: 'opt_out', reason: ' internal test ' } })
      .then([
        {
          type: 'ticket.created',
          payload: { ...created.payload, sla: { mode: 'opt_out', reason: 'internal test' } },
        },
      ]);
  });

  test('a site or a project is context enough; none of the three is TICKET_CONTEXT_REQUIRED', () => {
    spec
      .given([])
      .when({ ...create, customerId: null, siteId: site(1) })
      .then([{ type: 'ticket.created', payload: { ...created.payload, customerId: null, siteId: site(1) } }]);
    spec
      .given([])
      .when({ ...create, customerId: null })
      .thenRejects('TICKET_CONTEXT_REQUIRED', { customerId: null, siteId: null, projectId: null });
  });

  test('a project-owned ticket needs its project (TICKET_CONTAINER_INVALID) and starts planned', () => {
    spec
      .given([])
      .when({ ...create, owner: 'project' })
      .thenRejects('TICKET_CONTAINER_INVALID', { owner: 'project' });
    spec
      .given([])
      .when({ ...create, owner: 'project', projectId: project(1), kind: 'work', soldMinutes: 6000 })
      .then([projectCreated(6000)]);
  });

  test('twice is TICKET_ALREADY_EXISTS; anything before creation is TICKET_NOT_FOUND', () => {
    spec.given([created]).when(create).thenRejects('TICKET_ALREADY_EXISTS');
    spec.given([]).when({ type: 'respond', at }).thenRejects('TICKET_NOT_FOUND');
  });

  test('commands are validated: a blank subject or negative sold minutes name the field', () => {
    expect(ticketCommandSchema.safeParse({ ...create, subject: ' ' }).error?.issues[0]?.path).toEqual([
      'subject',
    ]);
    expect(ticketCommandSchema.safeParse({ ...create, soldMinutes: -1 }).error?.issues[0]?.path).toEqual([
      'soldMinutes',
    ]);
    expect(
      ticketCommandSchema.safeParse({ ...create, sla: { mode: 'opt_out', reason: '' } }).error?.issues[0]
        ?.path,
    ).toEqual(['sla', 'reason']);
  });
});

describe('ticket: lifecycles per owner (§2.22) and reopening (§8 decision)', () => {
  test('support: new → open → pending → open → resolved → closed → archived; opened_at and resolved_at are set', () => {
    const events = path('support', created, ['open', 'pending', 'open', 'resolved', 'closed', 'archived']);
    const s = replay(decider, events) as TicketDetails;
    expect(s.status).toBe('archived');
    expect(s.openedAt).toBe(later);
    expect(s.resolvedAt).toBe(later);
    expect(s.closedAt).toBe(later);
    spec
      .given(path('support', created, ['open']))
      .when({ type: 'change_status', to: 'pending', at: later })
      .then([status('open', 'pending')]);
  });

  test('project: planned → ready → in_progress ⇄ blocked → done → closed; planned → baseline_locked', () => {
    const events = path('project', projectCreated(60), [
      'ready',
      'in_progress',
      'blocked',
      'in_progress',
      'done',
      'closed',
    ]);
    expect((replay(decider, events) as TicketDetails).status).toBe('closed');
    expect(allowedTicketTransitions('project', 'planned')).toEqual(['ready', 'baseline_locked']);
  });

  test('internal: planned → in_progress → done → closed', () => {
    const first: TicketEvent = {
      type: 'ticket.created',
      payload: { ...created.payload, owner: 'internal', status: 'planned', kind: 'internal' },
    };
    expect(
      (replay(decider, path('internal', first, ['in_progress', 'done', 'closed'])) as TicketDetails).status,
    ).toBe('closed');
  });

  test('a transition the owner does not allow is TICKET_TRANSITION_INVALID with the allowed targets', () => {
    spec
      .given([created])
      .when({ type: 'change_status', to: 'resolved', at: later })
      .thenRejects('TICKET_TRANSITION_INVALID', {
        owner: 'support',
        from: 'new',
        to: 'resolved',
        allowed: ['open'],
      });
    spec
      .given([projectCreated(60)])
      .when({ type: 'change_status', to: 'pending', at: later })
      .thenRejects('TICKET_TRANSITION_INVALID');
  });

  test('§8: a resolved ticket reopens (resolved → open, resolved_at cleared); the SLA effect is reopen', () => {
    const resolved = path('support', created, ['open', 'resolved']);
    spec
      .given(resolved)
      .when({ type: 'change_status', to: 'open', at: later })
      .then([status('resolved', 'open')]);
    expect(
      (replay(decider, [...resolved, status('resolved', 'open')]) as TicketDetails).resolvedAt,
    ).toBeNull();
    expect(slaEffectOfStatusChange('support', 'resolved', 'open')).toBe('reopen');
    expect(slaEffectOfStatusChange('project', 'done', 'in_progress')).toBe('reopen');
  });

  test('§8: closed is terminal and immutable — no reopen, no edit (TICKET_CLOSED); archiving it is allowed', () => {
    const closed = path('support', created, ['open', 'resolved', 'closed']);
    spec
      .given(closed)
      .when({ type: 'change_status', to: 'open', at: later })
      .thenRejects('TICKET_CLOSED', { status: 'closed' });
    spec
      .given(closed)
      .when({ type: 'change_priority', priority: 'low', at: later })
      .thenRejects('TICKET_CLOSED');
    spec
      .given(closed)
      .when({ type: 'change_status', to: 'archived', at: later })
      .then([status('closed', 'archived')]);
    expect(ticketAcceptsTime(replay(decider, closed)).ok).toBe(false);
  });

  test('a baseline ticket is the immutable sold record: TICKET_BASELINE_LOCKED', () => {
    const locked = path('project', projectCreated(60), ['baseline_locked']);
    spec
      .given(locked)
      .when({ type: 'change_status', to: 'ready', at: later })
      .thenRejects('TICKET_BASELINE_LOCKED');
    const r = ticketAcceptsTime(replay(decider, locked));
    expect(!r.ok && r.error.code).toBe('TICKET_BASELINE_LOCKED');
  });

  test('scenarios 41/62: pending pauses and back to open resumes the SLA; resolved stops it', () => {
    expect(slaEffectOfStatusChange('support', 'open', 'pending')).toBe('pause');
    expect(slaEffectOfStatusChange('support', 'pending', 'open')).toBe('resume');
    expect(slaEffectOfStatusChange('support', 'pending', 'resolved')).toBe('resolve');
    expect(slaEffectOfStatusChange('support', 'new', 'open')).toBeNull();
    expect(slaEffectOfStatusChange('internal', 'in_progress', 'done')).toBe('resolve');
    expect(slaEffectOfStatusChange('project', 'in_progress', 'blocked')).toBeNull();
  });

  test('resolving an unanswered ticket records its first response at the same instant (SLA response stops too)', () => {
    spec
      .given(path('support', created, ['open']))
      .when({ type: 'change_status', to: 'resolved', at: later })
      .then([{ type: 'ticket.responded', payload: { ticketId: t1, at: later } }, status('open', 'resolved')]);
    const answered: TicketEvent = { type: 'ticket.responded', payload: { ticketId: t1, at } };
    spec
      .given([...path('support', created, ['open']), answered])
      .when({ type: 'change_status', to: 'resolved', at: later })
      .then([status('open', 'resolved')]);
  });

  test('the first response is recorded once', () => {
    const responded: TicketEvent = { type: 'ticket.responded', payload: { ticketId: t1, at: later } };
    spec.given([created]).when({ type: 'respond', at: later }).then([responded]);
    spec
      .given([created, responded])
      .when({ type: 'respond', at: later })
      .thenRejects('TICKET_ALREADY_RESPONDED', { respondedAt: later });
  });
});

describe('ticket: assignment (scenarios 28, 29, 45)', () => {
  const assignedEvent = (
    over: Partial<Extract<TicketEvent, { type: 'ticket.assigned' }>['payload']>,
  ): TicketEvent => ({
    type: 'ticket.assigned',
    payload: {
      ticketId: t1,
      mode: 'TEAM_QUEUE_PULL',
      preferredAssigneeId: null,
      assignedTeamId: null,
      assignedEmployeeId: null,
      previousTeamId: null,
      previousEmployeeId: null,
      byEmployeeId: null,
      at: later,
      ...over,
    },
  });
  const queued = assignedEvent({ assignedTeamId: team(1) });
  const pulled = assignedEvent({ assignedEmployeeId: employee(1), previousTeamId: team(1) });

  test('scenario 28: department queue → an engineer pulls → the head allocates another engineer', () => {
    spec
      .given([created])
      .when({ type: 'queue', teamId: team(1), at: later })
      .then([queued]);
    spec
      .given([created, queued])
      .when({ type: 'pull', employeeId: employee(1), at: later }, { pullerTeamIds: [team(1)] })
      .then([pulled]);
    const allocated = assignedEvent({
      mode: 'MANAGER_ALLOCATED',
      assignedEmployeeId: employee(2),
      previousEmployeeId: employee(1),
      byEmployeeId: employee(9),
    });
    spec
      .given([created, queued, pulled])
      .when({ type: 'allocate', to: { employeeId: employee(2) }, byEmployeeId: employee(9), at: later })
      .then([allocated]);
    const s = replay(decider, [created, queued, pulled, allocated]) as TicketDetails;
    expect([s.assignedTeamId, s.assignedEmployeeId, s.assignmentMode]).toEqual([
      null,
      employee(2),
      'MANAGER_ALLOCATED',
    ]);
  });

  test('pulling an employee-assigned ticket is refused (409); pulling outside a queue or the team is refused', () => {
    spec
      .given([created, queued, pulled])
      .when({ type: 'pull', employeeId: employee(3), at: later }, { pullerTeamIds: [team(1)] })
      .thenRejects('TICKET_ALREADY_ASSIGNED', { assignedEmployeeId: employee(1), httpStatus: 409 });
    spec
      .given([created])
      .when({ type: 'pull', employeeId: employee(3), at: later }, { pullerTeamIds: [] })
      .thenRejects('TICKET_NOT_IN_QUEUE');
    spec
      .given([created, queued])
      .when({ type: 'pull', employeeId: employee(3), at: later }, { pullerTeamIds: [team(2)] })
      .thenRejects('TICKET_NOT_TEAM_MEMBER', { assignedTeamId: team(1) });
    spec
      .given([created, queued])
      .when({ type: 'pull', employeeId: employee(3), at: later })
      .thenRejects('TICKET_FACTS_MISSING', { fact: 'pullerTeamIds' });
  });

  test('scenario 29: preferred assignee then reassignment — intent and actual are both recorded', () => {
    const preferred = assignedEvent({
      mode: 'PREFERRED_PERSON',
      preferredAssigneeId: employee(1),
      assignedEmployeeId: employee(1),
    });
    spec
      .given([created])
      .when({ type: 'prefer', employeeId: employee(1), at: later })
      .then([preferred]);
    const reallocated = assignedEvent({
      mode: 'MANAGER_ALLOCATED',
      preferredAssigneeId: employee(1),
      assignedTeamId: team(2),
      previousEmployeeId: employee(1),
      byEmployeeId: employee(9),
    });
    spec
      .given([created, preferred])
      .when({ type: 'allocate', to: { teamId: team(2) }, byEmployeeId: employee(9), at: later })
      .then([reallocated]);
    const s = replay(decider, [created, preferred, reallocated]) as TicketDetails;
    expect([s.preferredAssigneeId, s.assignedTeamId, s.assignedEmployeeId]).toEqual([
      employee(1),
      team(2),
      null,
    ]);
  });

  test('the same assignment again is a self-transition: no event', () => {
    spec
      .given([created, queued])
      .when({ type: 'queue', teamId: team(1), at: later })
      .then([]);
  });

  test('scenario 45: reassignment and priority changes have no SLA effect (never reset, never re-bind)', () => {
    const changed: TicketEvent = {
      type: 'ticket.priority_changed',
      payload: { ticketId: t1, from: 'high', to: 'critical', at: later },
    };
    spec.given([created]).when({ type: 'change_priority', priority: 'critical', at: later }).then([changed]);
    spec.given([created]).when({ type: 'change_priority', priority: 'high', at: later }).then([]);
    // Only status changes map to clock commands, and none of these events is a status change.
    expect([changed, queued, pulled].every((e) => e.type !== 'ticket.status_changed')).toBe(true);
  });
});

describe('ticket: roll-ups and splits (scenarios 23, 24)', () => {
  const parent = projectCreated(6000);
  const children = [
    { ticketId: ticket(2), subject: 'Design', soldMinutes: 2400 },
    { ticketId: ticket(3), subject: 'Build', soldMinutes: 3600 },
  ];
  const splitEvent: TicketEvent = { type: 'ticket.split', payload: { ticketId: t1, children, at: later } };

  test('scenario 23: a 100 h ticket splits into children that sum to 100 h; the parent becomes a roll-up', () => {
    spec
      .given([parent])
      .when({ type: 'split', children, at: later }, { loggedMinutes: 0 })
      .then([splitEvent]);
    const s = replay(decider, [parent, splitEvent]) as TicketDetails;
    expect(s.isRollup).toBe(true);
    expect(s.children.reduce((sum, c) => sum + c.soldMinutes, 0)).toBe(s.soldMinutes);
  });

  test('children that do not sum exactly are TICKET_SPLIT_MISMATCH with the numbers', () => {
    spec
      .given([parent])
      .when(
        { type: 'split', children: [children[0]!, { ...children[1]!, soldMinutes: 3599 }], at: later },
        { loggedMinutes: 0 },
      )
      .thenRejects('TICKET_SPLIT_MISMATCH', { soldMinutes: 6000, childrenSum: 5999, difference: 1 });
  });

  test('no sold minutes, one child or a repeated id is TICKET_SPLIT_INVALID; time already on it is TICKET_HAS_TIME', () => {
    spec
      .given([created])
      .when({ type: 'split', children, at: later }, { loggedMinutes: 0 })
      .thenRejects('TICKET_SPLIT_INVALID', { soldMinutes: null });
    spec
      .given([parent])
      .when(
        { type: 'split', children: [{ ...children[0]!, soldMinutes: 6000 }], at: later },
        { loggedMinutes: 0 },
      )
      .thenRejects('TICKET_SPLIT_INVALID');
    spec
      .given([parent])
      .when(
        { type: 'split', children: [children[0]!, { ...children[1]!, ticketId: ticket(2) }], at: later },
        { loggedMinutes: 0 },
      )
      .thenRejects('TICKET_SPLIT_INVALID');
    spec
      .given([parent])
      .when({ type: 'split', children, at: later }, { loggedMinutes: 30 })
      .thenRejects('TICKET_HAS_TIME', { loggedMinutes: 30 });
    spec
      .given([parent])
      .when({ type: 'split', children, at: later })
      .thenRejects('TICKET_FACTS_MISSING', { fact: 'loggedMinutes' });
  });

  test('scenario 24: the roll-up rejects direct time and a second split; its leaves accept time', () => {
    const s = replay(decider, [parent, splitEvent]);
    const r = ticketAcceptsTime(s);
    expect(!r.ok && r.error.code).toBe('TICKET_IS_ROLLUP');
    expect(!r.ok && r.error.details).toEqual({ children: [ticket(2), ticket(3)] });
    spec
      .given([parent, splitEvent])
      .when({ type: 'split', children, at: later }, { loggedMinutes: 0 })
      .thenRejects('TICKET_IS_ROLLUP');
    expect(ticketAcceptsTime(replay(decider, [created])).ok).toBe(true);
    expect(ticketAcceptsTime(replay(decider, [])).ok).toBe(false);
  });

  test('children are created as announced by the split, under the parent’s root; anything else is refused', () => {
    const parentFact = { ticketId: t1, rootTicketId: t1, children };
    const child: CreateTicket = {
      ...create,
      ticketId: ticket(2),
      owner: 'project',
      projectId: project(1),
      kind: 'work',
      subject: 'Design',
      soldMinutes: 2400,
      parentTicketId: t1,
    };
    const r = decider.decide(child, replay(decider, []), { parent: parentFact });
    expect(
      r.ok &&
        r.value[0]?.type === 'ticket.created' && [
          r.value[0].payload.parentTicketId,
          r.value[0].payload.rootTicketId,
        ],
    ).toEqual([t1, t1]);
    spec
      .given([])
      .when({ ...child, soldMinutes: 2000 }, { parent: parentFact })
      .thenRejects('TICKET_PARENT_INVALID', { soldMinutes: 2000, announcedSoldMinutes: 2400 });
    spec.given([]).when(child).thenRejects('TICKET_FACTS_MISSING', { fact: 'parent' });
  });
});

describe('ticket: links', () => {
  test('other contexts are links, never a second container; duplicates are refused', () => {
    const link: TicketEvent = {
      type: 'ticket.link_added',
      payload: { ticketId: t1, linkType: 'quote', linkedId: 'Q-1', at: later },
    };
    spec
      .given([created])
      .when({ type: 'add_link', linkType: 'quote', linkedId: 'Q-1', at: later })
      .then([link]);
    spec
      .given([created, link])
      .when({ type: 'add_link', linkType: 'quote', linkedId: 'Q-1', at: later })
      .thenRejects('TICKET_LINK_DUPLICATE');
    spec
      .given([created])
      .when({ type: 'add_link', linkType: 'customer', linkedId: customer(1), at: later })
      .thenRejects('TICKET_LINK_DUPLICATE', { linkType: 'customer' });
  });
});

test('every ticket rejection code is reachable', () => {
  expect([...seen].sort()).toEqual([...TICKET_REJECTION_CODES].sort());
});
