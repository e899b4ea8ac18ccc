import type { Identity } from '@pet-ops/core';

type OrgVersionSnapshot = Identity.OrgVersionSnapshot;

/** Team lookups of one published org-structure version, precomputed once per engine. */
interface OrgIndex {
  readonly versionNumber: number;
  readonly effectiveFrom: string;
  /** Employee → the teams they are a member of (sorted). */
  readonly teamsOf: ReadonlyMap<string, readonly string[]>;
  /** Team → its top-level ancestor (the department). */
  readonly departmentOf: ReadonlyMap<string, string>;
}

/** Resolves employees to teams and departments with the org-structure version valid at an instant. */
export interface OrgResolver {
  /** The version number in effect at `at`, or `null` before the first version. */
  versionAt(at: string): number | null;
  teamsOf(employeeId: string, versionNumber: number | null): readonly string[];
  departmentOf(teamId: string, versionNumber: number | null): string;
}

/** The teams of an employee in no team (one shared array: no allocation per event). */
const NO_TEAMS: readonly string[] = Object.freeze([]);

/** Builds an {@link OrgResolver} over published versions (any order). */
export function createOrgResolver(versions: readonly OrgVersionSnapshot[]): OrgResolver {
  const indexes: OrgIndex[] = [...versions]
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1))
    .map((v) => {
      const teamsOf = new Map<string, string[]>();
      for (const m of v.structure.memberships) {
        const list = teamsOf.get(m.employeeId) ?? [];
        list.push(m.teamId);
        teamsOf.set(m.employeeId, list);
      }
      for (const list of teamsOf.values()) list.sort();
      const parent = new Map<string, string | null>(
        v.structure.teams.map((t): [string, string | null] => [t.teamId, t.parentTeamId]),
      );
      const departmentOf = new Map<string, string>();
      for (const t of v.structure.teams) {
        let root: string = t.teamId;
        const seen = new Set<string>();
        for (let p = parent.get(root); p !== null && p !== undefined && !seen.has(p); p = parent.get(root)) {
          seen.add(root);
          root = p;
        }
        departmentOf.set(t.teamId, root);
      }
      return { versionNumber: v.versionNumber, effectiveFrom: v.effectiveFrom, teamsOf, departmentOf };
    });
  const byNumber = new Map(indexes.map((i) => [i.versionNumber, i]));
  let lastEmployee = '';
  let lastVersion = -1;
  let lastTeams: readonly string[] = NO_TEAMS;
  return {
    versionAt(at: string): number | null {
      for (let i = indexes.length - 1; i >= 0; i--) {
        const index = indexes[i] as OrgIndex;
        if (index.effectiveFrom <= at) return index.versionNumber;
      }
      return null;
    },
    teamsOf(employeeId: string, versionNumber: number | null): readonly string[] {
      if (versionNumber === null) return NO_TEAMS;
      // A fold asks for the same actor many times in a row: comparing two ids is cheaper than hashing a fresh one.
      if (employeeId === lastEmployee && versionNumber === lastVersion) return lastTeams;
      const teams = byNumber.get(versionNumber)?.teamsOf.get(employeeId) ?? NO_TEAMS;
      lastEmployee = employeeId;
      lastVersion = versionNumber;
      lastTeams = teams;
      return teams;
    },
    departmentOf(teamId: string, versionNumber: number | null): string {
      if (versionNumber === null) return teamId;
      return byNumber.get(versionNumber)?.departmentOf.get(teamId) ?? teamId;
    },
  };
}
