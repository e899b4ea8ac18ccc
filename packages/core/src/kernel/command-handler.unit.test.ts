import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { z } from 'zod';
import { fixedClock } from '../testing/clock.js';
import { sequentialIds } from '../testing/ids.js';
import { createInMemoryEventStore, createInMemoryUnitOfWork } from '../testing/in-memory-event-store.js';
import {
  type CounterCommand,
  type CounterState,
  counterBinding,
  counterDefinition,
  counterRegistry,
} from '../testing/sample-counter.test.js';
import {
  type AggregateBinding,
  type CommandMetadata,
  type CommandRuntime,
  createCommandHandler,
  type DecidedEvent,
  jitteredBackoff,
  runWorkflow,
  type WorkflowOutcome,
  withRetry,
} from './command-handler.js';
import { isPetError, PetError, type ValidationError } from './errors.js';
import type { StoredEvent } from './event.js';
import type { Uuid } from './ids.js';
import type { UnitOfWork } from './ports.js';
import { err, ok, type Result, reject } from './result.js';

const streamIds = sequentialIds(9);
const A = streamIds.next();
const B = streamIds.next();
const actor = { type: 'employee', id: 'emp-7' } as const;

function setup(options: { retry?: CommandRuntime['retry']; wrap?: (u: UnitOfWork) => UnitOfWork } = {}) {
  const store = createInMemoryEventStore();
  const inner = createInMemoryUnitOfWork(store);
  const runtime: CommandRuntime = {
    unitOfWork: options.wrap === undefined ? inner : options.wrap(inner),
    registry: counterRegistry,
    clock: fixedClock('2026-04-01T09:00:00.000000Z', 1_000_000),
    ids: sequentialIds(),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  };
  const all = async (): Promise<StoredEvent[]> => {
    const out: StoredEvent[] = [];
    for await (const e of store.readAll()) out.push(e);
    return out;
  };
  return { store, inner, runtime, handle: createCommandHandler(runtime, counterBinding), all };
}

async function failure(p: Promise<unknown>): Promise<PetError> {
  try {
    await p;
  } catch (e) {
    if (isPetError(e)) return e;
    throw e;
  }
  throw new Error('expected a PetError');
}

/** A unit of work that runs the work and then fails with the given errors (as a deadlock at commit would). */
function failingAfterWork(errors: PetError[]): (u: UnitOfWork) => UnitOfWork {
  return (inner) => ({
    run: (work) => {
      const e = errors.shift();
      return e === undefined
        ? inner.run(work)
        : inner.run(async (scope) => {
            await work(scope);
            throw e;
          });
    },
  });
}

// A decider that emits as many events as asked, to see idempotency-key numbering and payload checks.
type Burst = { count: number; by?: unknown };
const burstBinding: AggregateBinding<CounterState, Burst, DecidedEvent> = {
  definition: { ...counterDefinition, initialState: () => ({ status: 'open', n: 0 }) },
  decider: {
    initialState: () => ({ status: 'open', n: 0 }),
    decide: (c) =>
      ok(Array.from({ length: c.count }, () => ({ type: 'counter.added', payload: { by: c.by ?? 1 } }))),
    evolve: (s, e) =>
      s.status === 'open' ? { status: 'open', n: s.n + ((e.payload as { by: number }).by ?? 0) } : s,
  },
  commandSchema: z.object({
    count: z.number().int().min(0).max(10),
    by: z.unknown().optional(),
  }) as z.ZodType<Burst>,
};

describe('createCommandHandler', () => {
  test('load → decide → evolve → save, wrapping decided events into full drafts', async () => {
    const { handle, store } = setup();
    const metadata: CommandMetadata = {
      actor,
      correlationId: streamIds.next(),
      causationId: streamIds.next(),
      context: { customerId: 'cust-1', projectId: 'p-1' },
    };
    const opened = await handle({ streamId: A, command: { type: 'open' }, metadata });
    expect(opened).toEqual({
      ok: true,
      value: {
        events: [
          {
            eventId: '019b76da-a800-7000-8000-000000000001',
            type: 'counter.opened',
            schemaVersion: 1,
            streamType: 'counter',
            occurredAt: '2026-04-01T09:00:00.000000Z',
            actor,
            context: { customerId: 'cust-1', projectId: 'p-1' },
            correlationId: metadata.correlationId,
            causationId: metadata.causationId,
            payload: {},
          },
        ],
        positions: [1n],
        state: { status: 'open', n: 0 },
        version: 1,
        duplicate: false,
      },
    });
    const added = await handle({ streamId: A, command: { type: 'add', by: 4 }, metadata: { actor } });
    expect(added.ok && added.value).toMatchObject({
      state: { status: 'open', n: 4 },
      version: 2,
      positions: [2n],
    });
    const stored = await store.readStream(A);
    expect(stored.map((e) => [e.type, e.streamVersion, e.occurredAt, e.correlationId])).toEqual([
      ['counter.opened', 1, '2026-04-01T09:00:00.000000Z', metadata.correlationId],
      ['counter.added', 2, '2026-04-01T09:00:01.000000Z', null],
    ]);
  });

  test('facts are passed on, or loaded inside the unit of work', async () => {
    const { handle } = setup();
    await handle({ streamId: A, command: { type: 'open' }, metadata: { actor } });
    const limited = await handle({
      streamId: A,
      command: { type: 'add', by: 6 },
      facts: { limit: 5 },
      metadata: { actor },
    });
    expect(limited).toEqual({
      ok: false,
      error: reject('COUNTER_LIMIT_EXCEEDED', 'the limit would be exceeded', { limit: 5, n: 0 }),
    });
    const seen: number[] = [];
    const loaded = await handle({
      streamId: A,
      command: { type: 'add', by: 5 },
      loadFacts: async (_scope, current) => {
        seen.push(current.version);
        return { limit: 5 };
      },
      metadata: { actor },
    });
    expect(loaded.ok).toBe(true);
    expect(seen).toEqual([1]);
  });

  test('a rejection returns { ok: false } and writes nothing', async () => {
    const { handle, all } = setup();
    const r = await handle({
      streamId: A,
      command: { type: 'close' },
      metadata: { actor, idempotencyKey: 'close-1' },
    });
    expect(r).toEqual({
      ok: false,
      error: reject('COUNTER_NOT_OPEN', 'the counter is not open', { status: 'absent' }),
    });
    expect(await all()).toEqual([]);
  });

  test('a decision without events writes nothing', async () => {
    const { runtime, all } = setup();
    const handle = createCommandHandler(runtime, burstBinding);
    const r = await handle({ streamId: A, command: { count: 0 }, metadata: { actor } });
    expect(r).toEqual({
      ok: true,
      value: { events: [], positions: [], state: { status: 'open', n: 0 }, version: 0, duplicate: false },
    });
    expect(await all()).toEqual([]);
  });

  test('payloads are validated by the registry (ValidationError naming payload fields)', async () => {
    const { runtime, all } = setup();
    const handle = createCommandHandler(runtime, burstBinding);
    const e = (await failure(
      handle({ streamId: A, command: { count: 2, by: 'x' }, metadata: { actor } }),
    )) as ValidationError;
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues.map((i) => i.field)).toEqual(['payload.by']);
    expect(await all()).toEqual([]);
  });

  test('bad stream ids, metadata and commands are ValidationErrors naming the field', async () => {
    const { handle, runtime } = setup();
    const badId = (await failure(
      handle({ streamId: 'x' as Uuid, command: { type: 'open' }, metadata: { actor } }),
    )) as ValidationError;
    expect(badId.message).toMatch(/stream id/);
    const badActor = (await failure(
      handle({
        streamId: A,
        command: { type: 'open' },
        metadata: { actor: { type: 'robot', id: null } as never },
      }),
    )) as ValidationError;
    expect(badActor.issues.map((i) => i.field)).toEqual(['actor.type']);
    const longKey = (await failure(
      handle({
        streamId: A,
        command: { type: 'open' },
        metadata: { actor, idempotencyKey: 'k'.repeat(181) },
      }),
    )) as ValidationError;
    expect(longKey.issues.map((i) => i.field)).toEqual(['idempotencyKey']);
    const burst = createCommandHandler(runtime, burstBinding);
    const badCommand = (await failure(
      burst({ streamId: A, command: { count: 11 }, metadata: { actor } }),
    )) as ValidationError;
    expect(badCommand.issues.map((i) => i.field)).toEqual(['count']);
  });

  test('an unknown event type from a decider is UNKNOWN_EVENT_TYPE', async () => {
    const { runtime } = setup();
    const handle = createCommandHandler(runtime, {
      definition: counterDefinition,
      decider: {
        initialState: () => 0,
        decide: () => ok([{ type: 'counter.exploded', payload: {} }]),
        evolve: (s: number) => s,
      },
    } as unknown as AggregateBinding<CounterState, null, DecidedEvent>);
    expect((await failure(handle({ streamId: A, command: null, metadata: { actor } }))).code).toBe(
      'UNKNOWN_EVENT_TYPE',
    );
  });
});

describe('idempotency', () => {
  test('the first event gets the key, event i ≥ 1 gets key#i; a resend returns the stored events without deciding', async () => {
    const { runtime, all } = setup();
    let decisions = 0;
    const counted: typeof burstBinding = {
      ...burstBinding,
      decider: {
        ...burstBinding.decider,
        decide: (c, s, f) => {
          decisions++;
          return burstBinding.decider.decide(c, s, f);
        },
      },
    };
    const handle = createCommandHandler(runtime, counted);
    const first = await handle({
      streamId: A,
      command: { count: 3 },
      metadata: { actor, idempotencyKey: 'import-42' },
    });
    expect(first.ok && first.value.events.map((e) => e.idempotencyKey)).toEqual([
      'import-42',
      'import-42#1',
      'import-42#2',
    ]);
    const again = await handle({
      streamId: A,
      command: { count: 3 },
      metadata: { actor, idempotencyKey: 'import-42' },
    });
    expect(decisions).toBe(1);
    expect(again.ok && again.value).toMatchObject({
      duplicate: true,
      positions: [1n, 2n, 3n],
      state: { status: 'open', n: 3 },
      version: 3,
    });
    expect(again.ok && again.value.events.map((e) => e.eventId)).toEqual(
      first.ok && first.value.events.map((e) => e.eventId),
    );
    expect(await all()).toHaveLength(3);
  });

  test('keys stored between the check and the save (a racing resend) come back as the stored events', async () => {
    let hidden = 0;
    // The first key lookup misses, as a non-locking read racing another commit could.
    const { runtime, all } = setup({
      wrap: (inner) => ({
        run: (work) =>
          inner.run((scope) =>
            work({
              ...scope,
              findByIdempotencyKey: async (key) => (hidden++ === 1 ? [] : scope.findByIdempotencyKey(key)),
            }),
          ),
      }),
    });
    const handle = createCommandHandler(runtime, burstBinding);
    const first = await handle({
      streamId: A,
      command: { count: 2 },
      metadata: { actor, idempotencyKey: 'race' },
    });
    const racing = await handle({
      streamId: A,
      command: { count: 2 },
      metadata: { actor, idempotencyKey: 'race' },
    });
    expect(hidden).toBe(3);
    expect(racing.ok && racing.value).toMatchObject({ duplicate: true, positions: [1n, 2n], version: 2 });
    expect(racing.ok && racing.value.events.map((e) => e.eventId)).toEqual(
      first.ok && first.value.events.map((e) => e.eventId),
    );
    expect(await all()).toHaveLength(2);
  });

  test('a key stored in another stream is IDEMPOTENCY_MISMATCH', async () => {
    const { handle } = setup();
    await handle({ streamId: A, command: { type: 'open' }, metadata: { actor, idempotencyKey: 'k' } });
    const e = await failure(
      handle({ streamId: B, command: { type: 'open' }, metadata: { actor, idempotencyKey: 'k' } }),
    );
    expect(e.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(e.details).toEqual({ idempotencyKey: 'k', streamId: B, storedStreamId: A });
  });
});

describe('jittered backoff', () => {
  test('waits a random share of a range that doubles per attempt up to the cap, never the same for two randoms', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const high = jitteredBackoff({ baseMs: 10, capMs: 100, random: () => 0.999, sleep });
    for (const n of [2, 3, 4, 5, 6, 7]) await high(n, new PetError('DEADLOCK', 'x', { retryable: true }));
    expect(waits).toEqual([9, 19, 39, 79, 99, 99]);
    waits.length = 0;
    const low = jitteredBackoff({ baseMs: 10, capMs: 100, random: () => 0.25, sleep });
    await low(4, new PetError('DEADLOCK', 'x', { retryable: true }));
    expect(waits).toEqual([10]);
    expect(() => jitteredBackoff({ baseMs: 0, random: () => 0, sleep })).toThrow(/baseMs/);
  });
});

describe('retry', () => {
  test('a concurrency conflict is retried (with the injected backoff) and then succeeds', async () => {
    const backoffs: [number, string][] = [];
    const { handle, store, runtime } = setup({
      retry: { backoff: async (n, e) => void backoffs.push([n, e.code]) },
    });
    await handle({ streamId: A, command: { type: 'open' }, metadata: { actor } });
    let attempts = 0;
    const r = await handle({
      streamId: A,
      command: { type: 'add', by: 1 },
      // a competing writer appends to the stream between our load and our save, on the first attempt only
      loadFacts: async (scope) => {
        attempts++;
        if (attempts === 1) {
          const competing = { type: 'counter.added', payload: { by: 100 } };
          await scope.append(A, 'any', [
            runtime.registry.validateDraft({
              eventId: streamIds.next(),
              schemaVersion: 1,
              streamType: 'counter',
              occurredAt: runtime.clock.now(),
              actor,
              context: {},
              correlationId: null,
              causationId: null,
              ...competing,
            }),
          ]);
        }
        return undefined;
      },
      metadata: { actor },
    });
    expect(attempts).toBe(2);
    expect(backoffs).toEqual([[2, 'CONCURRENCY_CONFLICT']]);
    expect(r.ok && r.value).toMatchObject({ state: { status: 'open', n: 1 }, version: 2 });
    // the failed attempt left nothing behind
    expect((await store.readStream(A)).map((e) => e.payload)).toEqual([{}, { by: 1 }]);
  });

  test.each(['CONCURRENCY_CONFLICT', 'DEADLOCK', 'LOCK_TIMEOUT'] as const)(
    'a retryable %s is retried up to 3 attempts by default',
    async (code) => {
      const errors = [1, 2, 3].map(() => new PetError(code, 'transient', { retryable: true }));
      const { handle, all } = setup({ wrap: failingAfterWork(errors) });
      const e = await failure(handle({ streamId: A, command: { type: 'open' }, metadata: { actor } }));
      expect(e.code).toBe(code);
      expect(errors).toHaveLength(0);
      expect(await all()).toEqual([]);
    },
  );

  test('a transient failure then success commits exactly once', async () => {
    const { handle, all } = setup({
      wrap: failingAfterWork([new PetError('DEADLOCK', 'victim', { retryable: true })]),
    });
    const r = await handle({
      streamId: A,
      command: { type: 'open' },
      metadata: { actor, idempotencyKey: 'open-a' },
    });
    expect(r.ok && r.value.duplicate).toBe(false);
    expect((await all()).map((e) => e.idempotencyKey)).toEqual(['open-a']);
  });

  test('non-retryable errors are not retried; maxAttempts is configurable and validated', async () => {
    const { handle } = setup({
      retry: { maxAttempts: 1 },
      wrap: failingAfterWork([new PetError('CONCURRENCY_CONFLICT', 'x', { retryable: true })]),
    });
    expect(
      (await failure(handle({ streamId: A, command: { type: 'open' }, metadata: { actor } }))).code,
    ).toBe('CONCURRENCY_CONFLICT');
    let calls = 0;
    await expect(
      withRetry({}, async () => {
        calls++;
        throw new PetError('NOT_FOUND', 'gone');
      }),
    ).rejects.toThrowError('gone');
    expect(calls).toBe(1);
    await expect(withRetry({ maxAttempts: 0 }, async () => 1)).rejects.toThrowError(/maxAttempts/);
    expect(await withRetry(undefined, async () => 7)).toBe(7);
  });
});

describe('runWorkflow', () => {
  test('several aggregates in one unit of work; keys numbered across the workflow', async () => {
    const { runtime, store } = setup();
    const r = await runWorkflow(runtime, { actor, idempotencyKey: 'wf-1' }, async (w) => {
      const a = await w.execute(counterBinding, { streamId: A, command: { type: 'open' } });
      if (!a.ok) return a;
      const b = await w.execute(counterBinding, { streamId: B, command: { type: 'open' } });
      if (!b.ok) return b;
      const b2 = await w.execute(counterBinding, {
        streamId: B,
        command: { type: 'add', by: 2 },
        facts: { limit: 10 },
      });
      return b2.ok ? ok({ n: b2.value.state }) : b2;
    });
    expect(r.ok && r.value).toMatchObject({ duplicate: false, value: { n: { status: 'open', n: 2 } } });
    expect(r.ok && r.value.events.map((e) => e.idempotencyKey)).toEqual(['wf-1', 'wf-1#1', 'wf-1#2']);
    expect((await store.readStream(B)).map((e) => e.streamVersion)).toEqual([1, 2]);

    const again = await runWorkflow(runtime, { actor, idempotencyKey: 'wf-1' }, async () => {
      throw new Error('must not run');
    });
    expect(again.ok && again.value.duplicate).toBe(true);
    expect(again.ok && again.value.duplicate && again.value.events.map((e) => e.position)).toEqual([
      1n,
      2n,
      3n,
    ]);
  });

  test('a rejection in any step writes nothing, not even the steps that already saved', async () => {
    const { runtime, all } = setup();
    const r = await runWorkflow(runtime, { actor }, async (w) => {
      const a = await w.execute(counterBinding, { streamId: A, command: { type: 'open' } });
      if (!a.ok) return a;
      return w.execute(counterBinding, { streamId: B, command: { type: 'close' } });
    });
    expect(r).toEqual({
      ok: false,
      error: reject('COUNTER_NOT_OPEN', 'the counter is not open', { status: 'absent' }),
    });
    expect(await all()).toEqual([]);
    const custom = await runWorkflow(runtime, { actor }, async (w) => {
      await w.execute(counterBinding, { streamId: A, command: { type: 'open' } });
      return err(reject('SALE_NOT_POSSIBLE', 'no'));
    });
    expect(custom.ok).toBe(false);
    expect(await all()).toEqual([]);
  });

  test('retried as a whole on a retryable error; steps validate their input', async () => {
    const { runtime, all } = setup({
      wrap: failingAfterWork([new PetError('LOCK_TIMEOUT', 'wait', { retryable: true })]),
    });
    let runs = 0;
    const r = await runWorkflow(runtime, { actor }, async (w) => {
      runs++;
      return w.execute(counterBinding, { streamId: A, command: { type: 'open' } });
    });
    expect(runs).toBe(2);
    expect(r.ok).toBe(true);
    expect(await all()).toHaveLength(1);
    await expect(
      runWorkflow(runtime, { actor }, (w) =>
        w.execute(counterBinding, { streamId: 'nope' as Uuid, command: { type: 'open' } }),
      ),
    ).rejects.toThrowError(/stream id/);
    await expect(
      runWorkflow(runtime, { actor: { type: 'x' } as never }, async () => ok(1)),
    ).rejects.toThrowError(/actor/);
  });
});

describe('WorkflowScope.executeAll', () => {
  const C = streamIds.next();
  test('given commands for several aggregates, then it writes what execute one by one writes: same events, keys, versions and states', async () => {
    const batch = setup();
    const single = setup();
    const requests = [
      { streamId: A, command: { type: 'open' } as const },
      { streamId: B, command: { type: 'open' } as const },
      { streamId: C, command: { type: 'open' } as const },
    ];
    const batched = await runWorkflow(batch.runtime, { actor, idempotencyKey: 'wf-b' }, async (w) => {
      const r = await w.executeAll(counterBinding, requests);
      return r.ok ? ok(r.value.map((o) => [o.state, o.version])) : r;
    });
    const oneByOne = await runWorkflow(single.runtime, { actor, idempotencyKey: 'wf-b' }, async (w) => {
      const out: unknown[] = [];
      for (const request of requests) {
        const r = await w.execute(counterBinding, request);
        if (!r.ok) return r;
        out.push([r.value.state, r.value.version]);
      }
      return ok(out);
    });
    expect(batched).toEqual(oneByOne);
    expect(await batch.all()).toEqual(await single.all());
    expect(batched.ok && batched.value.events.map((e) => e.idempotencyKey)).toEqual([
      'wf-b',
      'wf-b#1',
      'wf-b#2',
    ]);
  });

  test('given a batch whose second command is refused, then the rejection comes back and nothing is written; repeated stream ids are a ValidationError', async () => {
    const { runtime, all } = setup();
    const r = await runWorkflow(runtime, { actor }, (w) =>
      w.executeAll(counterBinding, [
        { streamId: A, command: { type: 'open' } },
        { streamId: B, command: { type: 'close' } },
        { streamId: C, command: { type: 'open' } },
      ]),
    );
    expect(r).toEqual({
      ok: false,
      error: reject('COUNTER_NOT_OPEN', 'the counter is not open', { status: 'absent' }),
    });
    expect(await all()).toEqual([]);
    const repeated = await failure(
      runWorkflow(runtime, { actor }, (w) =>
        w.executeAll(counterBinding, [
          { streamId: A, command: { type: 'open' } },
          { streamId: A, command: { type: 'open' } },
        ]),
      ),
    );
    expect(repeated.code).toBe('VALIDATION_FAILED');
    expect((repeated as ValidationError).issues).toEqual([
      { field: 'requests.1.streamId', rule: 'must be distinct within one batch' },
    ]);
    expect(await all()).toEqual([]);
  });
});

/** A workflow's value when it ran (not a replay), else undefined. */
function ranValue<T>(r: Result<WorkflowOutcome<T>, unknown>): T | undefined {
  return r.ok && !r.value.duplicate ? r.value.value : undefined;
}

/** The in-memory unit of work with the batch loads and saves a SQL one has, counting their batch sizes. */
function batching(
  u: UnitOfWork,
  calls: { loadMany: number[]; saveMany: number[] },
  reportReplays = false,
): UnitOfWork {
  return {
    run: (work) =>
      u.run((scope) =>
        work({
          append: (id, expected, events) => scope.append(id, expected, events),
          findByIdempotencyKey: (key) => scope.findByIdempotencyKey(key),
          aggregate: (definition) => {
            const store = scope.aggregate(definition);
            return {
              streamType: store.streamType,
              load: (id) => store.load(id),
              save: (id, expected, state, events) => store.save(id, expected, state, events),
              async loadMany(ids) {
                calls.loadMany.push(ids.length);
                const out = [];
                for (const id of ids) out.push(await store.load(id));
                return out;
              },
              async saveMany(items) {
                calls.saveMany.push(items.length);
                const out = [];
                for (const i of items) {
                  const r = await store.save(i.id, i.expectedVersion, i.state, i.events);
                  out.push(reportReplays ? { ...r, duplicate: true } : r);
                }
                return out;
              },
            };
          },
        }),
      ),
  };
}

describe('WorkflowScope.executeAll with batch loads and saves', () => {
  const [C, D] = [streamIds.next(), streamIds.next()];
  const opens = [A, B, C].map((streamId) => ({ streamId, command: { type: 'open' } as const }));

  test('given three commands, then one loadMany and one saveMany carry them, with the outcomes of one by one; a batch of one loads and saves alone', async () => {
    const calls = { loadMany: [] as number[], saveMany: [] as number[] };
    const batch = setup({ wrap: (u) => batching(u, calls) });
    const single = setup();
    const outcome = async (runtime: CommandRuntime, all: boolean) =>
      runWorkflow(runtime, { actor }, async (w) => {
        if (all) {
          const r = await w.executeAll(counterBinding, opens);
          return r.ok ? ok(r.value.map((o) => [o.state, o.version, o.events.length, o.positions.length])) : r;
        }
        const out: unknown[] = [];
        for (const request of opens) {
          const r = await w.execute(counterBinding, request);
          if (!r.ok) return r;
          out.push([r.value.state, r.value.version, r.value.events.length, r.value.positions.length]);
        }
        return ok(out);
      });
    const [x, y] = [await outcome(batch.runtime, true), await outcome(single.runtime, false)];
    expect(ranValue(x)).toEqual(ranValue(y));
    expect(calls).toEqual({ loadMany: [3], saveMany: [3] });
    const one = await runWorkflow(batch.runtime, { actor }, (w) =>
      w.executeAll(counterBinding, [{ streamId: D, command: { type: 'open' } }]),
    );
    expect(ranValue(one)?.map((o) => o.version)).toEqual([1]);
    expect(calls).toEqual({ loadMany: [3], saveMany: [3] });
  });

  test('given requests marked isNew, then only the others are loaded (in one loadMany) and the new ones decide on the initial state; a stream marked new that exists fails with a retryable CONCURRENCY_CONFLICT', async () => {
    const calls = { loadMany: [] as number[], saveMany: [] as number[] };
    const { runtime } = setup({ wrap: (u) => batching(u, calls) });
    await runWorkflow(runtime, { actor }, (w) => w.executeAll(counterBinding, opens.slice(0, 2)));
    expect(calls.loadMany).toEqual([2]);
    const [E, F] = [streamIds.next(), streamIds.next()];
    const r = await runWorkflow(runtime, { actor }, (w) =>
      w.executeAll(counterBinding, [
        { streamId: E, command: { type: 'open' } as const, isNew: true },
        { streamId: A, command: { type: 'add', by: 1 } as const },
        { streamId: F, command: { type: 'open' } as const, isNew: true },
        { streamId: B, command: { type: 'add', by: 2 } as const },
      ]),
    );
    expect(ranValue(r)?.map((o) => [o.state, o.version])).toEqual([
      [{ status: 'open', n: 0 }, 1],
      [{ status: 'open', n: 1 }, 2],
      [{ status: 'open', n: 0 }, 1],
      [{ status: 'open', n: 2 }, 2],
    ]);
    expect(calls.loadMany).toEqual([2, 2]);
    const again = await runWorkflow(runtime, { actor }, (w) =>
      w.execute(counterBinding, { streamId: E, command: { type: 'open' }, isNew: true }),
    ).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'CONCURRENCY_CONFLICT', retryable: true });
  });

  test('given a command that decides nothing, then it is not saved and its outcome has no events', async () => {
    const calls = { loadMany: [] as number[], saveMany: [] as number[] };
    const { runtime, all } = setup({ wrap: (u) => batching(u, calls) });
    const quiet: typeof counterBinding = {
      ...counterBinding,
      decider: {
        ...counterBinding.decider,
        decide: (command, state, facts) =>
          command.type === 'close' && state.status === 'absent'
            ? ok([])
            : counterBinding.decider.decide(command, state, facts),
      },
    };
    const r = await runWorkflow(runtime, { actor }, (w) =>
      w.executeAll(quiet, [
        { streamId: A, command: { type: 'open' } },
        { streamId: B, command: { type: 'close' } },
      ]),
    );
    expect(ranValue(r)?.[1]).toEqual({
      events: [],
      positions: [],
      state: { status: 'absent' },
      version: 0,
      duplicate: false,
    });
    expect(calls.saveMany).toEqual([]);
    expect((await all()).map((e) => e.streamId)).toEqual([A]);
  });

  test('given facts loaded per request, then each decision reads its own', async () => {
    const { runtime } = setup({ wrap: (u) => batching(u, { loadMany: [], saveMany: [] }) });
    await runWorkflow(runtime, { actor }, (w) => w.executeAll(counterBinding, opens.slice(0, 2)));
    const r = await runWorkflow(runtime, { actor }, (w) =>
      w.executeAll(counterBinding, [
        { streamId: A, command: { type: 'add', by: 2 }, loadFacts: async () => ({ limit: 5 }) },
        { streamId: B, command: { type: 'add', by: 2 }, loadFacts: async () => ({ limit: 1 }) },
      ]),
    );
    expect(r.ok ? 'ok' : r.error.code).toBe('COUNTER_LIMIT_EXCEEDED');
  });

  test('given a save the store reports as a replay, then the outcome is a duplicate with the stored events of its positions and the current state', async () => {
    const { runtime } = setup({ wrap: (u) => batching(u, { loadMany: [], saveMany: [] }, true) });
    const r = await runWorkflow(runtime, { actor, idempotencyKey: 'wf-r' }, (w) =>
      w.executeAll(counterBinding, opens.slice(0, 2)),
    );
    const outcomes = ranValue(r) ?? [];
    expect(outcomes.map((o) => [o.duplicate, o.version, o.state])).toEqual([
      [true, 1, { status: 'open', n: 0 }],
      [true, 1, { status: 'open', n: 0 }],
    ]);
    expect(outcomes.map((o) => o.events.map((e) => (e as StoredEvent).position))).toEqual(
      outcomes.map((o) => o.positions),
    );
    expect(outcomes.map((o) => o.events.length)).toEqual([1, 1]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Property: any sequence of commands, some resent with the same idempotency key, matches a model.

const commands = fc.array(
  fc.record({
    stream: fc.nat({ max: 1 }),
    command: fc.oneof(
      fc.constant<CounterCommand>({ type: 'open' }),
      fc.constant<CounterCommand>({ type: 'close' }),
      fc.integer({ min: -1, max: 5 }).map<CounterCommand>((by) => ({ type: 'add', by })),
    ),
    resend: fc.option(fc.nat(), { nil: undefined }),
  }),
  { maxLength: 25 },
);

test.prop([commands])(
  'handled commands match the model: rejections write nothing, resent keys are duplicates that write nothing',
  async (script) => {
    const { handle, store, all } = setup();
    const ids = [A, B] as const;
    const model = new Map<Uuid, { state: CounterState; version: number }>();
    const sent: { key: string; stream: Uuid; command: CounterCommand; accepted: boolean; count: number }[] =
      [];
    for (const [i, step] of script.entries()) {
      const previous =
        step.resend === undefined || sent.length === 0 ? undefined : sent[step.resend % sent.length];
      const stream = previous?.stream ?? (ids[step.stream] as Uuid);
      const command = previous?.command ?? step.command;
      const key = previous?.key ?? `cmd-${i}`;
      const before = (await all()).length;
      const r = await handle({ streamId: stream, command, metadata: { actor, idempotencyKey: key } });
      const current = model.get(stream) ?? { state: counterBinding.decider.initialState(), version: 0 };
      if (previous?.accepted) {
        expect(r.ok && r.value.duplicate).toBe(true);
        expect(r.ok && r.value.events).toHaveLength(previous.count);
        expect((await all()).length).toBe(before);
        continue;
      }
      const decision = counterBinding.decider.decide(command, current.state, undefined);
      if (!decision.ok) {
        expect(r).toEqual({ ok: false, error: decision.error });
        expect((await all()).length).toBe(before);
        if (previous === undefined) sent.push({ key, stream, command, accepted: false, count: 0 });
        continue;
      }
      const state = decision.value.reduce(counterBinding.decider.evolve, current.state);
      model.set(stream, { state, version: current.version + decision.value.length });
      expect(r.ok && r.value).toMatchObject({
        duplicate: false,
        state,
        version: current.version + decision.value.length,
      });
      if (previous === undefined)
        sent.push({ key, stream, command, accepted: true, count: decision.value.length });
      else Object.assign(previous, { accepted: true, count: decision.value.length });
    }
    for (const id of ids) {
      const events = await store.readStream(id);
      expect(events.length).toBe(model.get(id)?.version ?? 0);
      const rebuilt = events
        .map((e) => ({ type: e.type, payload: e.payload }) as never)
        .reduce(counterBinding.decider.evolve, counterBinding.decider.initialState());
      expect(rebuilt).toEqual(model.get(id)?.state ?? { status: 'absent' });
    }
  },
);
