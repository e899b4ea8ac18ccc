import { ValidationError } from '@pet-ops/core';
import type { ScopeType } from './definition.js';
import type { OrgResolver } from './org.js';
import { compilePath, read } from './paths.js';

/**
 * How an event (or a tracked entity's facts) resolves to the ids of one scope — as data. Resolution
 * tries, in order: `constant`; the first non-empty string at `paths`; the acting employee
 * (`actorEmployee`); the teams of an employee (`teamsOfEmployee`, at the org-structure version valid at
 * the event's time); the departments of another scope's team ids (`departmentsOf`). No id: the event
 * counts in no result of that scope.
 */
export interface ScopeSpec {
  /** One fixed id (the `org` scope). */
  readonly constant?: string;
  /** Dotted paths read in order (on an event: `payload.…`, `context.…`; on facts: the fact's name). */
  readonly paths?: readonly string[];
  /** Falls back to the acting employee's id. */
  readonly actorEmployee?: boolean;
  /** Falls back to the teams of the employee found at these paths (or the actor) at the event's org version. */
  readonly teamsOfEmployee?: { readonly paths: readonly string[]; readonly actorEmployee?: boolean };
  /** The departments (top-level teams) of another scope's ids, at the event's org version. */
  readonly departmentsOf?: ScopeType;
}

/**
 * How events resolve to scope ids by default: `customer`/`project`/`ticket` from the event's context,
 * else its payload; `employee` from `payload.ownerEmployeeId`, else the acting employee; `team` from
 * `payload.teamId`, else the acting employee's teams; `department` the top-level teams of those;
 * `sla_tier` from `payload.slaTier`; `org` always `org`.
 *
 * @example `createKpiEngine({ definitions, orgTimeZone, scopes: { customer: { paths: ['payload.accountId'] } } })`
 */
export const DEFAULT_EVENT_SCOPES: Readonly<Record<ScopeType, ScopeSpec>> = {
  org: { constant: 'org' },
  customer: { paths: ['context.customerId', 'payload.customerId'] },
  project: { paths: ['context.projectId', 'payload.projectId'] },
  ticket: { paths: ['context.ticketId', 'payload.ticketId'] },
  employee: { paths: ['payload.ownerEmployeeId'], actorEmployee: true },
  team: { paths: ['payload.teamId'], teamsOfEmployee: { paths: [], actorEmployee: true } },
  department: { departmentsOf: 'team' },
  sla_tier: { paths: ['payload.slaTier'] },
};

/**
 * How a tracked entity's facts (a ticket's customer, assignee, SLA tier, …: see {@link ScopeFacts})
 * resolve to scope ids: `team` is the assigned team, else the assigned employee's teams at the
 * contributing event's org version.
 *
 * @example `DEFAULT_FACT_SCOPES.team` → `{ paths: ['teamId'], teamsOfEmployee: { paths: ['employeeId'] } }`
 */
export const DEFAULT_FACT_SCOPES: Readonly<Record<ScopeType, ScopeSpec>> = {
  org: { constant: 'org' },
  customer: { paths: ['customerId'] },
  project: { paths: ['projectId'] },
  ticket: { paths: ['ticketId'] },
  employee: { paths: ['employeeId'] },
  team: { paths: ['teamId'], teamsOfEmployee: { paths: ['employeeId'] } },
  department: { departmentsOf: 'team' },
  sla_tier: { paths: ['slaTier'] },
};

/** What a tracked entity knows of its scopes (plain strings; `null`: unknown). */
export interface ScopeFacts {
  readonly customerId?: string | null;
  readonly projectId?: string | null;
  readonly ticketId?: string | null;
  readonly employeeId?: string | null;
  readonly teamId?: string | null;
  readonly slaTier?: string | null;
}

/** A source's scope ids: one id as a string (no array per event), else a list (possibly empty). */
export type ScopeIds = string | readonly string[];

const NONE: readonly string[] = Object.freeze([]);

/**
 * Checks scope specs: every named scope type is known, a spec says how to find an id, and
 * `departmentsOf` names a scope without its own `departmentsOf` (no cycles).
 */
export function checkScopeSpecs(specs: Readonly<Partial<Record<string, ScopeSpec>>>): void {
  const issues: { field: string; rule: string }[] = [];
  for (const [type, spec] of Object.entries(specs)) {
    if (spec === undefined) continue;
    if (!(type in DEFAULT_EVENT_SCOPES)) issues.push({ field: `scopes.${type}`, rule: 'is no scope type' });
    const has =
      spec.constant !== undefined ||
      (spec.paths?.length ?? 0) > 0 ||
      spec.actorEmployee === true ||
      spec.teamsOfEmployee !== undefined ||
      spec.departmentsOf !== undefined;
    if (!has) issues.push({ field: `scopes.${type}`, rule: 'must say where its ids come from' });
    const base = spec.departmentsOf;
    if (base !== undefined && (specs[base]?.departmentsOf ?? DEFAULT_EVENT_SCOPES[base]?.departmentsOf)) {
      issues.push({
        field: `scopes.${type}.departmentsOf`,
        rule: 'must name a scope that is not derived itself',
      });
    }
  }
  if (issues.length > 0) throw new ValidationError('KPI scopes', issues);
}

/** What a compiled scope reads besides its source: the org version in effect and the acting employee. */
export interface ScopeEnv {
  readonly org: OrgResolver;
}

/** A compiled scope: source (an event or facts), org version, acting employee → ids. */
export type CompiledScope = (source: unknown, version: number | null, actor: string | null) => ScopeIds;

/**
 * Compiles the specs of every scope type into resolvers. Team lists come from the org resolver's own
 * (stable) arrays, and the departments of a list are cached by that array, so resolving allocates
 * nothing per event in the common case.
 */
export function compileScopes(
  specs: Readonly<Record<ScopeType, ScopeSpec>>,
  env: ScopeEnv,
): Readonly<Record<ScopeType, CompiledScope>> {
  const out = {} as Record<ScopeType, CompiledScope>;
  const compileOne = (type: ScopeType): CompiledScope => {
    const known = out[type];
    if (known !== undefined) return known;
    const spec = specs[type];
    const fn = compileSpec(spec, env, compileOne);
    out[type] = fn;
    return fn;
  };
  for (const type of Object.keys(specs) as ScopeType[]) compileOne(type);
  return out;
}

function firstString(source: unknown, paths: readonly (readonly string[])[]): string | null {
  for (let i = 0; i < paths.length; i++) {
    const v = read(source, paths[i] as readonly string[]);
    if (typeof v === 'string' && v.length > 0) return v;
  }
  return null;
}

function compileSpec(
  spec: ScopeSpec,
  env: ScopeEnv,
  other: (type: ScopeType) => CompiledScope,
): CompiledScope {
  if (spec.constant !== undefined) {
    const c = spec.constant;
    return () => c;
  }
  const { org } = env;
  const paths = (spec.paths ?? []).map(compilePath);
  const actor = spec.actorEmployee === true;
  const teams = spec.teamsOfEmployee;
  const teamPaths = (teams?.paths ?? []).map(compilePath);
  const teamActor = teams?.actorEmployee === true;
  let departments: CompiledScope | null = null;
  const base = spec.departmentsOf;
  // Departments of a version's team list: the lists are mostly the resolver's own (stable) arrays.
  const cache = new Map<number | null, Map<readonly string[], readonly string[]>>();
  const departmentsOfList = (version: number | null, list: readonly string[]): readonly string[] => {
    let byList = cache.get(version);
    if (byList === undefined) {
      byList = new Map();
      cache.set(version, byList);
    }
    let found = byList.get(list);
    if (found === undefined) {
      if (byList.size > 10_000) byList.clear();
      found = [...new Set(list.map((t) => org.departmentOf(t, version)))].sort();
      byList.set(list, found);
    }
    return found;
  };
  return (source, version, actorId) => {
    if (paths.length > 0) {
      const v = firstString(source, paths);
      if (v !== null) return v;
    }
    if (actor && actorId !== null) return actorId;
    if (teams !== undefined) {
      const employee = firstString(source, teamPaths) ?? (teamActor ? actorId : null);
      if (employee !== null) return org.teamsOf(employee, version);
    }
    if (base !== undefined) {
      if (departments === null) departments = other(base);
      const ids = departments(source, version, actorId);
      return typeof ids === 'string' ? org.departmentOf(ids, version) : departmentsOfList(version, ids);
    }
    return NONE;
  };
}
