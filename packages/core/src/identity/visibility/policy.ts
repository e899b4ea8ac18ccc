import type { Instant } from '../../kernel/index.js';
import type { EmployeeId, TeamId } from '../ids.js';
import { type VersionPeriodInput, versionAsOf } from '../org-structure-version/periods.js';
import { type OrgStructure, subtreeTeamIds } from '../org-structure-version/structure.js';

/** Who is looking: an employee. */
export interface Viewer {
  readonly employeeId: EmployeeId;
}

/** What a record is scoped to: one employee, one team, or the whole organisation. */
export type VisibilityScope =
  | { readonly scope: 'employee'; readonly employeeId: EmployeeId }
  | { readonly scope: 'team'; readonly teamId: TeamId }
  | { readonly scope: 'org' };

/** One published org-structure version, as the policy reads it (e.g. a `PublishedOrgVersion`). */
export interface OrgVersionSnapshot extends VersionPeriodInput {
  readonly structure: OrgStructure;
}

/** Everything one viewer may see in one structure (precomputed, for filtering many records). */
export interface ViewerReach {
  /** The viewer holds an org-level role: every record is visible. */
  readonly everything: boolean;
  /** Teams whose team-scoped records are visible: every team the viewer manages or leads, and all their sub-teams. */
  readonly teamIds: ReadonlySet<TeamId>;
  /** Employees whose records are visible: the viewer, the members of those teams and the managers of their sub-teams. */
  readonly employeeIds: ReadonlySet<EmployeeId>;
}

/**
 * Computes what `viewer` may see in `structure`: an org-level role sees everything; a team's manager
 * or lead sees the team and all its sub-teams, with their members and the sub-teams' managers (not the
 * manager of the team they lead: visibility never points upwards); everybody sees their own records.
 * `null` (no structure in effect) gives only the viewer's own records.
 *
 * @example
 * ```ts
 * const reach = viewerReach({ employeeId }, structure);
 * rows.filter((r) => reach.everything || reach.employeeIds.has(r.employeeId));
 * ```
 */
export function viewerReach(viewer: Viewer, structure: OrgStructure | null): ViewerReach {
  const self = new Set<EmployeeId>([viewer.employeeId]);
  if (structure === null) return { everything: false, teamIds: new Set(), employeeIds: self };
  if (structure.orgRoles.some((r) => r.employeeId === viewer.employeeId)) {
    return { everything: true, teamIds: new Set(structure.teams.map((t) => t.teamId)), employeeIds: self };
  }
  const controlled = new Set<TeamId>();
  for (const t of structure.teams) if (t.managerId === viewer.employeeId) controlled.add(t.teamId);
  for (const m of structure.memberships) {
    if (m.role === 'lead' && m.employeeId === viewer.employeeId) controlled.add(m.teamId);
  }
  const teamIds = new Set<TeamId>();
  for (const id of controlled) for (const t of subtreeTeamIds(structure, id)) teamIds.add(t);
  const employeeIds = self;
  for (const m of structure.memberships) if (teamIds.has(m.teamId)) employeeIds.add(m.employeeId);
  for (const t of structure.teams) {
    // A sub-team's manager belongs to the subtree; the manager of a team the viewer only leads does not.
    if (
      t.managerId !== null &&
      t.parentTeamId !== null &&
      teamIds.has(t.teamId) &&
      teamIds.has(t.parentTeamId)
    ) {
      employeeIds.add(t.managerId);
    }
  }
  return { everything: false, teamIds, employeeIds };
}

/**
 * Whether a reach includes a record. @example `reachIncludes(reach, { scope: 'team', teamId })`
 */
export function reachIncludes(reach: ViewerReach, record: VisibilityScope): boolean {
  if (reach.everything) return true;
  switch (record.scope) {
    case 'employee':
      return reach.employeeIds.has(record.employeeId);
    case 'team':
      return reach.teamIds.has(record.teamId);
    case 'org':
      return false;
  }
}

/**
 * The visibility policy: may `viewer` see a record scoped to an employee, a team or the organisation,
 * as of `asOf`, given the published org-structure versions? The structure in effect at `asOf` decides
 * (see {@link viewerReach}); before the first version only the viewer's own records are visible.
 * Pure and deterministic, for host apps, KPI scoping and the activity feed.
 *
 * @example
 * ```ts
 * canSee({ employeeId: lead }, { scope: 'employee', employeeId: member }, asOf, versions); // true
 * ```
 */
export function canSee(
  viewer: Viewer,
  record: VisibilityScope,
  asOf: Instant,
  versions: readonly OrgVersionSnapshot[],
): boolean {
  if (record.scope === 'employee' && record.employeeId === viewer.employeeId) return true;
  const structure = versionAsOf(versions, asOf)?.structure ?? null;
  return reachIncludes(viewerReach(viewer, structure), record);
}
