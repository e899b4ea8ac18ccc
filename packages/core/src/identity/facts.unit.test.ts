import { describe, expect, it } from 'vitest';
import type { AggregateDefinition, EventDraft, UnitOfWork, Uuid } from '../kernel/index.js';
import { fixedClock } from '../testing/clock.js';
import { sequentialIds } from '../testing/ids.js';
import { createInMemoryEventStore, createInMemoryUnitOfWork } from '../testing/in-memory-event-store.js';
import { decideEmployee } from './employee/decide.js';
import { type EmployeeState, initialEmployeeState } from './employee/state.js';
import {
  activeChildTeamIdsOf,
  dependantsOf,
  employeeFactsLoader,
  followChain,
  type IdentityDefinitions,
  MAX_IDENTITY_CHAIN,
  openMembershipIdsOf,
  orgStructureVersionFactsLoader,
  siblingTeamNames,
  teamFactsLoader,
  teamMembershipFactsLoader,
} from './facts.js';
import type { EmployeeId, TeamId } from './ids.js';
import { decideOrgStructureVersion } from './org-structure-version/decide.js';
import {
  initialOrgStructureVersionState,
  type OrgStructureVersionState,
} from './org-structure-version/state.js';
import { decideTeam } from './team/decide.js';
import { initialTeamState, type TeamState } from './team/state.js';
import { decideTeamMembership } from './team-membership/decide.js';
import { initialTeamMembershipState, type TeamMembershipState } from './team-membership/state.js';
import { at, emp, membership, orgVersion, team } from './test-support.test.js';

const asIs = <S>(streamType: string, initialState: () => S): AggregateDefinition<S> => ({
  streamType,
  initialState,
  encode: (s) => s,
  decode: (s) => s as S,
});
const definitions: IdentityDefinitions = {
  employee: asIs<EmployeeState>('employee', initialEmployeeState),
  team: asIs<TeamState>('team', initialTeamState),
  teamMembership: asIs<TeamMembershipState>('team_membership', initialTeamMembershipState),
  orgStructureVersion: asIs<OrgStructureVersionState>(
    'org_structure_version',
    initialOrgStructureVersionState,
  ),
};

const ids = sequentialIds(900);
const draft = (streamType: string): EventDraft => ({
  eventId: ids.next(),
  type: 'test.saved',
  schemaVersion: 1,
  streamType,
  occurredAt: at(0),
  actor: { type: 'system', id: null },
  context: {},
  correlationId: null,
  causationId: null,
  payload: {},
});

const person = (
  n: number,
  managerId: EmployeeId | null,
  status: 'active' | 'inactive' | 'archived' = 'active',
): EmployeeState => {
  const details = {
    employeeId: emp(n),
    firstName: 'F',
    lastName: `L${n}`,
    email: `e${n}@example.com`,
    hostUserId: null,
    managerId,
    hireDate: null,
  };
  if (status === 'active') return { ...details, status };
  if (status === 'inactive') return { ...details, status, deactivatedAt: at(1) };
  return { ...details, status, deactivatedAt: at(1), archivedAt: at(2) };
};
const unit = (
  n: number,
  name: string,
  parentTeamId: TeamId | null,
  over: Partial<{
    managerId: EmployeeId | null;
    escalationManagerId: EmployeeId | null;
    archived: boolean;
  }> = {},
): TeamState => {
  const details = {
    teamId: team(n),
    name,
    parentTeamId,
    managerId: over.managerId ?? null,
    escalationManagerId: over.escalationManagerId ?? null,
    visual: null,
    visualVersion: 1,
  };
  return over.archived === true
    ? { ...details, status: 'archived', archivedAt: at(3) }
    : { ...details, status: 'active' };
};
const member = (n: number, teamId: TeamId, employeeId: EmployeeId, open = true): TeamMembershipState => {
  const details = {
    membershipId: membership(n),
    teamId,
    employeeId,
    role: 'member' as const,
    assignedAt: at(1),
  };
  return open ? { ...details, status: 'open' } : { ...details, status: 'closed', removedAt: at(2) };
};

/**
 * The organisation the tests read: e1 tops the hierarchy, e2 reports to e1, e3 and e4 (inactive) and
 * e5 (archived) report to e2; e6 and e7 manage each other (a stored cycle). Teams: t1 root "Delivery"
 * (manager e2), t2 "Platform" and t3 "Data" (escalation e2) under t1, t4 archived "Legacy" under t1,
 * t5 root "Sales". Memberships: m1 open (t2, e2), m2 closed (t3, e2), m3 open (t2, e3).
 */
async function seeded(): Promise<UnitOfWork> {
  const uow = createInMemoryUnitOfWork(createInMemoryEventStore({ clock: fixedClock(at(0)) }));
  await uow.run(async (scope) => {
    const put = async <S>(definition: AggregateDefinition<S>, id: string, state: S) => {
      await scope.aggregate(definition).save(id as Uuid, 0, state, [draft(definition.streamType)]);
    };
    await put(definitions.employee, emp(1), person(1, null));
    await put(definitions.employee, emp(2), person(2, emp(1)));
    await put(definitions.employee, emp(3), person(3, emp(2)));
    await put(definitions.employee, emp(4), person(4, emp(2), 'inactive'));
    await put(definitions.employee, emp(5), person(5, emp(2), 'archived'));
    await put(definitions.employee, emp(6), person(6, emp(7)));
    await put(definitions.employee, emp(7), person(7, emp(6)));
    await put(definitions.team, team(1), unit(1, 'Delivery', null, { managerId: emp(2) }));
    await put(definitions.team, team(2), unit(2, 'Platform', team(1)));
    await put(definitions.team, team(3), unit(3, 'Data', team(1), { escalationManagerId: emp(2) }));
    await put(definitions.team, team(4), unit(4, 'Legacy', team(1), { archived: true, managerId: emp(2) }));
    await put(definitions.team, team(5), unit(5, 'Sales', null));
    await put(definitions.teamMembership, membership(1), member(1, team(2), emp(2)));
    await put(definitions.teamMembership, membership(2), member(2, team(3), emp(2), false));
    await put(definitions.teamMembership, membership(3), member(3, team(2), emp(3)));
  });
  return uow;
}

const loadedEmployee = async (uow: UnitOfWork, id: EmployeeId) =>
  uow.run((scope) => scope.aggregate(definitions.employee).load(id as string as Uuid));
const loadedTeam = async (uow: UnitOfWork, id: TeamId) =>
  uow.run((scope) => scope.aggregate(definitions.team).load(id as string as Uuid));
const absent = <S>(definition: AggregateDefinition<S>) => ({ state: definition.initialState(), version: 0 });

describe('identity facts: the rules over candidate rows', () => {
  it('given candidates, when dependants are taken, then only non-archived reports, active managed teams and own open memberships count, by id', () => {
    const candidates = {
      employees: [
        person(4, emp(2), 'inactive'),
        person(3, emp(2)),
        person(5, emp(2), 'archived'),
        person(9, emp(1)),
      ],
      teams: [
        unit(3, 'Data', team(1), { escalationManagerId: emp(2) }),
        unit(1, 'Delivery', null, { managerId: emp(2) }),
        unit(4, 'Legacy', team(1), { archived: true, managerId: emp(2) }),
        { status: 'absent' } as const,
      ],
      memberships: [
        member(1, team(2), emp(2)),
        member(2, team(3), emp(2), false),
        member(3, team(2), emp(3)),
      ],
    };
    expect(dependantsOf(emp(2), candidates)).toEqual({
      directReportIds: [emp(3), emp(4)],
      managedTeamIds: [team(1), team(3)],
      openMembershipIds: [membership(1)],
    });
    expect(dependantsOf(emp(9), candidates)).toEqual({
      directReportIds: [],
      managedTeamIds: [],
      openMembershipIds: [],
    });
  });

  it('given teams, when siblings, sub-teams and open memberships are taken, then archived teams, other parents, the team itself and closed memberships are left out', () => {
    const teams = [
      unit(2, 'Platform', team(1)),
      unit(3, 'Data', team(1)),
      unit(4, 'Legacy', team(1), { archived: true }),
      unit(5, 'Sales', null),
    ];
    expect(siblingTeamNames(team(1), team(2), teams)).toEqual(['Data']);
    expect(siblingTeamNames(team(1), null, teams)).toEqual(['Data', 'Platform']);
    expect(siblingTeamNames(null, null, teams)).toEqual(['Sales']);
    expect(activeChildTeamIdsOf(team(1), teams)).toEqual([team(2), team(3)]);
    expect(activeChildTeamIdsOf(team(5), teams)).toEqual([]);
    const memberships = [
      member(1, team(2), emp(2)),
      member(2, team(2), emp(2), false),
      member(3, team(3), emp(2)),
    ];
    expect(openMembershipIdsOf(team(2), emp(2), memberships)).toEqual([membership(1)]);
  });

  it('given a chain that never ends, when followed, then it stops after MAX_IDENTITY_CHAIN steps; a repeated id ends it at once', async () => {
    const endless = await followChain<string>('0', async (n) => String(Number(n) + 1));
    expect(endless).toHaveLength(MAX_IDENTITY_CHAIN);
    expect(await followChain<string>('a', async (n) => (n === 'a' ? 'b' : 'a'))).toEqual(['b']);
  });
});

describe('employeeFactsLoader', () => {
  it('given a manager with managers above, when an employee is created under it, then the manager fact carries its status and chain', async () => {
    const uow = await seeded();
    const create = {
      type: 'create',
      employeeId: emp(20),
      firstName: 'New',
      lastName: 'Hire',
      email: 'new@example.com',
      hostUserId: null,
      managerId: emp(3),
      hireDate: null,
    } as const;
    const facts = await uow.run((s) =>
      employeeFactsLoader(definitions, create)(s, absent(definitions.employee)),
    );
    expect(facts).toEqual({
      manager: { employeeId: emp(3), status: 'active', managerChain: [emp(2), emp(1)] },
    });
    expect(decideEmployee(create, initialEmployeeState(), facts).ok).toBe(true);
  });

  it('given a manager change that would close a loop, when decided with the loaded facts, then EMPLOYEE_MANAGER_CYCLE', async () => {
    const uow = await seeded();
    const loaded = await loadedEmployee(uow, emp(1));
    const update = { type: 'update', changes: { managerId: emp(3) } } as const;
    const facts = await uow.run((s) => employeeFactsLoader(definitions, update)(s, loaded));
    expect(facts?.manager?.managerChain).toEqual([emp(2), emp(1)]);
    const r = decideEmployee(update, loaded.state, facts);
    expect(r.ok ? 'ok' : r.error.code).toBe('EMPLOYEE_MANAGER_CYCLE');
  });

  it('given stored data with a management loop or an unknown manager, when loaded, then the chain ends at the repeat and an unknown manager is left out', async () => {
    const uow = await seeded();
    const create = (managerId: EmployeeId) =>
      ({
        type: 'create',
        employeeId: emp(21),
        firstName: 'A',
        lastName: 'B',
        email: 'ab@example.com',
        hostUserId: null,
        managerId,
        hireDate: null,
      }) as const;
    const looped = await uow.run((s) =>
      employeeFactsLoader(definitions, create(emp(6)))(s, absent(definitions.employee)),
    );
    expect(looped?.manager?.managerChain).toEqual([emp(7)]);
    const unknown = await uow.run((s) =>
      employeeFactsLoader(definitions, create(emp(99)))(s, absent(definitions.employee)),
    );
    expect(unknown).toEqual({});
    const r = decideEmployee(create(emp(99)), initialEmployeeState(), unknown);
    expect(r.ok ? 'ok' : r.error.code).toBe('EMPLOYEE_FACTS_MISSING');
  });

  it('given a deactivation, when loaded with the known rows, then the dependants among them; without known rows they are left out (fail closed)', async () => {
    const uow = await seeded();
    const loaded = await loadedEmployee(uow, emp(2));
    const deactivate = { type: 'deactivate', at: at(9) } as const;
    const known = {
      employeeIds: [emp(1), emp(3), emp(4), emp(5), emp(99)],
      teamIds: [team(1), team(2), team(3), team(4), team(98)],
      membershipIds: [membership(1), membership(2), membership(3)],
    };
    const facts = await uow.run((s) => employeeFactsLoader(definitions, deactivate, known)(s, loaded));
    expect(facts).toEqual({
      dependants: {
        directReportIds: [emp(3), emp(4)],
        managedTeamIds: [team(1), team(3)],
        openMembershipIds: [membership(1)],
      },
    });
    const refused = decideEmployee(deactivate, loaded.state, facts);
    expect(refused.ok ? 'ok' : refused.error.code).toBe('EMPLOYEE_HAS_DEPENDANTS');
    const blind = await uow.run((s) => employeeFactsLoader(definitions, deactivate)(s, loaded));
    expect(blind).toEqual({});
    const r = decideEmployee(deactivate, loaded.state, blind);
    expect(r.ok ? 'ok' : r.error.code).toBe('EMPLOYEE_FACTS_MISSING');
  });
});

describe('teamFactsLoader', () => {
  it('given a new team under a sub-team, when loaded with the known teams, then parent, ancestors, sibling names and the managers’ statuses', async () => {
    const uow = await seeded();
    const create = {
      type: 'create',
      teamId: team(20),
      name: 'data',
      parentTeamId: team(1),
      managerId: emp(4),
      escalationManagerId: emp(3),
      visual: null,
    } as const;
    const known = { teamIds: [team(2), team(3), team(4), team(5)] };
    const facts = await uow.run((s) =>
      teamFactsLoader(definitions, create, known)(s, absent(definitions.team)),
    );
    expect(facts).toEqual({
      parent: { teamId: team(1), status: 'active', ancestorIds: [] },
      siblingNames: ['Data', 'Platform'],
      employees: [
        { employeeId: emp(4), status: 'inactive' },
        { employeeId: emp(3), status: 'active' },
      ],
    });
    const r = decideTeam(create, initialTeamState(), facts);
    expect(r.ok ? 'ok' : r.error.code).toBe('TEAM_NAME_TAKEN');
    const blind = await uow.run((s) => teamFactsLoader(definitions, create)(s, absent(definitions.team)));
    expect(blind?.siblingNames).toBeUndefined();
    const missing = decideTeam({ ...create, name: 'Fresh' }, initialTeamState(), blind);
    expect(missing.ok ? 'ok' : missing.error.code).toBe('TEAM_FACTS_MISSING');
  });

  it('given a move of a team under its own sub-team, when decided with the loaded ancestors, then TEAM_PARENT_CYCLE', async () => {
    const uow = await seeded();
    const loaded = await loadedTeam(uow, team(1));
    const move = { type: 'update', changes: { parentTeamId: team(2) } } as const;
    const facts = await uow.run((s) => teamFactsLoader(definitions, move, { teamIds: [] })(s, loaded));
    expect(facts?.parent).toEqual({ teamId: team(2), status: 'active', ancestorIds: [team(1)] });
    const r = decideTeam(move, loaded.state, facts);
    expect(r.ok ? 'ok' : r.error.code).toBe('TEAM_PARENT_CYCLE');
  });

  it('given a rename of a sub-team, when loaded, then the siblings under its current parent without itself', async () => {
    const uow = await seeded();
    const loaded = await loadedTeam(uow, team(2));
    const rename = { type: 'update', changes: { name: 'Core' } } as const;
    const facts = await uow.run((s) =>
      teamFactsLoader(definitions, rename, { teamIds: [team(2), team(3), team(5)] })(s, loaded),
    );
    expect(facts).toEqual({ siblingNames: ['Data'] });
  });

  it('given an archive, when loaded with the known teams, then the active sub-teams among them; without known teams none are assumed', async () => {
    const uow = await seeded();
    const loaded = await loadedTeam(uow, team(1));
    const archive = { type: 'archive', at: at(9) } as const;
    const facts = await uow.run((s) =>
      teamFactsLoader(definitions, archive, { teamIds: [team(2), team(3), team(4), team(5)] })(s, loaded),
    );
    expect(facts).toEqual({ activeChildTeamIds: [team(2), team(3)] });
    const blind = await uow.run((s) => teamFactsLoader(definitions, archive)(s, loaded));
    const r = decideTeam(archive, loaded.state, blind);
    expect(r.ok ? 'ok' : r.error.code).toBe('TEAM_FACTS_MISSING');
  });
});

describe('teamMembershipFactsLoader', () => {
  it('given an add, when loaded, then team, employee and the pair’s open memberships among the known ones; an unknown team gives no facts', async () => {
    const uow = await seeded();
    const add = {
      type: 'add',
      membershipId: membership(9),
      teamId: team(2),
      employeeId: emp(2),
      role: 'member',
      at: at(5),
    } as const;
    const known = { membershipIds: [membership(1), membership(2), membership(3)] };
    const facts = await uow.run((s) =>
      teamMembershipFactsLoader(definitions, add, known)(s, absent(definitions.teamMembership)),
    );
    expect(facts).toEqual({
      team: { teamId: team(2), status: 'active' },
      employee: { employeeId: emp(2), status: 'active' },
      openMembershipIds: [membership(1)],
    });
    const r = decideTeamMembership(add, initialTeamMembershipState(), facts);
    expect(r.ok ? 'ok' : r.error.code).toBe('MEMBERSHIP_ALREADY_OPEN');
    const blind = await uow.run((s) =>
      teamMembershipFactsLoader(definitions, add)(s, absent(definitions.teamMembership)),
    );
    expect(blind?.openMembershipIds).toEqual([]);
    const nowhere = await uow.run((s) =>
      teamMembershipFactsLoader(definitions, { ...add, teamId: team(99) })(
        s,
        absent(definitions.teamMembership),
      ),
    );
    expect(nowhere).toBeUndefined();
    const removal = await uow.run((s) =>
      teamMembershipFactsLoader(definitions, { type: 'remove', at: at(6) })(
        s,
        absent(definitions.teamMembership),
      ),
    );
    expect(removal).toBeUndefined();
  });
});

describe('orgStructureVersionFactsLoader', () => {
  it('given the first version, then latest is null; given a stored previous version, then its number and start; an unknown one gives no facts', async () => {
    const uow = createInMemoryUnitOfWork(createInMemoryEventStore({ clock: fixedClock(at(0)) }));
    const v1: OrgStructureVersionState = {
      status: 'published',
      versionId: orgVersion(1),
      versionNumber: 1,
      effectiveFrom: at(10),
      publishedAt: at(5),
      structure: { teams: [], memberships: [], orgRoles: [], defaultEscalationManagerId: null },
    };
    await uow.run((s) =>
      s
        .aggregate(definitions.orgStructureVersion)
        .save(orgVersion(1) as Uuid, 0, v1, [draft('org_structure_version')]),
    );
    const load = (previousVersionId: ReturnType<typeof orgVersion> | null) =>
      uow.run((s) =>
        orgStructureVersionFactsLoader(definitions, { previousVersionId })(
          s,
          absent(definitions.orgStructureVersion),
        ),
      );
    expect(await load(null)).toEqual({ latest: null });
    const facts = await load(orgVersion(1));
    expect(facts).toEqual({ latest: { versionNumber: 1, effectiveFrom: at(10) } });
    expect(await load(orgVersion(7))).toBeUndefined();
    const publish = {
      type: 'publish',
      versionId: orgVersion(2),
      effectiveFrom: at(8),
      publishedAt: at(6),
      structure: v1.structure,
    } as const;
    const r = decideOrgStructureVersion(publish, initialOrgStructureVersionState(), facts);
    expect(r.ok ? 'ok' : r.error.code).toBe('ORG_VERSION_NOT_AFTER_PREVIOUS');
  });
});
