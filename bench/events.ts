// Deterministic event-log rows shared by the library and raw sides of a benchmark.
import type { EventDraft, Instant, Uuid } from '@pet-ops/core';
import { seeded } from './common.js';

function hex(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rand() * 16).toString(16);
  return s;
}

/** A UUIDv7-shaped id from a counter and a seeded generator (valid, time-ordered, reproducible). */
export function benchUuid(rand: () => number, counter: number): Uuid {
  const ms = (1_767_225_600_000 + counter).toString(16).padStart(12, '0');
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${hex(rand, 3)}-${'89ab'[Math.floor(rand() * 4)]}${hex(rand, 3)}-${hex(rand, 12)}` as Uuid;
}

export interface BenchStream {
  readonly streamId: Uuid;
  readonly events: readonly EventDraft[];
}

/** `count` events split into streams of `perStream` events, ~280 B per row like the raw baselines. */
export function benchStreams(count: number, perStream: number, seed = 42): BenchStream[] {
  const rand = seeded(seed);
  const streams: BenchStream[] = [];
  let n = 0;
  while (n < count) {
    const streamId = benchUuid(rand, n);
    const events: EventDraft[] = [];
    for (let i = 0; i < perStream && n < count; i++, n++) {
      events.push({
        eventId: benchUuid(rand, n + 1),
        type: 'bench.happened',
        schemaVersion: 1,
        streamType: 'bench',
        occurredAt: '2026-01-01T00:00:00.000000Z' as Instant,
        actor: { type: 'system', id: 'bench' },
        context: { customerId: 'c-1' },
        correlationId: null,
        causationId: null,
        payload: { n, note: 'benchmark event with a payload of realistic size', amountMinor: n * 7 },
      });
    }
    streams.push({ streamId, events });
  }
  return streams;
}

/**
 * An events row as a raw script reads it (every column; instants and JSON as the driver's text),
 * `position` as the driver hands it over (PostgreSQL's int8 as text, SQLite's integer as a number).
 */
export interface RawEventRow<Position> {
  position: Position;
  event_id: string;
  event_type: string;
  schema_version: number;
  stream_type: string;
  stream_id: string;
  stream_version: number;
  occurred_at: string;
  recorded_at: string;
  actor_type: string;
  actor_id: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  idempotency_key: string | null;
  context: string;
  payload: string;
}

/**
 * One event's row as a raw script writes it: its values in the events table's column order (`event_id,
 * event_type, schema_version, stream_type, stream_id, stream_version, occurred_at, actor_type, actor_id,
 * correlation_id, causation_id, idempotency_key, context, payload`), JSON as text, as the library's event
 * store writes them.
 */
export function eventRow(streamId: Uuid, version: number, e: EventDraft): (string | number | null)[] {
  return [
    e.eventId,
    e.type,
    e.schemaVersion,
    e.streamType,
    streamId,
    version,
    e.occurredAt,
    e.actor.type,
    e.actor.id,
    e.correlationId,
    e.causationId,
    e.idempotencyKey ?? null,
    JSON.stringify(e.context),
    JSON.stringify(e.payload),
  ];
}
