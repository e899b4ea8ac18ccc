import {
  type EventStore,
  isPetError,
  type PetError,
  type StoredEvent,
  type UnitOfWork,
  type Uuid,
} from '@pet-ops/core';
import type { KpiEvent } from '@pet-ops/kpi';
import { createEventStore, createUnitOfWork } from '@pet-ops/sql';
import { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mysqlDialect } from '../pet-dialect.js';
import { parseTablePrefix } from '../prefix.js';
import { createEventLog, resolveGapSafety } from './event-log.js';
import { createMysqlEventStore } from './event-store.js';
import {
  draft,
  drafts,
  eventually,
  type Fixture,
  gate,
  newId,
  openFixture,
  someoneWaitsForALock,
} from './fixtures.test.js';
import { foldFrom, readFoldFrom } from './read.js';

let fx: Fixture;
let store: EventStore;
let uow: UnitOfWork;

beforeAll(async () => {
  fx = await openFixture(inject('mysqlUrl'), '', 16);
  store = createMysqlEventStore({ pool: fx.pool, prefix: '' });
  // The gaps readers must wait out come from writers that do not hold the append latch until COMMIT (an
  // older release's store, a host's own INSERT): the seam's unit of work on a dialect without the latch
  // writes like them. The store above (the seam's, latched past COMMIT) never leaves such a gap itself.
  const latchless = { ...mysqlDialect({ pool: fx.pool }), gapSafety: 'single-writer' as const };
  const { appendLatch: _latch, ...dialect } = latchless;
  const db = new Kysely<never>({ dialect: dialect.kysely });
  const events = createEventStore({ db, dialect, prefix: '' });
  uow = createUnitOfWork({ dialect, prefix: '', events, tables: [] });
});
afterAll(async () => {
  await fx?.close();
});

async function collect<E = StoredEvent>(iterable: AsyncIterable<E>): Promise<E[]> {
  const out: E[] = [];
  for await (const e of iterable) out.push(e);
  return out;
}

async function lastPosition(): Promise<bigint> {
  let last = 0n;
  for await (const e of store.readAll()) last = e.position;
  return last;
}

/** A unit of work that appends, then stays open until `release` is called; `commit: false` rolls back. */
function openAppend(events: readonly { stream: Uuid; count: number }[], commit = true) {
  const [appended, release] = [gate(), gate()];
  const more: { stream: Uuid; count: number }[] = [];
  const done = uow
    .run(async (scope) => {
      for (const e of events) await scope.append(e.stream, 'any', drafts(e.count));
      appended.open();
      await release.wait;
      for (const e of more) await scope.append(e.stream, 'any', drafts(e.count));
      if (!commit) throw new Error('rolled back on purpose');
    })
    .catch((e: unknown) => {
      if ((e as Error).message !== 'rolled back on purpose') throw e;
    });
  return { appended: appended.wait, release: release.open, done, more };
}

/**
 * Given: `count` events of stream `a` appended and left uncommitted (`t1`; `commit: false` rolls them
 * back on release), then one event of stream `b` committed after them: a gap behind a visible row.
 */
async function gapBehindOne(count: number, commit = true) {
  const checkpoint = await lastPosition();
  const [a, b] = [newId(), newId()];
  const t1 = openAppend([{ stream: a, count }], commit);
  await t1.appended;
  await store.append(b, 0, [draft()]);
  return { checkpoint, a, b, t1 };
}

describe('gap probe', () => {
  it('given an earlier position uncommitted while a later one is visible, then the reader waits and yields both in order', async () => {
    const { checkpoint, a, b, t1 } = await gapBehindOne(2);
    const reading = collect(store.readAll({ after: checkpoint }));
    await eventually(() => someoneWaitsForALock(fx.pool), 'the reader waits in its gap probe');
    t1.release();
    await t1.done;
    const events = await reading;
    expect(events.map((e) => [e.streamId, e.streamVersion])).toEqual([
      [a, 1],
      [a, 2],
      [b, 1],
    ]);
  });

  it('given a gap, when the fold reader (fewer columns) reads across it, then it waits in its own probe and yields the fold fields of exactly what readAll yields', async () => {
    const { checkpoint, t1 } = await gapBehindOne(1200);
    const log = createEventLog(parseTablePrefix(''), resolveGapSafety({}));
    const reading = collect(readFoldFrom(fx.pool, log, { after: checkpoint, limit: undefined }));
    await eventually(() => someoneWaitsForALock(fx.pool), 'the fold reader waits in its gap probe');
    t1.release();
    await t1.done;
    const folded = await reading;
    const all = await collect(store.readAll({ after: checkpoint }));
    expect(folded).toHaveLength(1201);
    const pick = (e: StoredEvent): KpiEvent => ({
      position: e.position,
      eventId: e.eventId,
      type: e.type,
      occurredAt: e.occurredAt,
      actor: e.actor,
      context: e.context,
      payload: e.payload,
    });
    expect(folded).toEqual(all.map(pick));
    const limited = await collect(readFoldFrom(fx.pool, log, { after: checkpoint, limit: 3 }));
    expect(limited).toEqual(all.slice(0, 3).map(pick));
  });

  it('given a gap, when a fold reader that reads other types reads across it, then every event still comes, in order, with an empty context and a null payload, probed rows too', async () => {
    const { checkpoint, t1 } = await gapBehindOne(1200);
    await store.append(newId(), 0, [draft({ type: 'test.counted', payload: { n: 1 } })]);
    const log = createEventLog(parseTablePrefix(''), resolveGapSafety({}));
    const reading = collect(
      readFoldFrom(fx.pool, log, { after: checkpoint, limit: undefined }, ['test.counted']),
    );
    await eventually(() => someoneWaitsForALock(fx.pool), 'the narrowed reader waits in its gap probe');
    t1.release();
    await t1.done;
    const narrowed = await reading;
    const full = await collect(readFoldFrom(fx.pool, log, { after: checkpoint, limit: undefined }));
    // The 1200 probed rows, the row after the gap, and the one event of the type read
    expect(narrowed).toHaveLength(1202);
    expect(narrowed).toEqual(
      full.map((e) => (e.type === 'test.counted' ? e : { ...e, context: {}, payload: null })),
    );
    expect(narrowed.at(-1)?.payload).toEqual({ n: 1 });
  });

  it('refuses to read types that are not event type names, before any query', () => {
    const log = createEventLog(parseTablePrefix(''), resolveGapSafety({}));
    expect(() => readFoldFrom(fx.pool, log, { after: 0n, limit: undefined }, ["x') OR ('1"])).toThrowError(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: { issues: [expect.objectContaining({ field: 'types' })] },
      }),
    );
  });

  it('given a gap with 3000 events after it, when foldFrom applies events as they arrive, then it waits in its probe and applies exactly what readAll yields, in order', async () => {
    const { checkpoint, t1 } = await gapBehindOne(1200);
    await store.append(newId(), 0, drafts(3000));
    const log = createEventLog(parseTablePrefix(''), resolveGapSafety({}));
    const applied: KpiEvent[] = [];
    const folding = foldFrom(fx.pool, log, { after: checkpoint, limit: undefined }, (e) => applied.push(e));
    await eventually(() => someoneWaitsForALock(fx.pool), 'the fold waits in its gap probe');
    expect(applied).toEqual([]);
    t1.release();
    await t1.done;
    expect(await folding).toBe(4201);
    const all = await collect(store.readAll({ after: checkpoint }));
    expect(applied.map((e) => [e.position, e.eventId, e.type])).toEqual(
      all.map((e) => [e.position, e.eventId, e.type]),
    );
    const limited: bigint[] = [];
    expect(
      await foldFrom(fx.pool, log, { after: checkpoint, limit: 3 }, (e) => limited.push(e.position)),
    ).toBe(3);
    expect(limited).toEqual(all.slice(0, 3).map((e) => e.position));
  });

  it('given a gap with 3000 events after it, when forEachEvent hands them to a handler that awaits now and then, then it waits in its probe and hands over exactly what readAll yields, in order, one call at a time', async () => {
    const { checkpoint, t1 } = await gapBehindOne(1200);
    const appended = await store.append(newId(), 0, drafts(3000));
    const handled: StoredEvent[] = [];
    let active = 0;
    let mostActive = 0;
    const handing = store.forEachEvent(
      async (e) => {
        active += 1;
        mostActive = Math.max(mostActive, active);
        if (handled.length % 250 === 0) await new Promise((r) => setTimeout(r, 2));
        handled.push(e);
        active -= 1;
      },
      { after: checkpoint },
    );
    await eventually(() => someoneWaitsForALock(fx.pool), 'forEachEvent waits in its gap probe');
    expect(handled).toEqual([]);
    t1.release();
    await t1.done;
    expect(await handing).toEqual({ handled: 4201, checkpoint: appended.positions[2999] });
    expect(mostActive).toBe(1);
    expect(handled).toEqual(await collect(store.readAll({ after: checkpoint })));
  });

  it('given apply throws on the 500th event, when foldFrom runs, then it rejects with that error as thrown, applies nothing after it and leaves the pool usable', async () => {
    const checkpoint = await lastPosition();
    await store.append(newId(), 0, drafts(1000));
    const log = createEventLog(parseTablePrefix(''), resolveGapSafety({}));
    const boom = new RangeError('host bug');
    let seen = 0;
    const folding = foldFrom(fx.pool, log, { after: checkpoint, limit: undefined }, () => {
      seen++;
      if (seen === 500) throw boom;
    });
    await expect(folding).rejects.toBe(boom);
    expect(seen).toBe(500);
    const [rows] = await fx.pool.query('SELECT 1 AS ok');
    expect(rows).toEqual([{ ok: 1 }]);
  });

  it('given a gap wider than one probe page, then the reader pages through it in order', async () => {
    const { checkpoint, b, t1 } = await gapBehindOne(2500);
    const reading = collect(store.readAll({ after: checkpoint }));
    await eventually(() => someoneWaitsForALock(fx.pool), 'the reader waits in its gap probe');
    t1.release();
    await t1.done;
    const events = await reading;
    expect(events).toHaveLength(2501);
    expect(events.slice(0, 2500).map((e) => e.streamVersion)).toEqual(
      Array.from({ length: 2500 }, (_, i) => i + 1),
    );
    expect(events[2500]?.streamId).toBe(b);
  });

  it('given the earlier transaction rolls back, then the reader skips only the burned positions', async () => {
    const { checkpoint, b, t1 } = await gapBehindOne(3, false);
    const reading = collect(store.readAll({ after: checkpoint }));
    await eventually(() => someoneWaitsForALock(fx.pool), 'the reader waits in its gap probe');
    t1.release();
    await t1.done;
    const events = await reading;
    expect(events.map((e) => e.streamId)).toEqual([b]);
    expect(await collect(store.readAll({ after: events[0]!.position }))).toEqual([]);
  });

  // Reported as flaky once under load (issue 29); not reproduced since: 20 runs of this test alone and 5
  // runs of the whole file passed on the shared 2-core machine at load 4–13. Its only time limits are
  // generous: `eventually` polls 30 s for the probe's lock wait, the probe waits up to gapWaitSeconds
  // (60 s) for t1, and t1's second append waits up to latchTimeoutSeconds (10 s) for the latch, which no
  // reader takes. If it fails again, the message names which of these gave up.
  it('given a waiting reader, when the open transaction appends again, then it is not blocked (no latch held by readers)', async () => {
    const { checkpoint, a, b, t1 } = await gapBehindOne(1);
    const c = newId();
    const reading = collect(store.readAll({ after: checkpoint }));
    await eventually(() => someoneWaitsForALock(fx.pool), 'the reader waits in its gap probe');
    t1.more.push({ stream: c, count: 2 });
    t1.release();
    await t1.done; // would stall until the latch timeout if the probe held the append latch
    const first = await reading;
    // The seam's reader reads the page again after the probe: it may already see c's events.
    const rest = await collect(store.readAll({ after: first.at(-1)!.position }));
    expect([...first, ...rest].map((e) => e.streamId)).toEqual([a, b, c, c]);
  });

  it('given a gap that stays uncommitted past gapWaitSeconds, then LOCK_TIMEOUT (retryable) and the checkpoint still holds', async () => {
    const impatient = createMysqlEventStore({
      pool: fx.pool,
      prefix: '',
      probeLockWaitSeconds: 1,
      gapWaitSeconds: 2,
    });
    const { checkpoint, a, b, t1 } = await gapBehindOne(1);
    const seen: StoredEvent[] = [];
    let error: PetError | undefined;
    try {
      for await (const e of impatient.readAll({ after: checkpoint })) seen.push(e);
    } catch (e) {
      if (!isPetError(e)) throw e;
      error = e;
    }
    expect(seen).toEqual([]);
    expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', retryable: true });
    t1.release();
    await t1.done;
    const events = await collect(impatient.readAll({ after: checkpoint }));
    expect(events.map((e) => e.streamId)).toEqual([a, b]);
  });
});

/** A small seeded PRNG (mulberry32), so a failing round can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const WRITERS = 8;
const TRANSACTIONS_PER_WRITER = 100;

/**
 * One writer: many transactions on its own streams, single- and multi-event appends (sometimes two
 * streams in one transaction, sometimes a plain store append), ~20 % rolled back after inserting,
 * random small delays before commit. Returns the ids of the events that committed.
 */
async function writer(seed: number): Promise<string[]> {
  const rnd = random(seed);
  const streams = [newId(), newId(), newId()];
  const committed: string[] = [];
  for (let t = 0; t < TRANSACTIONS_PER_WRITER; t++) {
    const batches = Array.from({ length: rnd() < 0.3 ? 2 : 1 }, () => ({
      stream: streams[Math.floor(rnd() * streams.length)]!,
      events: drafts(rnd() < 0.5 ? 1 : 1 + Math.floor(rnd() * 6), { streamType: 'proof' }),
    }));
    const rollBack = rnd() < 0.2;
    const delay = Math.floor(rnd() * 4);
    if (!rollBack && batches.length === 1 && rnd() < 0.25) {
      await store.append(batches[0]!.stream, 'any', batches[0]!.events);
      committed.push(...batches[0]!.events.map((e) => e.eventId));
      continue;
    }
    try {
      await uow.run(async (scope) => {
        for (const b of batches) await scope.append(b.stream, 'any', b.events);
        if (delay > 0) await sleep(delay);
        if (rollBack) throw new Error('roll back');
      });
      committed.push(...batches.flatMap((b) => b.events.map((e) => e.eventId)));
    } catch (e) {
      if ((e as Error).message !== 'roll back') throw e;
    }
  }
  return committed;
}

describe('proof: a checkpointed reader under 8 concurrent writers', () => {
  it.each([1, 2, 3, 4])(
    'round %i: the reader ends with exactly the committed events, once each, in position order',
    async (round) => {
      let checkpoint = await lastPosition();
      const seen: StoredEvent[] = [];
      let writing = true;
      const reader = (async () => {
        let reads = 0;
        for (;;) {
          const finished = !writing; // decided before the read: this read then sees everything
          for await (const e of store.readAll({ after: checkpoint })) {
            seen.push(e);
            checkpoint = e.position;
          }
          reads += 1;
          if (finished) return reads;
        }
      })();
      const committed = (
        await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(round * 1000 + w)))
      ).flat();
      writing = false;
      const reads = await reader;

      const proof = seen.filter((e) => e.streamType === 'proof');
      const ids = proof.map((e) => e.eventId);
      expect(new Set(ids).size).toBe(ids.length); // none twice
      expect([...ids].sort()).toEqual([...committed].sort()); // none skipped, none invented
      let jumps = 0;
      for (let i = 1; i < seen.length; i++) {
        expect(seen[i]!.position > seen[i - 1]!.position).toBe(true); // in position order
        if (seen[i]!.position !== seen[i - 1]!.position + 1n) jumps += 1;
      }
      // The scenario really happened: the reader read while writing went on, across burned positions.
      expect(reads).toBeGreaterThan(1);
      expect(jumps).toBeGreaterThan(0);
    },
  );
});
