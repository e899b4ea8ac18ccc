/**
 * The fold of plug-in measure kinds ({@link MeasureKind}): per measure group one {@link FoldContext},
 * its fields set for each event (no object per event), through which the kind keeps JSON entities,
 * resolves scopes and adds to cells. The engine registers the returned function's steps per group.
 */
import { ValidationError } from '@pet-ops/core';
import { safeAdd } from './arithmetic.js';
import type { PeriodGrid } from './calendar.js';
import { type KpiDefinitionVersion, type ScopeType, versionId } from './definition.js';
import type { Contribution, KpiEvent } from './engine.js';
import type {
  CellDelta,
  CompiledMeasure,
  ContributionPart,
  EntityTracker,
  MeasureKind,
  MemberScopes,
  TrackContext,
  Tracked,
} from './measure-kind.js';
import type { PlugGroup } from './plug-entities.js';
import type { CompiledScope, ScopeFacts, ScopeIds, ScopeSpec } from './scopes.js';
import { C, D, FIELDS, K, type MutableState, N, type Row, S, type Step } from './state.js';

/** What the plug-in fold needs of the engine. */
export interface PluginFoldCore {
  pluginOf(d: KpiDefinitionVersion): MeasureKind | null;
  /** Per measure group: its compiled plug-in measure (filled here). */
  readonly plugins: (CompiledMeasure | null)[];
  /** Per definition: whether its results carry forward (filled here for plug-in kinds). */
  readonly carries: boolean[];
  periodFn(grid: PeriodGrid): (e: KpiEvent) => string;
  readonly factScopeFns: Readonly<Record<ScopeType, CompiledScope>>;
  /** The specs `factScopeFns` were compiled from (which facts each scope type reads). */
  readonly factSpecs: Readonly<Record<ScopeType, ScopeSpec>>;
  readonly nsScope: readonly ScopeType[];
  readonly idsOfNs: readonly ((e: KpiEvent) => ScopeIds)[];
  rowOf(st: MutableState, ns: number, id: string): Row;
  rowList(st: MutableState, ns: number, ids: readonly string[]): readonly Row[];
  touch(
    st: MutableState,
    row: Row,
    slot: number,
    periodStart: string,
    position: number,
    ov: number | null,
  ): number;
  resultId(di: number, scopeId: string, periodStart: string): string;
  addStep(type: string, step: Step): void;
  /** The applied event's instant in epoch ms. */
  eventMs(): number;
  ovAt(e: KpiEvent): number | null;
  /** The index in `MutableState.plug` (and its journal sets) of a kind's tracker entities. */
  trackerIndex(kind: string): number;
}

/** A kind's tracker as its measures' steps read it: what it returned for the event being applied. */
interface TrackerRun {
  /** The event types the tracker reads (a measure's other types see no tracked entity). */
  readonly types: ReadonlySet<string>;
  current: Tracked | null;
}

/** Returns the function that registers a plug-in measure group's steps. */
/** Registers a plug-in measure group's fold steps. */
export type AddPluginSteps = (
  gi: number,
  def: KpiDefinitionVersion,
  members: readonly number[],
  nss: readonly number[],
  slots: readonly number[],
) => void;

export function createPluginSteps(core: PluginFoldCore): AddPluginSteps {
  const {
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
    eventMs,
    ovAt,
    trackerIndex,
  } = core;
  const trackerRuns = new Map<string, TrackerRun>();
  /**
   * A kind's tracker, its steps registered once, before the first measure of the kind registers its own:
   * every event of its types is folded into the shared entities before any measure of the kind sees it.
   */
  const trackerRun = (kind: string, tracker: EntityTracker): TrackerRun => {
    const known = trackerRuns.get(kind);
    if (known !== undefined) return known;
    const run: TrackerRun = { types: new Set(tracker.eventTypes), current: null };
    trackerRuns.set(kind, run);
    const ti = trackerIndex(kind);
    let st = null as unknown as MutableState;
    let pos = 0;
    const entities = (): PlugGroup => st.plug[ti] as PlugGroup;
    const ctx: { -readonly [K in keyof TrackContext]: TrackContext[K] } = {
      event: null as unknown as KpiEvent,
      ms: 0,
      get<T>(key: string): T | undefined {
        return entities().value(key) as T | undefined;
      },
      set(key: string, value: unknown): void {
        entities().put(key, value, pos);
        if (st.changed !== null) (st.changed[ti] as Set<string>).add(key);
      },
      delete(key: string): void {
        if (entities().delete(key) && st.removed !== null) (st.removed[ti] as Set<string>).add(key);
      },
    };
    for (const type of run.types) {
      addStep(type, (state, e, position) => {
        st = state;
        pos = position;
        ctx.event = e;
        ctx.ms = eventMs();
        run.current = tracker.fold(ctx);
      });
    }
    return run;
  };
  // Fact scopes per list of member scope types, shared by the groups with that list: the measures of one
  // kind resolve the same facts one after another (every open-tickets measure recounts a ticket).
  const factMemos = new Map<string, FactMemo | null>();
  const factMemoOf = (types: readonly ScopeType[]): FactMemo | null => {
    const signature = types.join(',');
    let memo = factMemos.get(signature);
    if (memo === undefined) {
      const names = factNames(types, factSpecs);
      memo = names === null ? null : new FactMemo(names);
      factMemos.set(signature, memo);
    }
    return memo;
  };
  /**
   * Registers the steps of a plug-in measure group: one {@link FoldContext} per group, its fields set for
   * each event (no object per event); the kind keeps JSON entities and adds to cells through it.
   */
  const addPluginSteps = (
    gi: number,
    def: KpiDefinitionVersion,
    members: readonly number[],
    nss: readonly number[],
    slots: readonly number[],
  ): void => {
    const kind = pluginOf(def);
    if (kind === null) {
      throw new ValidationError('KPI engine', [
        {
          field: 'definitions',
          rule: `${versionId(def)}: no measure kind ${def.measure.kind} is registered`,
        },
      ]);
    }
    const tracker = kind.tracker === undefined ? null : trackerRun(kind.kind, kind.tracker);
    const compiled = kind.compile(def.measure);
    plugins[gi] = compiled;
    for (const di of members) carries[di] = compiled.carryForward ?? kind.carryForward ?? false;
    const periodStartOf = periodFn(def.period);
    const factFns = nss.map((ns) => factScopeFns[nsScope[ns] as ScopeType]);
    const factMemo = factMemoOf(nss.map((ns) => nsScope[ns] as ScopeType));
    let st = null as unknown as MutableState;
    let pos = 0;
    let observe: ((c: Contribution) => void) | undefined;
    const entities = (): PlugGroup => st.plug[gi] as PlugGroup;
    const ctx = {
      event: null as unknown as KpiEvent,
      ms: 0,
      periodStart: '',
      orgVersion: null as number | null,
      observing: false,
      tracked: null as Tracked | null,
      get<T>(key: string): T | undefined {
        return entities().value(key) as T | undefined;
      },
      set(key: string, value: unknown): void {
        entities().put(key, value, pos);
        if (st.changed !== null) (st.changed[gi] as Set<string>).add(key);
      },
      delete(key: string): void {
        if (entities().delete(key) && st.removed !== null) (st.removed[gi] as Set<string>).add(key);
      },
      eventScopes(): MemberScopes {
        return nss.map((ns) => (idsOfNs[ns] as (e: KpiEvent) => ScopeIds)(ctx.event));
      },
      factScopes(facts: ScopeFacts): MemberScopes {
        if (factMemo?.holds(facts, ctx.orgVersion)) return factMemo.result;
        const out: ScopeIds[] = [];
        for (let i = 0; i < factFns.length; i++)
          out.push((factFns[i] as CompiledScope)(facts, ctx.orgVersion, null));
        if (factMemo !== null) factMemo.keep(facts, ctx.orgVersion, out);
        return out;
      },
      add(
        scopes: MemberScopes,
        periodStart: string,
        delta: CellDelta,
        parts: readonly ContributionPart[],
      ): void {
        // Read once per addition, not per cell: deltas come in many shapes (a megamorphic read each).
        const { count, sum, numerator, denominator, member } = delta;
        const contributing = parts.length;
        const ov = ctx.orgVersion;
        for (let i = 0; i < members.length; i++) {
          const ids = scopes[i];
          if (ids === undefined) continue;
          const ns = nss[i] as number;
          const slot = slots[i] as number;
          const rows = typeof ids === 'string' ? rowOf(st, ns, ids).one : rowList(st, ns, ids);
          for (let j = 0; j < rows.length; j++) {
            const row = rows[j] as Row;
            const o = touch(st, row, slot, periodStart, pos, ov);
            const pool = st.pool;
            if (count !== undefined) pool[o + K] = (pool[o + K] as number) + count;
            if (sum !== undefined) pool[o + S] = safeAdd(pool[o + S] as number, sum);
            if (numerator !== undefined) pool[o + N] = safeAdd(pool[o + N] as number, numerator);
            if (denominator !== undefined) pool[o + D] = safeAdd(pool[o + D] as number, denominator);
            pool[o + C] = (pool[o + C] as number) + contributing;
            let newMember = false;
            if (member !== undefined) {
              const at = row.blk + slot * FIELDS;
              let sums = st.aux.get(at);
              if (sums === undefined) {
                sums = new Map();
                st.aux.set(at, sums);
              }
              const before = sums.get(member);
              newMember = before === undefined;
              sums.set(member, safeAdd(before ?? 0, delta.memberAmount ?? 0));
            }
            if (observe !== undefined) {
              const rid = resultId(members[i] as number, row.id, periodStart);
              for (let k = 0; k < parts.length; k++) {
                const part = parts[k] as ContributionPart;
                // A member's first event in a cell is its share of the member count.
                if (member !== undefined && k === 0)
                  observe({ resultId: rid, ...part, denominator: newMember ? 1 : 0 });
                else observe({ resultId: rid, ...part });
              }
            }
          }
        }
      },
    };
    for (const type of new Set(compiled.eventTypes)) {
      const run = tracker?.types.has(type) ? tracker : null;
      addStep(type, (state, e, position, obs) => {
        st = state;
        pos = position;
        observe = obs;
        ctx.event = e;
        ctx.ms = eventMs();
        ctx.periodStart = periodStartOf(e);
        ctx.orgVersion = ovAt(e);
        ctx.observing = obs !== undefined;
        ctx.tracked = run === null ? null : run.current;
        compiled.fold(ctx);
      });
    }
  };

  return addPluginSteps;
}

/**
 * The facts the specs of `types` read (top-level names), or `null` when one reads a nested path (its
 * value is an object whose contents a memo could not compare).
 */
function factNames(
  types: readonly ScopeType[],
  specs: Readonly<Record<ScopeType, ScopeSpec>>,
): readonly string[] | null {
  const names = new Set<string>();
  const add = (type: ScopeType): boolean => {
    const spec = specs[type];
    for (const path of [...(spec.paths ?? []), ...(spec.teamsOfEmployee?.paths ?? [])]) {
      if (path.includes('.')) return false;
      names.add(path);
    }
    return spec.departmentsOf === undefined || add(spec.departmentsOf);
  };
  for (const type of types) if (!add(type)) return null;
  return [...names];
}

/**
 * The last fact scopes resolved for one list of scope types: the facts they read and the org version,
 * and the ids. Resolution is a pure function of those, so equal facts give the same (shared, never
 * mutated) ids.
 */
class FactMemo {
  private readonly values: unknown[];
  private version: number | null = null;
  result: MemberScopes = [];
  private filled = false;

  constructor(private readonly names: readonly string[]) {
    this.values = names.map(() => undefined);
  }

  holds(facts: ScopeFacts, version: number | null): boolean {
    if (!this.filled || version !== this.version) return false;
    const source = facts as Record<string, unknown>;
    for (let i = 0; i < this.names.length; i++)
      if (source[this.names[i] as string] !== this.values[i]) return false;
    return true;
  }

  keep(facts: ScopeFacts, version: number | null, result: MemberScopes): void {
    const source = facts as Record<string, unknown>;
    for (let i = 0; i < this.names.length; i++) this.values[i] = source[this.names[i] as string];
    this.version = version;
    this.result = result;
    this.filled = true;
  }
}
