import { type Decider, Identity, type Instant, type Rejection } from '@pet-ops/core';
import { describe, expect, it } from 'vitest';
import { employeesTable, orgStructureVersionsTable, teamMembershipsTable, teamsTable } from './identity.js';

const id = (n: number): string => `019b76da-a800-7000-8000-${n.toString(16).padStart(12, '0')}`;
const at = (m: number): Instant => `2026-03-01T09:${String(m).padStart(2, '0')}:00.000001Z` as Instant;
const boss = id(1) as Identity.EmployeeId;
const root = id(10) as Identity.TeamId;
const teamId = id(11) as Identity.TeamId;
const membershipId = id(20) as Identity.TeamMembershipId;
const versionId = id(30) as Identity.OrgStructureVersionId;

/** Decides `commands` in order from the initial state with `facts`, returning every state on the way. */
function states<S, C, E, F, R extends Rejection>(
  decider: Decider<S, C, E, F, R>,
  commands: readonly C[],
  facts: F,
): S[] {
  let state = decider.initialState();
  const out: S[] = [];
  for (const c of commands) {
    const r = decider.decide(c, state, facts);
    if (!r.ok) throw new Error(r.error.code);
    state = r.value.reduce(decider.evolve, state);
    out.push(state);
  }
  return out;
}

// What a database's JSON column gives back: the same document, a new object.
const stored = <T>(row: T): T => JSON.parse(JSON.stringify(row)) as T;

describe('identity table declarations', () => {
  it('given every state of a team (with a visual, without, archived), when written as a row and read back, then the state is the same', () => {
    const lifecycle = states(
      Identity.teamDecider,
      [
        {
          type: 'create',
          teamId,
          name: 'Platform',
          parentTeamId: root,
          managerId: boss,
          escalationManagerId: boss,
          visual: { kind: 'upload', ref: 'logos/platform.png' },
        },
        { type: 'update', changes: { visual: null, parentTeamId: null, name: 'Core' } },
        { type: 'archive', at: at(5) },
      ],
      {
        parent: { teamId: root, status: 'active', ancestorIds: [] },
        siblingNames: [],
        employees: [{ employeeId: boss, status: 'active' }],
        activeChildTeamIds: [],
      },
    );
    expect(lifecycle.map((s) => s.status)).toEqual(['active', 'active', 'archived']);
    for (const state of lifecycle) {
      expect(teamsTable.fromRow(stored(teamsTable.toRow(state)), teamId)).toEqual(state);
    }
    expect(teamsTable.toRow(lifecycle[0] as Identity.TeamState)).toMatchObject({
      visual_kind: 'upload',
      visual_ref: 'logos/platform.png',
      visual_version: 1,
      archived_at: null,
    });
    expect(teamsTable.toRow(lifecycle[2] as Identity.TeamState)).toMatchObject({
      state: 'archived',
      visual_kind: null,
      visual_ref: null,
      visual_version: 2,
      archived_at: at(5),
    });
  });

  it('given an open and a closed membership, when written as rows, then open_marker is true only while open, and both read back unchanged', () => {
    const [open, closed] = states(
      Identity.teamMembershipDecider,
      [
        { type: 'add', membershipId, teamId, employeeId: boss, role: 'lead', at: at(1) },
        { type: 'remove', at: at(2) },
      ],
      {
        team: { teamId, status: 'active' },
        employee: { employeeId: boss, status: 'active' },
        openMembershipIds: [],
      },
    ) as [Identity.TeamMembershipState, Identity.TeamMembershipState];
    expect(teamMembershipsTable.toRow(open)).toEqual({
      state: 'open',
      team_id: teamId,
      employee_id: boss,
      role: 'lead',
      assigned_at: at(1),
      removed_at: null,
      open_marker: true,
    });
    expect(teamMembershipsTable.toRow(closed)).toMatchObject({
      state: 'closed',
      removed_at: at(2),
      open_marker: null,
    });
    for (const state of [open, closed]) {
      expect(teamMembershipsTable.fromRow(teamMembershipsTable.toRow(state), membershipId)).toEqual(state);
    }
  });

  it('given a published org version, when written as a row and read back through JSON, then the state is the same', () => {
    const structure: Identity.OrgStructure = {
      teams: [
        { teamId: root, name: 'Delivery', parentTeamId: null, managerId: boss, escalationManagerId: null },
        { teamId, name: 'Platform', parentTeamId: root, managerId: null, escalationManagerId: boss },
      ],
      memberships: [{ teamId, employeeId: boss, role: 'member' }],
      orgRoles: [{ employeeId: boss, role: 'director' }],
      defaultEscalationManagerId: boss,
    };
    const [published] = states(
      Identity.orgStructureVersionDecider,
      [{ type: 'publish', versionId, effectiveFrom: at(10), publishedAt: at(3), structure }],
      { latest: null },
    ) as [Identity.OrgStructureVersionState];
    const row = orgStructureVersionsTable.toRow(published);
    expect(row).toMatchObject({ state: 'published', version_number: 1, effective_from: at(10) });
    expect(orgStructureVersionsTable.fromRow(stored(row), versionId)).toEqual(published);
  });

  it('given an absent aggregate, when asked for its row, then each table refuses (an absent state is never saved)', () => {
    expect(() => employeesTable.toRow({ status: 'absent' })).toThrow(TypeError);
    expect(() => teamsTable.toRow({ status: 'absent' })).toThrow(/absent team/);
    expect(() => teamMembershipsTable.toRow({ status: 'absent' })).toThrow(/absent membership/);
    expect(() => orgStructureVersionsTable.toRow({ status: 'absent' })).toThrow(/absent version/);
  });
});
