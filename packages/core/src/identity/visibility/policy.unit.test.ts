import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { EmployeeId, TeamId } from '../ids.js';
import type { OrgStructure } from '../org-structure-version/structure.js';
import { at, emp, pick, team } from '../test-support.test.js';
import { canSee, type OrgVersionSnapshot, type VisibilityScope, viewerReach } from './policy.js';

const E = 7;

// Random org trees: team i's parent has a smaller index (a forest, never a cycle).
const structureArb: fc.Arbitrary<OrgStructure> = fc
  .record({
    teams: fc.array(fc.record({ parent: fc.option(fc.nat(), { freq: 4 }), manager: fc.option(pick(E)) }), {
      minLength: 1,
      maxLength: 10,
    }),
    members: fc.array(fc.record({ team: fc.nat(), emp: pick(E), lead: fc.boolean() }), { maxLength: 14 }),
    orgRoles: fc.uniqueArray(pick(E), { maxLength: 2 }),
  })
  .map(({ teams, members, orgRoles }) => {
    const seen = new Set<string>();
    return {
      teams: teams.map((t, i) => ({
        teamId: team(i),
        name: `T${i}`,
        parentTeamId: t.parent === null || i === 0 ? null : team(t.parent % i),
        managerId: t.manager === null ? null : emp(t.manager),
        escalationManagerId: null,
      })),
      memberships: members
        .map((m) => ({
          teamId: team(m.team % teams.length),
          employeeId: emp(m.emp),
          role: m.lead ? ('lead' as const) : ('member' as const),
        }))
        .filter((m) => {
          const key = `${m.teamId}/${m.employeeId}`;
          const fresh = !seen.has(key);
          seen.add(key);
          return fresh;
        }),
      orgRoles: orgRoles.map((e) => ({ employeeId: emp(e), role: 'director' })),
      defaultEscalationManagerId: null,
    };
  });

const recordArb = (teams: number): fc.Arbitrary<VisibilityScope> =>
  fc.oneof(
    pick(E).map((e): VisibilityScope => ({ scope: 'employee', employeeId: emp(e) })),
    pick(teams).map((t): VisibilityScope => ({ scope: 'team', teamId: team(t) })),
    fc.constant<VisibilityScope>({ scope: 'org' }),
  );

/** A second, independent formulation of the policy: walk up from the record instead of down from the viewer. */
function reference(s: OrgStructure, viewer: EmployeeId, record: VisibilityScope): boolean {
  if (record.scope === 'employee' && record.employeeId === viewer) return true;
  if (s.orgRoles.some((r) => r.employeeId === viewer)) return true;
  const byId = new Map(s.teams.map((t) => [t.teamId, t]));
  const controls = (t: TeamId) =>
    byId.get(t)?.managerId === viewer ||
    s.memberships.some((m) => m.teamId === t && m.employeeId === viewer && m.role === 'lead');
  const controlledFromAbove = (t: TeamId | null): boolean => {
    for (let c = t; c !== null; c = byId.get(c)?.parentTeamId ?? null) if (controls(c)) return true;
    return false;
  };
  switch (record.scope) {
    case 'org':
      return false;
    case 'team':
      return controlledFromAbove(record.teamId);
    case 'employee':
      return (
        s.memberships.some((m) => m.employeeId === record.employeeId && controlledFromAbove(m.teamId)) ||
        s.teams.some(
          (t) =>
            t.managerId === record.employeeId &&
            t.parentTeamId !== null &&
            controlledFromAbove(t.parentTeamId),
        )
      );
  }
}

const snapshot = (structure: OrgStructure, versionNumber = 1, from = 0): OrgVersionSnapshot => ({
  versionNumber,
  effectiveFrom: at(from),
  structure,
});

describe('visibility policy against random org trees', () => {
  test.prop([structureArb.chain((s) => fc.tuple(fc.constant(s), pick(E), recordArb(s.teams.length)))])(
    'agrees with an independent bottom-up formulation of the rules',
    ([structure, v, record]) => {
      expect(canSee({ employeeId: emp(v) }, record, at(10), [snapshot(structure)])).toBe(
        reference(structure, emp(v), record),
      );
    },
  );

  test.prop([structureArb, pick(E)])(
    'everybody sees their own records, at any time, even before any version',
    (structure, v) => {
      const own: VisibilityScope = { scope: 'employee', employeeId: emp(v) };
      expect(canSee({ employeeId: emp(v) }, own, at(10), [snapshot(structure)])).toBe(true);
      expect(canSee({ employeeId: emp(v) }, own, at(10), [])).toBe(true);
    },
  );

  test.prop([
    structureArb.chain((s) =>
      fc.tuple(fc.constant(s), pick(E), pick(s.teams.length), recordArb(s.teams.length)),
    ),
  ])(
    'becoming a lead of a team never hides anything; it reveals the team and all its sub-teams',
    ([structure, v, t, record]) => {
      const viewer = { employeeId: emp(v) };
      const before = canSee(viewer, record, at(10), [snapshot(structure)]);
      const promoted: OrgStructure = {
        ...structure,
        memberships: [
          ...structure.memberships.filter((m) => !(m.teamId === team(t) && m.employeeId === emp(v))),
          { teamId: team(t), employeeId: emp(v), role: 'lead' },
        ],
      };
      const after = canSee(viewer, record, at(10), [snapshot(promoted)]);
      if (before) expect(after).toBe(true);
      const reach = viewerReach(viewer, promoted);
      for (const sub of structure.teams.filter((x) =>
        reference(promoted, emp(v), { scope: 'team', teamId: x.teamId }),
      )) {
        expect(reach.everything || reach.teamIds.has(sub.teamId)).toBe(true);
      }
      expect(canSee(viewer, { scope: 'team', teamId: team(t) }, at(10), [snapshot(promoted)])).toBe(true);
    },
  );

  test.prop([structureArb, pick(E)])(
    'an org-level role sees everything; without a role, org-scoped records stay hidden',
    (structure, v) => {
      const viewer = { employeeId: emp(v) };
      const hasRole = structure.orgRoles.some((r) => r.employeeId === emp(v));
      expect(canSee(viewer, { scope: 'org' }, at(10), [snapshot(structure)])).toBe(hasRole);
      if (hasRole) {
        for (const t of structure.teams)
          expect(canSee(viewer, { scope: 'team', teamId: t.teamId }, at(10), [snapshot(structure)])).toBe(
            true,
          );
      }
    },
  );

  test.prop([structureArb, structureArb, pick(E), fc.nat(300)])(
    'the structure in effect at asOf decides (versions are looked up by period)',
    (first, second, v, probe) => {
      const versions = [snapshot(first, 1, 100), snapshot(second, 2, 200)];
      const expected = probe < 100 ? null : probe < 200 ? first : second;
      for (let t = 0; t < 3; t++) {
        const record: VisibilityScope = { scope: 'team', teamId: team(t) };
        const want = expected === null ? false : reference(expected, emp(v), record);
        expect(canSee({ employeeId: emp(v) }, record, at(probe), versions)).toBe(want);
      }
    },
  );
});

describe('visibility examples', () => {
  // Company ─ Ops (manager 2, lead 3, member 4) ─ Night shift (manager 5, member 6)
  const structure: OrgStructure = {
    teams: [
      { teamId: team(0), name: 'Company', parentTeamId: null, managerId: emp(1), escalationManagerId: null },
      { teamId: team(1), name: 'Ops', parentTeamId: team(0), managerId: emp(2), escalationManagerId: null },
      {
        teamId: team(2),
        name: 'Night shift',
        parentTeamId: team(1),
        managerId: emp(5),
        escalationManagerId: null,
      },
    ],
    memberships: [
      { teamId: team(1), employeeId: emp(3), role: 'lead' },
      { teamId: team(1), employeeId: emp(4), role: 'member' },
      { teamId: team(2), employeeId: emp(6), role: 'member' },
    ],
    orgRoles: [{ employeeId: emp(9), role: 'finance' }],
    defaultEscalationManagerId: null,
  };
  const versions = [snapshot(structure)];
  const sees = (viewer: number, record: VisibilityScope) =>
    canSee({ employeeId: emp(viewer) }, record, at(10), versions);
  const employee = (n: number): VisibilityScope => ({ scope: 'employee', employeeId: emp(n) });

  test('a lead sees the team, its sub-teams and their people, but not the manager above them', () => {
    expect(sees(3, { scope: 'team', teamId: team(1) })).toBe(true);
    expect(sees(3, { scope: 'team', teamId: team(2) })).toBe(true);
    expect([4, 5, 6].map((n) => sees(3, employee(n)))).toEqual([true, true, true]);
    expect(sees(3, employee(2))).toBe(false);
    expect(sees(3, { scope: 'team', teamId: team(0) })).toBe(false);
  });

  test('a member sees only their own records; the top manager sees everyone below; an org role sees the org', () => {
    expect(sees(4, employee(4))).toBe(true);
    expect(sees(4, employee(3))).toBe(false);
    expect(sees(4, { scope: 'team', teamId: team(1) })).toBe(false);
    expect([2, 3, 4, 5, 6].map((n) => sees(1, employee(n)))).toEqual([true, true, true, true, true]);
    expect(sees(1, { scope: 'org' })).toBe(false);
    expect(sees(9, { scope: 'org' })).toBe(true);
    expect(sees(9, employee(6))).toBe(true);
  });

  test('before the first version only own records are visible', () => {
    expect(canSee({ employeeId: emp(1) }, employee(2), at(10), [snapshot(structure, 1, 20)])).toBe(false);
    expect(canSee({ employeeId: emp(1) }, employee(2), at(20), [snapshot(structure, 1, 20)])).toBe(true);
  });
});
