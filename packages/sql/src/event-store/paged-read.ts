import { isPetError, type PetError } from '@pet-ops/core';
import type { GapReader } from './gap.js';

/** What {@link readPages} reads and how it makes its values. */
export interface PagedRead<Row extends object, T> {
  /** Up to `size` rows after position `from`, in position order (a keyset page). */
  readonly page: (from: bigint, size: number) => Promise<Row[]>;
  /** A row's position. */
  readonly positionOf: (row: Row) => bigint;
  /** A row and its position → the value handed out. */
  readonly decode: (row: Row, position: bigint) => T;
  readonly gaps: GapReader;
  /** The auto-increment step ({@link GapReader.step}), asked for once, on the first step. */
  readonly step: () => Promise<bigint>;
  /** Waits out a gap (after, before) ({@link GapReader.waitOut}; its errors come typed). */
  readonly waitOut: (after: bigint, before: bigint) => Promise<void>;
  /** A driver error of a page query → the typed error thrown. */
  readonly classify: (error: unknown) => PetError;
  /** Read after this position. */
  readonly after: bigint;
  /** At most this many values (`undefined`: all). */
  readonly limit: number | undefined;
  /** Rows per page. */
  readonly pageSize: number;
  /**
   * Ask for the next page as soon as a full one arrives, so the database reads it while this one is
   * consumed. Only worth it where the driver answers asynchronously; a synchronous one would just hold
   * two pages.
   */
  readonly readAhead: boolean;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The result of a step that has a value, made by `new` rather than as an object literal (as the event
 * store's events are): V8 may pretenure a literal's allocation site when a GC finds its objects alive,
 * and results allocated in the old generation keep their events, rows and strings alive through every
 * young-generation GC. With a literal here, 14 of 60 SQLite replays of 200k events (pages of 1000, read
 * ahead) peaked at 310–336 MB instead of 168 (`--trace-deopt` named this site); with `new`, none of 60.
 */
const Yielded = function <T>(this: { done: false; value: T }, value: T): void {
  this.done = false;
  this.value = value;
} as unknown as new <T>(
  value: T,
) => IteratorYieldResult<T>;
Yielded.prototype = Object.prototype;

const ignore = (): void => undefined;

/**
 * The values of keyset pages in position order, gap-safe: a row that leaves a gap below it
 * ({@link GapReader.isGap}) is not handed out until the gap is waited out and the page read again from
 * the last value handed out. Nothing is read before the first `next()`; `return()` (a `break`) ends the
 * read, leaving at most a page read ahead to settle on its own.
 *
 * A hand-written iterator rather than an async generator: a generator's `yield` costs several promises
 * and microtask turns per value, a sizeable share of a full replay next to decoding the row. Here a
 * value whose row is in hand and follows the last one is one resolved promise (`next`'s fast path);
 * everything else — a page to fetch, a gap, the end, an error — takes the async path. Calls made before
 * the previous one settled run in order after it, as a generator's would.
 *
 * @example
 * ```ts
 * for await (const e of readPages({ page, positionOf, decode, gaps, step, waitOut, classify, after: 0n,
 *   limit: undefined, pageSize: 1000, readAhead: true })) handle(e);
 * ```
 */
export function readPages<Row extends object, T>(s: PagedRead<Row, T>): AsyncIterableIterator<T> {
  const { gaps, pageSize, positionOf, decode } = s;
  let after = s.after;
  let left = s.limit ?? Number.POSITIVE_INFINITY;
  let step = 1n;
  // Gaps already waited out: a rolled-back insert burns its position for good.
  let probedUpTo = after;
  let started = false;
  let finished = left <= 0;
  // The page in hand; a row is cleared once handed out, so a young-generation GC finds only the rest.
  let rows: (Row | undefined)[] = [];
  let head = 0;
  // The page in hand was full and the limit not reached: another page may follow.
  let more = true;
  // The next page, asked for early (`readAhead`); its error is typed when it is awaited, if ever.
  let ahead: Promise<Row[]> | undefined;
  // The last slow step (or queued call) not yet settled: later calls wait for it.
  let tail: Promise<IteratorResult<T>> | undefined;

  const finish = (): void => {
    finished = true;
    rows = [];
    head = 0;
    ahead = undefined;
  };

  const load = async (pending: Promise<Row[]>, size: number): Promise<void> => {
    let page: Row[];
    try {
      page = await pending;
    } catch (e) {
      throw isPetError(e) ? e : s.classify(e);
    }
    rows = page;
    head = 0;
    more = page.length >= size && left - page.length > 0;
    const last = page[page.length - 1];
    if (more && s.readAhead && last !== undefined) {
      ahead = s.page(positionOf(last), Math.min(pageSize, left - page.length));
      ahead.catch(ignore);
    }
  };

  const emit = (row: Row, position: bigint): IteratorYieldResult<T> => {
    rows[head++] = undefined;
    const value = decode(row, position);
    after = position;
    left -= 1;
    return new Yielded(value);
  };

  /** The next value when its row is in hand and leaves no gap, else undefined. */
  const ready = (): IteratorYieldResult<T> | undefined => {
    const row = rows[head];
    if (row === undefined) return undefined;
    const position = positionOf(row);
    if (gaps.isGap(after, position, step, probedUpTo)) return undefined;
    return emit(row, position);
  };

  const advance = async (): Promise<IteratorResult<T>> => {
    try {
      if (!started && !finished) {
        started = true;
        step = await s.step();
      }
      for (;;) {
        if (finished) return DONE;
        const row = rows[head];
        if (row !== undefined) {
          const position = positionOf(row);
          if (!gaps.isGap(after, position, step, probedUpTo)) return emit(row, position);
          // An insert below `position` may still commit: wait it out, then read the gap again.
          rows = [];
          head = 0;
          ahead = undefined;
          await s.waitOut(after, position);
          probedUpTo = position;
          const size = Math.min(pageSize, left);
          await load(s.page(after, size), size);
          continue;
        }
        if (!more) {
          finish();
          return DONE;
        }
        const size = Math.min(pageSize, left);
        const pending = ahead ?? s.page(after, size);
        ahead = undefined;
        await load(pending, size);
      }
    } catch (e) {
      finish();
      throw e;
    }
  };

  /** One step, in order after any step still running. */
  const queued = (run: () => Promise<IteratorResult<T>>): Promise<IteratorResult<T>> => {
    const p = tail === undefined ? run() : tail.then(run, run);
    tail = p;
    const settled = (): void => {
      if (tail === p) tail = undefined;
    };
    p.then(settled, settled);
    return p;
  };

  /** The row in hand, settled; without one, `whenEmpty()`. A row that fails to decode ends the read. */
  const fromHand = (whenEmpty: () => Promise<IteratorResult<T>>): Promise<IteratorResult<T>> => {
    let value: IteratorYieldResult<T> | undefined;
    try {
      value = ready();
    } catch (e) {
      finish();
      return Promise.reject(e);
    }
    return value === undefined ? whenEmpty() : Promise.resolve(value);
  };
  const pull = (): Promise<IteratorResult<T>> => fromHand(advance);
  const advanceQueued = (): Promise<IteratorResult<T>> => queued(advance);

  const stop = (): Promise<IteratorResult<T>> => {
    finish();
    return Promise.resolve(DONE);
  };

  return {
    next(): Promise<IteratorResult<T>> {
      // Fast path, taken for all but the first row of each page: nothing running, the row in hand.
      return tail === undefined ? fromHand(advanceQueued) : queued(pull);
    },
    return(): Promise<IteratorResult<T>> {
      return tail === undefined ? stop() : queued(stop);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
