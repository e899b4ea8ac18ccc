/**
 * Helpers shared by the KPI tests (not a test file itself: the `.test.ts` suffix only keeps it out of
 * builds and the published package).
 */
import type { Identity, Instant, StoredEvent, Uuid } from '@pet-ops/core';
import type { KpiDefinitionVersion, ScopeType } from './definition.js';
import type { MeasureKind } from './measure-kind.js';

/** A readable UUIDv7 whose last digits are `n`. */
export const uuid = (n: number): string => `019b76da-a800-7000-8000-${n.toString(16).padStart(12, '0')}`;
export const emp = (n: number): string => uuid(0x10000 + n);
export const team = (n: number): string => uuid(0x20000 + n);

/** `2026-01-01T00:00:00.000000Z` plus `minutes`. */
export const at = (minutes: number): Instant =>
  new Date(Date.UTC(2026, 0, 1) + minutes * 60_000).toISOString().replace('Z', '000Z') as Instant;

/** The oracle for local dates: `Intl` asked directly (`en-CA` formats `YYYY-MM-DD`). */
export const intlLocalDate = (zone: string, instant: number | string): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(instant));

/** An ISO instant from a date-time written without zone (UTC). */
export const utc = (text: string): Instant => `${text}.000000Z` as Instant;

export interface EventSpec {
  readonly type: string;
  readonly at: Instant;
  readonly payload: Record<string, unknown>;
  readonly actor?: string | null;
  readonly customerId?: string;
}

/** Builds a stored stream from specs, positions 1, 2, 3, … (or from `firstPosition`). */
export function stream(specs: readonly EventSpec[], firstPosition = 1): StoredEvent[] {
  return specs.map((s, i) => ({
    eventId: uuid(0x900000 + firstPosition + i) as Uuid,
    type: s.type,
    schemaVersion: 1,
    streamType: s.type.split('.')[0] as string,
    occurredAt: s.at,
    actor:
      s.actor === undefined || s.actor === null
        ? { type: 'system', id: 'test' }
        : { type: 'employee', id: s.actor },
    context: s.customerId === undefined ? {} : { customerId: s.customerId },
    correlationId: null,
    causationId: null,
    payload: s.payload,
    streamId: uuid(0x800000 + i) as Uuid,
    streamVersion: 1,
    position: BigInt(firstPosition + i),
    recordedAt: s.at,
  }));
}

/** Org-structure version `n` effective from `from`, with `members` as `[employee, team]` pairs and teams' parents. */
export function orgVersionOf(
  n: number,
  from: Instant,
  members: readonly (readonly [string, string])[],
  parents: Readonly<Record<string, string | null>> = {},
): Identity.OrgVersionSnapshot {
  const teamIds = [
    ...new Set([
      ...members.map((m) => m[1]),
      ...Object.keys(parents),
      ...Object.values(parents).filter((p): p is string => p !== null),
    ]),
  ];
  return {
    versionNumber: n,
    effectiveFrom: from,
    structure: {
      teams: teamIds.map((t) => ({
        teamId: t as Identity.TeamId,
        name: `Team ${t.slice(-4)}`,
        parentTeamId: (parents[t] ?? null) as Identity.TeamId | null,
        managerId: null,
        escalationManagerId: null,
      })),
      memberships: members.map(([e, t]) => ({
        teamId: t as Identity.TeamId,
        employeeId: e as Identity.EmployeeId,
        role: 'member' as const,
      })),
      orgRoles: [],
      defaultEscalationManagerId: null,
    },
  };
}

export const eur = (amountMinor: number): { amountMinor: number; currency: string } => ({
  amountMinor,
  currency: 'EUR',
});

/**
 * A host's plug-in measure kind: distinct actors of `lead.created` per period (a plain JSON entity per
 * period and actor, a count per new one).
 */
export const distinctActorsKind: MeasureKind = {
  kind: 'plugin:distinct-actors',
  version: 1,
  aggregations: ['count'],
  compile: () => ({
    eventTypes: ['lead.created'],
    fold(ctx) {
      const key = `${ctx.periodStart}|${ctx.event.actor.id}`;
      if (ctx.get<boolean>(key) === true) return;
      ctx.set(key, true);
      ctx.add(ctx.eventScopes(), ctx.periodStart, { count: 1 }, [
        { position: ctx.event.position, eventId: ctx.event.eventId, role: 'event', numerator: 1 },
      ]);
    },
  }),
};

/** A monthly count of a plug-in kind (e.g. {@link distinctActorsKind}) in one scope. */
export const activePeople = (
  kind: `plugin:${string}`,
  scope: ScopeType = 'employee',
): KpiDefinitionVersion => ({
  key: 'sales.active-people',
  version: 1,
  name: 'People capturing leads',
  description: 'distinct actors of lead.created',
  unit: 'count',
  aggregation: 'count',
  scope,
  period: 'month',
  measure: { kind },
  target: null,
  thresholds: null,
});
