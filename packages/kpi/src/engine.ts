import { divideRounded, type Identity, PetError, type StoredEvent, ValidationError } from '@pet-ops/core';
import { createLocalCalendar, nextPeriod, type Period, type PeriodGrid, periodOf } from './calendar.js';
import {
  defineKpi,
  type EventFilter,
  type KpiDefinitionVersion,
  type KpiUnit,
  type ScopeType,
  versionId,
} from './definition.js';
import { createOrgResolver, type OrgResolver } from './org.js';

/** How a result is judged against its version's thresholds. */
export type Classification = 'good' | 'warning' | 'breach' | 'unclassified';

/** One KPI result: one definition version, one scope, one period. */
export interface KpiResult {
  /** Deterministic id: `key@version/scopeType:scopeId/periodStart`. */
  readonly id: string;
  readonly definitionKey: string;
  readonly definitionVersion: number;
  readonly unit: KpiUnit;
  readonly scopeType: ScopeType;
  readonly scopeId: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  /** Integer in `unit` (ratios in basis points, averages rounded half-even). */
  readonly value: number;
  readonly numerator: number;
  readonly denominator: number | null;
  readonly target: number | null;
  readonly classification: Classification;
  readonly classificationReason: string;
  /** Highest org-structure version number used to scope a contributing event (`null`: none in effect). */
  readonly orgStructureVersion: number | null;
  /** Position of the last event included. */
  readonly watermark: bigint;
  readonly contributingEventCount: number;
}

/** One event's part in a result, as {@link KpiEngine.apply} reports it to an observer. */
export interface Contribution {
  readonly resultId: string;
  readonly position: bigint;
  readonly eventId: string;
  readonly role: 'event' | 'numerator' | 'denominator' | 'start' | 'end' | 'change';
}

interface Cell {
  k: number;
  s: number;
  n: number;
  d: number;
  c: number;
  w: bigint;
  ov: number | null;
  h: Map<number, number> | null;
}

interface Entity {
  /** Start instant and its epoch ms. */
  at: string;
  ms: number;
  /** Scope ids and org version of the start. */
  sc: readonly string[];
  ov: number | null;
  /** Start event position and id (spans report them as contributors of the end's result). */
  p: bigint;
  id: string;
  /** Conversion: the start's period. */
  ps: string;
  /** Level: amount (minor units), weight (bp) and current weighted contribution. */
  a: number;
  b: number;
  cur: number;
}

/** The fold's state: mutable, opaque; persist it with {@link KpiEngine.checkpoint}. */
export interface KpiState {
  /** Position of the last event applied (`0n` before any). */
  readonly watermark: bigint;
  /** @internal */ readonly cells: Map<string, Cell>;
  /** @internal */ readonly entities: Map<number, Map<string, Entity>>;
}

interface MutableState extends KpiState {
  watermark: bigint;
  maxAt: string;
  /** `maxAt` in epoch ms (derived, not checkpointed). */
  maxMs: number;
  applied: number;
  /** Definition index → scope id → period start → the same cells as `cells` (derived, not checkpointed). */
  index: (Map<string, Map<string, Cell>> | undefined)[];
}

/** A serialisable (JSON-safe) snapshot of a {@link KpiState}. */
export interface KpiCheckpoint {
  /** 2 writes entities as compact tuples; 1 (objects) is still restored. */
  readonly format: 1 | 2;
  /** Definitions, time zone and org versions it was computed with; restoring under others is refused. */
  readonly fingerprint: string;
  readonly watermark: string;
  readonly maxOccurredAt: string;
  readonly applied: number;
  /** `[versionId, scopeId, periodStart, count, sum, numerator, denominator, contributing, watermark, orgVersion, histogram]`. */
  readonly cells: readonly (readonly unknown[])[];
  /** Format 2: `[versionId, entityKey, at, ms, scopeIds, orgVersion, position, eventId, periodStart, amount, weightBp, current]`; format 1: `[versionId, entityKey, entity]`. */
  readonly entities: readonly (readonly unknown[])[];
}

/** What an engine computes with. */
export interface KpiEngineOptions {
  readonly definitions: readonly KpiDefinitionVersion[];
  /** IANA time zone of the organisation: period grids follow its calendar. */
  readonly orgTimeZone: string;
  /** Published org-structure versions (team and department scopes use the one valid at each event's time). */
  readonly orgVersions?: readonly Identity.OrgVersionSnapshot[];
}

/** A pure KPI fold. Every method is deterministic; nothing is read from a clock. */
export interface KpiEngine {
  readonly definitions: readonly KpiDefinitionVersion[];
  readonly fingerprint: string;
  /** An empty state at watermark 0 (nothing folded yet). */
  initialState(): KpiState;
  /** Folds one event in (events at or below the state's watermark are ignored: re-reads are harmless). */
  apply(state: KpiState, event: StoredEvent, observe?: (c: Contribution) => void): void;
  /** Folds a stream in position order; resolves to the same state object. */
  run(state: KpiState, events: AsyncIterable<StoredEvent> | Iterable<StoredEvent>): Promise<KpiState>;
  /** All results, ordered by definition key, version, scope id and period. */
  results(state: KpiState): KpiResult[];
  /**
   * The results that events after `watermark` changed or created (cells they touched; for running
   * levels also the periods after those), in the order of {@link KpiEngine.results} — found from the
   * cells' own watermarks, so the fold pays nothing for it.
   * @example `const before = state.watermark; await engine.run(state, newEvents); write(engine.resultsSince(state, before));`
   */
  resultsSince(state: KpiState, watermark: bigint): KpiResult[];
  /** The state as plain JSON-safe data, to store with the results and `restore` later. */
  checkpoint(state: KpiState): KpiCheckpoint;
  /** @throws ValidationError when the checkpoint was made with other definitions, zone or org versions. */
  restore(checkpoint: KpiCheckpoint): KpiState;
}

const DAY_MS = 86_400_000;
const SWEEP_EVERY = 0xffff;

type Step = (st: MutableState, e: StoredEvent, observe: ((c: Contribution) => void) | undefined) => void;

const digits = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
};

let lastAt = '';
let lastMs = 0;
/** Epoch ms of an ISO instant (`YYYY-MM-DDTHH:MM:SS.ffffffZ`): `Date.parse` costs microseconds per call; the last answer is kept (many definitions ask for the same event). */
function epochMs(at: string): number {
  if (at === lastAt) return lastMs;
  lastAt = at;
  lastMs =
    Date.UTC(
      digits(at, 0, 4),
      digits(at, 5, 7) - 1,
      digits(at, 8, 10),
      digits(at, 11, 13),
      digits(at, 14, 16),
      digits(at, 17, 19),
    ) + (at.length > 20 ? digits(at, 20, 23) : 0);
  return lastMs;
}

/** amount × bp ÷ 10 000, rounded half-even; plain numbers while the product is exact, else bigint. */
function weighted(amount: number, bp: number): number {
  const product = amount * bp;
  if (!Number.isSafeInteger(product)) return Number(divideRounded(BigInt(amount) * BigInt(bp), 10_000n));
  const q = Math.trunc(product / 10_000);
  const r = Math.abs(product - q * 10_000);
  if (r < 5000 || (r === 5000 && q % 2 === 0)) return q;
  return product < 0 ? q - 1 : q + 1;
}

function compilePath(path: string): readonly string[] {
  return path.split('.');
}

function read(e: StoredEvent, segments: readonly string[]): unknown {
  let v: unknown = e;
  for (const s of segments) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

function compileWhere(where: readonly EventFilter[] | undefined): (e: StoredEvent) => boolean {
  if (where === undefined || where.length === 0) return () => true;
  const tests = where.map((f) => {
    const segs = compilePath(f.path);
    if (f.in !== undefined) {
      const set = new Set<unknown>(f.in);
      return (e: StoredEvent) => set.has(read(e, segs) ?? null);
    }
    const expected = f.equals;
    return (e: StoredEvent) => (read(e, segs) ?? null) === expected;
  });
  return (e) => tests.every((t) => t(e));
}

function isMoney(v: unknown): v is { amountMinor: number; currency: string } {
  return (
    v !== null && typeof v === 'object' && typeof (v as { amountMinor?: unknown }).amountMinor === 'number'
  );
}

function keyOf(e: StoredEvent, segs: readonly string[]): string | null {
  const v = read(e, segs);
  return typeof v === 'string' && v.length > 0 ? v : null;
}

function safeAdd(a: number, b: number): number {
  const r = a + b;
  if (!Number.isSafeInteger(r)) {
    throw new PetError('VALIDATION_FAILED', 'a KPI sum left the safe integer range (2^53)', {
      details: { a, b },
    });
  }
  return r;
}

/** Bucket of a value in the percentile histogram: exact below 1024, then 128 buckets per power of two (< 0.8 % error). */
function bucketOf(v: number): number {
  const m = Math.abs(v);
  if (m < 1024) return v;
  const e = Math.floor(Math.log2(m));
  const id = 1024 + (e - 10) * 128 + (Math.floor(m / 2 ** (e - 7)) - 128);
  return v < 0 ? -id : id;
}

function bucketValue(id: number): number {
  const m = Math.abs(id);
  if (m < 1024) return id;
  const e = Math.floor((m - 1024) / 128) + 10;
  const v = (128 + ((m - 1024) % 128)) * 2 ** (e - 7);
  return id < 0 ? -v : v;
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function fnv(text: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Splits a result id into its parts. @example `parseResultId('sales.win-rate@1/org:org/2026-04-01')` */
export function parseResultId(id: string): {
  versionId: string;
  scopeType: string;
  scopeId: string;
  periodStart: string;
} {
  const match = /^([^/]+@\d+)\/([a-z]+):(.+)\/(\d{4}-\d{2}-\d{2})$/.exec(id);
  if (match === null)
    throw new ValidationError('KPI result id', [
      { field: 'resultId', rule: 'must be key@version/scopeType:scopeId/YYYY-MM-DD' },
    ]);
  return {
    versionId: match[1] as string,
    scopeType: match[2] as string,
    scopeId: match[3] as string,
    periodStart: match[4] as string,
  };
}

function classify(
  value: number,
  def: KpiDefinitionVersion,
): { classification: Classification; reason: string } {
  const t = def.thresholds;
  const v = `${value} ${def.unit}`;
  if (t === null)
    return { classification: 'unclassified', reason: `version ${def.version} defines no thresholds` };
  if (t.direction === 'higher_is_better') {
    if (value >= t.good)
      return {
        classification: 'good',
        reason: `${v} ≥ good threshold ${t.good} (higher is better, version ${def.version})`,
      };
    if (value >= t.warning)
      return {
        classification: 'warning',
        reason: `${v} < good threshold ${t.good} but ≥ warning threshold ${t.warning} (higher is better, version ${def.version})`,
      };
    return {
      classification: 'breach',
      reason: `${v} < warning threshold ${t.warning} (higher is better, version ${def.version})`,
    };
  }
  if (value <= t.good)
    return {
      classification: 'good',
      reason: `${v} ≤ good threshold ${t.good} (lower is better, version ${def.version})`,
    };
  if (value <= t.warning)
    return {
      classification: 'warning',
      reason: `${v} > good threshold ${t.good} but ≤ warning threshold ${t.warning} (lower is better, version ${def.version})`,
    };
  return {
    classification: 'breach',
    reason: `${v} > warning threshold ${t.warning} (lower is better, version ${def.version})`,
  };
}

/**
 * Creates the pure KPI fold for a set of definition versions. State is bounded by the open
 * (version, scope, period) cells plus, for cross-event measures, the open entities (unmatched starts
 * within their window, open pipeline entries) — never by the number of events.
 *
 * @example
 * ```ts
 * const engine = createKpiEngine({ definitions: catalogueV1({ currency: 'EUR' }), orgTimeZone: 'Europe/Berlin', orgVersions });
 * const state = await engine.run(engine.initialState(), store.readAll({ after: 0n }));
 * const rows = engine.results(state);
 * const saved = JSON.stringify(engine.checkpoint(state)); // later: engine.restore(JSON.parse(saved))
 * ```
 */
export function createKpiEngine(options: KpiEngineOptions): KpiEngine {
  const definitions = [...options.definitions]
    .map((d) => defineKpi(d))
    .sort((a, b) => (versionId(a) < versionId(b) ? -1 : versionId(a) > versionId(b) ? 1 : 0));
  const ids = definitions.map(versionId);
  if (new Set(ids).size !== ids.length) {
    throw new ValidationError('KPI engine', [
      { field: 'definitions', rule: 'each key@version at most once' },
    ]);
  }
  const calendar = createLocalCalendar(options.orgTimeZone);
  const orgVersions = options.orgVersions ?? [];
  const org: OrgResolver = createOrgResolver(orgVersions);
  const fingerprint = `${fnv(stableJson({ definitions, tz: options.orgTimeZone, orgVersions }), 0x811c9dc5)}${fnv(stableJson({ orgVersions, definitions, tz: options.orgTimeZone }), 0x01234567)}`;

  // Per-event memo of the local date (several definitions ask for the same event).
  let memoAt = '';
  let memoDate = '';
  const localDate = (at: string): string => {
    if (at !== memoAt) {
      memoAt = at;
      memoDate = calendar.localDate(at);
    }
    return memoDate;
  };
  const periodStarts = new Map<PeriodGrid, Map<string, string>>();
  // Several definitions ask for the same event's period and scope: remember the last answer per grid / scope type.
  const periodMemo = new Map<PeriodGrid, { e: StoredEvent | null; v: string }>();
  const periodStartOf = (e: StoredEvent, grid: PeriodGrid): string => {
    let memo = periodMemo.get(grid);
    if (memo === undefined) {
      memo = { e: null, v: '' };
      periodMemo.set(grid, memo);
    }
    if (memo.e !== e) {
      memo.e = e;
      memo.v = computePeriodStart(e, grid);
    }
    return memo.v;
  };
  const computePeriodStart = (e: StoredEvent, grid: PeriodGrid): string => {
    const date = localDate(e.occurredAt);
    let cache = periodStarts.get(grid);
    if (cache === undefined) {
      cache = new Map();
      periodStarts.set(grid, cache);
    }
    let start = cache.get(date);
    if (start === undefined) {
      if (cache.size > 10_000) cache.clear();
      start = periodOf(date, grid).start;
      cache.set(date, start);
    }
    return start;
  };

  const resolvers = new Map<ScopeType, (e: StoredEvent) => readonly string[]>();
  const scopeResolver = (scope: ScopeType): ((e: StoredEvent) => readonly string[]) => {
    const known = resolvers.get(scope);
    if (known !== undefined) return known;
    const resolve = rawScopeResolver(scope);
    let lastEvent: StoredEvent | null = null;
    let last: readonly string[] = [];
    const memo = (e: StoredEvent): readonly string[] => {
      if (e !== lastEvent) {
        lastEvent = e;
        last = resolve(e);
      }
      return last;
    };
    resolvers.set(scope, memo);
    return memo;
  };
  const ORG: readonly string[] = ['org'];
  const rawScopeResolver = (scope: ScopeType): ((e: StoredEvent) => readonly string[]) => {
    const customer = compilePath('context.customerId');
    const customerPayload = compilePath('payload.customerId');
    const project = compilePath('context.projectId');
    const projectPayload = compilePath('payload.projectId');
    const owner = compilePath('payload.ownerEmployeeId');
    const team = compilePath('payload.teamId');
    const one = (v: unknown): readonly string[] => (typeof v === 'string' && v.length > 0 ? [v] : []);
    const actorEmployee = (e: StoredEvent): string | null =>
      e.actor.type === 'employee' ? e.actor.id : null;
    const teams = (e: StoredEvent): readonly string[] => {
      const explicit = read(e, team);
      if (typeof explicit === 'string' && explicit.length > 0) return [explicit];
      const employee = actorEmployee(e);
      return employee === null ? [] : org.teamsOf(employee, org.versionAt(e.occurredAt));
    };
    switch (scope) {
      case 'org':
        return () => ORG;
      case 'customer':
        return (e) => one(read(e, customer) ?? read(e, customerPayload));
      case 'project':
        return (e) => one(read(e, project) ?? read(e, projectPayload));
      case 'employee':
        return (e) => one(read(e, owner) ?? actorEmployee(e));
      case 'team':
        return teams;
      case 'department':
        return (e) => {
          const version = org.versionAt(e.occurredAt);
          return [...new Set(teams(e).map((t) => org.departmentOf(t, version)))].sort();
        };
    }
  };

  const steps = new Map<string, Step[]>();
  const addStep = (type: string, step: Step): void => {
    const list = steps.get(type) ?? [];
    list.push(step);
    steps.set(type, list);
  };

  const cellKey = (di: number, scopeId: string, periodStart: string): string =>
    `${di}\u0000${scopeId}\u0000${periodStart}`;
  const resultId = (di: number, scopeId: string, periodStart: string): string => {
    const def = definitions[di] as KpiDefinitionVersion;
    return `${versionId(def)}/${def.scope}:${scopeId}/${periodStart}`;
  };
  const touch = (
    st: MutableState,
    di: number,
    scopeId: string,
    periodStart: string,
    position: bigint,
    ov: number | null,
  ): Cell => {
    // The nested index avoids building the string key on every event.
    let byScope = st.index[di];
    if (byScope === undefined) {
      byScope = new Map();
      st.index[di] = byScope;
    }
    let byPeriod = byScope.get(scopeId);
    if (byPeriod === undefined) {
      byPeriod = new Map();
      byScope.set(scopeId, byPeriod);
    }
    let cell = byPeriod.get(periodStart);
    if (cell === undefined) {
      cell = { k: 0, s: 0, n: 0, d: 0, c: 0, w: position, ov, h: null };
      byPeriod.set(periodStart, cell);
      st.cells.set(cellKey(di, scopeId, periodStart), cell);
    }
    cell.w = position;
    if (ov !== null && (cell.ov === null || ov > cell.ov)) cell.ov = ov;
    return cell;
  };
  const entitiesOf = (st: MutableState, di: number): Map<string, Entity> => {
    let map = st.entities.get(di);
    if (map === undefined) {
      map = new Map();
      st.entities.set(di, map);
    }
    return map;
  };
  const windows = new Map<number, number>();
  const expired = (st: MutableState, di: number, ent: Entity): boolean => {
    const w = windows.get(di);
    return w !== undefined && ent.ms + w * DAY_MS < st.maxMs;
  };

  definitions.forEach((def, di) => {
    const m = def.measure;
    const scopes = scopeResolver(def.scope);
    const ovAt = (e: StoredEvent): number | null =>
      orgVersions.length === 0 ? null : org.versionAt(e.occurredAt);
    switch (m.kind) {
      case 'events': {
        const pass = compileWhere(m.where);
        const valueSegs = m.value === undefined ? null : compilePath(m.value.path);
        const currency = m.value?.currency;
        const histogram = def.aggregation === 'percentile';
        for (const type of m.eventTypes) {
          addStep(type, (st, e, observe) => {
            if (!pass(e)) return;
            let v = 1;
            if (valueSegs !== null) {
              const raw = read(e, valueSegs);
              if (currency !== undefined) {
                if (!isMoney(raw) || raw.currency !== currency) return;
                v = raw.amountMinor;
              } else if (typeof raw === 'number' && Number.isSafeInteger(raw)) v = raw;
              else return;
            }
            const ids = scopes(e);
            if (ids.length === 0) return;
            const ps = periodStartOf(e, def.period);
            const ov = ovAt(e);
            for (const id of ids) {
              const cell = touch(st, di, id, ps, e.position, ov);
              cell.k++;
              cell.c++;
              cell.s = safeAdd(cell.s, v);
              if (histogram) {
                cell.h ??= new Map();
                const b = bucketOf(v);
                cell.h.set(b, (cell.h.get(b) ?? 0) + 1);
              }
              observe?.({
                resultId: resultId(di, id, ps),
                position: e.position,
                eventId: e.eventId,
                role: 'event',
              });
            }
          });
        }
        break;
      }
      case 'ratio': {
        const pass = compileWhere(m.where);
        const isNumerator = compileWhere(m.numerator.where);
        for (const type of m.eventTypes) {
          addStep(type, (st, e, observe) => {
            if (!pass(e)) return;
            const ids = scopes(e);
            if (ids.length === 0) return;
            const num = isNumerator(e);
            const ps = periodStartOf(e, def.period);
            const ov = ovAt(e);
            for (const id of ids) {
              const cell = touch(st, di, id, ps, e.position, ov);
              cell.d++;
              cell.c++;
              if (num) cell.n++;
              observe?.({
                resultId: resultId(di, id, ps),
                position: e.position,
                eventId: e.eventId,
                role: num ? 'numerator' : 'denominator',
              });
            }
          });
        }
        break;
      }
      case 'span':
      case 'conversion': {
        windows.set(di, m.windowDays);
        const startPass = compileWhere(m.start.where);
        const endPass = compileWhere(m.end.where);
        const startKey = compilePath(m.start.key);
        const endKey = compilePath(m.end.key);
        const conversion = m.kind === 'conversion';
        const firstOnly = m.kind === 'conversion' || m.firstStartOnly;
        const histogram = def.aggregation === 'percentile';
        // The end is registered first: an event type that both ends and restarts closes the old span.
        addStep(m.end.eventType, (st, e, observe) => {
          if (!endPass(e)) return;
          const key = keyOf(e, endKey);
          if (key === null) return;
          const map = entitiesOf(st, di);
          const ent = map.get(key);
          if (ent === undefined) return;
          map.delete(key);
          if (expired(st, di, ent)) return;
          if (conversion) {
            for (const id of ent.sc) {
              const cell = touch(st, di, id, ent.ps, e.position, ent.ov);
              cell.n++;
              cell.c++;
              observe?.({
                resultId: resultId(di, id, ent.ps),
                position: e.position,
                eventId: e.eventId,
                role: 'numerator',
              });
            }
            return;
          }
          const minutes = Math.floor((epochMs(e.occurredAt) - ent.ms) / 60_000);
          const ps = periodStartOf(e, def.period);
          for (const id of ent.sc) {
            const cell = touch(st, di, id, ps, e.position, ent.ov);
            cell.k++;
            cell.c += 2;
            cell.s = safeAdd(cell.s, minutes);
            if (histogram) {
              cell.h ??= new Map();
              const b = bucketOf(minutes);
              cell.h.set(b, (cell.h.get(b) ?? 0) + 1);
            }
            if (observe !== undefined) {
              const rid = resultId(di, id, ps);
              observe({ resultId: rid, position: ent.p, eventId: ent.id, role: 'start' });
              observe({ resultId: rid, position: e.position, eventId: e.eventId, role: 'end' });
            }
          }
        });
        addStep(m.start.eventType, (st, e, observe) => {
          if (!startPass(e)) return;
          const key = keyOf(e, startKey);
          if (key === null) return;
          const map = entitiesOf(st, di);
          const existing = map.get(key);
          if (firstOnly && existing !== undefined && !expired(st, di, existing)) return;
          const ids = scopes(e);
          if (ids.length === 0) return;
          const ov = ovAt(e);
          const ps = conversion ? periodStartOf(e, def.period) : '';
          map.set(key, {
            at: e.occurredAt,
            ms: epochMs(e.occurredAt),
            sc: ids,
            ov,
            p: e.position,
            id: e.eventId,
            ps,
            a: 0,
            b: 0,
            cur: 0,
          });
          if (conversion) {
            for (const id of ids) {
              const cell = touch(st, di, id, ps, e.position, ov);
              cell.d++;
              cell.c++;
              observe?.({
                resultId: resultId(di, id, ps),
                position: e.position,
                eventId: e.eventId,
                role: 'denominator',
              });
            }
          }
        });
        break;
      }
      case 'level': {
        const pass = compileWhere(m.where);
        const key = compilePath(m.key);
        const contribute = (
          st: MutableState,
          e: StoredEvent,
          ent: Entity,
          delta: number,
          observe: ((c: Contribution) => void) | undefined,
        ): void => {
          if (delta === 0) return;
          const ps = periodStartOf(e, def.period);
          for (const id of ent.sc) {
            const cell = touch(st, di, id, ps, e.position, ent.ov);
            cell.s = safeAdd(cell.s, delta);
            cell.c++;
            observe?.({
              resultId: resultId(di, id, ps),
              position: e.position,
              eventId: e.eventId,
              role: 'change',
            });
          }
        };
        for (const setter of m.set) {
          const amount = setter.amount === undefined ? null : compilePath(setter.amount);
          const weight = setter.weightBp === undefined ? null : compilePath(setter.weightBp);
          addStep(setter.eventType, (st, e, observe) => {
            const k = keyOf(e, key);
            if (k === null) return;
            const map = entitiesOf(st, di);
            let ent = map.get(k);
            if (ent === undefined) {
              if (!pass(e)) return;
              const ids = scopes(e);
              if (ids.length === 0) return;
              ent = {
                at: e.occurredAt,
                ms: 0,
                sc: ids,
                ov: ovAt(e),
                p: e.position,
                id: e.eventId,
                ps: '',
                a: 0,
                b: 0,
                cur: 0,
              };
              map.set(k, ent);
            }
            if (amount !== null) {
              const raw = read(e, amount);
              // Another currency is never converted: the entry weighs 0 in this KPI's currency.
              ent.a = isMoney(raw) && raw.currency === m.currency ? raw.amountMinor : 0;
            }
            if (weight !== null) {
              const raw = read(e, weight);
              if (typeof raw === 'number' && Number.isInteger(raw)) ent.b = raw;
            }
            const next = weighted(ent.a, ent.b);
            const delta = next - ent.cur;
            ent.cur = next;
            contribute(st, e, ent, delta, observe);
          });
        }
        for (const type of m.closeEventTypes) {
          addStep(type, (st, e, observe) => {
            const k = keyOf(e, key);
            if (k === null) return;
            const map = entitiesOf(st, di);
            const ent = map.get(k);
            if (ent === undefined) return;
            map.delete(k);
            contribute(st, e, ent, -ent.cur, observe);
          });
        }
        break;
      }
    }
  });

  const sweep = (st: MutableState): void => {
    for (const [di, map] of st.entities) {
      if (!windows.has(di)) continue;
      for (const [k, ent] of map) if (expired(st, di, ent)) map.delete(k);
    }
  };

  const fresh = (): MutableState => ({
    watermark: 0n,
    maxAt: '',
    maxMs: Number.NEGATIVE_INFINITY,
    applied: 0,
    index: [],
    cells: new Map(),
    entities: new Map(),
  });

  const apply = (state: KpiState, event: StoredEvent, observe?: (c: Contribution) => void): void => {
    const st = state as MutableState;
    if (event.position <= st.watermark) return;
    st.watermark = event.position;
    if (event.occurredAt > st.maxAt) {
      st.maxAt = event.occurredAt;
      st.maxMs = epochMs(event.occurredAt);
    }
    st.applied++;
    const list = steps.get(event.type);
    if (list !== undefined) for (const step of list) step(st, event, observe);
    // Sweeping only drops entities every lookup already treats as expired, so when it runs does not matter.
    if ((st.applied & SWEEP_EVERY) === 0) sweep(st);
  };

  const build = (
    di: number,
    scopeId: string,
    period: Period,
    cell: Cell,
    value: number,
    numerator: number,
    denominator: number | null,
  ): KpiResult => {
    const def = definitions[di] as KpiDefinitionVersion;
    const { classification, reason } = classify(value, def);
    return {
      id: resultId(di, scopeId, period.start),
      definitionKey: def.key,
      definitionVersion: def.version,
      unit: def.unit,
      scopeType: def.scope,
      scopeId,
      periodStart: period.start,
      periodEnd: period.end,
      value,
      numerator,
      denominator,
      target: def.target,
      classification,
      classificationReason: reason,
      orgStructureVersion: cell.ov,
      watermark: cell.w,
      contributingEventCount: cell.c,
    };
  };

  const percentileOf = (h: Map<number, number>, count: number, p: number): number => {
    const rank = Math.ceil((p / 100) * count);
    let seen = 0;
    for (const b of [...h.keys()].sort((x, y) => x - y)) {
      seen += h.get(b) ?? 0;
      if (seen >= rank) return bucketValue(b);
    }
    return 0;
  };

  const results = (state: KpiState, since?: bigint): KpiResult[] => {
    const grouped = new Map<string, { di: number; scopeId: string; periods: [string, Cell][] }>();
    if (since === undefined) {
      for (const [key, cell] of state.cells) {
        const [dis, scopeId, ps] = key.split('\u0000') as [string, string, string];
        const g = `${dis}\u0000${scopeId}`;
        let group = grouped.get(g);
        if (group === undefined) {
          group = { di: Number(dis), scopeId, periods: [] };
          grouped.set(g, group);
        }
        group.periods.push([ps, cell]);
      }
    } else {
      // A cell's watermark is the last event that touched it: whole groups are recomputed (a level carries forward).
      const st = state as MutableState;
      st.index.forEach((byScope, di) => {
        if (byScope === undefined) return;
        for (const [scopeId, byPeriod] of byScope) {
          let touched = false;
          for (const cell of byPeriod.values()) {
            if (cell.w > since) {
              touched = true;
              break;
            }
          }
          if (touched) grouped.set(`${di}\u0000${scopeId}`, { di, scopeId, periods: [...byPeriod] });
        }
      });
    }
    const out: KpiResult[] = [];
    const groups = [...grouped.values()].sort(
      (a, b) => a.di - b.di || (a.scopeId < b.scopeId ? -1 : a.scopeId > b.scopeId ? 1 : 0),
    );
    for (const { di, scopeId, periods } of groups) {
      const def = definitions[di] as KpiDefinitionVersion;
      periods.sort((a, b) => (a[0] < b[0] ? -1 : 1));
      if (def.measure.kind === 'level') {
        // A running level: every period from the first change to the last, carrying the sum forward.
        const byStart = new Map(periods);
        const last = (periods[periods.length - 1] as [string, Cell])[0];
        let period = periodOf((periods[0] as [string, Cell])[0], def.period);
        let level = 0;
        const acc: Cell = { k: 0, s: 0, n: 0, d: 0, c: 0, w: 0n, ov: null, h: null };
        // Since a watermark: a period changed when a touched cell is at or before it, or it lies past the
        // last period the untouched cells spanned (new carried-forward periods).
        let spannedBefore = '';
        if (since !== undefined)
          for (const [ps, cell] of periods) if (cell.w <= since && ps > spannedBefore) spannedBefore = ps;
        for (;;) {
          const cell = byStart.get(period.start);
          if (cell !== undefined) {
            level = safeAdd(level, cell.s);
            acc.c += cell.c;
            if (cell.w > acc.w) acc.w = cell.w;
            if (cell.ov !== null && (acc.ov === null || cell.ov > acc.ov)) acc.ov = cell.ov;
          }
          if (since === undefined || acc.w > since || period.start > spannedBefore)
            out.push(build(di, scopeId, period, { ...acc }, level, level, null));
          if (period.start >= last) break;
          period = nextPeriod(period, def.period);
        }
        continue;
      }
      for (const [ps, cell] of periods) {
        if (since !== undefined && cell.w <= since) continue;
        const period = periodOf(ps, def.period);
        switch (def.aggregation) {
          case 'count':
            out.push(build(di, scopeId, period, cell, cell.k, cell.k, null));
            break;
          case 'sum':
            out.push(build(di, scopeId, period, cell, cell.s, cell.s, null));
            break;
          case 'avg':
            out.push(
              build(
                di,
                scopeId,
                period,
                cell,
                Number(divideRounded(BigInt(cell.s), BigInt(cell.k))),
                cell.s,
                cell.k,
              ),
            );
            break;
          case 'ratio':
            out.push(
              build(
                di,
                scopeId,
                period,
                cell,
                Number(divideRounded(BigInt(cell.n) * 10_000n, BigInt(cell.d))),
                cell.n,
                cell.d,
              ),
            );
            break;
          case 'percentile': {
            const value = percentileOf(cell.h ?? new Map(), cell.k, def.percentile ?? 50);
            out.push(build(di, scopeId, period, cell, value, value, cell.k));
            break;
          }
        }
      }
    }
    return out;
  };

  const checkpoint = (state: KpiState): KpiCheckpoint => {
    const st = state as MutableState;
    const cells = [...st.cells]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([key, c]) => {
        const [dis, scopeId, ps] = key.split('\u0000') as [string, string, string];
        const h = c.h === null ? null : [...c.h].sort((x, y) => x[0] - y[0]);
        return [ids[Number(dis)], scopeId, ps, c.k, c.s, c.n, c.d, c.c, c.w.toString(), c.ov, h];
      });
    const entities: unknown[][] = [];
    for (const di of [...st.entities.keys()].sort((a, b) => a - b)) {
      const map = st.entities.get(di) as Map<string, Entity>;
      for (const k of [...map.keys()].sort()) {
        const e = map.get(k) as Entity;
        // A tuple, not an object: half the JSON to write, store and parse on every catch-up.
        entities.push([ids[di], k, e.at, e.ms, e.sc, e.ov, e.p.toString(), e.id, e.ps, e.a, e.b, e.cur]);
      }
    }
    return {
      format: 2,
      fingerprint,
      watermark: st.watermark.toString(),
      maxOccurredAt: st.maxAt,
      applied: st.applied,
      cells,
      entities,
    };
  };

  const restore = (cp: KpiCheckpoint): KpiState => {
    if ((cp.format !== 1 && cp.format !== 2) || cp.fingerprint !== fingerprint) {
      throw new ValidationError('KPI checkpoint', [
        { field: 'fingerprint', rule: 'was made with other definitions, time zone or org versions: rebuild' },
      ]);
    }
    const index = new Map(ids.map((id, i) => [id, i]));
    const st = fresh();
    st.watermark = BigInt(cp.watermark);
    st.maxAt = cp.maxOccurredAt;
    st.maxMs = cp.maxOccurredAt === '' ? Number.NEGATIVE_INFINITY : epochMs(cp.maxOccurredAt);
    st.applied = cp.applied;
    for (const row of cp.cells) {
      const [vid, scopeId, ps, k, s, n, d, c, w, ov, h] = row as [
        string,
        string,
        string,
        number,
        number,
        number,
        number,
        number,
        string,
        number | null,
        [number, number][] | null,
      ];
      const di = index.get(vid) as number;
      const cell: Cell = { k, s, n, d, c, w: BigInt(w), ov, h: h === null ? null : new Map(h) };
      st.cells.set(cellKey(di, scopeId, ps), cell);
      const byScope = st.index[di] ?? new Map<string, Map<string, Cell>>();
      st.index[di] = byScope;
      const byPeriod = byScope.get(scopeId) ?? new Map<string, Cell>();
      byScope.set(scopeId, byPeriod);
      byPeriod.set(ps, cell);
    }
    for (const row of cp.entities) {
      if (cp.format === 1) {
        const [vid, k, e] = row as [string, string, Entity & { p: string }];
        entitiesOf(st, index.get(vid) as number).set(k, { ...e, p: BigInt(e.p) });
        continue;
      }
      const [vid, k, at, ms, sc, ov, p, id, ps, a, b, cur] = row as [
        string,
        string,
        string,
        number,
        string[],
        number | null,
        string,
        string,
        string,
        number,
        number,
        number,
      ];
      entitiesOf(st, index.get(vid) as number).set(k, { at, ms, sc, ov, p: BigInt(p), id, ps, a, b, cur });
    }
    return st;
  };

  return {
    definitions,
    fingerprint,
    initialState: fresh,
    apply,
    async run(state, events) {
      for await (const e of events) apply(state, e);
      return state;
    },
    results: (state) => results(state),
    resultsSince: (state, watermark) => results(state, watermark),
    checkpoint,
    restore,
  };
}
