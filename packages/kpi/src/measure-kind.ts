import { divideHalfEven, ratioBp } from './arithmetic.js';
import type { Aggregation, PluginKindInfo } from './definition.js';
import type { ScopeFacts, ScopeIds } from './scopes.js';

/** What an event did for a result (how {@link KpiEngine.apply} reports it to an observer). */
export type ContributionRole =
  | 'event'
  | 'numerator'
  | 'denominator'
  | 'start'
  | 'end'
  | 'change'
  /** Read for the result (a ticket's SLA binding, a breach) but adds nothing to its numbers. */
  | 'context';

/** One event's part in a result, as a measure kind reports it: its own share of the numbers. */
export interface ContributionPart {
  readonly position: bigint;
  readonly eventId: string;
  readonly role: ContributionRole;
  /** What this event adds to the result's numerator (0 or absent: nothing). */
  readonly numerator?: number;
  /** What this event adds to the result's denominator (0 or absent: nothing). */
  readonly denominator?: number;
  /** The arithmetic behind the share, in words (e.g. the business minutes of an SLA span). */
  readonly detail?: string;
}

/** Scope ids per member definition of a measure (in the measure's member order). */
export type MemberScopes = readonly ScopeIds[];

/** What one {@link FoldContext.add} puts into the cells of its scopes. */
export interface CellDelta {
  readonly count?: number;
  readonly sum?: number;
  readonly numerator?: number;
  readonly denominator?: number;
  /** Adds `memberAmount` to this member's sum in the cell (spread measures); the member's first event in a cell is reported with a denominator share of 1 (the member count). */
  readonly member?: string;
  readonly memberAmount?: number;
}

/** A cell's totals as a measure kind reads them to compute a value. */
export interface CellTotals {
  readonly count: number;
  readonly sum: number;
  readonly numerator: number;
  readonly denominator: number;
  readonly contributing: number;
  /** Per-member sums (spread measures), else `null`. */
  readonly members: ReadonlyMap<string, number> | null;
}

/** A result's numbers; `null` from {@link CompiledMeasure.value}: the cell has no result (e.g. 0 ÷ 0). */
export interface ValueOf {
  readonly value: number;
  readonly numerator: number;
  readonly denominator: number | null;
}

/**
 * What a measure kind's fold sees of one event and may do: keep per-entity state (plain JSON, part of
 * checkpoints — call `set` after every change), resolve scope ids, and add numbers to result cells.
 */
export interface FoldContext {
  readonly event: import('./engine.js').KpiEvent;
  /** The event's instant in epoch milliseconds. */
  readonly ms: number;
  /** The start of the event's period on the measure's grid. */
  readonly periodStart: string;
  /** The org-structure version valid at the event's time (`null`: none). */
  readonly orgVersion: number | null;
  /** True when an observer wants contributions (build `detail` texts only then). */
  readonly observing: boolean;
  /**
   * The entity the kind's {@link EntityTracker} folded this event into, as it left it (also when it just
   * stopped tracking it); `null` when the event is about none, or the kind has no tracker. Read-only.
   */
  readonly tracked: Tracked | null;
  /** The kind's own JSON entity under `key` (checkpointed with the state), or `undefined`. */
  get<T>(key: string): T | undefined;
  /** Stores a JSON entity under `key` (it goes into checkpoints and deltas). */
  set(key: string, value: unknown): void;
  /** Forgets the entity under `key`. */
  delete(key: string): void;
  /** The event's own scope ids per member (the engine's scope specs). */
  eventScopes(): MemberScopes;
  /** Scope ids per member from an entity's facts, at the event's org version. */
  factScopes(facts: ScopeFacts): MemberScopes;
  /** Adds `delta` to the cells of `scopes` in the period starting `periodStart`; `parts` are the events behind it. */
  add(scopes: MemberScopes, periodStart: string, delta: CellDelta, parts: readonly ContributionPart[]): void;
}

/** The entity an event is about, as a kind's {@link EntityTracker} keeps it. */
export interface Tracked {
  readonly key: string;
  readonly value: unknown;
}

/** What a kind's {@link EntityTracker} sees of one event: the event and the kind's shared entities. */
export interface TrackContext {
  readonly event: import('./engine.js').KpiEvent;
  /** The event's instant in epoch milliseconds. */
  readonly ms: number;
  /** The tracker's JSON entity under `key` (checkpointed with the state), or `undefined`. */
  get<T>(key: string): T | undefined;
  /** Stores a JSON entity under `key` (it goes into checkpoints and deltas). */
  set(key: string, value: unknown): void;
  /** Forgets the entity under `key`. */
  delete(key: string): void;
}

/**
 * Facts every measure of a kind derives alike from an entity's own events (a ticket's priority, owner,
 * bound SLA …): kept once per state, not once per measure. The engine folds each event of `eventTypes`
 * through it once, before any measure of the kind, and hands what it returns to each measure's fold as
 * {@link FoldContext.tracked}. Its entities are checkpointed as the kind's own (`tracker:<kind>`).
 *
 * It must not depend on the engine's definitions: a definition folded alone (explaining) sees the same
 * facts as in a full engine.
 *
 * @example
 * ```ts
 * // Each lead's source, kept once for every measure of the kind; measures read `ctx.tracked`.
 * const tracker: EntityTracker = {
 *   eventTypes: ['lead.created', 'lead.qualified'],
 *   fold(ctx) {
 *     const id = (ctx.event.payload as { leadId: string }).leadId;
 *     if (ctx.event.type === 'lead.created') ctx.set(id, { source: (ctx.event.payload as { source: string }).source });
 *     const lead = ctx.get<{ source: string }>(id);
 *     return lead === undefined ? null : { key: id, value: lead };
 *   },
 * };
 * ```
 */
export interface EntityTracker {
  /** The event types it reads. */
  readonly eventTypes: readonly string[];
  /** Folds one event in; returns the entity the event is about (`null`: none, the measures skip it). */
  fold(ctx: TrackContext): Tracked | null;
}

/** A measure compiled for the fold. */
export interface CompiledMeasure {
  /** The event types the fold reads. */
  readonly eventTypes: readonly string[];
  /** Folds one event of `eventTypes` in through `ctx` (entities and cell additions). */
  fold(ctx: FoldContext): void;
  /** Overrides the kind's {@link MeasureKind.carryForward} for this measure (e.g. only open-ticket counts run). */
  readonly carryForward?: boolean;
  /** A cell's result numbers for an aggregation (default: count, sum, avg, ratio in basis points). */
  value?(aggregation: Aggregation, cell: CellTotals): ValueOf | null;
}

/**
 * A measure kind as a plug-in: how measures of that kind fold. The built-in kinds of catalogue v2
 * (`sum-ratio`, `ticket`, `ticket-time`, `spread`, `planned-actual`, `open-count`) are plug-ins; a host
 * adds its own as `plugin:<name>` in {@link KpiEngineOptions.measureKinds}.
 */
export interface MeasureKind extends Omit<PluginKindInfo, 'kind'> {
  readonly kind: string;
  /** The fold's version: part of the engine's fingerprint (stored checkpoints of an older fold rebuild). */
  readonly version: number;
  /** A running level: a period's result carries every earlier period's numbers forward. */
  readonly carryForward?: boolean;
  /** Per-entity facts shared by every measure of the kind (see {@link EntityTracker}). */
  readonly tracker?: EntityTracker;
  /** Compiles one definition's measure (already checked by `defineKpi`) into its fold. */
  compile(measure: unknown): CompiledMeasure;
}

/**
 * The default result numbers of a cell: `count` → count; `sum` → sum; `avg` → sum ÷ count; `ratio` →
 * numerator × 10 000 ÷ denominator (basis points); all rounded half-even. `null` for an empty average or
 * ratio.
 *
 * @example `defaultValue('ratio', { count: 0, sum: 0, numerator: 1, denominator: 4, contributing: 4, members: null })` → `{ value: 2500, numerator: 1, denominator: 4 }`
 */
export function defaultValue(aggregation: Aggregation, cell: CellTotals): ValueOf | null {
  switch (aggregation) {
    case 'count':
      return { value: cell.count, numerator: cell.count, denominator: null };
    case 'sum':
      return { value: cell.sum, numerator: cell.sum, denominator: null };
    case 'avg':
      return cell.count === 0
        ? null
        : { value: roundDiv(cell.sum, cell.count), numerator: cell.sum, denominator: cell.count };
    case 'ratio':
      return cell.denominator === 0
        ? null
        : {
            value: ratioBp(cell.numerator, cell.denominator),
            numerator: cell.numerator,
            denominator: cell.denominator,
          };
    case 'percentile':
      return null;
  }
}

/** a ÷ b rounded half-even (b ≠ 0), exact for safe integers. @example `roundDiv(5, 2)` → `2` */
export function roundDiv(a: number, b: number): number {
  return divideHalfEven(a, b);
}
