import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  type EventDraft,
  type EventStore,
  type ExpectedVersion,
  type IdGenerator,
  isPetError,
  type PetError,
  type StoredEvent,
  type Uuid,
  type ValidationError,
} from '../kernel/index.js';
import { fixedClock } from './clock.js';
import { sequentialIds } from './ids.js';
import { createInMemoryEventStore, createInMemoryUnitOfWork } from './in-memory-event-store.js';
import { type CounterState, counterDefinition } from './sample-counter.test.js';

const streams = sequentialIds(1);
const A = streams.next();
const B = streams.next();

function drafter(ids: IdGenerator = sequentialIds(2)) {
  return (overrides: Partial<EventDraft> = {}): EventDraft => ({
    eventId: ids.next(),
    type: 'sample.happened',
    schemaVersion: 1,
    streamType: 'sample',
    occurredAt: '2026-02-01T08:00:00.000000Z' as EventDraft['occurredAt'],
    actor: { type: 'employee', id: 'e-1' },
    context: { customerId: 'c-1' },
    correlationId: null,
    causationId: null,
    payload: { n: 1 },
    ...overrides,
  });
}

async function rejection(p: Promise<unknown>): Promise<PetError> {
  try {
    await p;
  } catch (e) {
    if (isPetError(e)) return e;
    throw e;
  }
  throw new Error('expected a PetError');
}

async function all(store: EventStore, after?: bigint, limit?: number): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  const opts = { ...(after === undefined ? {} : { after }), ...(limit === undefined ? {} : { limit }) };
  for await (const e of store.readAll(opts)) out.push(e);
  return out;
}

describe('append', () => {
  test('assigns stream versions, gapless positions from 1n and recordedAt from the clock', async () => {
    const store = createInMemoryEventStore({ clock: fixedClock('2026-05-05T05:05:05.000000Z', 1) });
    const draft = drafter();
    const first = await store.append(A, 'no_stream', [draft(), draft()]);
    expect(first).toEqual({ streamId: A, duplicate: false, positions: [1n, 2n], nextExpectedVersion: 2 });
    const second = await store.append(B, 0, [draft()]);
    expect(second.positions).toEqual([3n]);
    const third = await store.append(A, 2, [draft({ payload: { n: 3 } })]);
    expect(third).toEqual({ streamId: A, duplicate: false, positions: [4n], nextExpectedVersion: 3 });

    const a = await store.readStream(A);
    expect(a.map((e) => [e.streamVersion, e.position, e.recordedAt])).toEqual([
      [1, 1n, '2026-05-05T05:05:05.000000Z'],
      [2, 2n, '2026-05-05T05:05:05.000000Z'],
      [3, 4n, '2026-05-05T05:05:05.000002Z'],
    ]);
    expect(a[0]).toMatchObject({
      streamId: A,
      type: 'sample.happened',
      context: { customerId: 'c-1' },
      payload: { n: 1 },
    });
    expect((await store.readStream(A, { fromVersion: 3 })).map((e) => e.payload)).toEqual([{ n: 3 }]);
    expect(await store.readStream(streams.next())).toEqual([]);
  });

  test("'any' skips the version check; 'no_stream' means 0", async () => {
    const store = createInMemoryEventStore();
    const draft = drafter();
    await store.append(A, 'any', [draft()]);
    expect((await store.append(A, 'any', [draft()])).nextExpectedVersion).toBe(2);
    const e = await rejection(store.append(A, 'no_stream', [draft()]));
    expect(e.details).toEqual({ streamId: A, expected: 0, actual: 2 });
  });

  test('a stale expected version is a retryable CONCURRENCY_CONFLICT and writes nothing', async () => {
    const store = createInMemoryEventStore();
    const draft = drafter();
    await store.append(A, 0, [draft()]);
    for (const expected of [0, 2] as ExpectedVersion[]) {
      const e = await rejection(store.append(A, expected, [draft()]));
      expect(e.code).toBe('CONCURRENCY_CONFLICT');
      expect(e.retryable).toBe(true);
      expect(e.details).toEqual({ streamId: A, expected, actual: 1 });
    }
    expect(await all(store)).toHaveLength(1);
  });

  test('a resent batch (same event ids) is a no-op answering like the first append', async () => {
    const store = createInMemoryEventStore();
    const draft = drafter();
    await store.append(B, 0, [draft()]);
    const batch = [draft(), draft()];
    const first = await store.append(A, 0, batch);
    await store.append(A, 2, [draft()]);
    // duplicates are checked before the (now stale) expected version
    expect(await store.append(A, 0, batch)).toEqual({ ...first, duplicate: true });
    expect(await store.append(A, 'any', batch)).toEqual({ ...first, duplicate: true });
    expect(await all(store)).toHaveLength(4);
  });

  test('a resent batch with new event ids but the same idempotency keys is a duplicate too', async () => {
    const store = createInMemoryEventStore();
    const draft = drafter();
    const first = await store.append(A, 0, [
      draft({ idempotencyKey: 'k' }),
      draft({ idempotencyKey: 'k#1' }),
    ]);
    const again = await store.append(A, 0, [
      draft({ idempotencyKey: 'k' }),
      draft({ idempotencyKey: 'k#1' }),
    ]);
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await all(store)).toHaveLength(2);
  });

  test('a partly stored batch, or one stored in another stream, is IDEMPOTENCY_MISMATCH and writes nothing', async () => {
    const store = createInMemoryEventStore();
    const draft = drafter();
    const stored = draft({ idempotencyKey: 'once' });
    await store.append(A, 0, [stored]);
    const partly = await rejection(store.append(A, 1, [stored, draft()]));
    expect(partly.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(partly.details).toEqual({ streamId: A, stored: 1, batch: 2 });
    const elsewhere = await rejection(store.append(B, 0, [stored]));
    expect(elsewhere.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(elsewhere.details).toMatchObject({ streamId: B, storedStreamId: A });
    const keyElsewhere = await rejection(store.append(B, 0, [draft({ idempotencyKey: 'once' })]));
    expect(keyElsewhere.code).toBe('IDEMPOTENCY_MISMATCH');
    const crossed = await store.append(A, 1, [draft({ idempotencyKey: 'other' })]);
    const mixed = await rejection(store.append(A, 2, [{ ...stored, idempotencyKey: 'other' }]));
    expect(mixed.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(mixed.message).toMatch(/two stored events/);
    expect(crossed.positions).toEqual([2n]);
    expect(await all(store)).toHaveLength(2);
  });

  test.each([
    ['no events', () => [], 'events', 'must contain at least one event'],
    [
      'a bad type',
      (d: ReturnType<typeof drafter>) => [d(), d({ type: 'Bad' })],
      'events.1.type',
      'must be dotted lower-case, e.g. quote.accepted',
    ],
    [
      'a missing actor',
      (d: ReturnType<typeof drafter>) => [{ ...d(), actor: undefined } as unknown as EventDraft],
      'events.0.actor',
      undefined,
    ],
    [
      'a non-JSON payload',
      (d: ReturnType<typeof drafter>) => [d({ payload: { n: 1n } })],
      'events.0.payload',
      'must be JSON-serialisable',
    ],
    [
      'a repeated event id',
      (d: ReturnType<typeof drafter>) => {
        const x = d();
        return [x, x];
      },
      'events.1.eventId',
      'repeats events.0.eventId',
    ],
    [
      'a repeated idempotency key',
      (d: ReturnType<typeof drafter>) => [d({ idempotencyKey: 'k' }), d({ idempotencyKey: 'k' })],
      'events.1.idempotencyKey',
      'repeats events.0.idempotencyKey',
    ],
  ])('%s is a ValidationError naming the field; nothing is written', async (_what, make, field, rule) => {
    const store = createInMemoryEventStore();
    const e = (await rejection(store.append(A, 0, make(drafter())))) as ValidationError;
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues.map((i) => i.field)).toContain(field);
    if (rule !== undefined) expect(e.issues).toContainEqual({ field, rule });
    expect(await all(store)).toEqual([]);
  });

  test('bad stream ids and expected versions are ValidationErrors naming them', async () => {
    const store = createInMemoryEventStore();
    const draft = drafter();
    const bad = (await rejection(store.append('nope' as Uuid, 0, [draft()]))) as ValidationError;
    expect(bad.issues.map((i) => i.field)).toEqual(['streamId']);
    const version = (await rejection(store.append(A, -1, [draft()]))) as ValidationError;
    expect(version.issues).toEqual([
      { field: 'expectedVersion', rule: 'must be an integer ≥ 0, "no_stream" or "any"' },
    ]);
    await expect(store.readStream('x' as Uuid)).rejects.toThrowError(/stream id/);
    await expect(store.readStream(A, { fromVersion: -1 })).rejects.toThrowError(/fromVersion/);
    expect(() => store.readAll({ after: -1n })).toThrowError(/after: must be ≥ 0n/);
    expect(() => store.readAll({ limit: 1.5 })).toThrowError(/limit/);
  });

  test('payload and context are stored as JSON copies', async () => {
    const store = createInMemoryEventStore();
    const payload = {
      text: `emoji 🎉, quote ' " and SQL'); DROP TABLE x; --`,
      nested: { keep: 1, drop: undefined },
    };
    const draft = drafter()({ payload });
    await store.append(A, 0, [draft]);
    payload.nested.keep = 2;
    const [stored] = await store.readStream(A);
    expect(stored?.payload).toEqual({ text: payload.text, nested: { keep: 1 } });
    expect(Object.isFrozen(stored)).toBe(true);
  });
});

describe('readAll', () => {
  test('reads in position order after a checkpoint, with a limit', async () => {
    const store = createInMemoryEventStore();
    const draft = drafter();
    await store.append(A, 0, [draft(), draft()]);
    await store.append(B, 0, [draft()]);
    await store.append(A, 2, [draft()]);
    expect((await all(store)).map((e) => e.position)).toEqual([1n, 2n, 3n, 4n]);
    expect((await all(store, 2n)).map((e) => e.position)).toEqual([3n, 4n]);
    expect((await all(store, 1n, 2)).map((e) => e.position)).toEqual([2n, 3n]);
    expect(await all(store, 4n)).toEqual([]);
    expect(await all(store, 99n)).toEqual([]);
    expect(await all(store, 0n, 0)).toEqual([]);
  });

  test('yields events committed while the reader iterates', async () => {
    const store = createInMemoryEventStore();
    const draft = drafter();
    await store.append(A, 0, [draft()]);
    const seen: bigint[] = [];
    for await (const e of store.readAll()) {
      seen.push(e.position);
      if (e.position === 1n) await store.append(A, 1, [draft()]);
    }
    expect(seen).toEqual([1n, 2n]);
  });
});

describe('forEachEvent', () => {
  test('hands over what readAll yields, in order, awaiting a returned promise before the next call; resolves with the count and the last position', async () => {
    const store = createInMemoryEventStore();
    const draft = drafter();
    await store.append(A, 0, [draft(), draft(), draft()]);
    await store.append(B, 0, [draft()]);
    const handled: bigint[] = [];
    let active = 0;
    const result = await store.forEachEvent(
      async (e) => {
        active += 1;
        expect(active).toBe(1);
        await new Promise((r) => setTimeout(r, 1));
        handled.push(e.position);
        active -= 1;
      },
      { after: 1n, limit: 2 },
    );
    expect(handled).toEqual([2n, 3n]);
    expect(result).toEqual({ handled: 2, checkpoint: 3n });
    expect(await store.forEachEvent(() => undefined, { after: 4n })).toEqual({ handled: 0, checkpoint: 4n });
  });

  test.prop([
    fc.integer({ min: 0, max: 30 }),
    fc.nat({ max: 35 }),
    fc.option(fc.nat({ max: 35 }), { nil: undefined }),
    fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
  ])(
    'hands over exactly the events readAll yields for any checkpoint and limit, whether the handler awaits or not, and checkpoints at the last one',
    async (size, after, limit, awaits) => {
      const store = createInMemoryEventStore();
      const draft = drafter();
      if (size > 0)
        await store.append(
          A,
          0,
          Array.from({ length: size }, () => draft()),
        );
      const opts = { after: BigInt(after), ...(limit === undefined ? {} : { limit }) };
      const handled: StoredEvent[] = [];
      const result = await store.forEachEvent((e) => {
        handled.push(e);
        // Some calls return a promise (the pattern repeats): each is awaited before the next call.
        return awaits[handled.length % awaits.length] === true ? Promise.resolve() : undefined;
      }, opts);
      const read = await all(store, opts.after, limit);
      expect(handled).toEqual(read);
      expect(result).toEqual({ handled: read.length, checkpoint: read.at(-1)?.position ?? opts.after });
    },
  );

  test('given a handler that throws, then the read stops and rejects with that error as thrown', async () => {
    const store = createInMemoryEventStore();
    const draft = drafter();
    await store.append(A, 0, [draft(), draft(), draft()]);
    const boom = new RangeError('host bug');
    const seen: bigint[] = [];
    const handing = store.forEachEvent((e) => {
      if (e.position === 2n) throw boom;
      seen.push(e.position);
    });
    await expect(handing).rejects.toBe(boom);
    expect(seen).toEqual([1n]);
  });

  test('given a signal aborted before the read or by the handler, then it rejects with the reason and no call follows', async () => {
    const store = createInMemoryEventStore();
    const draft = drafter();
    await store.append(A, 0, [draft(), draft(), draft(), draft()]);
    const early = new AbortController();
    early.abort(new RangeError('not today'));
    let calls = 0;
    await expect(
      store.forEachEvent(
        () => {
          calls += 1;
        },
        { signal: early.signal },
      ),
    ).rejects.toBe(early.signal.reason);
    expect(calls).toBe(0);
    const during = new AbortController();
    const seen: bigint[] = [];
    const handing = store.forEachEvent(
      (e) => {
        seen.push(e.position);
        if (e.position === 2n) during.abort();
      },
      { signal: during.signal },
    );
    const reason = await handing.then(
      () => 'resolved',
      (e: unknown) => e,
    );
    expect(reason).toBe(during.signal.reason);
    expect((reason as Error).name).toBe('AbortError');
    expect(seen).toEqual([1n, 2n]);
  });

  test('given a signal aborted while a handler is pending, then it rejects at once, before the handler settles', async () => {
    const store = createInMemoryEventStore();
    const draft = drafter();
    await store.append(A, 0, [draft(), draft(), draft()]);
    const controller = new AbortController();
    let release = (): void => undefined;
    const seen: bigint[] = [];
    const handing = store.forEachEvent(
      (e) => {
        seen.push(e.position);
        return new Promise<void>((r) => {
          release = r;
          controller.abort('host shutting down');
        });
      },
      { signal: controller.signal },
    );
    await expect(handing).rejects.toBe('host shutting down');
    release();
    await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual([1n]);
  });

  test('given bad options or a handler that is not a function, then VALIDATION_FAILED names the field', async () => {
    const store = createInMemoryEventStore();
    expect((await rejection(store.forEachEvent(() => undefined, { after: -1n }))).message).toMatch(/after/);
    const notAFunction = (await rejection(store.forEachEvent(42 as never))) as ValidationError;
    expect(notAFunction.issues).toEqual([{ field: 'handle', rule: 'must be a function' }]);
    const badSignal = (await rejection(
      store.forEachEvent(() => undefined, { signal: { aborted: 'no' } as never }),
    )) as ValidationError;
    expect(badSignal.issues).toEqual([{ field: 'signal', rule: 'must be an AbortSignal' }]);
  });
});

describe('unit of work', () => {
  const draft = drafter(sequentialIds(3));
  const opened = (n: number): CounterState => ({ status: 'open', n });

  test('load gives the initial state and version 0 for an unknown id; save stores state and events together', async () => {
    const store = createInMemoryEventStore();
    const uow = createInMemoryUnitOfWork(store);
    const result = await uow.run(async (scope) => {
      const counters = scope.aggregate(counterDefinition);
      expect(counters.streamType).toBe('counter');
      expect(await counters.load(A)).toEqual({ state: { status: 'absent' }, version: 0 });
      const saved = await counters.save(A, 0, opened(0), [draft({ streamType: 'counter' })]);
      // a transaction reads its own writes
      expect(await counters.load(A)).toEqual({ state: opened(0), version: 1 });
      return saved;
    });
    expect(result).toEqual({ streamId: A, duplicate: false, positions: [1n], nextExpectedVersion: 1 });
    expect(await uow.run((scope) => scope.aggregate(counterDefinition).load(A))).toEqual({
      state: opened(0),
      version: 1,
    });
    expect(await store.readStream(A)).toHaveLength(1);
  });

  test('a throw discards everything the run saved and appended', async () => {
    const store = createInMemoryEventStore();
    const uow = createInMemoryUnitOfWork(store);
    const boom = new Error('boom');
    await expect(
      uow.run(async (scope) => {
        await scope.aggregate(counterDefinition).save(A, 0, opened(0), [draft()]);
        await scope.append(B, 'no_stream', [draft({ idempotencyKey: 'k' })]);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await all(store)).toEqual([]);
    expect(await uow.run((scope) => scope.aggregate(counterDefinition).load(A))).toEqual({
      state: { status: 'absent' },
      version: 0,
    });
    expect(await uow.run((scope) => scope.findByIdempotencyKey('k'))).toEqual([]);
    // positions stay gapless after a rollback
    expect((await store.append(B, 0, [draft()])).positions).toEqual([1n]);
  });

  test('save with a stale version is CONCURRENCY_CONFLICT; its stream check matches the row', async () => {
    const store = createInMemoryEventStore();
    const uow = createInMemoryUnitOfWork(store);
    await uow.run((scope) => scope.aggregate(counterDefinition).save(A, 0, opened(0), [draft()]));
    const e = await rejection(
      uow.run((scope) => scope.aggregate(counterDefinition).save(A, 0, opened(1), [draft()])),
    );
    expect(e.code).toBe('CONCURRENCY_CONFLICT');
    expect(e.retryable).toBe(true);
    expect(e.details).toEqual({ streamId: A, expected: 0, actual: 1 });
    // events appended to the stream without the row make the row's version stale too
    await store.append(A, 1, [draft()]);
    const stream = await rejection(
      uow.run((scope) => scope.aggregate(counterDefinition).save(A, 1, opened(1), [draft()])),
    );
    expect(stream.details).toEqual({ streamId: A, expected: 1, actual: 2 });
    const bad = (await rejection(
      uow.run((scope) => scope.aggregate(counterDefinition).save(A, -1, opened(1), [draft()])),
    )) as ValidationError;
    expect(bad.code).toBe('VALIDATION_FAILED');
  });

  test('a resent batch through save is a duplicate and leaves the row alone', async () => {
    const store = createInMemoryEventStore();
    const uow = createInMemoryUnitOfWork(store);
    const batch = [draft({ idempotencyKey: 'x' })];
    await uow.run((scope) => scope.aggregate(counterDefinition).save(A, 0, opened(0), batch));
    await uow.run(async (scope) => {
      const counters = scope.aggregate(counterDefinition);
      await counters.save(A, 1, opened(5), [draft()]);
    });
    // the row is at version 2 now; an old batch resent with the current version is a no-op
    const again = await uow.run((scope) => scope.aggregate(counterDefinition).save(A, 2, opened(99), batch));
    expect(again).toEqual({ streamId: A, duplicate: true, positions: [1n], nextExpectedVersion: 1 });
    expect(await uow.run((scope) => scope.aggregate(counterDefinition).load(A))).toEqual({
      state: opened(5),
      version: 2,
    });
  });

  test('findByIdempotencyKey returns the key and its #n events in position order', async () => {
    const store = createInMemoryEventStore();
    const uow = createInMemoryUnitOfWork(store);
    await store.append(A, 0, [draft({ idempotencyKey: 'cmd' }), draft({ idempotencyKey: 'cmd#1' })]);
    await store.append(B, 0, [
      draft({ idempotencyKey: 'cmd#2' }),
      draft({ idempotencyKey: 'cmd2' }),
      draft({ idempotencyKey: 'other#cmd' }),
    ]);
    const found = await uow.run(async (scope) => {
      await scope.append(B, 3, [draft({ idempotencyKey: 'cmd#3' })]);
      return scope.findByIdempotencyKey('cmd');
    });
    expect(found.map((e) => [e.idempotencyKey, e.position])).toEqual([
      ['cmd', 1n],
      ['cmd#1', 2n],
      ['cmd#2', 3n],
      ['cmd#3', 6n],
    ]);
    await expect(uow.run((scope) => scope.findByIdempotencyKey(''))).rejects.toThrowError(/idempotency key/);
  });

  test('concurrent runs are serialised like rows locked FOR UPDATE', async () => {
    const store = createInMemoryEventStore();
    const uow = createInMemoryUnitOfWork(store);
    const increment = () =>
      uow.run(async (scope) => {
        const counters = scope.aggregate(counterDefinition);
        const { state, version } = await counters.load(A);
        await Promise.resolve(); // let the other run try to interleave
        const n = state.status === 'open' ? state.n : 0;
        return counters.save(A, version, opened(n + 1), [draft()]);
      });
    const results = await Promise.all(Array.from({ length: 5 }, increment));
    expect(results.map((r) => r.nextExpectedVersion)).toEqual([1, 2, 3, 4, 5]);
    expect(await uow.run((scope) => scope.aggregate(counterDefinition).load(A))).toEqual({
      state: opened(5),
      version: 5,
    });
  });

  test('a plain append waits for a running unit of work', async () => {
    const store = createInMemoryEventStore();
    const uow = createInMemoryUnitOfWork(store);
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const run = uow.run(async (scope) => {
      await scope.append(A, 0, [draft()]);
      await gate;
    });
    const plain = store.append(A, 'any', [draft()]);
    release();
    await run;
    expect((await plain).positions).toEqual([2n]);
  });

  test('a scope used after its run ended throws; a foreign store is refused', async () => {
    const store = createInMemoryEventStore();
    const uow = createInMemoryUnitOfWork(store);
    const leaked = await uow.run(async (scope) => scope);
    await expect(leaked.append(A, 0, [draft()])).rejects.toThrowError(/after its run ended/);
    await expect(leaked.aggregate(counterDefinition).load(A)).rejects.toThrowError(/after its run ended/);
    const foreign: EventStore = {
      append: store.append,
      readStream: store.readStream,
      readAll: store.readAll,
      forEachEvent: store.forEachEvent,
    };
    expect(() => createInMemoryUnitOfWork(foreign)).toThrowError(
      /store: must come from createInMemoryEventStore/,
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Model-based property: random appends, resends, partial resends and conflicts against a simple model.

type Expect = 'correct' | 'stale' | 'ahead' | 'any' | 'no_stream';
type Op =
  | { kind: 'append'; stream: number; expect: Expect; size: number; keyed: boolean }
  | { kind: 'resend'; batch: number; expect: Expect; newIds: boolean }
  | { kind: 'resend-elsewhere'; batch: number }
  | { kind: 'partial'; batch: number };

const expects = fc.constantFrom<Expect>('correct', 'correct', 'stale', 'ahead', 'any', 'no_stream');
const ops: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('append' as const),
        stream: fc.nat({ max: 2 }),
        expect: expects,
        size: fc.integer({ min: 1, max: 3 }),
        keyed: fc.boolean(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('resend' as const),
        batch: fc.nat(),
        expect: expects,
        newIds: fc.boolean(),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('resend-elsewhere' as const), batch: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('partial' as const), batch: fc.nat() }) },
  ),
  { maxLength: 40 },
);

test.prop([ops, fc.array(fc.nat(), { minLength: 3, maxLength: 3 })])(
  'the store agrees with a simple model: contiguous versions, increasing positions, duplicates never write, readAll after any checkpoint is a suffix',
  async (script, checkpoints) => {
    const store = createInMemoryEventStore();
    const ids = sequentialIds(7);
    const draft = drafter(ids);
    const streamIds = [A, B, streams.next()];
    const model = { log: [] as Uuid[], streams: new Map<Uuid, Uuid[]>() };
    const batches: { stream: Uuid; drafts: EventDraft[]; positions: readonly bigint[]; next: number }[] = [];
    let keyCounter = 0;

    const versionOf = (s: Uuid) => model.streams.get(s)?.length ?? 0;
    const expectedFor = (s: Uuid, e: Expect): ExpectedVersion =>
      e === 'correct'
        ? versionOf(s)
        : e === 'stale'
          ? Math.max(0, versionOf(s) - 1)
          : e === 'ahead'
            ? versionOf(s) + 1
            : e;
    const conflicts = (s: Uuid, e: ExpectedVersion) =>
      e !== 'any' && (e === 'no_stream' ? 0 : e) !== versionOf(s);

    for (const op of script) {
      const before = model.log.length;
      if (op.kind === 'append') {
        const stream = streamIds[op.stream] as Uuid;
        const key = `k${keyCounter++}`;
        const drafts = Array.from({ length: op.size }, (_, i) =>
          draft(op.keyed ? { idempotencyKey: i === 0 ? key : `${key}#${i}` } : {}),
        );
        const expected = expectedFor(stream, op.expect);
        if (conflicts(stream, expected)) {
          expect((await rejection(store.append(stream, expected, drafts))).code).toBe('CONCURRENCY_CONFLICT');
        } else {
          const r = await store.append(stream, expected, drafts);
          expect(r.duplicate).toBe(false);
          expect(r.positions).toEqual(drafts.map((_, i) => BigInt(before + i + 1)));
          const list = model.streams.get(stream) ?? [];
          list.push(...drafts.map((d) => d.eventId));
          model.streams.set(stream, list);
          model.log.push(...drafts.map((d) => d.eventId));
          expect(r.nextExpectedVersion).toBe(list.length);
          batches.push({ stream, drafts, positions: r.positions, next: r.nextExpectedVersion });
        }
      } else {
        const b = batches.length === 0 ? undefined : batches[op.batch % batches.length];
        if (b === undefined) continue;
        if (op.kind === 'resend') {
          const keyed = b.drafts.every((d) => d.idempotencyKey !== undefined);
          const drafts = op.newIds && keyed ? b.drafts.map((d) => ({ ...d, eventId: ids.next() })) : b.drafts;
          const r = await store.append(b.stream, expectedFor(b.stream, op.expect), drafts);
          expect(r).toEqual({
            streamId: b.stream,
            duplicate: true,
            positions: b.positions,
            nextExpectedVersion: b.next,
          });
        } else if (op.kind === 'resend-elsewhere') {
          const other = streamIds.find((s) => s !== b.stream) as Uuid;
          expect((await rejection(store.append(other, 'any', b.drafts))).code).toBe('IDEMPOTENCY_MISMATCH');
        } else {
          const drafts = [...b.drafts.slice(0, 1), draft()];
          expect((await rejection(store.append(b.stream, 'any', drafts))).code).toBe('IDEMPOTENCY_MISMATCH');
        }
        expect(model.log.length).toBe(before); // duplicates and mismatches never write
      }
    }

    const everything = await all(store);
    expect(everything.map((e) => e.eventId)).toEqual(model.log);
    expect(everything.map((e) => e.position)).toEqual(model.log.map((_, i) => BigInt(i + 1)));
    for (const s of streamIds) {
      const events = await store.readStream(s);
      expect(events.map((e) => e.eventId)).toEqual(model.streams.get(s) ?? []);
      expect(events.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i + 1));
    }
    for (const c of checkpoints) {
      const after = BigInt(c % (everything.length + 2));
      expect(await all(store, after)).toEqual(everything.filter((e) => e.position > after));
    }
  },
);
