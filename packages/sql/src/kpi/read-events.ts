import type { EventContext, Instant, Uuid } from '@pet-ops/core';
import type { KpiEvent } from '@pet-ops/kpi';
import { EVENTS_TABLE } from '@pet-ops/migrations';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import { gapReader, streamPastGaps } from '../event-store/gap.js';

/** Rows per page: bounded memory, keyset pagination on `position` (as the event store's `readAll`). */
const PAGE = 1000;
/** Rows per batch of a streamed read (`PetDialect.streamRows`), as the event store's `readAll`. */
const STREAM_BATCH = 100;

/** The context of an event whose type the reader was not asked for. */
const UNREAD_CONTEXT: EventContext = Object.freeze({});

/** What {@link readKpiEvents} reads. */
export interface KpiEventRead {
  /** The events after this position. */
  readonly after: bigint;
  /** At most this many (default: all). */
  readonly limit?: number | undefined;
  /**
   * Event types whose context and payload are read; events of other types come with an empty context and
   * a `null` payload (the fold reads only their position and time). Default: every type.
   */
  readonly reads?: readonly string[] | undefined;
}

/**
 * The committed events after `after`, in position order, with only the columns a KPI fold reads (a
 * {@link KpiEvent}: no stream, version, recording time or correlation), in pages of 1000 rows: memory
 * stays bounded however long the log is. Gap-safe by the same rule as the event store's `readAll`
 * (`gapReader`): a jump in positions that may still fill is waited out and read again, so the last
 * position yielded is a safe checkpoint. Given `reads`, the database leaves the context and
 * payload of other types out (less to send and parse). Where the dialect streams (`streamRows`,
 * PostgreSQL) and `db` is not a transaction, the rows come from one server-side cursor in batches of 100
 * instead (a consumer that stops early closes it). Otherwise, except on SQLite, the next page is requested
 * as soon as a full page arrives, so the database answers while the consumer folds it (one page ahead at
 * most; a consumer that stops early leaves that read to finish on its own connection, unread).
 *
 * @example
 * ```ts
 * for await (const e of readKpiEvents(db, dialect, 'pet_', { after: 0n, reads: engine.eventTypes })) engine.apply(state, e);
 * ```
 */
export async function* readKpiEvents(
  db: AnyDatabase,
  dialect: PetDialect,
  prefix: string,
  read: KpiEventRead,
): AsyncGenerator<KpiEvent, void, undefined> {
  const gaps = gapReader(dialect, 'readKpiEvents');
  const table = `${prefix}${EVENTS_TABLE}`;
  const c = dialect.codecs;
  const step = await gaps.step(db);
  const reads = read.reads;
  const readSet = reads === undefined ? null : new Set(reads);
  let after = read.after;
  let left = read.limit ?? Number.POSITIVE_INFINITY;
  let probedUpTo = after;
  type Row = Record<string, unknown>;
  const select = (from: bigint) => {
    let q = db
      .selectFrom(table)
      .select(['position', 'event_id', 'event_type', 'occurred_at', 'actor_type', 'actor_id']);
    if (readSet === null) q = q.select(['context', 'payload']);
    else if (readSet.size > 0) {
      const list = [...readSet];
      q = q.select((eb) => [
        eb.case().when('event_type', 'in', list).then(eb.ref('context')).else(null).end().as('context'),
        eb.case().when('event_type', 'in', list).then(eb.ref('payload')).else(null).end().as('payload'),
      ]);
    }
    return q.where('position', '>', from.toString()).orderBy('position');
  };
  const page = async (from: bigint, size: number): Promise<Row[]> => {
    try {
      return await select(from).limit(size).execute();
    } catch (e) {
      throw dialect.classifyError(e, 'readKpiEvents');
    }
  };
  const toEvent = (r: Row, position: bigint): KpiEvent => {
    const type = r['event_type'] as string;
    const full = readSet === null || readSet.has(type);
    return {
      position,
      eventId: c.decodeId(r['event_id']) as Uuid,
      type,
      occurredAt: c.decodeInstant(r['occurred_at']) as Instant,
      actor: { type: r['actor_type'] as KpiEvent['actor']['type'], id: r['actor_id'] as string | null },
      context: full ? (c.decodeJson(r['context']) as EventContext) : UNREAD_CONTEXT,
      payload: full ? c.decodeJson(r['payload']) : null,
    };
  };
  // A dialect's streamed read, on a pooled `db` (inside a transaction the rows are paged): one stream
  // until a gap, which is waited out before a new one starts after the last event yielded.
  if (dialect.streamRows !== undefined && !db.isTransaction) {
    yield* streamPastGaps({
      dialect,
      db,
      gaps,
      table,
      step,
      after,
      limit: read.limit,
      batch: STREAM_BATCH,
      query: (from, limit) => (limit === undefined ? select(from) : select(from).limit(limit)).compile(),
      decode: toEvent,
      what: 'readKpiEvents',
    });
    return;
  }
  // The next page is read while this one is folded (one page ahead, no more: two pages in memory at most)
  // where the database answers beside the fold: over a pool, or a pinned connection that queues it. Not on
  // SQLite: its driver is synchronous on this thread, so a read ahead overlaps nothing and would only move
  // a query between the consumer's own statements on the one connection.
  const readAhead = dialect.name !== 'sqlite';
  let ahead: { readonly from: bigint; readonly rows: Promise<Row[]> } | null = null;
  while (left > 0) {
    const size = Math.min(PAGE, left);
    let rows: Row[];
    if (ahead !== null && ahead.from === after) rows = await ahead.rows;
    else rows = await page(after, size);
    ahead = null;
    const last = rows[rows.length - 1];
    if (readAhead && rows.length === PAGE && left > PAGE && last !== undefined) {
      const from = BigInt(last['position'] as string | number | bigint);
      const next = page(from, Math.min(PAGE, left - PAGE));
      // Awaited when its turn comes; dropped (its failure with it) when a gap makes this page read again.
      next.catch(() => undefined);
      ahead = { from, rows: next };
    }
    let restart = false;
    for (const r of rows) {
      const position = BigInt(r['position'] as string | number | bigint);
      if (gaps.isGap(after, position, step, probedUpTo)) {
        // An insert below `position` may still commit: wait it out, then read the gap again.
        await gaps.waitOut(db, table, after, position);
        probedUpTo = position;
        restart = true;
        break;
      }
      const event = toEvent(r, position);
      after = position;
      left -= 1;
      yield event;
    }
    if (!restart && rows.length < PAGE) return;
  }
}
