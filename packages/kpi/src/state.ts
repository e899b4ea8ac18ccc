/**
 * The fold's state as the engine keeps it: the cell pool (fixed-size typed arrays, a run of numbers per
 * cell), scope rows, open entities and the change journal. Internal: the public face is the opaque
 * {@link KpiState}.
 */
import type { Contribution, KpiEvent, KpiState } from './engine.js';
import type { EntityTable } from './entity-table.js';
import type { PlugGroup } from './plug-entities.js';

/** A cell read out of the state's cell pool (results and checkpoints only; the fold writes the pool). */
export interface Cell {
  k: number;
  s: number;
  n: number;
  d: number;
  c: number;
  w: number;
  ov: number | null;
  h: Map<number, number> | null;
  /** Per-member sums (spread measures), else `null`. */
  x: Map<string, number> | null;
}

/**
 * Cell fields in the pool, a run of {@link FIELDS} numbers per cell: count, sum, numerator, denominator,
 * contributing events, watermark (position of the last event that touched it; 0: no cell) and org version
 * (-1: none).
 */
export const K = 0;
export const S = 1;
export const N = 2;
export const D = 3;
export const C = 4;
export const W = 5;
export const OV = 6;
export const FIELDS = 7;
/** Cells grow in chunks of 2^15 numbers (256 KiB); a block never straddles two. */
export const CHUNK_BITS: number = 15;
export const CHUNK: number = 1 << CHUNK_BITS;
export const CHUNK_MASK: number = CHUNK - 1;
export const NO_CELLS: Float64Array = new Float64Array(0);

/**
 * One scope id in one namespace (a scope type and period grid): per period a block of the state's cell
 * pool with a cell slot per definition of that namespace. One map lookup per event and scope id finds the
 * cells of all of them; `blk` is the block of the last period touched (events come in time order).
 */
export interface Row {
  readonly id: string;
  /** Namespace index (the change journal lists touched rows per namespace). */
  readonly ns: number;
  ps: string;
  blk: number;
  /** Period start → offset of its block in the cell pool. */
  readonly periods: Map<string, number>;
  /** This row alone: the row list of a single-id scope, shared by every entity that holds it (no list per event). */
  readonly one: readonly Row[];
  /** Number of `one` in the state's list table (-1: not listed yet): most entity scopes are single rows. */
  oneId: number;
  /** Per slot, the highest cell watermark (`w`) in any period: which rows a catch-up's results visit, without scanning their periods. */
  readonly lw: number[];
}

/** Scope rows per member definition of a measure group (empty: the member does not count it). */
export type ScopeRows = readonly (readonly Row[])[];

export interface MutableState extends KpiState {
  /** Numbers the engine's states, so its memos name a state without keeping it reachable. */
  readonly uid: number;
  watermark: bigint;
  maxAt: string;
  /** `maxAt` in epoch ms (derived, not checkpointed). */
  maxMs: number;
  applied: number;
  /** Namespace index → scope id → its row of cells. */
  readonly rows: Map<string, Row>[];
  /** Namespace index → a list of scope ids (an org resolver's array) → their rows (derived, not checkpointed). */
  readonly lists: Map<readonly string[], readonly Row[]>[];
  /**
   * Every cell, {@link FIELDS} numbers each, in blocks of a row's period, in fixed-size typed arrays: a
   * fold over millions of events leaves no cell object for the GC to copy between generations, and the
   * cells grow a chunk at a time (no copy, no doubling). A block's offset is global (chunk × size + local).
   */
  readonly chunks: Float64Array[];
  /** Numbers used in the last chunk. */
  chunkUsed: number;
  /** The chunk of the cell {@link touch} last returned (its offset is local to it). */
  pool: Float64Array;
  /** Percentile histograms by cell offset (only percentile definitions have one). */
  readonly hist: Map<number, Map<number, number>>;
  /** Per-member sums by cell offset (spread measures only). */
  readonly aux: Map<number, Map<string, number>>;
  /**
   * Measure-group index → a plug-in kind's entities (key → JSON value and the position that set it); `null`
   * for kinds folded inline. After the groups, one per kind with an entity tracker: its shared entities.
   */
  readonly plug: (PlugGroup | null)[];
  /** Measure-group index → its open entities (starts, pipeline entries), off the JS heap. */
  readonly entities: EntityTable[];
  /**
   * Row lists (a scope's rows: `row.one` or a cached multi-id list — stable arrays) by number: an entity
   * keeps a list number per member in its table, not an array of lists per entity.
   */
  readonly listTable: (readonly Row[])[];
  readonly listIds: Map<readonly Row[], number>;
  /** Watermark of the last checkpoint or delta taken or restored; `null`: no journal kept (a fresh fold). */
  base: bigint | null;
  /** Entity keys removed since `base`, per measure group, then per tracker (only while a journal is kept). */
  removed: Set<string>[] | null;
  /** Rows touched since `base`, per namespace, and entity keys set since `base`, per group (only while a journal is kept): a catch-up's results and delta visit these instead of the whole state. */
  touched: Set<Row>[] | null;
  changed: Set<string>[] | null;
  /** Set on a state restored for given events only ({@link PartialRestore}); `null`: the whole state. */
  partial: PartialRestore | null;
}

/** One measure's reaction to one event type. */
export type Step = (
  st: MutableState,
  e: KpiEvent,
  pos: number,
  observe: ((c: Contribution) => void) | undefined,
) => void;

/**
 * What a state restored for given events holds (`KpiEngine.catchUpJson`): the scope rows, per namespace,
 * and entity keys, per entity set (measure groups, then trackers; groups sharing a plug-in map share one
 * set), whose stored tuples were restored — or that the stored state does not have. A fold that touches
 * a row or looks a key up beyond them adds it and sets `missed`: the restore must run again with it.
 */
export interface PartialRestore {
  readonly rows: Set<string>[];
  readonly keys: Set<string>[];
  missed: boolean;
  /** The restore is final: asking beyond the sets now throws (the state cannot answer for the rest). */
  sealed: boolean;
}
