import {
  type Actor,
  type EventContext,
  type EventDraft,
  type FieldIssue,
  type StoredEvent,
  type Uuid,
  ValidationError,
} from '@pet-ops/core';
import { instantToSql, sqlToInstant } from '../internal/datetime.js';
import { bytesToUuid, uuidToBytes } from '../internal/uuid-bytes.js';

/**
 * A `domain_events` row as mysql2 returns it with the adapter's pool settings (BIGINT and DATETIME(6)
 * as strings, BINARY(16) as bytes, JSON as text). Numbers are accepted too so a differently configured
 * pool still maps without precision loss for the values that fit.
 */
export interface RawEventRow {
  readonly position: string | number | bigint;
  readonly event_id: Uint8Array;
  readonly event_type: string;
  readonly schema_version: number | string;
  readonly stream_type: string;
  readonly stream_id: Uint8Array;
  readonly stream_version: number | string;
  readonly occurred_at: string;
  readonly recorded_at: string;
  readonly actor_type: string;
  readonly actor_id: string | null;
  readonly correlation_id: Uint8Array | null;
  readonly causation_id: Uint8Array | null;
  readonly idempotency_key: string | null;
  readonly context: string | object;
  readonly payload: string | object | number | boolean | null;
}

/** `DATE_FORMAT` pattern that keeps a DATETIME(6)'s microseconds. */
export const DATETIME6_FORMAT = '%Y-%m-%d %H:%i:%s.%f';

/**
 * Columns read for a stored event (table alias `e`), in {@link RawEventRow} order. The server renders
 * the position and the times as text, so nothing depends on the pool's `bigNumberStrings`/`dateStrings`
 * settings (or on the driver's 64-bit integer parser): no precision is lost whatever the pool.
 * Order by `e.position`, never the bare name (that would sort by the text alias).
 */
export const EVENT_SELECT_COLUMNS: string =
  'CAST(e.position AS CHAR) AS position, e.event_id, e.event_type, e.schema_version, e.stream_type, ' +
  `e.stream_id, e.stream_version, DATE_FORMAT(e.occurred_at, '${DATETIME6_FORMAT}') AS occurred_at, ` +
  `DATE_FORMAT(e.recorded_at, '${DATETIME6_FORMAT}') AS recorded_at, e.actor_type, e.actor_id, ` +
  'e.correlation_id, e.causation_id, e.idempotency_key, e.context, e.payload';

/** Columns written on append, in the order of {@link EncodedDraft.params} plus `stream_id`/`stream_version`. */
export const EVENT_INSERT_COLUMNS: string =
  'event_id, event_type, schema_version, stream_type, stream_id, stream_version, occurred_at, recorded_at, ' +
  'actor_type, actor_id, correlation_id, causation_id, idempotency_key, context, payload';

/** One row's placeholders for {@link EVENT_INSERT_COLUMNS}; `recorded_at` is the server's UTC clock. */
export const EVENT_INSERT_ROW: string = '(?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?, ?)';

/** Bind values per inserted row. */
export const PARAMS_PER_ROW = 14;

/** A bind value as the adapter sends it. */
export type SqlValue = string | number | Buffer | null;

/** A draft turned into bind values once, before anything is written. */
export interface EncodedDraft {
  readonly draft: EventDraft;
  /** Bind values before `stream_id`: event_id, event_type, schema_version, stream_type. */
  readonly head: readonly SqlValue[];
  /** Bind values after `stream_version`: occurred_at … payload. */
  readonly tail: readonly SqlValue[];
  /** Approximate statement bytes, to keep a statement well under `max_allowed_packet`. */
  readonly bytes: number;
}

function jsonText(value: unknown): string | undefined {
  try {
    const text = JSON.stringify(value);
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined; // BigInt, cycles
  }
}

/**
 * Encodes validated drafts into bind values. JSON that cannot be serialised (a `BigInt`, a cycle,
 * `undefined`) is bad input: a {@link ValidationError} naming `events.<i>.payload`/`context`.
 *
 * @example
 * ```ts
 * const encoded = encodeDrafts(events);
 * ```
 */
export function encodeDrafts(events: readonly EventDraft[]): EncodedDraft[] {
  const issues: FieldIssue[] = [];
  const out: EncodedDraft[] = [];
  events.forEach((draft, i) => {
    const context = jsonText(draft.context);
    const payload = jsonText(draft.payload);
    if (context === undefined)
      issues.push({ field: `events.${i}.context`, rule: 'must be JSON-serialisable' });
    if (payload === undefined)
      issues.push({ field: `events.${i}.payload`, rule: 'must be JSON-serialisable' });
    if (context === undefined || payload === undefined) return;
    out.push({
      draft,
      head: [uuidToBytes(draft.eventId), draft.type, draft.schemaVersion, draft.streamType],
      tail: [
        instantToSql(draft.occurredAt),
        draft.actor.type,
        draft.actor.id,
        draft.correlationId === null ? null : uuidToBytes(draft.correlationId),
        draft.causationId === null ? null : uuidToBytes(draft.causationId),
        draft.idempotencyKey ?? null,
        context,
        payload,
      ],
      bytes: 256 + context.length * 3 + payload.length * 3 + (draft.idempotencyKey?.length ?? 0) * 4,
    });
  });
  if (issues.length > 0) throw new ValidationError('append', issues);
  return out;
}

function parseJson(value: string | object | number | boolean | null): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function toBigInt(value: string | number | bigint): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}

/**
 * Maps a `domain_events` row to a {@link StoredEvent} without precision loss: BIGINT → `bigint`,
 * DATETIME(6) → `Instant` (microseconds kept), BINARY(16) → UUID, JSON text parsed.
 *
 * @example
 * ```ts
 * const events = rows.map(rowToEvent);
 * ```
 */
export function rowToEvent(row: RawEventRow): StoredEvent {
  const actor: Actor = { type: row.actor_type as Actor['type'], id: row.actor_id };
  const base = {
    eventId: bytesToUuid(row.event_id),
    type: row.event_type,
    schemaVersion: Number(row.schema_version),
    streamType: row.stream_type,
    occurredAt: sqlToInstant(row.occurred_at),
    actor,
    context: parseJson(row.context) as EventContext,
    correlationId: row.correlation_id === null ? null : bytesToUuid(row.correlation_id),
    causationId: row.causation_id === null ? null : bytesToUuid(row.causation_id),
    payload: parseJson(row.payload),
    streamId: bytesToUuid(row.stream_id) as Uuid,
    streamVersion: Number(row.stream_version),
    position: toBigInt(row.position),
    recordedAt: sqlToInstant(row.recorded_at),
  };
  return row.idempotency_key === null ? base : { ...base, idempotencyKey: row.idempotency_key };
}

/** A row's position as `bigint`. @example `positionOf(row)` */
export function positionOf(row: Pick<RawEventRow, 'position'>): bigint {
  return toBigInt(row.position);
}
