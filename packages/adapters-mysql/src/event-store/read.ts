import type { Readable } from 'node:stream';
import {
  type EventContext,
  type EventHandler,
  type ForEachEventResult,
  isPromiseLike,
  PetError,
  type StoredEvent,
} from '@pet-ops/core';
import type { KpiEvent } from '@pet-ops/kpi';
import type { ReadAllInput } from '@pet-ops/sql';
import type { PoolConnection as CorePoolConnection } from 'mysql2';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { errnoOf, mapDriverError } from '../errors.js';
import {
  EVENT_ROW_OPTIONS,
  positionOf,
  type RawEventRow,
  type RawFoldRow,
  rowToEvent,
  rowToFoldEvent,
} from './codec.js';
import type { EventLog } from './event-log.js';
import { PROBE_PAGE } from './statements.js';

const HIGH_WATER_MARK = 1000;
/** A `limit`ed read that stops early drains at most this many rows to keep its connection. */
const DRAIN_AT_MOST = 10_000;
const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * Every committed event after `after`, in position order, with only the columns a fold reads (a
 * `KpiEvent`: no stream, version, recording time or correlation): what a KPI rebuild replays (the KPI
 * runner's MySQL fast path). A bounded-memory stream: a mysql2 query stream with backpressure on one
 * pooled connection, plus a gap probe on a second one.
 *
 * Gap safety (GAP-SAFETY.md): positions are assigned at insert but become visible at commit. When two
 * consecutive rows jump (a gap `a+1 … b-1`), the reader runs a locking read of the gap in READ COMMITTED
 * on the probe connection, which waits for exactly the uncommitted inserts in the gap and returns those
 * that committed. Hence the last position yielded is a safe checkpoint: no event below it can appear later.
 *
 * A hand-written iterator rather than an async generator over the stream's own iterator: one promise
 * per event instead of several keeps a full replay close to the raw driver's speed. Stopping early
 * (`break`) destroys the streaming connection (the rest of an unbounded result cannot be cancelled
 * cheaply); a `limit`ed read drains its bounded rest and keeps the connection.
 * Given `reads` (a fold's `engine.eventTypes`), events of other types come with an empty context and a
 * `null` payload: the fold reads only their position and time.
 *
 * @example
 * ```ts
 * for await (const e of readFoldFrom(pool, log, { after: 0n, limit: undefined })) engine.apply(state, e);
 * ```
 */
export function readFoldFrom(
  pool: Pool,
  log: EventLog,
  options: ReadAllInput,
  reads?: readonly string[],
): AsyncIterable<KpiEvent> {
  const { statements } = log;
  if (reads === undefined) {
    return reading(pool, log, options, {
      readAfter: statements.readFoldAfter,
      probeGap: statements.probeFoldGap,
      decode: rowToFoldEvent,
    });
  }
  // The server leaves the other types' context and payload out (less to send and parse); rows a gap
  // probe finds still carry them, and are blanked here the same way.
  const read = new Set(reads);
  const decode = (row: RawFoldRow, position: bigint): KpiEvent => {
    const event = rowToFoldEvent(row, position);
    return read.has(event.type) ? event : { ...event, context: UNREAD_CONTEXT, payload: null };
  };
  return reading(pool, log, options, {
    readAfter: statements.readFoldAfterReading(reads),
    probeGap: statements.probeFoldGap,
    decode,
  });
}

/**
 * Every committed event after `after`, in position order, as `StoredEvent`s: the event store's `readAll` on
 * MySQL/MariaDB. One query streamed with backpressure instead of pages (each page a query the reader waits
 * for), ids sent as bytes and made text here (rendered by the server they cost it more CPU than the client
 * saves, and on a small machine the two share the cores); gap safety as {@link readFoldFrom}.
 *
 * @example
 * ```ts
 * for await (const e of readEventsFrom(pool, log, { after: checkpoint, limit: undefined })) handle(e);
 * ```
 */
export function readEventsFrom(pool: Pool, log: EventLog, options: ReadAllInput): AsyncIterable<StoredEvent> {
  return reading(pool, log, options, {
    readAfter: log.statements.readAfter,
    probeGap: log.statements.probeGap,
    decode: rowToEvent,
  });
}

/** The context of an event whose type a fold does not read. */
const UNREAD_CONTEXT: EventContext = Object.freeze({});

/**
 * {@link readFoldFrom} folded as the rows arrive: `apply` is called for each event, in position order,
 * as {@link eachEventFrom} hands events over. Resolves with the number of events applied; an error
 * thrown by `apply` stops the read and rejects with that error as thrown.
 *
 * @example
 * ```ts
 * const read = await foldFrom(pool, log, { after: 0n, limit: undefined }, (e) => engine.apply(state, e));
 * ```
 */
export async function foldFrom(
  pool: Pool,
  log: EventLog,
  options: ReadAllInput,
  apply: (event: KpiEvent) => void,
): Promise<number> {
  const { readFoldAfter: readAfter, probeFoldGap: probeGap } = log.statements;
  const shape = { readAfter, probeGap, decode: rowToFoldEvent };
  return (await handOver(pool, log, options, shape, apply)).handled;
}

/**
 * {@link readEventsFrom} handed to `handle` as the rows arrive: the event store's `forEachEvent` on
 * MySQL/MariaDB. `handle` is called inside the driver's row callback whenever the row follows the last
 * one and nothing is queued before it — the row and its event then die young, as a raw stream's rows
 * do, while a pulled row waits in a queue with the rest of its socket chunk (the ~100 rows in flight at
 * every scavenge made V8 grow its young generation during a long read: peak RSS 170–180 MB against the
 * raw stream's 137–154 over 1M events). Rows after a gap wait for the gap probe and are handed over in
 * order after it, with the same gap safety. A promise `handle` returns pauses the stream until it
 * settles; calls never overlap. An error thrown (or a promise rejected) by `handle` stops the read and
 * rejects with that error as thrown.
 *
 * @example
 * ```ts
 * const { checkpoint } = await eachEventFrom(pool, log, { after: 0n, limit: undefined }, (e) => handle(e));
 * ```
 */
export function eachEventFrom(
  pool: Pool,
  log: EventLog,
  options: ReadAllInput,
  handle: EventHandler,
): Promise<ForEachEventResult> {
  const { readAfter, probeGap } = log.statements;
  return handOver(pool, log, options, { readAfter, probeGap, decode: rowToEvent }, handle);
}

async function handOver<Row extends RawEventRow | RawFoldRow, Event>(
  pool: Pool,
  log: EventLog,
  options: ReadAllInput,
  shape: ReadShape<Row, Event>,
  handle: (event: Event) => void | PromiseLike<void>,
): Promise<ForEachEventResult> {
  // The iterator hands out only what its row callback could not hand over at once.
  const reader = openReader(pool, log, options, shape, handle);
  try {
    for (;;) {
      await reader.settled();
      const next = await reader.next();
      // The row callback may have started a handler while this loop waited for a queued row.
      await reader.settled();
      if (next.done === true) return { handled: reader.handled(), checkpoint: reader.checkpoint() };
      reader.handOver(next.value);
    }
  } catch (e) {
    await reader.return();
    throw e;
  }
}

/** The statements of one read shape (both put the position first) and how its rows become events. */
interface ReadShape<Row extends RawEventRow | RawFoldRow, Event> {
  readonly readAfter: string;
  readonly probeGap: string;
  decode(row: Row, position: bigint): Event;
}

function reading<Row extends RawEventRow | RawFoldRow, Event>(
  pool: Pool,
  log: EventLog,
  options: ReadAllInput,
  shape: ReadShape<Row, Event>,
): AsyncIterable<Event> {
  return { [Symbol.asyncIterator]: () => openReader(pool, log, options, shape) };
}

function openReader<Row extends RawEventRow | RawFoldRow, Event>(
  pool: Pool,
  log: EventLog,
  { after, limit }: ReadAllInput,
  shape: ReadShape<Row, Event>,
  sink?: (event: Event) => void | PromiseLike<void>,
) {
  let conn: PoolConnection | undefined;
  let stream: Readable | undefined;
  let probe: PoolConnection | undefined;
  // Rows received and not yet handed out; `head` is the next one.
  let rows: Row[] = [];
  let head = 0;
  // Committed rows a gap probe found, handed out before the row after the gap.
  let found: Row[] = [];
  let foundHead = 0;
  let settledGapBefore = -1n;
  // The auto-increment step: consecutive positions differ by it (more than 1 on a multi-primary cluster).
  let step = 1n;
  let ended = false;
  let paused = false;
  let draining = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  let last = after;
  let count = 0;
  let finished = limit === 0;
  let closing: Promise<void> | undefined;
  // What the sink threw, rethrown as is (not as a driver error).
  let sinkFailed = false;
  let sinkError: unknown;
  // A promise the sink returned, not settled yet: the stream is paused and rows queue behind it.
  let inFlight: Promise<void> | undefined;
  let handled = 0;

  const signal = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  const start = async (): Promise<void> => {
    conn = await pool.getConnection();
    step = (await log.meta(conn)).increment;
    const sql = limit === undefined ? shape.readAfter : `${shape.readAfter} LIMIT ${limit}`;
    const core = conn.connection as unknown as CorePoolConnection;
    const s = core
      .query({ sql, ...EVENT_ROW_OPTIONS }, [after.toString()])
      .stream({ highWaterMark: HIGH_WATER_MARK });
    stream = s;
    s.on('data', (row: Row) => {
      if (draining) return;
      if (
        sink !== undefined &&
        inFlight === undefined &&
        head === rows.length &&
        foundHead >= found.length &&
        !finished
      ) {
        const position = positionOf(row);
        if (position === last + step || position === settledGapBefore) {
          handOver(accept(row, position));
          return;
        }
      }
      rows.push(row);
      if (!paused && rows.length - head >= HIGH_WATER_MARK) {
        paused = true;
        s.pause();
      }
      signal();
    });
    s.on('end', () => {
      ended = true;
      signal();
    });
    s.on('error', (e: unknown) => {
      failure = e;
      signal();
    });
  };

  const close = (): Promise<void> => {
    closing ??= (async () => {
      finished = true;
      if (conn !== undefined) {
        if (!ended && failure === undefined && limit !== undefined && limit <= DRAIN_AT_MOST) {
          // Bounded rest: let it arrive (and drop it) to keep the connection.
          draining = true;
          rows = [];
          head = 0;
          stream?.resume();
          await new Promise<void>((resolve) => {
            if (ended || failure !== undefined) resolve();
            else stream?.once('end', resolve).once('error', () => resolve());
          });
        }
        if (ended && failure === undefined) conn.release();
        else {
          stream?.destroy();
          conn.destroy();
        }
      }
      if (probe !== undefined) await closeProbe(probe);
    })();
    return closing;
  };

  const sinkFails = (e: unknown): void => {
    // Stop handing out rows; the reader throws it at its next step.
    sinkFailed = true;
    sinkError = e;
    failure = e;
    draining = true;
    signal();
  };

  /** Calls the sink; a promise it returns pauses the stream until it settles. */
  const handOver = (event: Event): void => {
    let result: void | PromiseLike<void>;
    try {
      result = (sink as (event: Event) => void | PromiseLike<void>)(event);
    } catch (e) {
      sinkFails(e);
      return;
    }
    handled += 1;
    if (!isPromiseLike(result)) return;
    stream?.pause();
    inFlight = Promise.resolve(result).then(
      () => {
        inFlight = undefined;
        // Also when the limit is reached: the stream must flow to its end, and a reader waiting for
        // rows must look again (it may be done) — else the last call within a limit left both waiting.
        if (!paused) stream?.resume();
        signal();
      },
      (e: unknown) => {
        inFlight = undefined;
        sinkFails(e);
      },
    );
  };

  const accept = (row: Row, position: bigint): Event => {
    last = position;
    count += 1;
    if (count === limit) finished = true;
    return shape.decode(row, position);
  };
  const emit = (row: Row, position: bigint): IteratorYieldResult<Event> => ({
    done: false,
    value: accept(row, position),
  });

  const take = (): void => {
    // Drop the reference at once: rows kept until the next compaction would survive young-generation
    // GCs, get promoted, and make V8 grow the heap (peak RSS then grows with the number of events).
    (rows as (Row | undefined)[])[head] = undefined;
    head += 1;
    if (head >= 4096 && head * 2 >= rows.length) {
      rows = rows.slice(head);
      head = 0;
    }
    if (paused && rows.length - head <= HIGH_WATER_MARK / 2) {
      paused = false;
      stream?.resume();
    }
  };

  const slowNext = async (): Promise<IteratorResult<Event>> => {
    try {
      if (finished) {
        await close();
        return DONE;
      }
      if (conn === undefined) await start();
      for (;;) {
        // The row callback may have handed the last event within the limit over while this waited.
        if (finished) {
          await close();
          return DONE;
        }
        const gapRow = found[foundHead];
        if (gapRow !== undefined) {
          foundHead += 1;
          return emit(gapRow, positionOf(gapRow));
        }
        const row = rows[head];
        if (row !== undefined) {
          const position = positionOf(row);
          if (position > last + step && position !== settledGapBefore) {
            probe ??= await openProbe(pool, log);
            found = await probeGap(probe, log, shape.probeGap, last, position);
            foundHead = 0;
            // A full page may not be the whole gap: probe again from its last row once it is handed out.
            settledGapBefore = found.length < PROBE_PAGE ? position : -1n;
            continue;
          }
          take();
          return emit(row, position);
        }
        if (failure !== undefined) throw failure;
        if (ended) {
          await close();
          return DONE;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } catch (e) {
      await close().catch(() => undefined);
      throw sinkFailed && e === sinkError ? e : mapDriverError(e, 'readAll');
    }
  };

  return {
    /** Hands a queued event to the sink (the caller waits for {@link settled} first). */
    handOver,
    /** Waits for the sink's promise in flight, if any; what the sink threw, thrown as is. */
    async settled(): Promise<void> {
      if (inFlight !== undefined) await inFlight;
      if (sinkFailed) throw sinkError;
    },
    handled: (): number => handled,
    /** The position of the last event handed out (`after` when none). */
    checkpoint: (): bigint => last,
    next(): Promise<IteratorResult<Event>> {
      // Fast path, taken for almost every row: the next row is buffered and follows the last one.
      const row = rows[head];
      if (!finished && row !== undefined && foundHead >= found.length) {
        const position = positionOf(row);
        if (position === last + step || position === settledGapBefore) {
          take();
          return Promise.resolve(emit(row, position));
        }
      }
      return slowNext();
    },
    async return(): Promise<IteratorResult<Event>> {
      await close();
      return DONE;
    },
  };
}

async function openProbe(pool: Pool, log: EventLog): Promise<PoolConnection> {
  const probe = await pool.getConnection();
  try {
    await probe.query('SET SESSION innodb_lock_wait_timeout = ?', [log.settings.probeLockWaitSeconds]);
  } catch (e) {
    probe.destroy();
    throw e;
  }
  return probe;
}

async function closeProbe(probe: PoolConnection): Promise<void> {
  try {
    await probe.query('SET SESSION innodb_lock_wait_timeout = DEFAULT');
    probe.release();
  } catch {
    probe.destroy();
  }
}

/**
 * Reads the committed rows of the gap `(from, to)`, waiting for uncommitted inserts in it. A locking
 * read in READ COMMITTED takes no gap locks and returns the latest committed rows; each attempt waits
 * at most `probeLockWaitSeconds`, and the probe gives up after `gapWaitSeconds` with a retryable
 * `LOCK_TIMEOUT` (the events yielded so far stay a safe checkpoint).
 */
async function probeGap<Row>(
  probe: PoolConnection,
  log: EventLog,
  sql: string,
  from: bigint,
  to: bigint,
): Promise<Row[]> {
  const { probeLockWaitSeconds, gapWaitSeconds } = log.settings;
  const attempts = Math.max(1, Math.ceil(gapWaitSeconds / probeLockWaitSeconds));
  for (let attempt = 1; ; attempt++) {
    try {
      await probe.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await probe.query('START TRANSACTION');
      const [rows] = await probe.execute<RowDataPacket[]>({ sql, ...EVENT_ROW_OPTIONS }, [
        from.toString(),
        to.toString(),
      ]);
      await probe.query('COMMIT');
      return rows as unknown as Row[];
    } catch (e) {
      await probe.query('ROLLBACK').catch(() => undefined);
      if (errnoOf(e) !== 1205) throw e;
      if (attempt >= attempts) {
        throw new PetError(
          'LOCK_TIMEOUT',
          `readAll: positions ${from + 1n}..${to - 1n} stayed uncommitted for over ${gapWaitSeconds} s ` +
            `(a long transaction is appending); events up to ${from} are safe, retry from there`,
          {
            retryable: true,
            details: { operation: 'readAll gap probe', after: from.toString(), gapEnd: to.toString() },
          },
        );
      }
    }
  }
}
