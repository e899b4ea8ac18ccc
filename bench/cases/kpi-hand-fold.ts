// The kpi-fold-memory `raw-min` baseline: the bench's 55 KPIs (catalogue v1 × org, team, department,
// employee and customer, monthly, Europe/Berlin) folded by hand-written code that knows them — a switch
// on the event type, one map per measure, rows and cells per scope. It is what a script written for this
// catalogue alone would do, with none of the engine's generality (definitions as data, watermarks, change
// journal, explain hooks, percentiles, sweeping). `handFoldMatchesEngine` checks it computes the same
// numbers as the engine, so the baseline is the same work.
import type { Identity } from '@pet-ops/core';
import { CATALOGUE_V1_KEYS, createKpiEngine, createLocalCalendar, type KpiEvent } from '@pet-ops/kpi';
import { BENCH_TIME_ZONE, benchDefinitions, benchOrgVersions } from './kpi-shared.js';

/** Cell of one KPI in one scope row and month: count, sum, numerator, denominator. */
interface HandCell {
  k: number;
  s: number;
  n: number;
  d: number;
}
interface HandRow {
  ps: string;
  cells: (HandCell | undefined)[];
  readonly periods: Map<string, (HandCell | undefined)[]>;
}
/** Rows of one event per scope: org, team, department, employee, customer (`null`: none). */
type Scopes = readonly (HandRow | null)[];
interface Open {
  ms: number;
  sc: Scopes;
  ps: string;
  a: number;
  b: number;
  cur: number;
}

/** The payload fields the catalogue reads. */
interface BenchPayload {
  readonly leadId?: unknown;
  readonly opportunityId?: unknown;
  readonly quoteId?: unknown;
  readonly teamId?: unknown;
  readonly ownerEmployeeId?: unknown;
  readonly customerId?: unknown;
  readonly estimatedValue?: unknown;
  readonly probabilityBp?: unknown;
  readonly totalSell?: unknown;
  readonly opportunityClass?: unknown;
}

const SCOPES = ['org', 'team', 'department', 'employee', 'customer'] as const;
/** KPI slots, in catalogue order (`CATALOGUE_V1_KEYS`). */
const CONVERSION = 0;
const TTQ = 1;
const DISQUALIFICATION = 2;
const WIN = 3;
const WIN_CLASS: Record<string, number> = { gold: 4, silver: 5, bronze: 6 };
const TT_QUOTE = 7;
const TT_ACCEPT = 8;
const PIPELINE = 9;
const SOLD = 10;
const WINDOW_MS = 366 * 86_400_000;

/** The hand fold's state: `apply` per event, `cells` to read the numbers. */
export function createHandFold(): {
  apply(e: KpiEvent): void;
  cells(): Map<string, HandCell>;
} {
  const calendar = createLocalCalendar(BENCH_TIME_ZONE);
  const versions = [...benchOrgVersions].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  // One team per employee, as in the bench's org versions (the engine also handles several).
  const teamOf = versions.map(
    (v) => new Map(v.structure.memberships.map((m) => [m.employeeId as string, m.teamId as string])),
  );
  const departmentOf = versions.map((v) => {
    const parent = new Map(
      v.structure.teams.map((t) => [t.teamId as string, t.parentTeamId as string | null]),
    );
    const out = new Map<string, string>();
    for (const t of v.structure.teams) {
      let root = t.teamId as string;
      for (let p = parent.get(root); p !== null && p !== undefined; p = parent.get(root)) root = p;
      out.set(t.teamId, root);
    }
    return out;
  });
  const rows = SCOPES.map(() => new Map<string, HandRow>());
  const rowOf = (scope: number, id: string): HandRow => {
    const map = rows[scope] as Map<string, HandRow>;
    let row = map.get(id);
    if (row === undefined) {
      row = { ps: '', cells: [], periods: new Map() };
      map.set(id, row);
    }
    return row;
  };
  const cell = (row: HandRow, slot: number, ps: string): HandCell => {
    if (row.ps !== ps) {
      row.ps = ps;
      let cells = row.periods.get(ps);
      if (cells === undefined) {
        cells = [];
        row.periods.set(ps, cells);
      }
      row.cells = cells;
    }
    let c = row.cells[slot];
    if (c === undefined) {
      c = { k: 0, s: 0, n: 0, d: 0 };
      row.cells[slot] = c;
    }
    return c;
  };
  const months = new Map<string, string>();
  const monthOf = (at: string): string => {
    const date = calendar.localDate(at);
    let m = months.get(date);
    if (m === undefined) {
      m = `${date.slice(0, 8)}01`;
      months.set(date, m);
    }
    return m;
  };
  const conversion = new Map<string, Open>();
  const ttq = new Map<string, Open>();
  const ttQuote = new Map<string, Open>();
  const ttAccept = new Map<string, Open>();
  const pipeline = new Map<string, Open>();
  // Epoch ms of the bench's instants (`YYYY-MM-DDTHH:MM:SS.ffffffZ`) from their digits: Date.parse is slower.
  const num = (s: string, from: number, to: number): number => {
    let n = 0;
    for (let i = from; i < to; i++) n = n * 10 + s.charCodeAt(i) - 48;
    return n;
  };
  const msOf = (at: string): number =>
    Date.UTC(
      num(at, 0, 4),
      num(at, 5, 7) - 1,
      num(at, 8, 10),
      num(at, 11, 13),
      num(at, 14, 16),
      num(at, 17, 19),
    ) + num(at, 20, 23);
  let maxAt = '';
  let maxMs = Number.NEGATIVE_INFINITY;

  const orgRow = rowOf(0, 'org');
  const one = (scope: number, id: unknown): HandRow | null =>
    typeof id === 'string' && id !== '' ? rowOf(scope, id) : null;
  // The last event's scopes: several KPIs of one event ask.
  let scopedEvent: KpiEvent | null = null;
  let scoped: Scopes = [];
  const scopesOf = (e: KpiEvent, vi: number): Scopes => {
    if (e === scopedEvent) return scoped;
    scopedEvent = e;
    const p = e.payload as BenchPayload;
    const actor = e.actor.type === 'employee' ? e.actor.id : null;
    const team =
      typeof p.teamId === 'string' ? p.teamId : actor === null || vi < 0 ? null : teamOf[vi]?.get(actor);
    const department =
      team === null || team === undefined ? null : vi < 0 ? team : departmentOf[vi]?.get(team);
    const owner = typeof p.ownerEmployeeId === 'string' ? p.ownerEmployeeId : actor;
    const customer = (e.context as { customerId?: unknown }).customerId ?? p.customerId;
    scoped = [orgRow, one(1, team), one(2, department), one(3, owner), one(4, customer)];
    return scoped;
  };
  /** Adds to the cell of `slot` in month `ps` of each scope row. */
  const bump = (sc: Scopes, slot: number, ps: string, k: number, sum: number, n: number, d: number): void => {
    for (let i = 0; i < sc.length; i++) {
      const row = sc[i];
      if (row === null || row === undefined) continue;
      const c = cell(row, slot, ps);
      c.k += k;
      c.s += sum;
      c.n += n;
      c.d += d;
    }
  };
  /** Opens a span (first start only, unless the open one expired); whether it did. */
  const start = (map: Map<string, Open>, key: unknown, ms: number, sc: Scopes, ps: string): boolean => {
    if (typeof key !== 'string') return false;
    const open = map.get(key);
    if (open !== undefined && open.ms + WINDOW_MS >= maxMs) return false;
    map.set(key, { ms, sc, ps, a: 0, b: 0, cur: 0 });
    return true;
  };
  const end = (map: Map<string, Open>, key: unknown): Open | undefined => {
    if (typeof key !== 'string') return undefined;
    const open = map.get(key);
    if (open === undefined) return undefined;
    map.delete(key);
    return open.ms + WINDOW_MS < maxMs ? undefined : open;
  };
  const span = (open: Open | undefined, slot: number, ms: number, ps: string): void => {
    if (open === undefined) return;
    bump(open.sc, slot, ps, 1, Math.floor((ms - open.ms) / 60_000), 0, 0);
  };
  const weighted = (amount: number, bp: number): number => {
    const product = amount * bp;
    const q = Math.trunc(product / 10_000);
    const r = Math.abs(product - q * 10_000);
    if (r < 5000 || (r === 5000 && q % 2 === 0)) return q;
    return product < 0 ? q - 1 : q + 1;
  };
  const euros = (v: unknown): number | null => {
    const m = v as { amountMinor?: unknown; currency?: unknown } | null;
    return m !== null && typeof m === 'object' && typeof m.amountMinor === 'number' && m.currency === 'EUR'
      ? m.amountMinor
      : null;
  };
  /** Sets an open opportunity's amount and/or weight (`undefined`: unchanged) and books the change. */
  const level = (e: KpiEvent, vi: number, ps: string, amount: unknown, weight: unknown): void => {
    const key = (e.payload as { opportunityId?: unknown }).opportunityId;
    if (typeof key !== 'string') return;
    let open = pipeline.get(key);
    if (open === undefined) {
      const sc = scopesOf(e, vi);
      open = { ms: 0, sc, ps: '', a: 0, b: 0, cur: 0 };
      pipeline.set(key, open);
    }
    if (amount !== undefined) open.a = euros(amount) ?? 0;
    if (typeof weight === 'number') open.b = weight;
    const next = weighted(open.a, open.b);
    const delta = next - open.cur;
    open.cur = next;
    if (delta !== 0) bump(open.sc, PIPELINE, ps, 0, delta, 0, 0);
  };

  return {
    apply(e: KpiEvent): void {
      const ms = msOf(e.occurredAt);
      if (e.occurredAt > maxAt) {
        maxAt = e.occurredAt;
        maxMs = ms;
      }
      let vi = versions.length - 1;
      while (vi >= 0 && (versions[vi] as Identity.OrgVersionSnapshot).effectiveFrom > e.occurredAt) vi--;
      const ps = monthOf(e.occurredAt);
      const p = e.payload as BenchPayload;
      switch (e.type) {
        case 'lead.created': {
          const sc = scopesOf(e, vi);
          if (start(conversion, p.leadId, ms, sc, ps)) bump(sc, CONVERSION, ps, 0, 0, 0, 1);
          start(ttq, p.leadId, ms, sc, '');
          break;
        }
        case 'lead.qualified':
        case 'lead.disqualified': {
          if (e.type === 'lead.qualified') span(end(ttq, p.leadId), TTQ, ms, ps);
          bump(scopesOf(e, vi), DISQUALIFICATION, ps, 0, 0, e.type === 'lead.disqualified' ? 1 : 0, 1);
          break;
        }
        case 'opportunity.created': {
          const converted = end(conversion, p.leadId);
          if (converted !== undefined) bump(converted.sc, CONVERSION, converted.ps, 0, 0, 1, 0);
          start(ttQuote, p.opportunityId, ms, scopesOf(e, vi), '');
          level(e, vi, ps, p.estimatedValue ?? null, p.probabilityBp);
          break;
        }
        case 'opportunity.probability_changed':
          level(e, vi, ps, undefined, p.probabilityBp);
          break;
        case 'opportunity.value_changed':
          level(e, vi, ps, p.estimatedValue ?? null, undefined);
          break;
        case 'quote.sent':
          span(end(ttQuote, p.opportunityId), TT_QUOTE, ms, ps);
          start(ttAccept, p.quoteId, ms, scopesOf(e, vi), '');
          break;
        case 'quote.accepted': {
          span(end(ttAccept, p.quoteId), TT_ACCEPT, ms, ps);
          const sold = euros(p.totalSell);
          if (sold !== null) bump(scopesOf(e, vi), SOLD, ps, 1, sold, 0, 0);
          break;
        }
        case 'opportunity.won':
        case 'opportunity.lost': {
          const won = e.type === 'opportunity.won' ? 1 : 0;
          const sc = scopesOf(e, vi);
          bump(sc, WIN, ps, 0, 0, won, 1);
          const classSlot = WIN_CLASS[p.opportunityClass as string];
          if (classSlot !== undefined) bump(sc, classSlot, ps, 0, 0, won, 1);
          const open = typeof p.opportunityId === 'string' ? pipeline.get(p.opportunityId) : undefined;
          if (open !== undefined) {
            pipeline.delete(p.opportunityId as string);
            const delta = -open.cur;
            if (delta !== 0) bump(open.sc, PIPELINE, ps, 0, delta, 0, 0);
          }
          break;
        }
      }
    },
    cells(): Map<string, HandCell> {
      const out = new Map<string, HandCell>();
      rows.forEach((map, scope) => {
        for (const [id, row] of map)
          for (const [ps, cells] of row.periods)
            cells.forEach((c, slot) => {
              if (c !== undefined) out.set(`${slot}|${SCOPES[scope]}|${id}|${ps}`, c);
            });
      });
      return out;
    },
  };
}

/**
 * Whether the hand fold's numbers equal the engine's results on `events` (every non-level result's
 * numerator and denominator; a level's per-month change): throws naming the first difference.
 */
export function handFoldMatchesEngine(events: readonly KpiEvent[]): void {
  const hand = createHandFold();
  for (const e of events) hand.apply(e);
  const cells = hand.cells();
  const engine = createKpiEngine({
    definitions: benchDefinitions,
    orgTimeZone: BENCH_TIME_ZONE,
    orgVersions: benchOrgVersions,
  });
  const state = engine.initialState();
  for (const e of events) engine.apply(state, e);
  let previous = new Map<string, number>();
  let compared = 0;
  for (const r of engine.results(state)) {
    const slot = CATALOGUE_V1_KEYS.indexOf(r.definitionKey.replace(/\.by-[a-z]+$/, ''));
    const c = cells.get(`${slot}|${r.scopeType}|${r.scopeId}|${r.periodStart}`);
    let expected: [number, number | null];
    let actual: [number, number | null];
    if (slot === PIPELINE) {
      // A running level: the engine carries it forward; the hand fold keeps each month's change.
      const key = `${r.scopeType}|${r.scopeId}`;
      expected = [r.numerator - (previous.get(key) ?? 0), null];
      previous = previous.set(key, r.numerator);
      actual = [c?.s ?? 0, null];
    } else {
      expected = [r.numerator, r.denominator];
      const ratio = slot === CONVERSION || slot === DISQUALIFICATION || (slot >= WIN && slot < TT_QUOTE);
      actual = ratio
        ? [c?.n ?? -1, c?.d ?? -1]
        : slot === SOLD
          ? [c?.s ?? -1, null]
          : [c?.s ?? -1, c?.k ?? -1];
    }
    if (expected[0] !== actual[0] || expected[1] !== actual[1])
      throw new Error(`hand fold differs from the engine at ${r.id}: ${actual} ≠ ${expected}`);
    compared++;
  }
  if (compared === 0) throw new Error('nothing compared');
}
