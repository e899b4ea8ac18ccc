import { fc } from '@fast-check/vitest';
import { type EventDraft, type EventStore, type ExpectedVersion, isPetError, type Uuid } from '@pet-ops/core';
import { createInMemoryEventStore } from '@pet-ops/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMysqlEventStore } from './event-store.js';
import { draft, type Fixture, newId, openFixture } from './fixtures.test.js';

let fx: Fixture;
let mysql: EventStore;

beforeAll(async () => {
  fx = await openFixture(inject('mysqlUrl'));
  mysql = createMysqlEventStore({ pool: fx.pool, prefix: '' });
});
afterAll(async () => {
  await fx?.close();
});

/** How a batch element is made: a base event again, a new event id under a base event's key, or new. */
type Pick = { readonly kind: 'base' | 'sameKey'; readonly base: number } | { readonly kind: 'fresh' };

const pickArb: fc.Arbitrary<Pick> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('base' as const), base: fc.integer({ min: 0, max: 5 }) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('sameKey' as const), base: fc.integer({ min: 0, max: 5 }) }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('fresh' as const) }), weight: 3 },
);

const opArb = fc.record({
  stream: fc.integer({ min: 0, max: 2 }),
  expected: fc.oneof(
    fc.constantFrom<ExpectedVersion>('any', 'no_stream'),
    fc.integer({ min: 0, max: 6 }),
    fc.constant('current' as const),
  ),
  batch: fc.array(pickArb, { minLength: 1, maxLength: 3 }),
  replayOf: fc.option(fc.nat(), { nil: undefined }),
});

type Op = {
  readonly stream: Uuid;
  readonly expected: ExpectedVersion | 'current';
  readonly events: EventDraft[];
};

/** Turns generated ops into concrete appends (the same drafts for both stores). */
type GeneratedOp = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

function materialise(ops: readonly GeneratedOp[]): { streams: Uuid[]; ops: Op[] } {
  const streams = [newId(), newId(), newId()];
  const base = Array.from({ length: 6 }, (_, i) =>
    draft({ payload: { base: i }, ...(i % 2 === 0 ? { idempotencyKey: `key-${newId()}` } : {}) }),
  );
  const out: Op[] = [];
  for (const op of ops) {
    const earlier = op.replayOf === undefined || out.length === 0 ? undefined : out[op.replayOf % out.length];
    if (earlier !== undefined) {
      out.push({ ...earlier, expected: op.expected }); // resend an earlier batch, maybe elsewhere in time
      continue;
    }
    const events = op.batch.map((p) =>
      p.kind === 'fresh'
        ? draft({ payload: { fresh: true } })
        : p.kind === 'base'
          ? base[p.base]!
          : { ...base[p.base]!, eventId: newId() },
    );
    out.push({ stream: streams[op.stream]!, expected: op.expected, events });
  }
  return { streams, ops: out };
}

type Outcome = { ok: true; next: number; duplicate: boolean; count: number } | { ok: false; code: string };

async function run(store: EventStore, ops: readonly Op[]): Promise<Outcome[]> {
  const versions = new Map<string, number>();
  const outcomes: Outcome[] = [];
  for (const op of ops) {
    const expected = op.expected === 'current' ? (versions.get(op.stream) ?? 0) : op.expected;
    try {
      const r = await store.append(op.stream, expected, op.events);
      if (!r.duplicate) versions.set(op.stream, r.nextExpectedVersion);
      outcomes.push({
        ok: true,
        next: r.nextExpectedVersion,
        duplicate: r.duplicate,
        count: r.positions.length,
      });
    } catch (e) {
      if (!isPetError(e)) throw e;
      outcomes.push({ ok: false, code: e.code });
    }
  }
  return outcomes;
}

async function contents(store: EventStore, streams: readonly Uuid[]) {
  const perStream = await Promise.all(
    streams.map(async (s) =>
      (await store.readStream(s)).map((e) => [e.eventId, e.streamVersion, e.idempotencyKey ?? null]),
    ),
  );
  const mine = new Set<string>(streams);
  const order: string[] = [];
  for await (const e of store.readAll()) if (mine.has(e.streamId)) order.push(e.eventId);
  return { perStream, order };
}

describe('parity with the in-memory store', () => {
  it('the same random appends (duplicates, conflicts, mismatches) give the same outcomes and streams', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 14 }), async (generated) => {
        const { streams, ops } = materialise(generated);
        const memory = createInMemoryEventStore();
        const expected = await run(memory, ops);
        const actual = await run(mysql, ops);
        expect(actual).toEqual(expected);
        expect(await contents(mysql, streams)).toEqual(await contents(memory, streams));
      }),
      { numRuns: 60 },
    );
  });
});
