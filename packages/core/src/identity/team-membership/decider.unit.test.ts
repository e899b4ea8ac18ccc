import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  assertEvolveNeverThrows,
  assertReplayDeterministic,
  DeciderSpecification,
} from '../../testing/index.js';
import type { TeamMembershipId } from '../ids.js';
import { at, emp, membership, model, pick, team, tracked } from '../test-support.test.js';
import { type AddMember, type TeamMembershipFacts, teamMembershipCommandSchema } from './commands.js';
import { teamMembershipDecider } from './decider.js';
import type { TeamMembershipEvent } from './events.js';
import { TEAM_MEMBERSHIP_REJECTION_CODES } from './rejections.js';
import type { TeamMembershipState } from './state.js';

const { decider, seen } = tracked(teamMembershipDecider);
const spec = DeciderSpecification.for(decider);

const id = membership(1);
const add: AddMember = {
  type: 'add',
  membershipId: id,
  teamId: team(1),
  employeeId: emp(1),
  role: 'lead',
  at: at(10),
};
const facts: TeamMembershipFacts = {
  team: { teamId: team(1), status: 'active' },
  employee: { employeeId: emp(1), status: 'active' },
  openMembershipIds: [],
};
const added: TeamMembershipEvent = {
  type: 'team.member_added',
  payload: { membershipId: id, teamId: team(1), employeeId: emp(1), role: 'lead', assignedAt: at(10) },
};
const removed: TeamMembershipEvent = {
  type: 'team.member_removed',
  payload: { membershipId: id, teamId: team(1), employeeId: emp(1), removedAt: at(20) },
};

describe('team membership', () => {
  test('given nothing, when an active employee is added to an active team, then team.member_added', () => {
    spec.given([]).when(add, facts).then([added]);
    spec
      .given([])
      .when(add, { ...facts, openMembershipIds: [id] })
      .then([added]);
  });

  test('given an open membership, when removed at or after its start, then team.member_removed (history kept)', () => {
    spec
      .given([added])
      .when({ type: 'remove', at: at(20) })
      .then([removed]);
    spec
      .given([added])
      .when({ type: 'remove', at: at(20) })
      .thenState({ status: 'closed', ...added.payload, removedAt: at(20) } as never);
    spec
      .given([added])
      .when({ type: 'remove', at: at(10) })
      .then([{ ...removed, payload: { ...removed.payload, removedAt: at(10) } }]);
  });

  test('given an existing membership, when added again, then MEMBERSHIP_ALREADY_EXISTS', () => {
    spec.given([added]).when(add, facts).thenRejects('MEMBERSHIP_ALREADY_EXISTS');
  });

  test('given another open membership of the pair, then MEMBERSHIP_ALREADY_OPEN', () => {
    spec
      .given([])
      .when(add, { ...facts, openMembershipIds: [membership(2)] })
      .thenRejects('MEMBERSHIP_ALREADY_OPEN', { openMembershipIds: [membership(2)] });
  });

  test('given an archived team or a non-active employee, then the matching NOT_ACTIVE code', () => {
    spec
      .given([])
      .when(add, { ...facts, team: { teamId: team(1), status: 'archived' } })
      .thenRejects('MEMBERSHIP_TEAM_NOT_ACTIVE');
    spec
      .given([])
      .when(add, { ...facts, employee: { employeeId: emp(1), status: 'inactive' } })
      .thenRejects('MEMBERSHIP_EMPLOYEE_NOT_ACTIVE', { status: 'inactive' });
  });

  test('without facts (or facts about another team/employee), then MEMBERSHIP_FACTS_MISSING', () => {
    spec.given([]).when(add).thenRejects('MEMBERSHIP_FACTS_MISSING');
    spec
      .given([])
      .when(add, { ...facts, team: { teamId: team(2), status: 'active' } })
      .thenRejects('MEMBERSHIP_FACTS_MISSING');
  });

  test('removal before the start is MEMBERSHIP_INVALID_PERIOD; a second removal MEMBERSHIP_ALREADY_REMOVED; none MEMBERSHIP_NOT_FOUND', () => {
    spec
      .given([added])
      .when({ type: 'remove', at: at(9) })
      .thenRejects('MEMBERSHIP_INVALID_PERIOD');
    spec
      .given([added, removed])
      .when({ type: 'remove', at: at(30) })
      .thenRejects('MEMBERSHIP_ALREADY_REMOVED');
    spec
      .given([])
      .when({ type: 'remove', at: at(30) })
      .thenRejects('MEMBERSHIP_NOT_FOUND');
  });

  test('the command schema defaults the role to member', () => {
    const { role: _role, ...rest } = add;
    expect(teamMembershipCommandSchema.parse(rest)).toEqual({ ...add, role: 'member' });
    expect(teamMembershipCommandSchema.safeParse({ ...add, role: 'owner' }).success).toBe(false);
  });

  test('every membership rejection code is exercised above', () => {
    expect([...seen].sort()).toEqual([...TEAM_MEMBERSHIP_REJECTION_CODES].sort());
  });
});

type Step =
  | { kind: 'add'; n: number; team: number; emp: number; t: number }
  | { kind: 'remove'; n: number; t: number };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), n: pick(12), team: pick(2), emp: pick(2), t: fc.nat(100) }),
  fc.record({ kind: fc.constant('remove' as const), n: pick(12), t: fc.nat(100) }),
);

describe('membership invariants', () => {
  test.prop([fc.array(stepArb, { minLength: 10, maxLength: 80 })])(
    'at most one open membership per (team, employee); removedAt ≥ assignedAt; state = replay(events)',
    (steps) => {
      const m = model(teamMembershipDecider);
      for (const step of steps) {
        const self = membership(step.n);
        if (step.kind === 'remove') {
          m.run(self, { type: 'remove', at: at(step.t) }, undefined);
        } else {
          const open = m
            .all()
            .filter(
              ([, s]) =>
                s.status === 'open' && s.teamId === team(step.team) && s.employeeId === emp(step.emp),
            )
            .map(([mid]) => mid as TeamMembershipId);
          m.run(
            self,
            {
              type: 'add',
              membershipId: self,
              teamId: team(step.team),
              employeeId: emp(step.emp),
              role: 'member',
              at: at(step.t),
            },
            {
              team: { teamId: team(step.team), status: 'active' },
              employee: { employeeId: emp(step.emp), status: 'active' },
              openMembershipIds: open,
            },
          );
        }
        const pairs = new Set<string>();
        for (const [mid, s] of m.all() as [string, TeamMembershipState][]) {
          expect(m.replayMatches(mid)).toBe(true);
          if (s.status === 'closed') expect(s.removedAt >= s.assignedAt).toBe(true);
          if (s.status !== 'open') continue;
          const key = `${s.teamId}/${s.employeeId}`;
          expect(pairs.has(key)).toBe(false);
          pairs.add(key);
        }
      }
    },
  );

  const eventArb = fc.oneof(
    fc
      .nat(50)
      .map((t): TeamMembershipEvent => ({ ...added, payload: { ...added.payload, assignedAt: at(t) } })),
    fc
      .nat(50)
      .map((t): TeamMembershipEvent => ({ ...removed, payload: { ...removed.payload, removedAt: at(t) } })),
  );
  test('laws: evolve never throws, replay is deterministic', () => {
    assertEvolveNeverThrows(teamMembershipDecider, fc.array(eventArb, { maxLength: 10 }));
    assertReplayDeterministic(teamMembershipDecider, fc.array(eventArb, { maxLength: 10 }));
  });
});
