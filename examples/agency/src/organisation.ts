// Employees, teams, memberships and two org-structure versions, through the identity command API.
import {
  type CommandMetadata,
  createCommandHandler,
  type Identity,
  type Instant,
  instantFromEpochMs,
  type Result,
  type Uuid,
} from '@pet-ops/core';
import { identityBindings as identity } from '@pet-ops/sql';
import type { Agency } from './agency.js';
import type { Progress } from './progress.js';
import { QUARTER, type Scenario } from './scenario.js';
import { simClock } from './sim-clock.js';

/** What the rest of the simulation needs to know about the organisation. */
export interface Organisation {
  readonly employeeIds: ReadonlyMap<string, Identity.EmployeeId>;
  readonly teamIds: ReadonlyMap<string, Identity.TeamId>;
  /** The published versions (number, effective from, structure), oldest first. */
  readonly versions: readonly Identity.PublishedOrgVersion[];
  /** The director's id: the actor of system-wide steps such as the company import. */
  readonly directorId: Identity.EmployeeId;
}

/** Branded ids are UUIDs underneath; the stream id of an aggregate is its own id. */
const asStream = (id: string): Uuid => id as unknown as Uuid;

/** Fails loudly on a rejection: the scenario only issues commands that must succeed. */
function expectOk<T>(what: string, r: Result<T, { code: string; message: string }>): T {
  if (!r.ok) throw new Error(`${what} was rejected: [${r.error.code}] ${r.error.message}`);
  return r.value;
}

/**
 * Hires the staff, forms the teams, opens memberships and publishes org version 1 (the quarter's
 * start), then moves one consultant between teams and publishes version 2 (mid-quarter) — so
 * team-scoped KPIs attribute that person's work to the team they were in at the time.
 *
 * @example
 * ```ts
 * const org = await buildOrganisation(agency, scenario, progress);
 * ```
 */
export async function buildOrganisation(
  agency: Agency,
  scenario: Scenario,
  progress: Progress,
): Promise<Organisation> {
  const clock = simClock(QUARTER.start - 14 * 24 * 3_600_000);
  const runtime = agency.runtime(clock);
  const employees = createCommandHandler(runtime, identity.employee);
  const teams = createCommandHandler(runtime, identity.team);
  const memberships = createCommandHandler(runtime, identity.teamMembership);
  const versions = createCommandHandler(runtime, identity.orgStructureVersion);
  const phase = progress.phase('organisation', scenario.employees.length * 2 + scenario.teams.length + 3);

  const employeeIds = new Map<string, Identity.EmployeeId>();
  const teamIds = new Map<string, Identity.TeamId>();
  const director = scenario.employees[0]!;
  const system: CommandMetadata = { actor: { type: 'system', id: 'agency-setup' } };

  // The director first, then each team's lead (reporting to the director), then the members.
  const ordered = [
    director,
    ...scenario.employees.filter((e) => e.role === 'lead'),
    ...scenario.employees.filter((e) => e !== director && e.role !== 'lead'),
  ];
  for (const e of ordered) {
    const employeeId = runtime.ids.next() as unknown as Identity.EmployeeId;
    const teamLead = scenario.teams.find((t) => t.key === e.teamKey)?.managerKey;
    const managerKey = e === director ? null : e.role === 'lead' ? director.key : (teamLead ?? null);
    const command: Identity.EmployeeCommand = {
      type: 'create',
      employeeId,
      firstName: e.firstName,
      lastName: e.lastName,
      email: e.email,
      hostUserId: null,
      managerId: managerKey === null ? null : employeeIds.get(managerKey)!,
      hireDate: e.hireDate as Identity.IsoDate,
    };
    expectOk(
      `hiring ${e.email}`,
      await employees({
        streamId: asStream(employeeId),
        command,
        loadFacts: identity.employeeFacts(command),
        metadata: system,
      }),
    );
    employeeIds.set(e.key, employeeId);
    phase.tick();
  }

  for (const t of scenario.teams) {
    const teamId = runtime.ids.next() as unknown as Identity.TeamId;
    const command: Identity.TeamCommand = {
      type: 'create',
      teamId,
      name: t.name,
      parentTeamId: null,
      managerId: employeeIds.get(t.managerKey)!,
      escalationManagerId: employeeIds.get(director.key)!,
      visual: null,
    };
    expectOk(
      `forming team ${t.name}`,
      await teams({
        streamId: asStream(teamId),
        command,
        // Sibling names are checked among the teams formed so far (the seam has no read port yet).
        loadFacts: identity.teamFacts(command, { teamIds: [...teamIds.values()] }),
        metadata: system,
      }),
    );
    teamIds.set(t.key, teamId);
    phase.tick();
  }

  const start = instantFromEpochMs(QUARTER.start);
  const openMembership = new Map<string, Identity.TeamMembershipId>();
  const addMember = async (
    employeeKey: string,
    teamKey: string,
    role: Identity.MembershipRole,
    at: Instant,
  ): Promise<void> => {
    const membershipId = runtime.ids.next() as unknown as Identity.TeamMembershipId;
    const command: Identity.TeamMembershipCommand = {
      type: 'add',
      membershipId,
      teamId: teamIds.get(teamKey)!,
      employeeId: employeeIds.get(employeeKey)!,
      role,
      at,
    };
    expectOk(
      `adding ${employeeKey} to ${teamKey}`,
      await memberships({
        streamId: asStream(membershipId),
        command,
        loadFacts: identity.teamMembershipFacts(command, { membershipIds: [...openMembership.values()] }),
        metadata: system,
      }),
    );
    openMembership.set(employeeKey, membershipId);
  };
  for (const e of scenario.employees) {
    if (e.teamKey === null) continue;
    await addMember(e.key, e.teamKey, e.role, start);
    phase.tick();
  }

  const structure = (): Identity.OrgStructure => ({
    teams: scenario.teams.map((t) => ({
      teamId: teamIds.get(t.key)!,
      name: t.name,
      parentTeamId: null,
      managerId: employeeIds.get(t.managerKey)!,
      escalationManagerId: employeeIds.get(director.key)!,
    })),
    memberships: [...current.entries()].map(([employeeKey, teamKey]) => ({
      teamId: teamIds.get(teamKey)!,
      employeeId: employeeIds.get(employeeKey)!,
      role: scenario.employees.find((e) => e.key === employeeKey)!.role,
    })),
    orgRoles: [{ employeeId: employeeIds.get(director.key)!, role: 'director' }],
    defaultEscalationManagerId: employeeIds.get(director.key)!,
  });
  const current = new Map<string, string>(
    scenario.employees.filter((e) => e.teamKey !== null).map((e) => [e.key, e.teamKey!]),
  );
  const published: Identity.PublishedOrgVersion[] = [];
  const publish = async (effectiveFrom: Instant) => {
    const versionId = runtime.ids.next() as unknown as Identity.OrgStructureVersionId;
    const outcome = expectOk(
      'publishing the org structure',
      await versions({
        streamId: asStream(versionId),
        command: {
          type: 'publish',
          versionId,
          effectiveFrom,
          publishedAt: clock.now(),
          structure: structure(),
        },
        loadFacts: identity.orgStructureVersionFacts({
          previousVersionId: published.at(-1)?.versionId ?? null,
        }),
        metadata: system,
      }),
    );
    if (outcome.state.status !== 'published') throw new Error('the org version was not published');
    published.push(outcome.state);
    phase.tick();
  };
  await publish(start);

  // Mid-quarter restructuring: remove + add (a membership's team never changes), then version 2.
  const change = scenario.orgChange;
  clock.set(change.at);
  const at = instantFromEpochMs(change.at);
  expectOk(
    `moving ${change.employeeKey}`,
    await memberships({
      streamId: asStream(openMembership.get(change.employeeKey)!),
      command: { type: 'remove', at },
      metadata: system,
    }),
  );
  await addMember(change.employeeKey, change.toTeamKey, 'member', at);
  current.set(change.employeeKey, change.toTeamKey);
  phase.tick();
  await publish(at);
  phase.done(
    `${employeeIds.size} employees, ${teamIds.size} teams, org versions ${published.map((v) => v.versionNumber).join(', ')}`,
  );
  return { employeeIds, teamIds, versions: published, directorId: employeeIds.get(director.key)! };
}
