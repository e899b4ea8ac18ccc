import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { assertEvolveNeverThrows, assertReplayDeterministic } from '../../testing/index.js';
import type { EmployeeStatus } from '../employee/state.js';
import type { EmployeeId, TeamId } from '../ids.js';
import { at, emp, model, pick, team } from '../test-support.test.js';
import type { TeamCommand, TeamFacts } from './commands.js';
import { teamDecider } from './decider.js';
import { type EscalationTeamNode, resolveEscalationTarget } from './escalation.js';
import type { TeamEvent } from './events.js';
import type { TeamState } from './state.js';
import { ancestorChain } from './tree.js';

const T = 5;
const E = 4;
const NAMES = ['A', 'b', 'B', 'c'];
type Step = { who: number; command: (self: TeamId) => TeamCommand };
const optTeam = (n: number | null) => (n === null ? null : team(n));
const optEmp = (n: number | null) => (n === null ? null : emp(n));

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc
    .record({
      who: pick(T),
      parent: fc.option(pick(T), { freq: 2 }),
      name: fc.constantFrom(...NAMES),
      manager: fc.option(pick(E)),
    })
    .map(({ who, parent, name, manager }) => ({
      who,
      command: (self: TeamId): TeamCommand => ({
        type: 'create',
        teamId: self,
        name,
        parentTeamId: optTeam(parent),
        managerId: optEmp(manager),
        escalationManagerId: null,
        visual: null,
      }),
    })),
  fc.record({ who: pick(T), parent: fc.option(pick(T), { freq: 4 }) }).map(({ who, parent }) => ({
    who,
    command: (): TeamCommand => ({ type: 'update', changes: { parentTeamId: optTeam(parent) } }),
  })),
  fc
    .record({ who: pick(T), name: fc.constantFrom(...NAMES), esc: fc.option(pick(E)) })
    .map(({ who, name, esc }) => ({
      who,
      command: (): TeamCommand => ({ type: 'update', changes: { name, escalationManagerId: optEmp(esc) } }),
    })),
  fc.record({ who: pick(T), t: fc.nat(100) }).map(({ who, t }) => ({
    who,
    command: (): TeamCommand => ({ type: 'archive', at: at(t) }),
  })),
);

let moves = 0;

/**
 * Teams 0–2 exist from the start, as roots with names the random steps never use. Random creates alone
 * seldom left two teams to move between, so a whole property run had about 5 accepted moves and now and
 * then none, which failed the non-vacuity check below.
 */
const preamble: Step[] = [0, 1, 2].map((n) => ({
  who: n,
  command: (self: TeamId): TeamCommand => ({
    type: 'create',
    teamId: self,
    name: `root ${n}`,
    parentTeamId: null,
    managerId: null,
    escalationManagerId: null,
    visual: null,
  }),
}));

describe('team invariants under random command sequences', () => {
  test.prop([
    fc.array(stepArb, { minLength: 20, maxLength: 120 }),
    fc.array(fc.constantFrom<EmployeeStatus>('active', 'inactive', 'archived'), {
      minLength: E,
      maxLength: E,
    }),
  ])(
    'nesting never cycles, active teams have active parents, names are unique among active siblings, managers are active',
    (steps, statuses) => {
      const m = model(teamDecider);
      const stateOf = (id: TeamId): TeamState => m.state(id);
      const parentOf = (id: TeamId) => {
        const s = stateOf(id);
        return s.status === 'absent' ? undefined : s.parentTeamId;
      };
      const employees = statuses.map((status, i) => ({ employeeId: emp(i), status }));
      const activeChildren = (parent: TeamId | null, except: TeamId) =>
        m.all().filter(([id, s]) => id !== except && s.status === 'active' && s.parentTeamId === parent) as [
          TeamId,
          TeamState & { status: 'active' },
        ][];
      const factsFor = (self: TeamId, command: TeamCommand): TeamFacts => {
        const current = stateOf(self);
        const parentTeamId =
          command.type === 'create'
            ? command.parentTeamId
            : command.type === 'update' && command.changes.parentTeamId !== undefined
              ? command.changes.parentTeamId
              : current.status === 'absent'
                ? null
                : current.parentTeamId;
        const ps = parentTeamId === null ? undefined : stateOf(parentTeamId);
        const base: TeamFacts = {
          siblingNames: activeChildren(parentTeamId, self).map(([, s]) => s.name),
          employees,
          activeChildTeamIds: activeChildren(self, self).map(([id]) => id),
        };
        return parentTeamId === null || ps === undefined || ps.status === 'absent'
          ? base
          : {
              ...base,
              parent: {
                teamId: parentTeamId,
                status: ps.status,
                ancestorIds: ancestorChain(parentOf, parentTeamId),
              },
            };
      };
      for (const step of [...preamble, ...steps]) {
        const self = team(step.who);
        const command = step.command(self);
        const r = m.run(self, command, factsFor(self, command));
        if (
          r.ok &&
          command.type === 'update' &&
          r.events.some((e) => e.type === 'team.updated' && 'parentTeamId' in e.payload.changes)
        )
          moves += 1;
        const names = new Set<string>();
        for (const [id, s] of m.all() as [TeamId, TeamState][]) {
          expect(m.replayMatches(id)).toBe(true);
          if (s.status === 'absent') continue;
          // Walking up from any team reaches a root without meeting the team again.
          const seen = new Set<TeamId>([id]);
          for (let p = s.parentTeamId; p !== null; p = parentOf(p) ?? null) {
            expect(seen.has(p)).toBe(false);
            seen.add(p);
          }
          if (s.status !== 'active') continue;
          if (s.parentTeamId !== null) expect(stateOf(s.parentTeamId).status).toBe('active');
          const key = `${s.parentTeamId}/${s.name.toLowerCase()}`;
          expect(names.has(key)).toBe(false);
          names.add(key);
          for (const who of [s.managerId, s.escalationManagerId]) {
            if (who !== null && m.events(id).some((e) => JSON.stringify(e).includes(who))) {
              // Set by an accepted command, so it was active then (statuses are fixed here).
              expect(employees.find((x) => x.employeeId === who)?.status).toBe('active');
            }
          }
        }
      }
    },
  );

  test('the generator does reach accepted moves (the property is not vacuous)', () => {
    expect(moves).toBeGreaterThan(0);
  });
});

// Random forests: team i's parent is a team with a smaller index, so the tree is acyclic.
const forestArb = fc
  .array(
    fc.record({
      parent: fc.option(fc.nat(), { freq: 3 }),
      manager: fc.option(pick(E)),
      esc: fc.option(pick(E), { freq: 2 }),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((rows): EscalationTeamNode[] =>
    rows.map((r, i) => ({
      teamId: team(i),
      parentTeamId: r.parent === null || i === 0 ? null : team(r.parent % i),
      managerId: optEmp(r.manager),
      escalationManagerId: optEmp(r.esc),
    })),
  );

describe('escalation routing', () => {
  test.prop([forestArb, fc.option(pick(E)), fc.nat(), fc.func(fc.boolean())])(
    'resolves like the documented chain: escalation manager → ancestors (escalation, else manager) → org default',
    (teams, fallback, which, eligibleFn) => {
      const isEligible = (id: EmployeeId) => eligibleFn(id);
      const byId = new Map(teams.map((t) => [t.teamId, t]));
      const ok = (id: EmployeeId | null): id is EmployeeId => id !== null && isEligible(id);
      const up = (id: TeamId | null): EmployeeId | null => {
        if (id === null) return ok(optEmp(fallback)) ? optEmp(fallback) : null;
        const t = byId.get(id)!;
        if (ok(t.escalationManagerId)) return t.escalationManagerId;
        if (ok(t.managerId)) return t.managerId;
        return up(t.parentTeamId);
      };
      const start = teams[which % teams.length]!;
      const expected = ok(start.escalationManagerId) ? start.escalationManagerId : up(start.parentTeamId);
      const org = { teams, defaultEscalationManagerId: optEmp(fallback) };
      const got = resolveEscalationTarget(org, start.teamId, isEligible);
      expect(got?.employeeId ?? null).toBe(expected);
      expect(resolveEscalationTarget(org, start.teamId, isEligible)).toEqual(got);
    },
  );

  test('examples of each rule, an unknown team and a cyclic input (terminates)', () => {
    const teams: EscalationTeamNode[] = [
      { teamId: team(0), parentTeamId: null, managerId: emp(1), escalationManagerId: null },
      { teamId: team(1), parentTeamId: team(0), managerId: emp(2), escalationManagerId: null },
      { teamId: team(2), parentTeamId: team(1), managerId: null, escalationManagerId: emp(3) },
    ];
    const org = { teams, defaultEscalationManagerId: emp(9) };
    expect(resolveEscalationTarget(org, team(2))).toEqual({
      employeeId: emp(3),
      rule: 'team_escalation_manager',
      teamId: team(2),
    });
    expect(resolveEscalationTarget(org, team(1))).toEqual({
      employeeId: emp(1),
      rule: 'ancestor_manager',
      teamId: team(0),
    });
    expect(resolveEscalationTarget(org, team(0))).toEqual({
      employeeId: emp(9),
      rule: 'org_default',
      teamId: null,
    });
    expect(resolveEscalationTarget(org, team(2), (id) => id !== emp(3))).toEqual({
      employeeId: emp(2),
      rule: 'ancestor_manager',
      teamId: team(1),
    });
    expect(
      resolveEscalationTarget(
        {
          teams: [
            { ...teams[2]!, parentTeamId: team(0) },
            { ...teams[0]!, escalationManagerId: emp(4) },
          ],
          defaultEscalationManagerId: null,
        },
        team(2),
        () => false,
      ),
    ).toBeNull();
    expect(resolveEscalationTarget(org, team(99))).toBeNull();
    const cyclic: EscalationTeamNode[] = [
      { teamId: team(0), parentTeamId: team(1), managerId: null, escalationManagerId: null },
      { teamId: team(1), parentTeamId: team(0), managerId: null, escalationManagerId: null },
    ];
    expect(
      resolveEscalationTarget({ teams: cyclic, defaultEscalationManagerId: emp(9) }, team(0))?.rule,
    ).toBe('org_default');
    expect(
      resolveEscalationTarget(
        { teams: teams.map((t) => ({ ...t })), defaultEscalationManagerId: null },
        team(1),
        () => true,
      )?.rule,
    ).toBe('ancestor_manager');
  });

  test('ancestorChain stops at roots, unknown teams and cycles', () => {
    const parents = new Map<TeamId, TeamId | null>([
      [team(2), team(1)],
      [team(1), team(0)],
      [team(0), null],
      [team(5), team(6)],
      [team(6), team(5)],
    ]);
    expect(ancestorChain((id) => parents.get(id), team(2))).toEqual([team(1), team(0)]);
    expect(ancestorChain((id) => parents.get(id), team(9))).toEqual([]);
    expect(ancestorChain((id) => parents.get(id), team(5))).toEqual([team(6)]);
  });
});

const eventArb: fc.Arbitrary<TeamEvent> = fc.oneof(
  fc.constantFrom(...NAMES).map(
    (name): TeamEvent => ({
      type: 'team.created',
      payload: {
        teamId: team(1),
        name,
        parentTeamId: null,
        managerId: null,
        escalationManagerId: null,
        visual: null,
        visualVersion: 1,
      },
    }),
  ),
  fc.option(pick(T)).map(
    (p): TeamEvent => ({
      type: 'team.updated',
      payload: { teamId: team(1), changes: { parentTeamId: optTeam(p) } },
    }),
  ),
  fc.nat(10).map((t): TeamEvent => ({ type: 'team.archived', payload: { teamId: team(1), at: at(t) } })),
);

test('team laws: evolve never throws, replay is deterministic', () => {
  assertEvolveNeverThrows(teamDecider, fc.array(eventArb, { maxLength: 20 }));
  assertReplayDeterministic(teamDecider, fc.array(eventArb, { maxLength: 20 }));
});
