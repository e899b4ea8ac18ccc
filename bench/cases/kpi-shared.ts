// Shared by the kpi-* cases: a deterministic commercial event stream (the commercial event contract's
// types and payloads), the definitions and the org structure the library side computes with. No database
// driver imported: the PostgreSQL case loads no mysql2 (it would count in its peak RSS); the MySQL writer
// of these events is kpi-mysql.ts.

import type { EventDraft, Identity, Instant, StoredEvent, Uuid } from '@pet-ops/core';
import { catalogueV1, type KpiDefinitionVersion } from '@pet-ops/kpi';
import { seeded } from '../common.js';
import { type BenchStream, benchUuid } from '../events.js';

const EMPLOYEES = 40;
const TEAMS = 8;
const CUSTOMERS = 500;

const id = (kind: number, n: number): string =>
  `019b76da-a800-7${kind.toString(16).padStart(3, '0')}-8000-${n.toString(16).padStart(12, '0')}`;
export const employeeId = (n: number): string => id(0x100, n);
const teamId = (n: number): string => id(0x200, n);
const customerId = (n: number): string => id(0x300, n);

/** Two org versions (a re-organisation on 1 July 2026): team scope changes with event time. */
export const benchOrgVersions: Identity.OrgVersionSnapshot[] = [1, 2].map((v) => ({
  versionNumber: v,
  effectiveFrom: (v === 1 ? '2025-01-01T00:00:00.000000Z' : '2026-07-01T00:00:00.000000Z') as Instant,
  structure: {
    teams: Array.from({ length: TEAMS }, (_, t) => ({
      teamId: teamId(t) as Identity.TeamId,
      name: `Team ${t}`,
      parentTeamId: (t < 2 ? null : teamId(t % 2)) as Identity.TeamId | null,
      managerId: null,
      escalationManagerId: null,
    })),
    memberships: Array.from({ length: EMPLOYEES }, (_, e) => ({
      teamId: teamId((e + v) % TEAMS) as Identity.TeamId,
      employeeId: employeeId(e) as Identity.EmployeeId,
      role: 'member' as const,
    })),
    orgRoles: [],
    defaultEscalationManagerId: null,
  },
}));

/** Every catalogue KPI for org, team, department, employee and customer scopes, monthly. */
export const benchDefinitions: KpiDefinitionVersion[] = catalogueV1({
  currency: 'EUR',
  scopes: ['org', 'team', 'department', 'employee', 'customer'],
});

export const BENCH_TIME_ZONE = 'Europe/Berlin';

const instant = (ms: number): Instant => `${new Date(ms).toISOString().slice(0, 23)}000Z` as Instant;

/**
 * `count` events of sales cycles (lead → qualification → opportunity → quote → won/lost), starting at
 * event number `first` (deterministic for a given `first`), spread over two years.
 */
export function commercialEvents(count: number, first = 0): EventDraft[] {
  const rand = seeded(9000 + first);
  const out: EventDraft[] = [];
  let n = first;
  let deal = Math.floor(first / 8);
  const start = Date.UTC(2025, 0, 1);
  const span = 2 * 365 * 86_400_000;
  while (out.length < count) {
    const d = deal++;
    const actor = employeeId(Math.floor(rand() * EMPLOYEES));
    const customer = customerId(Math.floor(rand() * CUSTOMERS));
    let t = start + Math.floor(((n % 1_000_000) / 1_000_000) * span);
    const ids = {
      leadId: benchUuid(rand, d),
      opportunityId: benchUuid(rand, d + 1),
      quoteId: benchUuid(rand, d + 2),
    };
    const push = (type: string, payload: Record<string, unknown>): void => {
      if (out.length >= count) return;
      out.push({
        eventId: benchUuid(rand, n++),
        type,
        schemaVersion: 1,
        streamType: type.split('.')[0] as string,
        occurredAt: instant(t),
        actor: { type: 'employee', id: actor },
        context: { customerId: customer },
        correlationId: null,
        causationId: null,
        payload,
      });
      t += Math.floor(rand() * 3 * 86_400_000);
    };
    const cls = (['gold', 'silver', 'bronze'] as const)[d % 3];
    const value = { amountMinor: 100_000 + Math.floor(rand() * 5_000_000), currency: 'EUR' };
    push('lead.created', {
      leadId: ids.leadId,
      source: 'web',
      customerId: customer,
      ownerEmployeeId: actor,
      teamId: null,
      schemaVersion: null,
    });
    if (rand() < 0.25) {
      push('lead.disqualified', { leadId: ids.leadId, qualificationId: ids.quoteId, reason: 'no budget' });
      continue;
    }
    push('lead.qualified', { leadId: ids.leadId, qualificationId: ids.quoteId, opportunityClass: cls });
    push('opportunity.created', {
      opportunityId: ids.opportunityId,
      leadId: ids.leadId,
      customerId: customer,
      opportunityClass: cls,
      probabilityBp: 2000,
      estimatedValue: value,
      ownerEmployeeId: actor,
      teamId: null,
    });
    push('opportunity.probability_changed', {
      opportunityId: ids.opportunityId,
      probabilityBp: 6000,
      previous: 2000,
    });
    push('quote.sent', {
      quoteId: ids.quoteId,
      version: 1,
      opportunityId: ids.opportunityId,
      customerId: customer,
      totalSell: value,
      totalCost: value,
    });
    if (rand() < 0.5) {
      push('quote.accepted', {
        quoteId: ids.quoteId,
        version: 1,
        opportunityId: ids.opportunityId,
        customerId: customer,
        saleId: benchUuid(rand, d + 3),
        totalSell: value,
        totalCost: value,
        acceptedBy: 'Customer',
        acceptedAt: instant(t),
      });
      push('opportunity.won', {
        opportunityId: ids.opportunityId,
        opportunityClass: cls,
        quoteId: ids.quoteId,
      });
    } else {
      push('opportunity.lost', { opportunityId: ids.opportunityId, opportunityClass: cls, reason: 'price' });
    }
  }
  return out;
}

/** A stored event whose position a replay loop may move forward. */
export type ReplayableEvent = { -readonly [K in keyof StoredEvent]: StoredEvent[K] };

/**
 * `count` commercial events as a database driver hands them over (through JSON: flat strings, plain
 * payload objects), positions 1…count: the in-memory fold input.
 */
export function storedCommercialEvents(count: number): ReplayableEvent[] {
  return (JSON.parse(JSON.stringify(commercialEvents(count))) as EventDraft[]).map(
    (e, i): ReplayableEvent => ({
      ...e,
      streamId: e.eventId as Uuid,
      streamVersion: 1,
      position: BigInt(i + 1),
      recordedAt: e.occurredAt,
    }),
  );
}

/** A fresh stream id per slice of 1000 events (bench rows put 1000 events in one stream). */
export const sliceStreamId = (rand: () => number, slice: number): Uuid => benchUuid(rand, 50_000_000 + slice);

/**
 * `count` commercial events after event number `first` as streams of 1000 (versions 1…1000 each), what
 * the kpi-* setups write with one statement a stream; generated 50 000 at a time.
 */
export function* commercialStreams(count: number, first: number): Generator<BenchStream> {
  const rand = seeded(77 + first);
  const slice = 50_000;
  for (let done = 0; done < count; done += slice) {
    const events = commercialEvents(Math.min(slice, count - done), first + done);
    for (let i = 0; i < events.length; i += 1000) {
      const streamId = sliceStreamId(rand, Math.floor((first + done + i) / 1000));
      yield { streamId, events: events.slice(i, i + 1000) };
    }
  }
}
