import { type Identity, PetError, type StoredEvent, ValidationError } from '@pet-ops/core';
import { safeAdd, weighted } from './arithmetic.js';
import { dayCalendar, type PeriodGrid, periodOf } from './calendar.js';
import { createCheckpoints } from './checkpoints.js';
import type { Classification } from './classify.js';
import {
  defineKpi,
  type KpiDefinitionVersion,
  type KpiUnit,
  type ScopeType,
  versionId,
} from './definition.js';
import { EntityTable } from './entity-table.js';
import { fnv, stableJson, stableJsonWith } from './fingerprint.js';
import { bucketOf } from './histogram.js';
import { BUILT_IN_MEASURE_KINDS } from './kinds/index.js';
import type { CompiledMeasure, ContributionRole, MeasureKind } from './measure-kind.js';
import { createOrgResolver, type OrgResolver } from './org.js';
import { partialRestore, wantRow, watchKeys } from './partial-restore.js';
import { compilePath, compileWhere, isMoney, keyOf, read } from './paths.js';
import { PlugEntities, PlugGroup } from './plug-entities.js';
import { createPluginSteps } from './plugin-steps.js';
import { createResultReader } from './results.js';
import {
  checkScopeSpecs,
  compileScopes,
  DEFAULT_EVENT_SCOPES,
  DEFAULT_FACT_SCOPES,
  type ScopeIds,
  type ScopeSpec,
} from './scopes.js';
import {
  C,
  CHUNK,
  CHUNK_BITS,
  CHUNK_MASK,
  D,
  FIELDS,
  K,
  type MutableState,
  N,
  NO_CELLS,
  OV,
  type Row,
  S,
  type ScopeRows,
  type Step,
  W,
} from './state.js';
import { epochMs } from './time.js';

export type { Classification } from './classify.js';
export { parseResultId } from './result-id.js';

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
  readonly role: ContributionRole;
  /** This event's share of the result's numerator, when its measure kind reports shares (plug-in kinds). */
  readonly numerator?: number;
  /** This event's share of the result's denominator, when its measure kind reports shares. */
  readonly denominator?: number;
  /** The arithmetic behind the share, in words (e.g. an SLA span's business minutes). */
  readonly detail?: string;
}

/**
 * What the fold reads of an event: a {@link StoredEvent} is one, and a reader that only needs the fold
 * can skip the stream, version, recording time and correlation columns.
 */
export type KpiEvent = Pick<
  StoredEvent,
  'position' | 'eventId' | 'type' | 'occurredAt' | 'actor' | 'context' | 'payload'
>;

/** The fold's state: mutable, opaque; persist it with {@link KpiEngine.checkpoint}. */
export interface KpiState {
  /** Position of the last event applied (`0n` before any). */
  readonly watermark: bigint;
}

/** A serialisable (JSON-safe) snapshot of a {@link KpiState}. */
export interface KpiCheckpoint {
  /** 4: an entity starts at its first event even when that event has no row in any of its scopes. Earlier formats are refused (rebuild). */
  readonly format: 4;
  /** Definitions, time zone, org versions and engine format it was computed with; restoring under others is refused. */
  readonly fingerprint: string;
  readonly watermark: string;
  readonly maxOccurredAt: string;
  readonly applied: number;
  /** `[versionId, scopeId, periodStart, count, sum, numerator, denominator, contributing, watermark, orgVersion, histogram]`, plus `memberSums` where a spread measure keeps them. */
  readonly cells: readonly (readonly unknown[])[];
  /**
   * `[groupId, entityKey, startMs, scopeIdsPerMember, orgVersion, position, eventId, periodStart, amount, weightBp, current, changedAt]`;
   * for a plug-in measure kind `[groupId, entityKey, jsonValue, changedAt]`, and for a kind's entity tracker
   * (facts its measures share) `['tracker:<kind>', entityKey, jsonValue, changedAt]`.
   */
  readonly entities: readonly (readonly unknown[])[];
}

/**
 * What changed in a state since its previous checkpoint or delta: the cells and entities events touched
 * after `from`, and the entities closed since. Small when few events were folded — what a catch-up stores
 * instead of rewriting the whole checkpoint. `restore(checkpoint, deltas)` replays a chain of them.
 */
export interface KpiCheckpointDelta extends KpiCheckpoint {
  /** Watermark of the checkpoint or delta this one follows. */
  readonly from: string;
  /** `[groupId, entityKey]` of entities closed or expired since `from`. */
  readonly removed: readonly (readonly [string, string])[];
}

/** What an engine computes with. */
export interface KpiEngineOptions {
  readonly definitions: readonly KpiDefinitionVersion[];
  /** IANA time zone of the organisation: period grids follow its calendar. */
  readonly orgTimeZone: string;
  /** Published org-structure versions (team and department scopes use the one valid at each event's time). */
  readonly orgVersions?: readonly Identity.OrgVersionSnapshot[];
  /**
   * How events resolve to scope ids, per scope type, over {@link DEFAULT_EVENT_SCOPES} (data, part of
   * the fingerprint: changing it makes stored checkpoints rebuild).
   */
  readonly scopes?: Readonly<Partial<Record<ScopeType, ScopeSpec>>>;
  /** How tracked entities' facts (tickets) resolve to scope ids, over {@link DEFAULT_FACT_SCOPES}. */
  readonly factScopes?: Readonly<Partial<Record<ScopeType, ScopeSpec>>>;
  /** Plug-in measure kinds (`plugin:…`) the definitions may use, besides the built-in ones. */
  readonly measureKinds?: readonly MeasureKind[];
}

/** A pure KPI fold. Every method is deterministic; nothing is read from a clock. */
export interface KpiEngine {
  readonly definitions: readonly KpiDefinitionVersion[];
  readonly fingerprint: string;
  /** An empty state at watermark 0 (nothing folded yet). */
  initialState(): KpiState;
  /** Folds one event in (events at or below the state's watermark are ignored: re-reads are harmless). */
  apply(state: KpiState, event: KpiEvent, observe?: (c: Contribution) => void): void;
  /** Folds a stream in position order; resolves to the same state object. */
  run(state: KpiState, events: AsyncIterable<KpiEvent> | Iterable<KpiEvent>): Promise<KpiState>;
  /** All results, ordered by definition key, version, scope id and period. */
  results(state: KpiState): KpiResult[];
  /**
   * The results that events after `watermark` changed or created (cells they touched; for running
   * levels also the periods after those), in the order of {@link KpiEngine.results} — found from the
   * cells' own watermarks, so the fold pays nothing for it.
   * @example `const before = state.watermark; await engine.run(state, newEvents); write(engine.resultsSince(state, before));`
   */
  resultsSince(state: KpiState, watermark: bigint): KpiResult[];
  /**
   * {@link KpiEngine.results} (or, given `since`, {@link KpiEngine.resultsSince}) lazily, one (definition,
   * scope) group at a time, in the same order: a writer streams them without holding every result.
   * @example `await writeRows(engine.eachResult(state));`
   */
  eachResult(state: KpiState, since?: bigint): Iterable<KpiResult>;
  /** The state as plain JSON-safe data, to store with the results and `restore` later. Starts the state's change journal ({@link KpiEngine.checkpointDelta}). */
  checkpoint(state: KpiState): KpiCheckpoint;
  /**
   * {@link KpiEngine.checkpoint} as JSON text in pieces of about 16 K characters (their concatenation
   * parses to `checkpoint(state)`; each tuple on a line of its own, for {@link KpiEngine.restoreJson}): a
   * large state is written without ever holding it as one string. Starts the change journal once the
   * last piece is taken. Do not fold while iterating.
   * @example `for (const piece of engine.checkpointJson(state)) await out.write(piece);`
   */
  checkpointJson(state: KpiState): Iterable<string>;
  /**
   * What changed since the state's last checkpoint or delta (or its restore), then starts a new one.
   * @throws ValidationError when the state has never been checkpointed or restored (no journal to read).
   * @example `await store(engine.checkpoint(state)); await engine.run(state, more); await store(engine.checkpointDelta(state));`
   */
  checkpointDelta(state: KpiState): KpiCheckpointDelta;
  /**
   * A state from a checkpoint and the deltas taken after it, in order.
   * @throws ValidationError when they were made with other definitions, zone or org versions, or the deltas do not chain.
   */
  restore(checkpoint: KpiCheckpoint, deltas?: readonly KpiCheckpointDelta[]): KpiState;
  /**
   * {@link KpiEngine.restore} from a checkpoint's JSON text in pieces, as {@link KpiEngine.checkpointJson}
   * wrote it: one tuple is parsed and loaded at a time, so a large state is restored without holding its
   * text or its parsed tuples whole (a cold catch-up's peak memory). Text in the older one-line layout
   * (or `JSON.stringify(engine.checkpoint(state))`) is read whole.
   * Deltas may be given as their JSON text (`checkpointDeltaText`).
   * @throws ValidationError as `restore`, or when the text is not a checkpoint's layout.
   * @example `const state = await engine.restoreJson(readPieces(file), deltas);`
   */
  restoreJson(
    text: Iterable<string> | AsyncIterable<string>,
    deltas?: readonly (KpiCheckpointDelta | string)[],
  ): Promise<KpiState>;
  /**
   * A catch-up from stored state that restores only what folding `events` reads — the stored cells of
   * the scope rows they touch and the entities they look up — then folds them in: a job catching up a
   * thousand events after a million holds a few thousand tuples, not the whole state, so its memory does
   * not grow with history. Which tuples those are is learnt by folding (a pass restores what is known to
   * be read, folds, and runs again while the fold asked for more; usually two or three passes over the
   * text, each parsing only the lines it keeps; after eight it restores the whole state).
   *
   * The state answers for those events only: {@link KpiEngine.resultsSince} (from the stored watermark)
   * and {@link KpiEngine.checkpointDelta} are those of the whole state; `results`, `checkpoint` and
   * `checkpointJson` throw, and so does folding an event into it that reads what was not restored.
   * @param text the checkpoint's JSON text in pieces ({@link KpiEngine.checkpointJson}), afresh on every call: it is read once per pass.
   * @param deltas the deltas after it, in order; or a function giving them afresh (each pass reads them again, one at a time, so none needs to be held parsed), each as an object or as its JSON text (in `checkpointDeltaText`'s layout a pass parses only the lines it keeps).
   * @throws ValidationError as {@link KpiEngine.restoreJson}.
   * @example
   * ```ts
   * const state = await engine.catchUpJson(() => readPieces(file), deltas, newEvents);
   * write(engine.resultsSince(state, storedWatermark));
   * store(engine.checkpointDelta(state));
   * ```
   */
  catchUpJson(
    text: () => Iterable<string> | AsyncIterable<string>,
    deltas:
      | readonly KpiCheckpointDelta[]
      | (() => Iterable<KpiCheckpointDelta | string> | AsyncIterable<KpiCheckpointDelta | string>),
    events: Iterable<KpiEvent>,
  ): Promise<KpiState>;
  /**
   * The event types the fold reads, sorted. An event of any other type only moves the state's watermark
   * and its window clock (the latest `occurredAt` seen, which expires unmatched span starts), so a reader
   * may hand such events over with an empty context and a `null` payload (but must hand them over).
   * @example `const reads = engine.subset([id]).eventTypes; // read payloads of these types only`
   */
  readonly eventTypes: readonly string[];
  /**
   * An engine over some of this engine's definitions (by `key@version`), with the same zone and org
   * versions: it folds only their measures, and its results for them equal this engine's. What explaining
   * one result folds.
   * @throws ValidationError when an id is not one of this engine's definitions.
   * @example `const one = engine.subset(['sales.win-rate@1']);`
   */
  subset(versionIds: readonly string[]): KpiEngine;
  /**
   * True when a definition's results are running levels (each period carries every earlier period's
   * numbers forward): its contributing events are those of its result's period and every period before.
   * @example `engine.carriesForward('sales.weighted-pipeline@1')` → `true`
   */
  carriesForward(versionId: string): boolean;
}

const DAY_MS = 86_400_000;
const SWEEP_EVERY = 0xffff;
/** Passes of {@link KpiEngine.catchUpJson} before it restores the whole state instead. */
const PARTIAL_PASSES = 8;

/** The measure kinds folded inline by the engine (every other kind is a {@link MeasureKind} plug-in). */
const INLINE_KINDS: ReadonlySet<string> = new Set(['events', 'ratio', 'span', 'conversion', 'level']);

/** Checkpoint format and fold semantics: part of the fingerprint, so a stored state of another format is rebuilt. */
const ENGINE_FORMAT = 4;

/**
 * Creates the pure KPI fold for a set of definition versions. State is bounded by the open
 * (version, scope, period) cells plus, for cross-event measures, the open entities (unmatched starts
 * within their window, open pipeline entries) — never by the number of events.
 *
 * Definitions that differ only in scope (a catalogue computed for org, team and customer, say) are
 * folded as one measure: its filters run once per event and its open entities are kept once.
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
  const customKinds = options.measureKinds ?? [];
  const kinds = new Map<string, MeasureKind>(BUILT_IN_MEASURE_KINDS.map((k) => [k.kind, k]));
  for (const k of customKinds) {
    if (!k.kind.startsWith('plugin:') || kinds.has(k.kind)) {
      throw new ValidationError('KPI engine', [
        { field: 'measureKinds', rule: `${k.kind}: a plug-in kind is named plugin:<name>, once` },
      ]);
    }
    kinds.set(k.kind, k);
  }
  const pluginInfo = customKinds.map((k) => ({ ...k, kind: k.kind as `plugin:${string}` }));
  if (options.scopes !== undefined) checkScopeSpecs(options.scopes);
  if (options.factScopes !== undefined) checkScopeSpecs(options.factScopes);
  const definitions = [...options.definitions]
    .map((d) => defineKpi(d, pluginInfo))
    .sort((a, b) => (versionId(a) < versionId(b) ? -1 : versionId(a) > versionId(b) ? 1 : 0));
  const ids = definitions.map(versionId);
  if (new Set(ids).size !== ids.length) {
    throw new ValidationError('KPI engine', [
      { field: 'definitions', rule: 'each key@version at most once' },
    ]);
  }
  const calendar = dayCalendar(options.orgTimeZone);
  const orgVersions = options.orgVersions ?? [];
  const org: OrgResolver = createOrgResolver(orgVersions);
  /** The plug-in kind of a definition, `null` for the kinds folded inline. */
  const pluginOf = (d: KpiDefinitionVersion): MeasureKind | null =>
    INLINE_KINDS.has(d.measure.kind) ? null : (kinds.get(d.measure.kind) ?? null);
  // Folds of plug-in kinds and non-default scope specs change results: they are in the fingerprint, and
  // only when used, so the fingerprint of a catalogue-v1 engine is what it always was.
  const usedKinds = [
    ...new Set(definitions.map(pluginOf).flatMap((k) => (k === null ? [] : [`${k.kind}@${k.version}`]))),
  ].sort();
  const fingerprintInput = {
    definitions,
    tz: options.orgTimeZone,
    orgVersions,
    engine: ENGINE_FORMAT,
    ...(usedKinds.length === 0 ? {} : { kinds: usedKinds }),
    ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
    ...(options.factScopes === undefined ? {} : { factScopes: options.factScopes }),
  };
  const merged = (
    defaults: Readonly<Record<ScopeType, ScopeSpec>>,
    overrides: Readonly<Partial<Record<ScopeType, ScopeSpec>>> | undefined,
  ): Record<ScopeType, ScopeSpec> => {
    const out = { ...defaults };
    for (const [type, spec] of Object.entries(overrides ?? {}))
      if (spec !== undefined) out[type as ScopeType] = spec;
    return out;
  };
  const eventScopes = compileScopes(merged(DEFAULT_EVENT_SCOPES, options.scopes), { org });
  const factSpecs = merged(DEFAULT_FACT_SCOPES, options.factScopes);
  const factScopeFns = compileScopes(factSpecs, { org });
  // The input's text with and without a salt, its members written once (it holds every definition).
  const [plainText, saltedText] = stableJsonWith(fingerprintInput, 'salt', 1);
  const fingerprint = `${fnv(plainText, 0x811c9dc5)}${fnv(saltedText, 0x01234567)}`;

  // Measure groups: definitions with the same measure and period grid, in definition order.
  const groupOf = new Map<string, number[]>();
  definitions.forEach((def, di) => {
    const k = stableJson({ measure: def.measure, period: def.period });
    const members = groupOf.get(k) ?? [];
    members.push(di);
    groupOf.set(k, members);
  });
  const groups = [...groupOf.values()];
  /** A group's checkpoint id: its first member's key@version. */
  const groupIds = groups.map((members) => ids[members[0] as number] as string);

  // The event being applied, as every step asks about it: computed once per event in `apply`. `evSeq`
  // numbers the applications, so per-event memos compare a number, not an event (the same object may be
  // applied again, to another state or at another position).
  let evSeq = 0;
  let evMs = 0;
  const grids: PeriodGrid[] = [...new Set(definitions.map((d) => d.period))];
  /** Per grid (index in `grids`): the applied event's period start. */
  const evPs: string[] = grids.map(() => '');
  // Local days by UTC day number, direct-mapped: events of a stream zig-zag over a few days at most.
  const DAY_SLOTS = 256;
  const dayNumbers = new Float64Array(DAY_SLOTS).fill(Number.NaN);
  const dayBoundaries = new Float64Array(DAY_SLOTS);
  /** Per grid and slot: the period start of the local date before / from the slot day's boundary. */
  const psBefore: string[][] = grids.map(() => new Array<string>(DAY_SLOTS).fill(''));
  const psAfter: string[][] = grids.map(() => new Array<string>(DAY_SLOTS).fill(''));
  const periodStarts = grids.map(() => new Map<string, string>());
  const periodStartOfDate = (g: number, date: string): string => {
    const cache = periodStarts[g] as Map<string, string>;
    let start = cache.get(date);
    if (start === undefined) {
      if (cache.size > 10_000) cache.clear();
      start = periodOf(date, grids[g] as PeriodGrid).start;
      cache.set(date, start);
    }
    return start;
  };
  /** Sets `evMs` and `evPs` for an event's instant. */
  const locate = (at: string): void => {
    const ms = epochMs(at);
    evMs = ms;
    const day = Math.floor(ms / DAY_MS);
    const slot = day & (DAY_SLOTS - 1);
    if (dayNumbers[slot] !== day) {
      const split = calendar.utcDay(day);
      dayNumbers[slot] = day;
      dayBoundaries[slot] = split.before === split.after ? Number.POSITIVE_INFINITY : split.boundaryMs;
      for (let g = 0; g < grids.length; g++) {
        (psBefore[g] as string[])[slot] = periodStartOfDate(g, split.before);
        (psAfter[g] as string[])[slot] = periodStartOfDate(g, split.after);
      }
    }
    const starts = ms < (dayBoundaries[slot] as number) ? psBefore : psAfter;
    for (let g = 0; g < grids.length; g++) evPs[g] = (starts[g] as string[])[slot] as string;
  };
  /** The period start of the applied event on a grid. */
  const periodFn = (grid: PeriodGrid): ((e: KpiEvent) => string) => {
    const g = grids.indexOf(grid);
    return () => evPs[g] as string;
  };

  let ovSeq = -1;
  let ovLast: number | null = null;
  const ovAt = (e: KpiEvent): number | null => {
    if (orgVersions.length === 0) return null;
    if (ovSeq !== evSeq) {
      ovSeq = evSeq;
      ovLast = org.versionAt(e.occurredAt);
    }
    return ovLast;
  };

  const scopeResolver = (scope: ScopeType): ((e: KpiEvent) => ScopeIds) => {
    const known = resolvers.get(scope);
    if (known !== undefined) return known;
    const resolve = eventScopes[scope];
    let lastSeq = -1;
    let last: ScopeIds = NONE;
    const memo = (e: KpiEvent): ScopeIds => {
      if (lastSeq !== evSeq) {
        lastSeq = evSeq;
        last = resolve(e, ovAt(e), e.actor.type === 'employee' ? e.actor.id : null);
      }
      return last;
    };
    resolvers.set(scope, memo);
    return memo;
  };
  const resolvers = new Map<ScopeType, (e: KpiEvent) => ScopeIds>();
  const NONE: readonly string[] = [];

  // Namespaces: definitions of one scope type and period grid share rows (a slot each).
  const nsIndex = new Map<string, number>();
  const nsScope: ScopeType[] = [];
  const nsOf: number[] = [];
  const slotOf: number[] = [];
  definitions.forEach((def, di) => {
    const key = `${def.scope}|${def.period}`;
    let ns = nsIndex.get(key);
    if (ns === undefined) {
      ns = nsScope.length;
      nsIndex.set(key, ns);
      nsScope.push(def.scope);
    }
    nsOf[di] = ns;
    slotOf[di] = definitions.slice(0, di).filter((d) => `${d.scope}|${d.period}` === key).length;
  });
  /** Numbers per block of a namespace: a cell per definition. */
  const blockSize = nsScope.map((_, ns) => nsOf.filter((n) => n === ns).length * FIELDS);
  // A block lives in one chunk of cells.
  if (blockSize.some((size) => size > CHUNK)) {
    throw new ValidationError('KPI engine', [
      {
        field: 'definitions',
        rule: `at most ${Math.floor(CHUNK / FIELDS)} definitions of one scope and period grid`,
      },
    ]);
  }
  /** A new block of cells for a namespace, at the end of the pool (blocks are never freed: cells are results). */
  const allocBlock = (st: MutableState, ns: number): number => {
    const size = blockSize[ns] as number;
    if (st.chunks.length === 0 || st.chunkUsed + size > CHUNK) {
      st.chunks.push(new Float64Array(CHUNK));
      st.chunkUsed = 0;
    }
    const chunk = st.chunks[st.chunks.length - 1] as Float64Array;
    const at = st.chunkUsed;
    st.chunkUsed = at + size;
    for (let o = at + OV; o < at + size; o += FIELDS) chunk[o] = -1;
    return (st.chunks.length - 1) * CHUNK + at;
  };
  /** The chunk holding a global offset; `o & CHUNK_MASK` is the offset in it. */
  const chunkOf = (st: MutableState, o: number): Float64Array => st.chunks[o >>> CHUNK_BITS] as Float64Array;
  const NO_ROWS: readonly Row[] = [];
  // Per namespace, the last id asked and its row: an entity's events often come in a run (one actor, one
  // customer), and comparing two ids is cheaper than hashing a fresh one.
  const lastIds: string[] = nsScope.map(() => '');
  const lastRows: (Row | null)[] = nsScope.map(() => null);
  // The state's uid, not the state: a host that drops a state frees it, memo or not.
  let lastRowsUid = -1;
  const rowOf = (st: MutableState, ns: number, id: string): Row => {
    if (st.uid === lastRowsUid) {
      const last = lastRows[ns] ?? null;
      if (last !== null && id === lastIds[ns]) return last;
    } else {
      // Another state: no remembered row belongs to it (nor to an id like '').
      lastRowsUid = st.uid;
      lastRows.fill(null);
    }
    const row = rowIn(st, ns, id);
    lastIds[ns] = id;
    lastRows[ns] = row;
    return row;
  };
  const rowIn = (st: MutableState, ns: number, id: string): Row => {
    const map = st.rows[ns] as Map<string, Row>;
    let row = map.get(id);
    if (row === undefined) {
      const created: Row = {
        id,
        ns,
        // No period yet: a sentinel no period start equals, so the first touch looks its block up.
        ps: '\u0000',
        blk: -1,
        periods: new Map(),
        one: [],
        oneId: -1,
        lw: [],
      };
      (created.one as Row[]).push(created);
      row = created;
      map.set(id, row);
    }
    return row;
  };
  /** The rows of a list of scope ids: lists come from the org resolver's stable arrays, so each is mapped once per state. */
  const rowList = (st: MutableState, ns: number, ids: readonly string[]): readonly Row[] => {
    if (ids.length === 0) return NO_ROWS;
    if (ids.length === 1) return rowOf(st, ns, ids[0] as string).one;
    const cache = st.lists[ns] as Map<readonly string[], readonly Row[]>;
    let rows = cache.get(ids);
    if (rows === undefined) {
      if (cache.size > 10_000) cache.clear();
      rows = ids.map((id) => rowOf(st, ns, id));
      cache.set(ids, rows);
    }
    return rows;
  };
  const idsOfNs = nsScope.map(scopeResolver);
  // The applied event's rows per namespace, in one function for every step and namespace.
  const rowsSeq = new Float64Array(nsScope.length).fill(-1);
  const rowsSeen: (readonly Row[])[] = nsScope.map(() => NO_ROWS);
  /** The rows of the applied event's scope ids in a namespace. */
  const rowsAt = (st: MutableState, e: KpiEvent, ns: number): readonly Row[] => {
    if (rowsSeq[ns] === evSeq) return rowsSeen[ns] as readonly Row[];
    const ids = (idsOfNs[ns] as (e: KpiEvent) => ScopeIds)(e);
    const rows = typeof ids === 'string' ? rowOf(st, ns, ids).one : rowList(st, ns, ids);
    rowsSeq[ns] = evSeq;
    rowsSeen[ns] = rows;
    return rows;
  };
  // Groups whose members have the same namespaces share one resolver: one row list per event, not per group.
  // An entity starts even when its event has rows in no member's scope: whether it exists must not hang on
  // which other definitions share its group (an org member always has a row), or a definition's results
  // would change with the engine's other definitions.
  const rowLists = new Map<string, (st: MutableState, e: KpiEvent) => readonly (readonly Row[])[]>();
  const rowListResolver = (
    namespaces: readonly number[],
  ): ((st: MutableState, e: KpiEvent) => readonly (readonly Row[])[]) => {
    const signature = namespaces.join(',');
    const known = rowLists.get(signature);
    if (known !== undefined) return known;
    let lastSeq = -1;
    // Reused: callers read the lists at once (entities keep list numbers, not this array).
    const out: (readonly Row[])[] = namespaces.map(() => NO_ROWS);
    const resolve = (st: MutableState, e: KpiEvent): readonly (readonly Row[])[] => {
      if (lastSeq === evSeq) return out;
      lastSeq = evSeq;
      for (let i = 0; i < namespaces.length; i++) out[i] = rowsAt(st, e, namespaces[i] as number);
      return out;
    };
    rowLists.set(signature, resolve);
    return resolve;
  };

  const steps = new Map<string, Step[]>();
  /**
   * The steps of an event type, by a hash of its length and two characters: an event's type is a fresh
   * string (a driver made it), and `Map.get` would hash all of it; one string comparison confirms.
   */
  const TYPE_BUCKETS = 64;
  const typeBuckets: (readonly [string, Step[]])[][] = Array.from({ length: TYPE_BUCKETS }, () => []);
  const typeBucket = (type: string): number =>
    type.length === 0
      ? 0
      : (type.length * 31 + type.charCodeAt(type.length - 1) * 7 + type.charCodeAt(type.length >> 1)) &
        (TYPE_BUCKETS - 1);
  const addStep = (type: string, step: Step): void => {
    let list = steps.get(type);
    if (list === undefined) {
      list = [];
      steps.set(type, list);
      (typeBuckets[typeBucket(type)] as (readonly [string, Step[]])[]).push([type, list]);
    }
    list.push(step);
  };
  const stepsOf = (type: string): Step[] | undefined => {
    const bucket = typeBuckets[typeBucket(type)] as (readonly [string, Step[]])[];
    for (let i = 0; i < bucket.length; i++) {
      const entry = bucket[i] as readonly [string, Step[]];
      if (entry[0] === type) return entry[1];
    }
    return undefined;
  };

  const resultId = (di: number, scopeId: string, periodStart: string): string => {
    const def = definitions[di] as KpiDefinitionVersion;
    return `${versionId(def)}/${def.scope}:${scopeId}/${periodStart}`;
  };
  /**
   * The pool offset of a row's cell for a slot and period, created on first touch; records the event's
   * position and org version in it. The offset is local to `st.pool`, the cell's chunk.
   */
  const touch = (
    st: MutableState,
    row: Row,
    slot: number,
    periodStart: string,
    position: number,
    ov: number | null,
  ): number => {
    if (st.touched !== null) {
      (st.touched[row.ns] as Set<Row>).add(row);
      // A state restored for given events (it always keeps a journal): is this row's stored part here?
      if (st.partial !== null) wantRow(st.partial, row);
    }
    let blk = row.blk;
    if (row.ps !== periodStart) {
      const known = row.periods.get(periodStart);
      if (known === undefined) {
        blk = allocBlock(st, row.ns);
        row.periods.set(periodStart, blk);
      } else blk = known;
      row.ps = periodStart;
      row.blk = blk;
    }
    const pool = chunkOf(st, blk);
    st.pool = pool;
    const o = (blk & CHUNK_MASK) + slot * FIELDS;
    pool[o + W] = position;
    row.lw[slot] = position;
    if (ov !== null && ov > (pool[o + OV] as number)) pool[o + OV] = ov;
    return o;
  };
  const addToHistogram = (st: MutableState, o: number, v: number): void => {
    let h = st.hist.get(o);
    if (h === undefined) {
      h = new Map();
      st.hist.set(o, h);
    }
    const b = bucketOf(v);
    h.set(b, (h.get(b) ?? 0) + 1);
  };
  /** Counts a value into the cell {@link touch} returned: its count, sum, contributing events (the events that made the value) and, for a percentile, its histogram. */
  const countValue = (
    st: MutableState,
    row: Row,
    slot: number,
    o: number,
    v: number,
    contributing: number,
    histogram: boolean,
  ): void => {
    const pool = st.pool;
    pool[o + K] = (pool[o + K] as number) + 1;
    pool[o + C] = (pool[o + C] as number) + contributing;
    pool[o + S] = safeAdd(pool[o + S] as number, v);
    if (histogram) addToHistogram(st, row.blk + slot * FIELDS, v);
  };
  /** Closes an entity; `key` when the caller has it (the journal records it). */
  const forget = (st: MutableState, gi: number, ent: number, key: string | null): void => {
    const table = st.entities[gi] as EntityTable;
    if (st.removed !== null) (st.removed[gi] as Set<string>).add(key ?? table.keyOf(ent));
    table.remove(ent);
  };
  /** Window in ms per group (`undefined`: entities never expire). */
  const windows: (number | undefined)[] = [];
  const expired = (st: MutableState, gi: number, ent: number): boolean => {
    const w = windows[gi];
    return w !== undefined && ((st.entities[gi] as EntityTable).ms[ent] as number) + w < st.maxMs;
  };
  /** Period starts kept by entities (conversions), as indices: `''` is 0. */
  const periodNames: string[] = [''];
  const periodIndex = new Map<string, number>([['', 0]]);
  const periodNumber = (ps: string): number => {
    let i = periodIndex.get(ps);
    if (i === undefined) {
      i = periodNames.length;
      periodNames.push(ps);
      periodIndex.set(ps, i);
    }
    return i;
  };
  /** Keeps an entity's scope rows: a list number per member of its group. */
  const setScopes = (st: MutableState, table: EntityTable, ent: number, sc: ScopeRows): void => {
    const at = ent * table.stride;
    for (let i = 0; i < sc.length; i++) {
      const rows = sc[i] as readonly Row[];
      const single = rows.length === 1 && (rows[0] as Row).one === rows ? (rows[0] as Row) : null;
      let id = single === null ? st.listIds.get(rows) : single.oneId >= 0 ? single.oneId : undefined;
      if (id === undefined) {
        if (single !== null) single.oneId = st.listTable.length;
        id = st.listTable.length;
        st.listTable.push(rows);
        st.listIds.set(rows, id);
      }
      table.lists[at + i] = id;
    }
  };
  /** The rows of an entity's member `i`. */
  const scopeRows = (st: MutableState, table: EntityTable, ent: number, i: number): readonly Row[] =>
    st.listTable[table.lists[ent * table.stride + i] as number] as readonly Row[];

  /**
   * The plug-in kinds with an entity tracker, in the order of their first measure group: tracker `t`'s
   * entities are at `groups.length + t` in a state's plug-in entities and journal, and checkpointed as
   * `tracker:<kind>` (no definition's `key@version` looks like that).
   */
  const trackerKinds = [
    ...new Set(
      groups.flatMap((members) => {
        const k = pluginOf(definitions[members[0] as number] as KpiDefinitionVersion);
        return k?.tracker === undefined ? [] : [k.kind];
      }),
    ),
  ];
  const trackerIds = trackerKinds.map((kind) => `tracker:${kind}`);
  /** Per measure group: its compiled plug-in measure (`null`: a kind folded inline). */
  const plugins: (CompiledMeasure | null)[] = groups.map(() => null);
  /** Per definition: whether its results carry earlier periods forward. */
  const carries = definitions.map((d) => d.measure.kind === 'level' || (pluginOf(d)?.carryForward ?? false));
  const addPluginSteps = createPluginSteps({
    pluginOf,
    plugins,
    carries,
    periodFn,
    factScopeFns,
    factSpecs,
    nsScope,
    idsOfNs,
    rowOf,
    rowList,
    touch,
    resultId,
    addStep,
    eventMs: () => evMs,
    ovAt,
    trackerIndex: (kind) => groups.length + trackerKinds.indexOf(kind),
  });

  groups.forEach((members, gi) => {
    const def = definitions[members[0] as number] as KpiDefinitionVersion;
    const m = def.measure;
    const nss = members.map((di) => nsOf[di] as number);
    const slots = members.map((di) => slotOf[di] as number);
    const histogram = members.map(
      (di) => (definitions[di] as KpiDefinitionVersion).aggregation === 'percentile',
    );
    const periodStartOf = periodFn(def.period);
    const count = members.length;
    const scopesOf = rowListResolver(nss);
    switch (m.kind) {
      case 'events': {
        const pass = compileWhere(m.where);
        const valueSegs = m.value === undefined ? null : compilePath(m.value.path);
        const currency = m.value?.currency;
        for (const type of m.eventTypes) {
          addStep(type, (st, e, pos, observe) => {
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
            const ps = periodStartOf(e);
            const ov = ovAt(e);
            for (let i = 0; i < count; i++) {
              const di = members[i] as number;
              const slot = slots[i] as number;
              const rows = rowsAt(st, e, nss[i] as number);
              for (let j = 0; j < rows.length; j++) {
                const row = rows[j] as Row;
                countValue(st, row, slot, touch(st, row, slot, ps, pos, ov), v, 1, histogram[i] as boolean);
                if (observe !== undefined) {
                  const aggregation = (definitions[di] as KpiDefinitionVersion).aggregation;
                  observe({
                    resultId: resultId(di, row.id, ps),
                    position: e.position,
                    eventId: e.eventId,
                    role: 'event',
                    // Its share: 1 of a count, its value of a sum or average (whose denominator counts it).
                    ...(aggregation === 'percentile' ? {} : { numerator: aggregation === 'count' ? 1 : v }),
                    ...(aggregation === 'avg' ? { denominator: 1 } : {}),
                  });
                }
              }
            }
          });
        }
        break;
      }
      case 'ratio': {
        const pass = compileWhere(m.where);
        const isNumerator = compileWhere(m.numerator.where);
        for (const type of m.eventTypes) {
          addStep(type, (st, e, pos, observe) => {
            if (!pass(e)) return;
            const num = isNumerator(e);
            const ps = periodStartOf(e);
            const ov = ovAt(e);
            for (let i = 0; i < count; i++) {
              const di = members[i] as number;
              const slot = slots[i] as number;
              const rows = rowsAt(st, e, nss[i] as number);
              for (let j = 0; j < rows.length; j++) {
                const row = rows[j] as Row;
                const o = touch(st, row, slot, ps, pos, ov);
                const pool = st.pool;
                pool[o + D] = (pool[o + D] as number) + 1;
                pool[o + C] = (pool[o + C] as number) + 1;
                if (num) pool[o + N] = (pool[o + N] as number) + 1;
                observe?.({
                  resultId: resultId(di, row.id, ps),
                  position: e.position,
                  eventId: e.eventId,
                  role: num ? 'numerator' : 'denominator',
                  numerator: num ? 1 : 0,
                  denominator: 1,
                });
              }
            }
          });
        }
        break;
      }
      case 'span':
      case 'conversion': {
        windows[gi] = m.windowDays * DAY_MS;
        const startPass = compileWhere(m.start.where);
        const endPass = compileWhere(m.end.where);
        const startKey = compilePath(m.start.key);
        const endKey = compilePath(m.end.key);
        const conversion = m.kind === 'conversion';
        const firstOnly = m.kind === 'conversion' || m.firstStartOnly;
        // The end is registered first: an event type that both ends and restarts closes the old span.
        addStep(m.end.eventType, (st, e, pos, observe) => {
          if (!endPass(e)) return;
          const key = keyOf(e, endKey);
          if (key === null) return;
          const table = st.entities[gi] as EntityTable;
          const ent = table.find(key);
          if (ent < 0) return;
          const isExpired = expired(st, gi, ent);
          const startMs = table.ms[ent] as number;
          const ov = table.orgVersionOf(ent);
          const startPs = periodNames[table.ps[ent] as number] as string;
          const startPos = table.p[ent] as number;
          const startId = observe === undefined ? '' : table.startIdOf(ent);
          forget(st, gi, ent, key);
          if (isExpired) return;
          if (conversion) {
            for (let i = 0; i < count; i++) {
              const di = members[i] as number;
              const slot = slots[i] as number;
              const rows = scopeRows(st, table, ent, i);
              for (let j = 0; j < rows.length; j++) {
                const row = rows[j] as Row;
                const o = touch(st, row, slot, startPs, pos, ov);
                const pool = st.pool;
                pool[o + N] = (pool[o + N] as number) + 1;
                pool[o + C] = (pool[o + C] as number) + 1;
                observe?.({
                  resultId: resultId(di, row.id, startPs),
                  position: e.position,
                  eventId: e.eventId,
                  role: 'numerator',
                  numerator: 1,
                });
              }
            }
            return;
          }
          const minutes = Math.floor((evMs - startMs) / 60_000);
          const ps = periodStartOf(e);
          for (let i = 0; i < count; i++) {
            const di = members[i] as number;
            const slot = slots[i] as number;
            const rows = scopeRows(st, table, ent, i);
            for (let j = 0; j < rows.length; j++) {
              const row = rows[j] as Row;
              countValue(
                st,
                row,
                slot,
                touch(st, row, slot, ps, pos, ov),
                minutes,
                2,
                histogram[i] as boolean,
              );
              if (observe !== undefined) {
                const rid = resultId(di, row.id, ps);
                observe({ resultId: rid, position: BigInt(startPos), eventId: startId, role: 'start' });
                observe({
                  resultId: rid,
                  position: e.position,
                  eventId: e.eventId,
                  role: 'end',
                  ...(histogram[i] === true ? {} : { numerator: minutes, denominator: 1 }),
                });
              }
            }
          }
        });
        addStep(m.start.eventType, (st, e, pos, observe) => {
          if (!startPass(e)) return;
          const key = keyOf(e, startKey);
          if (key === null) return;
          const table = st.entities[gi] as EntityTable;
          let ent = table.find(key);
          if (firstOnly && ent >= 0 && !expired(st, gi, ent)) return;
          const sc = scopesOf(st, e);
          const ov = ovAt(e);
          const ps = conversion ? periodStartOf(e) : '';
          if (st.changed !== null) (st.changed[gi] as Set<string>).add(key);
          // A start over an open (or expired) one replaces it.
          if (ent < 0) ent = table.add(key);
          table.ms[ent] = evMs;
          setScopes(st, table, ent, sc);
          table.setOrgVersion(ent, ov);
          table.p[ent] = pos;
          table.setStartId(ent, e.eventId);
          table.ps[ent] = periodNumber(ps);
          table.u[ent] = pos;
          if (!conversion) return;
          for (let i = 0; i < count; i++) {
            const di = members[i] as number;
            const slot = slots[i] as number;
            const rows = sc[i] as readonly Row[];
            for (let j = 0; j < rows.length; j++) {
              const row = rows[j] as Row;
              const o = touch(st, row, slot, ps, pos, ov);
              const pool = st.pool;
              pool[o + D] = (pool[o + D] as number) + 1;
              pool[o + C] = (pool[o + C] as number) + 1;
              observe?.({
                resultId: resultId(di, row.id, ps),
                position: e.position,
                eventId: e.eventId,
                role: 'denominator',
                denominator: 1,
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
          e: KpiEvent,
          pos: number,
          ent: number,
          delta: number,
          observe: ((c: Contribution) => void) | undefined,
        ): void => {
          if (delta === 0) return;
          const table = st.entities[gi] as EntityTable;
          const ov = table.orgVersionOf(ent);
          const ps = periodStartOf(e);
          for (let i = 0; i < count; i++) {
            const di = members[i] as number;
            const slot = slots[i] as number;
            const rows = scopeRows(st, table, ent, i);
            for (let j = 0; j < rows.length; j++) {
              const row = rows[j] as Row;
              const o = touch(st, row, slot, ps, pos, ov);
              const pool = st.pool;
              pool[o + S] = safeAdd(pool[o + S] as number, delta);
              pool[o + C] = (pool[o + C] as number) + 1;
              observe?.({
                resultId: resultId(di, row.id, ps),
                position: e.position,
                eventId: e.eventId,
                role: 'change',
                numerator: delta,
              });
            }
          }
        };
        for (const setter of m.set) {
          const amount = setter.amount === undefined ? null : compilePath(setter.amount);
          const weight = setter.weightBp === undefined ? null : compilePath(setter.weightBp);
          addStep(setter.eventType, (st, e, pos, observe) => {
            const k = keyOf(e, key);
            if (k === null) return;
            const table = st.entities[gi] as EntityTable;
            let ent = table.find(k);
            if (ent < 0) {
              if (!pass(e)) return;
              const sc = scopesOf(st, e);
              ent = table.add(k);
              setScopes(st, table, ent, sc);
              table.setOrgVersion(ent, ovAt(e));
              table.p[ent] = pos;
              table.setStartId(ent, e.eventId);
            }
            table.u[ent] = pos;
            if (st.changed !== null) (st.changed[gi] as Set<string>).add(k);
            if (amount !== null) {
              const raw = read(e, amount);
              // Another currency is never converted: the entry weighs 0 in this KPI's currency.
              table.a[ent] = isMoney(raw) && raw.currency === m.currency ? raw.amountMinor : 0;
            }
            if (weight !== null) {
              const raw = read(e, weight);
              if (typeof raw === 'number' && Number.isInteger(raw)) table.b[ent] = raw;
            }
            const next = weighted(table.a[ent] as number, table.b[ent] as number);
            const delta = next - (table.cur[ent] as number);
            table.cur[ent] = next;
            contribute(st, e, pos, ent, delta, observe);
          });
        }
        for (const type of m.closeEventTypes) {
          addStep(type, (st, e, pos, observe) => {
            const k = keyOf(e, key);
            if (k === null) return;
            const table = st.entities[gi] as EntityTable;
            const ent = table.find(k);
            if (ent < 0) return;
            contribute(st, e, pos, ent, -(table.cur[ent] as number), observe);
            forget(st, gi, ent, k);
          });
        }
        break;
      }
      default:
        addPluginSteps(gi, def, members, nss, slots);
    }
  });

  const sweep = (st: MutableState): void => {
    st.entities.forEach((table, gi) => {
      if (windows[gi] === undefined) return;
      for (let ent = 0; ent < table.end; ent++)
        if (table.isLive(ent) && expired(st, gi, ent)) forget(st, gi, ent, null);
    });
  };

  /**
   * Plug-in groups by measure kind, and each one's slot among its kind's: groups of one kind share a
   * state's entity map (they track the same keys), other kinds keep theirs apart (small maps stay small).
   */
  const plugKinds = new Map<string, number>();
  const plugSlots = groups.map((members) => {
    const kind = (definitions[members[0] as number] as KpiDefinitionVersion).measure.kind;
    const slot = plugKinds.get(kind) ?? 0;
    plugKinds.set(kind, slot + 1);
    return slot;
  });
  /**
   * Per measure group: its entities' view in a new state's plug-in entities (`null`: a kind folded
   * inline); then per tracker its view, in the slot after its kind's groups (one record per key for both).
   */
  const plugGroups = (): (PlugGroup | null)[] => {
    const byKind = new Map<string, PlugEntities>();
    const entitiesOf = (kind: string): PlugEntities => {
      let all = byKind.get(kind);
      if (all === undefined) {
        all = new PlugEntities((plugKinds.get(kind) as number) + (trackerKinds.includes(kind) ? 1 : 0));
        byKind.set(kind, all);
      }
      return all;
    };
    const views = plugins.map((p, gi) => {
      if (p === null) return null;
      const kind = (definitions[(groups[gi] as number[])[0] as number] as KpiDefinitionVersion).measure.kind;
      return new PlugGroup(entitiesOf(kind), plugSlots[gi] as number);
    });
    for (const kind of trackerKinds)
      views.push(new PlugGroup(entitiesOf(kind), plugKinds.get(kind) as number));
    return views;
  };

  let states = 0;
  const fresh = (): MutableState => ({
    uid: states++,
    watermark: 0n,
    maxAt: '',
    maxMs: Number.NEGATIVE_INFINITY,
    applied: 0,
    rows: nsScope.map(() => new Map()),
    lists: nsScope.map(() => new Map()),
    chunks: [],
    chunkUsed: 0,
    pool: NO_CELLS,
    hist: new Map(),
    aux: new Map(),
    plug: plugGroups(),
    entities: groups.map(
      (members) =>
        new EntityTable(
          members.length,
          (definitions[members[0] as number] as KpiDefinitionVersion).measure.kind === 'level',
        ),
    ),
    listTable: [],
    listIds: new Map(),
    base: null,
    removed: null,
    touched: null,
    changed: null,
    partial: null,
  });

  const apply = (state: KpiState, event: KpiEvent, observe?: (c: Contribution) => void): void => {
    const st = state as MutableState;
    if (event.position <= st.watermark) return;
    const pos = Number(event.position);
    if (!Number.isSafeInteger(pos)) {
      throw new PetError('VALIDATION_FAILED', 'an event position left the safe integer range (2^53)', {
        details: { position: event.position.toString() },
      });
    }
    st.watermark = event.position;
    evSeq++;
    locate(event.occurredAt);
    if (event.occurredAt > st.maxAt) {
      st.maxAt = event.occurredAt;
      st.maxMs = evMs;
    }
    st.applied++;
    const list = stepsOf(event.type);
    // Indexed loops on the hot path: a for-of iterator is not always optimised away.
    if (list !== undefined) for (let i = 0; i < list.length; i++) (list[i] as Step)(st, event, pos, observe);
    // Sweeping only drops entities every lookup already treats as expired, so when it runs does not matter.
    if ((st.applied & SWEEP_EVERY) === 0) sweep(st);
  };

  const { eachResult, sortedRows, periodsOf, byText } = createResultReader({
    definitions,
    groups,
    plugins,
    carries,
    nsOf,
    slotOf,
    resultId,
    chunkOf,
  });
  const { checkpoint, checkpointJson, checkpointDelta, restore, restoreJson } = createCheckpoints({
    format: ENGINE_FORMAT,
    fingerprint,
    ids,
    groups,
    groupIds,
    trackerIds,
    nsOf,
    slotOf,
    nsScope,
    sortedRows,
    periodsOf,
    byText,
    fresh,
    rowOf,
    allocBlock,
    chunkOf,
    setScopes,
    scopeRows,
    periodNumber,
    periodNames,
  });

  /** Refuses what a state restored for given events cannot answer. */
  const whole = (state: KpiState, what: string): MutableState => {
    const st = state as MutableState;
    if (st.partial !== null)
      throw new ValidationError(`KPI ${what}`, [
        {
          field: 'state',
          rule: 'must be a whole state (one restored by catchUpJson answers only for its events: resultsSince, checkpointDelta)',
        },
      ]);
    return st;
  };

  const catchUpJson = async (
    text: () => Iterable<string> | AsyncIterable<string>,
    deltas:
      | readonly KpiCheckpointDelta[]
      | (() => Iterable<KpiCheckpointDelta | string> | AsyncIterable<KpiCheckpointDelta | string>),
    events: Iterable<KpiEvent>,
  ): Promise<KpiState> => {
    const list = [...events];
    const only = partialRestore(fresh(), nsScope.length);
    const chain = typeof deltas === 'function' ? deltas : () => deltas;
    for (let pass = 1; pass <= PARTIAL_PASSES; pass++) {
      const st = (await restoreJson(text(), chain(), only)) as MutableState;
      only.missed = false;
      st.partial = only;
      watchKeys(st, only);
      for (const e of list) apply(st, e);
      if (!only.missed) {
        only.sealed = true;
        return st;
      }
    }
    const st = await restoreJson(text(), chain());
    for (const e of list) apply(st, e);
    return st;
  };

  const eventTypes = [...steps.keys()].sort();
  const subset = (wanted: readonly string[]): KpiEngine => {
    const unknown = wanted.filter((id) => !ids.includes(id));
    if (unknown.length > 0) {
      throw new ValidationError('KPI engine subset', [
        { field: 'versionIds', rule: `must name this engine's definitions (unknown: ${unknown.join(', ')})` },
      ]);
    }
    return createKpiEngine({
      definitions: definitions.filter((d) => wanted.includes(versionId(d))),
      orgTimeZone: options.orgTimeZone,
      orgVersions,
      ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
      ...(options.factScopes === undefined ? {} : { factScopes: options.factScopes }),
      ...(options.measureKinds === undefined ? {} : { measureKinds: options.measureKinds }),
    });
  };

  return {
    definitions,
    fingerprint,
    eventTypes,
    subset,
    initialState: fresh,
    apply,
    async run(state, events) {
      for await (const e of events) apply(state, e);
      return state;
    },
    results: (state) => [...eachResult(whole(state, 'results'))],
    resultsSince: (state, watermark) => [...eachResult(state, watermark)],
    eachResult: (state, since) => eachResult(since === undefined ? whole(state, 'results') : state, since),
    checkpoint: (state) => checkpoint(whole(state, 'checkpoint')),
    checkpointJson: (state) => checkpointJson(whole(state, 'checkpoint')),
    checkpointDelta,
    restore,
    restoreJson: (text, deltas) => restoreJson(text, deltas),
    catchUpJson,
    carriesForward(id) {
      const di = ids.indexOf(id);
      return di >= 0 && (carries[di] ?? false);
    },
  };
}
