import { z } from 'zod';
import type { FieldIssue } from '../../kernel/index.js';
import { teamNameSchema } from '../fields.js';
import { type EmployeeId, employeeIdSchema, type TeamId, teamIdSchema } from '../ids.js';
import { type MembershipRole, membershipRoleSchema } from '../team-membership/events.js';

/** One team in a published structure. */
export interface OrgTeamNode {
  readonly teamId: TeamId;
  readonly name: string;
  readonly parentTeamId: TeamId | null;
  readonly managerId: EmployeeId | null;
  readonly escalationManagerId: EmployeeId | null;
}

/** One membership in a published structure (the memberships open when it was published). */
export interface OrgMembershipEntry {
  readonly teamId: TeamId;
  readonly employeeId: EmployeeId;
  readonly role: MembershipRole;
}

/** An org-level role (e.g. `director`, `finance`): its holder sees everything. */
export interface OrgRoleAssignment {
  readonly employeeId: EmployeeId;
  readonly role: string;
}

/**
 * The organisation as one published snapshot (`structure_json`): the team tree with managers and
 * escalation managers, the memberships, the org-level roles and the org default escalation manager.
 */
export interface OrgStructure {
  readonly teams: readonly OrgTeamNode[];
  readonly memberships: readonly OrgMembershipEntry[];
  readonly orgRoles: readonly OrgRoleAssignment[];
  readonly defaultEscalationManagerId: EmployeeId | null;
}

/**
 * Zod schema of an {@link OrgStructure}'s shape (see {@link validateOrgStructure} for the rules across
 * entries).
 *
 * @example
 * ```ts
 * const structure = orgStructureSchema.parse(JSON.parse(structureJson));
 * const issues = validateOrgStructure(structure); // [] when valid
 * ```
 */
export const orgStructureSchema: z.ZodType<OrgStructure> = z.object({
  teams: z.array(
    z.object({
      teamId: teamIdSchema,
      name: teamNameSchema,
      parentTeamId: teamIdSchema.nullable(),
      managerId: employeeIdSchema.nullable(),
      escalationManagerId: employeeIdSchema.nullable(),
    }),
  ),
  memberships: z.array(
    z.object({ teamId: teamIdSchema, employeeId: employeeIdSchema, role: membershipRoleSchema }),
  ),
  orgRoles: z.array(
    z.object({
      employeeId: employeeIdSchema,
      role: z.string().trim().min(1).max(64, 'must be at most 64 characters'),
    }),
  ),
  defaultEscalationManagerId: employeeIdSchema.nullable(),
});

/**
 * The rules a structure breaks across its entries (empty when valid): team ids are unique; every
 * parent is a team of the structure; the parent links form no cycle; memberships name known teams and
 * each (team, employee) pair at most once; org roles are not repeated.
 *
 * @example
 * ```ts
 * validateOrgStructure(structure); // [{ field: 'teams.2.parentTeamId', rule: 'forms a cycle' }]
 * ```
 */
export function validateOrgStructure(structure: OrgStructure): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const parents = new Map<TeamId, TeamId | null>();
  structure.teams.forEach((t, i) => {
    if (parents.has(t.teamId))
      issues.push({ field: `teams.${i}.teamId`, rule: `duplicate team ${t.teamId}` });
    else parents.set(t.teamId, t.parentTeamId);
  });
  structure.teams.forEach((t, i) => {
    if (t.parentTeamId === null) return;
    if (!parents.has(t.parentTeamId)) {
      issues.push({ field: `teams.${i}.parentTeamId`, rule: `unknown team ${t.parentTeamId}` });
      return;
    }
    // Walk up from the team: reaching it again means a cycle through it.
    const seen = new Set<TeamId>();
    let current: TeamId | null | undefined = t.parentTeamId;
    while (current !== null && current !== undefined && !seen.has(current)) {
      if (current === t.teamId) {
        issues.push({ field: `teams.${i}.parentTeamId`, rule: 'forms a cycle' });
        return;
      }
      seen.add(current);
      current = parents.get(current);
    }
  });
  const pairs = new Set<string>();
  structure.memberships.forEach((m, i) => {
    if (!parents.has(m.teamId))
      issues.push({ field: `memberships.${i}.teamId`, rule: `unknown team ${m.teamId}` });
    const key = `${m.teamId}/${m.employeeId}`;
    if (pairs.has(key))
      issues.push({ field: `memberships.${i}`, rule: 'duplicate team/employee membership' });
    pairs.add(key);
  });
  const roles = new Set<string>();
  structure.orgRoles.forEach((r, i) => {
    const key = `${r.employeeId}/${r.role}`;
    if (roles.has(key)) issues.push({ field: `orgRoles.${i}`, rule: 'duplicate org role' });
    roles.add(key);
  });
  return issues;
}

/** Ids of a team and all its sub-teams (any depth) in a structure; terminates on any input. @example `subtreeTeamIds(structure, rootId)` */
export function subtreeTeamIds(structure: Pick<OrgStructure, 'teams'>, teamId: TeamId): Set<TeamId> {
  const children = new Map<TeamId, TeamId[]>();
  for (const t of structure.teams) {
    if (t.parentTeamId === null) continue;
    const list = children.get(t.parentTeamId) ?? [];
    list.push(t.teamId);
    children.set(t.parentTeamId, list);
  }
  const out = new Set<TeamId>([teamId]);
  const stack = [teamId];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    for (const child of children.get(id) ?? []) {
      if (!out.has(child)) {
        out.add(child);
        stack.push(child);
      }
    }
  }
  return out;
}
