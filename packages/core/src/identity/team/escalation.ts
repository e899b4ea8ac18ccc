import type { EmployeeId, TeamId } from '../ids.js';

/** The parts of a team that escalation routing reads. */
export interface EscalationTeamNode {
  readonly teamId: TeamId;
  readonly parentTeamId: TeamId | null;
  readonly managerId: EmployeeId | null;
  readonly escalationManagerId: EmployeeId | null;
}

/** The teams and the org default, e.g. an `OrgStructure` or the live team rows. */
export interface EscalationOrg {
  readonly teams: readonly EscalationTeamNode[];
  readonly defaultEscalationManagerId: EmployeeId | null;
}

/** Where an escalation goes and which rule chose it. */
export interface EscalationTarget {
  readonly employeeId: EmployeeId;
  /**
   * `team_escalation_manager`: the team's own escalation manager; `ancestor_escalation_manager` /
   * `ancestor_manager`: the nearest ancestor team's escalation manager, else its manager;
   * `org_default`: the organisation's default escalation manager.
   */
  readonly rule:
    | 'team_escalation_manager'
    | 'ancestor_escalation_manager'
    | 'ancestor_manager'
    | 'org_default';
  /** The team whose setting was used (`null` for the org default). */
  readonly teamId: TeamId | null;
}

/**
 * Resolves a team's escalation target deterministically: the team's escalation manager → for each
 * ancestor, nearest first, its escalation manager, else its manager → the org default escalation
 * manager → `null` (nobody; also for an unknown team). Candidates rejected by `isEligible` (e.g. not
 * active) are skipped. Terminates on any input, even a cyclic one.
 *
 * @example
 * ```ts
 * resolveEscalationTarget(structure, teamId); // { employeeId, rule: 'ancestor_manager', teamId: parentId }
 * ```
 */
export function resolveEscalationTarget(
  org: EscalationOrg,
  teamId: TeamId,
  isEligible: (employeeId: EmployeeId) => boolean = () => true,
): EscalationTarget | null {
  const byId = new Map(org.teams.map((t) => [t.teamId, t]));
  const team = byId.get(teamId);
  if (team === undefined) return null;
  const usable = (id: EmployeeId | null): id is EmployeeId => id !== null && isEligible(id);
  if (usable(team.escalationManagerId)) {
    return { employeeId: team.escalationManagerId, rule: 'team_escalation_manager', teamId };
  }
  const seen = new Set<TeamId>([teamId]);
  let current = team.parentTeamId === null ? undefined : byId.get(team.parentTeamId);
  while (current !== undefined && !seen.has(current.teamId)) {
    seen.add(current.teamId);
    if (usable(current.escalationManagerId)) {
      return {
        employeeId: current.escalationManagerId,
        rule: 'ancestor_escalation_manager',
        teamId: current.teamId,
      };
    }
    if (usable(current.managerId)) {
      return { employeeId: current.managerId, rule: 'ancestor_manager', teamId: current.teamId };
    }
    current = current.parentTeamId === null ? undefined : byId.get(current.parentTeamId);
  }
  return usable(org.defaultEscalationManagerId)
    ? { employeeId: org.defaultEscalationManagerId, rule: 'org_default', teamId: null }
    : null;
}
