import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { instantFromEpochMs, replay } from '../../kernel/index.js';
import { assertEvolveNeverThrows, assertReplayDeterministic } from '../../testing/index.js';
import { customer, employee, project, team, ticket } from '../test-support.test.js';
import type { TicketCommand, TicketFacts } from './commands.js';
import { ticketDecider as decider } from './decider.js';
import type { TicketEvent } from './events.js';
import { allowedTicketTransitions, type TicketOwner, type TicketStatus } from './lifecycle.js';
import type { TicketDetails, TicketState } from './state.js';

const STATUSES: readonly TicketStatus[] = [
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
];
const at = (n: number) => instantFromEpochMs(Date.UTC(2026, 2, 2) + n * 60_000);

const commandArb: fc.Arbitrary<TicketCommand> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .constantFrom(...STATUSES)
      .map((to): TicketCommand => ({ type: 'change_status', to, at: at(1) })),
  },
  { weight: 1, arbitrary: fc.constant<TicketCommand>({ type: 'respond', at: at(2) }) },
  {
    weight: 1,
    arbitrary: fc.nat(3).map((n): TicketCommand => ({ type: 'prefer', employeeId: employee(n), at: at(3) })),
  },
  {
    weight: 2,
    arbitrary: fc.nat(2).map((n): TicketCommand => ({ type: 'queue', teamId: team(n), at: at(3) })),
  },
  {
    weight: 2,
    arbitrary: fc.nat(3).map((n): TicketCommand => ({ type: 'pull', employeeId: employee(n), at: at(4) })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ n: fc.nat(3), toTeam: fc.boolean() }).map(
      ({ n, toTeam }): TicketCommand => ({
        type: 'allocate',
        to: toTeam ? { teamId: team(n) } : { employeeId: employee(n) },
        byEmployeeId: employee(9),
        at: at(5),
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('low', 'medium', 'high', 'critical' as const)
      .map((priority): TicketCommand => ({ type: 'change_priority', priority, at: at(6) })),
  },
  {
    weight: 2,
    arbitrary: fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 4 }).map(
      (parts): TicketCommand => ({
        type: 'split',
        children: parts.map((soldMinutes, i) => ({
          ticketId: ticket(10 + i),
          subject: `child ${i}`,
          soldMinutes,
        })),
        at: at(7),
      }),
    ),
  },
);

let accepted = 0;
let splits = 0;

describe('ticket invariants under random command sequences', () => {
  test.prop(
    [
      fc.constantFrom<TicketOwner>('support', 'project', 'internal'),
      fc.option(fc.integer({ min: 0, max: 6000 }), { nil: null }),
      fc.array(commandArb, { minLength: 5, maxLength: 40 }),
    ],
    { numRuns: 200 },
  )(
    'lifecycle moves are the owner’s; closed is immutable; one of team/employee; roll-up children sum to the sold minutes; replay = live',
    (owner, soldMinutes, commands) => {
      const events: TicketEvent[] = [];
      let state: TicketState = decider.initialState();
      const run = (command: TicketCommand, facts?: TicketFacts) => {
        const r = decider.decide(command, state, facts);
        if (!r.ok) return;
        for (const e of r.value) {
          if (state.status !== 'absent') {
            if (state.status === 'closed')
              expect(e).toMatchObject({ type: 'ticket.status_changed', payload: { to: 'archived' } });
            if (e.type === 'ticket.status_changed')
              expect(allowedTicketTransitions(owner, state.status)).toContain(e.payload.to);
          }
          state = decider.evolve(state, e);
          events.push(e);
        }
        accepted += r.value.length;
      };
      run({
        type: 'create',
        ticketId: ticket(1),
        owner,
        customerId: customer(1),
        siteId: null,
        projectId: owner === 'project' ? project(1) : null,
        subject: 'Random',
        priority: 'medium',
        kind: 'work',
        soldMinutes,
        sla: { mode: 'inherit' },
        parentTicketId: null,
        at: at(0),
      });
      for (const command of commands) {
        // The first child takes the remainder, so a split whose other children fit is accepted.
        const fixed =
          command.type === 'split' && soldMinutes !== null && command.children.length >= 2
            ? {
                ...command,
                children: command.children.map((c, i) =>
                  i === 0
                    ? {
                        ...c,
                        soldMinutes: Math.max(
                          0,
                          soldMinutes - command.children.slice(1).reduce((s, x) => s + x.soldMinutes, 0),
                        ),
                      }
                    : c,
                ),
              }
            : command;
        run(fixed, { pullerTeamIds: [team(0), team(1)], loggedMinutes: 0 });
        const s = state as TicketDetails;
        if (s.assignmentMode !== null)
          expect((s.assignedTeamId === null) !== (s.assignedEmployeeId === null)).toBe(true);
        if (s.isRollup) expect(s.children.reduce((sum, c) => sum + c.soldMinutes, 0)).toBe(s.soldMinutes);
      }
      if ((state as TicketDetails).isRollup) splits += 1;
      expect(replay(decider, events)).toEqual(state);
    },
  );

  test('the property accepted moves and splits (non-vacuous)', () => {
    expect(accepted).toBeGreaterThan(200);
    expect(splits).toBeGreaterThan(3);
  });

  test('evolve never throws on arbitrary ticket events and replay is deterministic', () => {
    const eventArb: fc.Arbitrary<TicketEvent> = fc.oneof(
      fc.constantFrom(...STATUSES).chain((from) =>
        fc.constantFrom(...STATUSES).map(
          (to): TicketEvent => ({
            type: 'ticket.status_changed',
            payload: { ticketId: ticket(1), from, to, at: at(1) },
          }),
        ),
      ),
      fc.constant<TicketEvent>({ type: 'ticket.responded', payload: { ticketId: ticket(1), at: at(2) } }),
      fc.constant<TicketEvent>({
        type: 'ticket.created',
        payload: {
          ticketId: ticket(1),
          owner: 'support',
          status: 'new',
          customerId: customer(1),
          siteId: null,
          projectId: null,
          subject: 'x',
          priority: 'low',
          kind: 'work',
          soldMinutes: null,
          sla: { mode: 'inherit' },
          parentTicketId: null,
          rootTicketId: ticket(1),
          at: at(0),
        },
      }),
    );
    assertEvolveNeverThrows(decider, fc.array(eventArb, { maxLength: 20 }));
    assertReplayDeterministic(decider, fc.array(eventArb, { maxLength: 20 }));
  });
});
