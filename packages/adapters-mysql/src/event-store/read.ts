import { PetError, type StoredEvent } from '@pet-ops/core';
import type { PoolConnection as CorePoolConnection } from 'mysql2';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { errnoOf, mapDriverError } from '../errors.js';
import { uuidToBytes } from '../internal/uuid-bytes.js';
import { positionOf, type RawEventRow, rowToEvent } from './codec.js';
import type { EventLog } from './event-log.js';
import type { ReadAllInput } from './validation.js';

/**
 * One stream's events with `streamVersion >= fromVersion`, in version order (prepared statement).
 *
 * @example
 * ```ts
 * const events = await readStreamOn(pool, log, streamId, 1);
 * ```
 */
export async function readStreamOn(
  conn: Pick<Pool, 'execute'>,
  log: EventLog,
  streamId: string,
  fromVersion: number,
): Promise<StoredEvent[]> {
  try {
    const [rows] = await conn.execute<RowDataPacket[]>(log.statements.readStream, [
      uuidToBytes(streamId),
      fromVersion,
    ]);
    return (rows as unknown as RawEventRow[]).map(rowToEvent);
  } catch (e) {
    throw mapDriverError(e, 'readStream');
  }
}

const HIGH_WATER_MARK = 256;

/**
 * Every committed event after `after`, in position order, as a bounded-memory stream: a mysql2 query
 * stream with backpressure on one pooled connection, plus a gap probe on a second one.
 *
 * Gap safety (GAP-SAFETY.md): positions are assigned at insert but become visible at commit. When two
 * consecutive rows jump (a gap `a+1 … b-1`), the reader runs a locking read of the gap in READ COMMITTED
 * on the probe connection. Appends hold the append latch while they allocate and insert, so by the time
 * `b` is visible every position below it is physically in the table (or was rolled back); the locking
 * read therefore waits for exactly the uncommitted inserts in the gap, and returns those that committed.
 * Hence the last position yielded is a safe checkpoint: no event below it can appear later.
 *
 * Stopping early (`break`) destroys the streaming connection (the rest of an unbounded result cannot be
 * cancelled cheaply); with `limit` the bounded rest is drained and the connection reused.
 *
 * @example
 * ```ts
 * for await (const e of readAllFrom(pool, log, { after: checkpoint, limit: undefined })) handle(e);
 * ```
 */
export async function* readAllFrom(
  pool: Pool,
  log: EventLog,
  options: ReadAllInput,
): AsyncGenerator<StoredEvent> {
  const { after, limit } = options;
  if (limit === 0) return;
  let conn: PoolConnection;
  try {
    conn = await pool.getConnection();
  } catch (e) {
    throw mapDriverError(e, 'readAll');
  }
  let probe: PoolConnection | undefined;
  let drained = false;
  let last = after;
  let count = 0;
  try {
    const sql = limit === undefined ? log.statements.readAfter : `${log.statements.readAfter} LIMIT ${limit}`;
    const core = conn.connection as unknown as CorePoolConnection;
    const rows = core.query(sql, [after.toString()]).stream({ highWaterMark: HIGH_WATER_MARK });
    for await (const raw of rows) {
      if (count === limit) continue; // drain the bounded rest so the connection can be reused
      const row = raw as RawEventRow;
      const position = positionOf(row);
      if (position > last + 1n) {
        probe ??= await openProbe(pool, log);
        for (const found of await probeGap(probe, log, last, position)) {
          yield rowToEvent(found);
          last = positionOf(found);
          count += 1;
          if (count === limit) break;
        }
        if (count === limit) continue;
      }
      yield rowToEvent(row);
      last = position;
      count += 1;
    }
    drained = true;
  } catch (e) {
    throw mapDriverError(e, 'readAll');
  } finally {
    if (drained) conn.release();
    else conn.destroy();
    if (probe !== undefined) await closeProbe(probe);
  }
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
async function probeGap(
  probe: PoolConnection,
  log: EventLog,
  from: bigint,
  to: bigint,
): Promise<RawEventRow[]> {
  const { probeLockWaitSeconds, gapWaitSeconds } = log.settings;
  const attempts = Math.max(1, Math.ceil(gapWaitSeconds / probeLockWaitSeconds));
  for (let attempt = 1; ; attempt++) {
    try {
      await probe.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await probe.query('START TRANSACTION');
      const [rows] = await probe.execute<RowDataPacket[]>(log.statements.probeGap, [
        from.toString(),
        to.toString(),
      ]);
      await probe.query('COMMIT');
      return rows as unknown as RawEventRow[];
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
