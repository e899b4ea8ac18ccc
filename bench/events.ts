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
