import { Identity, type StoredEvent } from '@pet-ops/core';
import { createOrgResolver } from './org.js';

/** Feed item types allowed by spec §5 rule 9 (new types need a spec change). */
export type ActivityType =
  | 'TICKET_CREATED'
  | 'TICKET_ASSIGNED'
  | 'TICKET_STATUS_CHANGED'
  | 'TICKET_COMMENT_ADDED'
  | 'ESCALATION_TRIGGERED'
  | 'SLA_RISK_DETECTED'
  | 'SLA_BREACH_RECORDED'
  | 'PROJECT_CREATED'
  | 'MILESTONE_PLANNED'
  | 'MILESTONE_COMPLETED'
  | 'TASK_CREATED'
  | 'TASK_STATUS_CHANGED'
  | 'QUOTE_SENT'
  | 'QUOTE_ACCEPTED'
  | 'CHANGE_ORDER_SUBMITTED'
  | 'CHANGE_ORDER_APPROVED'
  | 'COMMERCIAL_ADJUSTMENT_CREATED'
  | 'COMMERCIAL_ADJUSTMENT_APPROVED'
  | 'TIME_ENTRY_LOGGED'
  | 'TIMESHEET_SUBMITTED'
  | 'ANNOUNCEMENT_PUBLISHED'
  | 'ANNOUNCEMENT_ACKNOWLEDGED';

/** How an item is flagged. */
export type ActivitySeverity = 'info' | 'attention' | 'risk' | 'breach' | 'commercial';

/** One activity-feed row (spec §2.33): who, when, which entity, previous and new state. */
export interface ActivityItem {
  /** Equal to the source event id, so a rebuild produces identical rows. */
  readonly id: string;
  readonly sourceEventId: string;
  readonly position: bigint;
  readonly occurredAt: string;
  readonly actorType: 'employee' | 'system' | 'integration';
  readonly actorId: string | null;
  readonly eventType: ActivityType;
  readonly severity: ActivitySeverity;
  readonly referenceType: string;
  readonly referenceId: string;
  readonly customerId: string | null;
  readonly projectId: string | null;
  readonly ticketId: string | null;
  /** Teams the item is scoped to (the actor's teams at event time and the event's context teams), sorted. */
  readonly scopeTeamIds: readonly string[];
  readonly headline: string;
  readonly subline: string;
  readonly tags: readonly string[];
  readonly previousState: string | null;
  readonly newState: string;
  readonly meta: Readonly<Record<string, string | number | boolean | null>>;
}

/** The part of an item a mapper decides; the envelope fields are filled in by the projection. */
export type ActivityMapping = Pick<
  ActivityItem,
  | 'eventType'
  | 'severity'
  | 'referenceType'
  | 'referenceId'
  | 'headline'
  | 'subline'
  | 'tags'
  | 'previousState'
  | 'newState'
  | 'meta'
>;

/** Maps one domain event type to a feed item, or `null` to skip this event. */
export type ActivityMapper = (event: StoredEvent) => ActivityMapping | null;

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const rec = (e: StoredEvent): Record<string, unknown> =>
  e.payload !== null && typeof e.payload === 'object' ? (e.payload as Record<string, unknown>) : {};
const amount = (v: unknown): string => {
  if (v === null || typeof v !== 'object') return '';
  const m = v as { amountMinor?: unknown; currency?: unknown };
  return typeof m.amountMinor === 'number' && typeof m.currency === 'string'
    ? `${m.currency} ${m.amountMinor} (minor units)`
    : '';
};

/**
 * The mappers of the event types that exist today (the commercial contract): quotes sent and accepted.
 *
 * @example
 * ```ts
 * createActivityFeedProjection({ mappers: { ...DEFAULT_ACTIVITY_MAPPERS, 'ticket.closed': ticketClosed } });
 * ```
 */
export const DEFAULT_ACTIVITY_MAPPERS: Readonly<Record<string, ActivityMapper>> = {
  'quote.sent': (e) => {
    const p = rec(e);
    const quoteId = str(p['quoteId']);
    if (quoteId === null) return null;
    const version = typeof p['version'] === 'number' ? p['version'] : null;
    return {
      eventType: 'QUOTE_SENT',
      severity: 'info',
      referenceType: 'quote',
      referenceId: quoteId,
      headline: `Quote sent${version === null ? '' : ` (version ${version})`}`,
      subline: amount(p['totalSell']),
      tags: ['Quote'],
      previousState: 'approved',
      newState: 'sent',
      meta: { version },
    };
  },
  'quote.accepted': (e) => {
    const p = rec(e);
    const quoteId = str(p['quoteId']);
    if (quoteId === null) return null;
    const version = typeof p['version'] === 'number' ? p['version'] : null;
    return {
      eventType: 'QUOTE_ACCEPTED',
      severity: 'info',
      referenceType: 'quote',
      referenceId: quoteId,
      headline: `Quote accepted${version === null ? '' : ` (version ${version})`}`,
      subline: amount(p['totalSell']),
      tags: ['Quote'],
      previousState: 'sent',
      newState: 'accepted',
      meta: { version, saleId: str(p['saleId']) },
    };
  },
};

/** Options of {@link createActivityFeedProjection}. */
export interface ActivityFeedOptions {
  /** Published org-structure versions: the actor's teams at event time scope the item. */
  readonly orgVersions?: readonly Identity.OrgVersionSnapshot[];
  /** Mappers by event type (default {@link DEFAULT_ACTIVITY_MAPPERS}); other events are not domain-significant for the feed. */
  readonly mappers?: Readonly<Record<string, ActivityMapper>>;
}

/** A pure, deterministic projection of domain events into activity-feed rows. */
export interface ActivityFeedProjection {
  /** The row of one event, or `null` when the event has no feed meaning. */
  project(event: StoredEvent): ActivityItem | null;
  /** Rows of a stream, skipping events at or below `after` and repeated event ids within the run. */
  projectAll(
    events: AsyncIterable<StoredEvent> | Iterable<StoredEvent>,
    after?: bigint,
  ): AsyncGenerator<ActivityItem>;
}

/**
 * Creates the activity-feed projection (spec §5). Deterministic: the same events give the same rows,
 * so a rebuild is identical; rows are keyed by their source event id (deduplicated by the store's
 * unique key).
 *
 * @example
 * ```ts
 * const feed = createActivityFeedProjection({ orgVersions });
 * for await (const item of feed.projectAll(store.readAll({ after: 0n }))) rows.push(item);
 * ```
 */
export function createActivityFeedProjection(options: ActivityFeedOptions = {}): ActivityFeedProjection {
  const mappers = options.mappers ?? DEFAULT_ACTIVITY_MAPPERS;
  const org = createOrgResolver(options.orgVersions ?? []);
  const project = (e: StoredEvent): ActivityItem | null => {
    const mapper = Object.hasOwn(mappers, e.type) ? mappers[e.type] : undefined;
    const m = mapper?.(e) ?? null;
    if (m === null) return null;
    const p = rec(e);
    const teams = new Set<string>();
    const contextTeams = e.context.teamIds;
    if (Array.isArray(contextTeams)) for (const t of contextTeams) if (typeof t === 'string') teams.add(t);
    if (e.actor.type === 'employee' && e.actor.id !== null) {
      for (const t of org.teamsOf(e.actor.id, org.versionAt(e.occurredAt))) teams.add(t);
    }
    return {
      id: e.eventId,
      sourceEventId: e.eventId,
      position: e.position,
      occurredAt: e.occurredAt,
      actorType: e.actor.type,
      actorId: e.actor.id,
      ...m,
      customerId: str(e.context.customerId) ?? str(p['customerId']),
      projectId: str(e.context.projectId) ?? str(p['projectId']),
      ticketId: str(e.context.ticketId) ?? str(p['ticketId']),
      scopeTeamIds: [...teams].sort(),
    };
  };
  return {
    project,
    async *projectAll(events, after = 0n) {
      let last = after;
      for await (const e of events) {
        if (e.position <= last) continue;
        last = e.position;
        const item = project(e);
        if (item !== null) yield item;
      }
    },
  };
}

/**
 * Whether `viewer` may see an item, by the visibility policy as of `asOf`: they acted, or they see the
 * acting employee or one of the item's teams. A hidden item is fully hidden (filter, never redact).
 *
 * @example
 * ```ts
 * items.filter((i) => canSeeActivity({ employeeId }, i, now, orgVersions));
 * ```
 */
export function canSeeActivity(
  viewer: Identity.Viewer,
  item: Pick<ActivityItem, 'actorType' | 'actorId' | 'scopeTeamIds'>,
  asOf: string,
  orgVersions: readonly Identity.OrgVersionSnapshot[],
): boolean {
  const structure =
    Identity.versionAsOf(orgVersions, asOf as Identity.OrgVersionSnapshot['effectiveFrom'])?.structure ??
    null;
  const reach = Identity.viewerReach(viewer, structure);
  if (reach.everything) return true;
  if (item.actorType === 'employee' && item.actorId !== null) {
    if (item.actorId === viewer.employeeId) return true;
    if (Identity.reachIncludes(reach, { scope: 'employee', employeeId: item.actorId as Identity.EmployeeId }))
      return true;
  }
  return item.scopeTeamIds.some((t) =>
    Identity.reachIncludes(reach, { scope: 'team', teamId: t as Identity.TeamId }),
  );
}
