import {
  type AppendResult,
  type ExpectedVersion,
  PetError,
  type StoredEvent,
  type Uuid,
} from '@pet-ops/core';
import type { AppendInput } from '@pet-ops/sql';
import { classifyDuplicates, type ExistingEvent } from '@pet-ops/sql';
import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { type Database, sqlBuilder } from '../database.js';
import { duplicateKeyName, errnoOf, mapDriverError } from '../errors.js';
import { bytesToUuid, uuidToBytes } from '../internal/uuid-bytes.js';
import {
  type EncodedDraft,
  EVENT_ROW_OPTIONS,
  encodeDrafts,
  type RawEventRow,
  READ_OPTIONS,
  rowToEvent,
  type SqlValue,
} from './codec.js';
import { statement } from './driver.js';
import type { ConnectionHealth, EventLog, LogMeta } from './event-log.js';
import { planStatements } from './statements.js';

/**
 * `own-transaction`: the append opens and commits its own transaction (the event store's `append`).
 * `in-transaction`: the caller's transaction is open on the connection (the unit of work); a
 * multi-statement append is made atomic with a savepoint.
 */
export type AppendMode = 'own-transaction' | 'in-transaction';

/** `'any'` appends retry this often when a concurrent append takes their stream version first. */
const ANY_ATTEMPTS = 10;
const SAVEPOINT = 'pet_ops_append';

type Attempt =
  | { readonly kind: 'appended'; readonly result: AppendResult }
  | { readonly kind: 'behind'; readonly head: number }
  | { readonly kind: 'collided'; readonly key: string | undefined; readonly error: unknown };

const builder = sqlBuilder<Database>();

/**
 * Appends validated events to one stream on `conn`. Fast path: no pre-query beyond the latch round
 * trip; a collision (errno 1062) or a version mismatch is then examined: a replay of an earlier append
 * returns that append's result, a partial overlap is `IDEMPOTENCY_MISMATCH`, anything else is
 * `CONCURRENCY_CONFLICT` (retryable). Nothing is written on any error.
 *
 * @example
 * ```ts
 * const result = await appendOn(conn, log, parseAppend(id, 0, drafts), 'own-transaction', health);
 * ```
 */
export async function appendOn(
  conn: PoolConnection,
  log: EventLog,
  input: AppendInput,
  mode: AppendMode,
  health: ConnectionHealth,
): Promise<AppendResult> {
  const statements = planStatements(encodeDrafts(input.events));
  const meta = await log.meta(conn);
  const streamKey = uuidToBytes(input.streamId);
  for (let attempt = 1; ; attempt++) {
    const outcome = await insertOnce(conn, log, meta, streamKey, input, statements, mode, health);
    if (outcome.kind === 'appended') return outcome.result;
    const verdict = classifyDuplicates(input.streamId, input.events, await findExisting(conn, log, input));
    if (verdict.kind === 'duplicate') return verdict.result;
    if (verdict.kind === 'mismatch') throw verdict.error;
    if (outcome.kind === 'collided' && outcome.key !== 'uq_stream_version') {
      throw mapDriverError(outcome.error, 'append');
    }
    if (input.expectedVersion === 'any' && attempt < ANY_ATTEMPTS) continue;
    const actual = outcome.kind === 'behind' ? outcome.head : await readHead(conn, log, streamKey);
    throw concurrencyConflict(input.streamId, input.expectedVersion, actual);
  }
}

/** The retryable `CONCURRENCY_CONFLICT` error. @example `throw concurrencyConflict(id, 3, 5)` */
export function concurrencyConflict(streamId: Uuid, expected: ExpectedVersion, actual: number): PetError {
  return new PetError(
    'CONCURRENCY_CONFLICT',
    `stream ${streamId}: expected version ${expected}, but it is at ${actual}`,
    { retryable: true, details: { streamId, expected, actual } },
  );
}

function latchFailure(result: unknown, seconds: number): PetError {
  return result === 0 || result === '0'
    ? new PetError(
        'LOCK_TIMEOUT',
        `append: the append latch was busy for ${seconds} s (another append held it); retry`,
        { retryable: true, details: { operation: 'append latch' } },
      )
    : new PetError('DATABASE_ERROR', `append: GET_LOCK returned ${String(result)}`, {
        details: { operation: 'append latch' },
      });
}

async function insertOnce(
  conn: PoolConnection,
  log: EventLog,
  meta: LogMeta,
  streamKey: Buffer,
  input: AppendInput,
  statements: readonly (readonly EncodedDraft[])[],
  mode: AppendMode,
  health: ConnectionHealth,
): Promise<Attempt> {
  const s = log.statements;
  const own = mode === 'own-transaction';
  // What must be undone if we leave early: the latch, then the transaction or savepoint.
  let latched = false;
  let open = false;
  let savepoint = false;
  const cleanUp = async (): Promise<void> => {
    try {
      if (latched) {
        latched = false;
        await statement(conn, 'execute', s.releaseLatch, [meta.latchName]);
      }
      if (open) {
        open = false;
        await statement(conn, 'query', 'ROLLBACK');
      } else if (savepoint) {
        savepoint = false;
        await statement(conn, 'query', `ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      }
    } catch (e) {
      health.broken = true;
      throw e;
    }
  };
  try {
    if (own) {
      await statement(conn, 'query', 'START TRANSACTION');
      open = true;
    }
    let head: number;
    if (log.latch) {
      const rows = await statement<RowDataPacket[]>(conn, 'execute', s.latchAndHead, [
        meta.latchName,
        log.settings.latchTimeoutSeconds,
        streamKey,
      ]);
      const got = rows[0]?.['latched'];
      if (got !== 1 && got !== '1') throw latchFailure(got, log.settings.latchTimeoutSeconds);
      latched = true;
      head = Number(rows[0]?.['head']);
    } else {
      head = await readHead(conn, log, streamKey);
    }
    const expected = input.expectedVersion === 'no_stream' ? 0 : input.expectedVersion;
    if (expected !== 'any' && head !== expected) {
      await cleanUp();
      return { kind: 'behind', head };
    }
    if (!own && statements.length > 1) {
      await statement(conn, 'query', `SAVEPOINT ${SAVEPOINT}`);
      savepoint = true;
    }
    const base = expected === 'any' ? head : expected;
    let version = base;
    const positions: bigint[] = [];
    for (const rows of statements) {
      const params: SqlValue[] = [];
      for (const r of rows) {
        version += 1;
        params.push(...r.head, streamKey, version, ...r.tail);
      }
      const res = await statement<ResultSetHeader>(conn, 'execute', s.insert(rows.length), params);
      const first = BigInt(String(res.insertId));
      for (let i = 0; i < rows.length; i++) positions.push(first + BigInt(i) * meta.increment);
    }
    // Release the latch before COMMIT: it only has to cover "allocate positions + insert rows", and
    // commits (the fsync) then still group across writers.
    if (latched) {
      latched = false;
      await statement(conn, 'execute', s.releaseLatch, [meta.latchName]);
    }
    if (open) {
      open = false;
      await statement(conn, 'query', 'COMMIT');
    } else if (savepoint) {
      savepoint = false;
      await statement(conn, 'query', `RELEASE SAVEPOINT ${SAVEPOINT}`);
    }
    return {
      kind: 'appended',
      result: { streamId: input.streamId, nextExpectedVersion: version, positions, duplicate: false },
    };
  } catch (e) {
    const errno = errnoOf(e);
    // A deadlock rolls the whole transaction back: there is no savepoint left to return to.
    if (errno === 1213) savepoint = false;
    try {
      await cleanUp();
    } catch (cleanupError) {
      if (errno === undefined) throw cleanupError;
    }
    if (errno === 1062) return { kind: 'collided', key: duplicateKeyName(e), error: e };
    throw e;
  }
}

/** The stream's last version (0 when it has no events). */
export async function readHead(conn: PoolConnection, log: EventLog, streamKey: Buffer): Promise<number> {
  const rows = await statement<RowDataPacket[]>(conn, 'execute', log.statements.head, [streamKey]);
  return Number(rows[0]?.['head'] ?? 0);
}

function eventsTable(log: EventLog) {
  // The prefixed name is only known at run time; the type checker sees the logical name.
  return builder.dynamic.table(log.statements.table as 'domain_events').as('e');
}

/** Stored events sharing an event id or idempotency key with the batch (slow path, after a collision). */
async function findExisting(
  conn: PoolConnection,
  log: EventLog,
  input: AppendInput,
): Promise<ExistingEvent[]> {
  const found = new Map<bigint, ExistingEvent>();
  for (let at = 0; at < input.events.length; at += 500) {
    const chunk = input.events.slice(at, at + 500);
    const ids = chunk.map((d) => uuidToBytes(d.eventId));
    const keys = chunk.flatMap((d) => (d.idempotencyKey === undefined ? [] : [d.idempotencyKey]));
    const query = builder
      .selectFrom(eventsTable(log))
      .select(['e.position', 'e.event_id', 'e.stream_id', 'e.stream_version', 'e.idempotency_key'])
      .where((eb) =>
        keys.length === 0
          ? eb('e.event_id', 'in', ids)
          : eb.or([eb('e.event_id', 'in', ids), eb('e.idempotency_key', 'in', keys)]),
      )
      .compile();
    // Text protocol: IN lists of varying length would each become a prepared statement.
    const [rows] = await conn.query<RowDataPacket[]>({ sql: query.sql, ...READ_OPTIONS }, [
      ...query.parameters,
    ]);
    for (const r of rows) {
      const position = BigInt(r['position'] as string);
      found.set(position, {
        position,
        eventId: bytesToUuid(r['event_id'] as Buffer),
        streamId: bytesToUuid(r['stream_id'] as Buffer),
        streamVersion: Number(r['stream_version']),
        idempotencyKey: (r['idempotency_key'] as string | null) ?? null,
      });
    }
  }
  return [...found.values()].sort((a, b) => (a.position < b.position ? -1 : 1));
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Events whose idempotency key is `key` or starts with `key#` (one command's several appends), in
 * position order. Keys are matched exactly, whatever the column's collation.
 *
 * @example
 * ```ts
 * const earlier = await findByIdempotencyKeyOn(conn, log, 'import-42');
 * ```
 */
export async function findByIdempotencyKeyOn(
  conn: Pick<PoolConnection, 'query'>,
  log: EventLog,
  key: string,
): Promise<StoredEvent[]> {
  const query = builder
    .selectFrom(eventsTable(log))
    .select([
      'e.position',
      'e.event_id',
      'e.event_type',
      'e.schema_version',
      'e.stream_type',
      'e.stream_id',
      'e.stream_version',
      'e.occurred_at',
      'e.recorded_at',
      'e.actor_type',
      'e.actor_id',
      'e.correlation_id',
      'e.causation_id',
      'e.idempotency_key',
      'e.context',
      'e.payload',
    ])
    .where((eb) =>
      eb.or([eb('e.idempotency_key', '=', key), eb('e.idempotency_key', 'like', `${escapeLike(key)}#%`)]),
    )
    .orderBy('e.position')
    .compile();
  const [rows] = await conn.query<RowDataPacket[]>({ sql: query.sql, ...EVENT_ROW_OPTIONS }, [
    ...query.parameters,
  ]);
  return (rows as unknown as RawEventRow[])
    .filter((r) => r[13] === key || r[13]?.startsWith(`${key}#`) === true)
    .map((row) => rowToEvent(row));
}
