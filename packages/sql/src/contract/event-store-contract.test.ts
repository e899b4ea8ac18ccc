/**
 * The event store's contract, written once and run against every database (not a test file itself: each
 * adapter's `*.int.test.ts` calls {@link describeEventStoreContract} with its own target). A behaviour that
 * differs by database is a field of {@link ContractTarget} and is asserted, never skipped.
 */
import { randomUUID } from 'node:crypto';
import { fc } from '@fast-check/vitest';
import {
  type EventDraft,
  type EventStore,
  instantFromEpochMs,
  isPetError,
  type PetError,
  type StoredEvent,
  type Uuid,
} from '@pet-ops/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** One database under test. */
export interface ContractTarget {
  /** The store under test, on a fresh, migrated database. */
  readonly store: EventStore;
  /** A second store on its own connection(s) to the same database, for concurrent writers. */
  readonly secondStore: EventStore;
  /** Runs one raw SQL statement; a driver error comes back classified (a `PetError`). */
  readonly exec: (statement: string) => Promise<void>;
  /** Number of rows in the events table. */
  readonly countEvents: () => Promise<number>;
  /** The prefixed events table name, quoted for this database. */
  readonly eventsTable: string;
  /** How the database refuses TRUNCATE of the events table: by a guard, or only by privileges. */
  readonly truncate: 'refused' | 'no-statement' | 'privileges-only';
  readonly close: () => Promise<void>;
}

/** A fresh UUIDv7-shaped id (time-ordered prefix, random tail). */
export function newId(): Uuid {
  const ms = Date.now().toString(16).padStart(12, '0');
  const r = randomUUID();
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${r.slice(15, 18)}-8${r.slice(20, 23)}-${r.slice(24)}` as Uuid;
}

/** A valid draft; override any field. */
export function draft(overrides: Partial<EventDraft> = {}): EventDraft {
  return {
    eventId: newId(),
    type: 'test.happened',
    schemaVersion: 1,
    streamType: 'test',
    occurredAt: instantFromEpochMs(Date.UTC(2026, 0, 2, 3, 4, 5, 678), 901),
    actor: { type: 'system', id: null },
    context: {},
    correlationId: null,
    causationId: null,
    payload: { n: 1 },
    ...overrides,
  };
}

const drafts = (n: number, overrides: Partial<EventDraft> = {}): EventDraft[] =>
  Array.from({ length: n }, (_, i) => draft({ payload: { i }, ...overrides }));

async function collect(iterable: AsyncIterable<StoredEvent>): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const e of iterable) out.push(e);
  return out;
}

/** The `PetError` a call rejects with (anything else, or no rejection, fails the test). */
export async function caught(work: Promise<unknown>): Promise<PetError> {
  try {
    await work;
  } catch (e) {
    if (isPetError(e)) return e;
    throw e;
  }
  throw new Error('expected a PetError');
}

/**
 * Declares the event store's contract tests for one database.
 *
 * @example
 * ```ts
 * describeEventStoreContract('sqlite', async () => sqliteTarget());
 * ```
 */
export function describeEventStoreContract(name: string, open: () => Promise<ContractTarget>): void {
  describe(`event store contract (${name})`, () => {
    let t: ContractTarget;
    beforeAll(async () => {
      t = await open();
    });
    afterAll(async () => {
      await t?.close();
    });

    it('given a new stream, when appending, then versions start at 1, positions rise, and every field reads back exactly', async () => {
      const streamId = newId();
      const tricky = draft({
        type: 'quote.accepted',
        schemaVersion: 3,
        streamType: 'quote',
        actor: { type: 'employee', id: 'O\'Brien "the" 🦄' },
        context: { customerId: newId(), teamIds: ['a', 'b'], note: 'ünïcödé' },
        correlationId: newId(),
        causationId: newId(),
        idempotencyKey: `cmd-${newId()}`,
        payload: {
          text: 'Robert\'); DROP TABLE domain_events;-- \\ " ` 😀 end',
          nested: { list: [1, 2.5, null, true], big: 9007199254740991, empty: {} },
        },
      });
      const result = await t.store.append(streamId, 'no_stream', [tricky, draft({ streamType: 'quote' })]);
      expect(result).toMatchObject({ streamId, nextExpectedVersion: 2, duplicate: false });
      expect(result.positions).toHaveLength(2);
      expect(result.positions[1]).toBeGreaterThan(result.positions[0] ?? 0n);
      const [first, second] = await t.store.readStream(streamId);
      expect(first).toEqual({
        ...tricky,
        streamId,
        streamVersion: 1,
        position: result.positions[0],
        recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
      });
      expect(second?.streamVersion).toBe(2);
      // Plain data to every reader: the prototype of an object literal, for the event and its actor.
      const [read] = await collect(t.store.readAll({ after: (result.positions[0] ?? 1n) - 1n, limit: 1 }));
      for (const e of [first, read]) {
        expect(Object.getPrototypeOf(e)).toBe(Object.prototype);
        expect(Object.getPrototypeOf(e?.actor)).toBe(Object.prototype);
      }
      expect(read).toStrictEqual(first);
      expect((await t.store.readStream(streamId, { fromVersion: 2 })).map((e) => e.streamVersion)).toEqual([
        2,
      ]);
      expect(await t.store.readStream(newId())).toEqual([]);
    });

    it('given a stream at version 2, when appending with a stale expected version or no_stream, then CONCURRENCY_CONFLICT (retryable, with the numbers) and nothing is written', async () => {
      const streamId = newId();
      await t.store.append(streamId, 'no_stream', drafts(2));
      const before = await t.countEvents();
      const stale = await caught(t.store.append(streamId, 1, [draft()]));
      expect(stale).toMatchObject({ code: 'CONCURRENCY_CONFLICT', retryable: true });
      expect(stale.details).toMatchObject({ streamId, expected: 1, actual: 2 });
      expect((await caught(t.store.append(streamId, 'no_stream', [draft()]))).code).toBe(
        'CONCURRENCY_CONFLICT',
      );
      expect(await t.countEvents()).toBe(before);
      const any = await t.store.append(streamId, 'any', [draft()]);
      expect(any.nextExpectedVersion).toBe(3);
    });

    it('given an appended batch, when the same batch is appended again, then it is a no-op answering like the first append', async () => {
      const streamId = newId();
      const batch = drafts(3);
      const first = await t.store.append(streamId, 'no_stream', batch);
      const before = await t.countEvents();
      const again = await t.store.append(streamId, 'no_stream', batch);
      expect(again).toEqual({ ...first, duplicate: true });
      expect(await t.countEvents()).toBe(before);
    });

    it('given an idempotency key already stored, when a new event id reuses it, then the append is a duplicate of the first', async () => {
      const streamId = newId();
      const key = `import-${newId()}`;
      const first = await t.store.append(streamId, 'no_stream', [draft({ idempotencyKey: key })]);
      const again = await t.store.append(streamId, 1, [draft({ idempotencyKey: key })]);
      expect(again).toEqual({ ...first, duplicate: true });
    });

    it('given a batch of which only part is stored, when it is appended, then IDEMPOTENCY_MISMATCH and nothing is written', async () => {
      const streamId = newId();
      const [a, b] = drafts(2);
      await t.store.append(streamId, 'no_stream', [a as EventDraft]);
      const before = await t.countEvents();
      const e = await caught(t.store.append(streamId, 1, [a as EventDraft, b as EventDraft]));
      expect(e.code).toBe('IDEMPOTENCY_MISMATCH');
      expect(await t.countEvents()).toBe(before);
    });

    it('given bad input, when appending, then VALIDATION_FAILED names the field and nothing is written', async () => {
      const before = await t.countEvents();
      const e = await caught(
        t.store.append('not-a-uuid' as Uuid, 'no_stream', [draft({ type: 'Bad Type' })]),
      );
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(e.details)).toContain('streamId');
      expect(JSON.stringify(e.details)).toContain('events.0.type');
      expect((await caught(t.store.append(newId(), 'no_stream', []))).code).toBe('VALIDATION_FAILED');
      expect(await t.countEvents()).toBe(before);
    });

    it('given more events than one page, when reading all from a checkpoint, then every later event comes once, in position order, and limit bounds it', async () => {
      const streamId = newId();
      const appended = await t.store.append(streamId, 'no_stream', drafts(2300));
      const checkpoint = (appended.positions[0] ?? 0n) - 1n;
      const read = await collect(t.store.readAll({ after: checkpoint }));
      expect(read.map((e) => e.position)).toEqual(appended.positions);
      const limited = await collect(t.store.readAll({ after: checkpoint, limit: 1500 }));
      expect(limited.map((e) => e.position)).toEqual(appended.positions.slice(0, 1500));
      // Thrown when called or on the first step: either way before any row is read.
      expect((await caught((async () => collect(t.store.readAll({ after: -1n })))())).code).toBe(
        'VALIDATION_FAILED',
      );
    });

    it('given more events than one page, when forEachEvent hands them over, then each comes once in position order as readAll yields them, limit bounds it, and the checkpoint is the last position handled', async () => {
      const appended = await t.store.append(newId(), 'no_stream', drafts(2300));
      const checkpoint = (appended.positions[0] ?? 0n) - 1n;
      const handled: StoredEvent[] = [];
      const all = await t.store.forEachEvent((e) => void handled.push(e), { after: checkpoint });
      expect(handled).toEqual(await collect(t.store.readAll({ after: checkpoint })));
      expect(handled.map((e) => e.position)).toEqual(appended.positions);
      expect(all).toEqual({ handled: 2300, checkpoint: appended.positions[2299] });
      const limited: bigint[] = [];
      const some = await t.store.forEachEvent((e) => void limited.push(e.position), {
        after: checkpoint,
        limit: 1500,
      });
      expect(limited).toEqual(appended.positions.slice(0, 1500));
      expect(some).toEqual({ handled: 1500, checkpoint: appended.positions[1499] });
      // A JavaScript handler may return anything: null or a number is not awaited, and does not break the read.
      for (const value of [null, 7]) {
        expect(await t.store.forEachEvent(() => value as never, { after: checkpoint, limit: 3 })).toEqual({
          handled: 3,
          checkpoint: appended.positions[2],
        });
      }
      const last = appended.positions[2299] ?? 0n;
      expect(await t.store.forEachEvent(() => undefined, { after: last + 1_000_000n })).toEqual({
        handled: 0,
        checkpoint: last + 1_000_000n,
      });
    });

    it('given any checkpoint and limit around 1200 events and a handler that awaits on some calls, when forEachEvent runs, then it hands over exactly what readAll yields and checkpoints at the last one (property)', async () => {
      const appended = await t.store.append(newId(), 'no_stream', drafts(1200));
      const first = (appended.positions[0] ?? 1n) - 1n;
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: 1250 }),
          fc.option(fc.nat({ max: 1300 }), { nil: undefined }),
          fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
          async (offset, limit, awaits) => {
            const after = first + BigInt(offset);
            const options = { after, ...(limit === undefined ? {} : { limit }) };
            const handled: bigint[] = [];
            const result = await t.store.forEachEvent((e) => {
              handled.push(e.position);
              return awaits[handled.length % awaits.length] === true ? Promise.resolve() : undefined;
            }, options);
            const read = (await collect(t.store.readAll(options))).map((e) => e.position);
            expect(handled).toEqual(read);
            expect(result).toEqual({ handled: read.length, checkpoint: read.at(-1) ?? after });
          },
        ),
        { numRuns: 12 },
      );
    });

    it('given a handler that returns promises, when forEachEvent runs, then calls never overlap and the events still come in order, each once', async () => {
      const appended = await t.store.append(newId(), 'no_stream', drafts(1200));
      const checkpoint = (appended.positions[0] ?? 0n) - 1n;
      const handled: bigint[] = [];
      let active = 0;
      let mostActive = 0;
      const result = await t.store.forEachEvent(
        async (e) => {
          active += 1;
          mostActive = Math.max(mostActive, active);
          // A macrotask now and then, so rows arrive while a call is in flight.
          if (e.streamVersion % 97 === 0) await new Promise((r) => setTimeout(r, 1));
          else await Promise.resolve();
          handled.push(e.position);
          active -= 1;
        },
        { after: checkpoint },
      );
      expect(mostActive).toBe(1);
      expect(handled).toEqual(appended.positions);
      expect(result.handled).toBe(1200);
    });

    it('given a limit and a handler that returns a promise for every event, when forEachEvent runs, then it resolves once the last event within the limit is handled (the read does not wait for more rows)', async () => {
      const appended = await t.store.append(newId(), 'no_stream', drafts(1200));
      const checkpoint = (appended.positions[0] ?? 0n) - 1n;
      for (const limit of [1, 5, 300]) {
        const handled: bigint[] = [];
        const result = await t.store.forEachEvent(
          async (e) => {
            handled.push(e.position);
          },
          { after: checkpoint, limit },
        );
        expect(handled).toEqual(appended.positions.slice(0, limit));
        expect(result).toEqual({ handled: limit, checkpoint: appended.positions[limit - 1] });
      }
    }, 20_000);

    it('given a handler that throws or rejects at the 700th event, when forEachEvent runs, then it rejects with that very error, nothing after it is handled, and the store stays usable', async () => {
      const appended = await t.store.append(newId(), 'no_stream', drafts(1500));
      const checkpoint = (appended.positions[0] ?? 0n) - 1n;
      for (const asynchronous of [false, true]) {
        const boom = new Error(`handler failed (${asynchronous ? 'rejected' : 'thrown'})`);
        const handled: bigint[] = [];
        const outcome = await t.store
          .forEachEvent(
            (e) => {
              if (handled.length === 699) {
                if (asynchronous) return Promise.reject(boom);
                throw boom;
              }
              handled.push(e.position);
              return asynchronous ? Promise.resolve() : undefined;
            },
            { after: checkpoint },
          )
          .then(
            () => 'resolved',
            (e: unknown) => e,
          );
        expect(outcome).toBe(boom);
        expect(handled).toEqual(appended.positions.slice(0, 699));
      }
      const more = await t.store.append(newId(), 'no_stream', [draft()]);
      const after = await collect(t.store.readAll({ after: (more.positions[0] ?? 1n) - 1n }));
      expect(after.map((e) => e.position)).toEqual(more.positions);
    });

    it('given an AbortSignal, when it is aborted before, during or while a handler is pending, then forEachEvent rejects at once with its reason, hands nothing more over, and the store stays usable', async () => {
      const appended = await t.store.append(newId(), 'no_stream', drafts(1500));
      const checkpoint = (appended.positions[0] ?? 0n) - 1n;
      const outcome = (p: Promise<unknown>): Promise<unknown> =>
        p.then(
          () => 'resolved',
          (e: unknown) => e,
        );
      // Aborted before: nothing is read.
      const early = new AbortController();
      const before = new Error('aborted before');
      early.abort(before);
      let calls = 0;
      const counted = (): void => {
        calls += 1;
      };
      expect(await outcome(t.store.forEachEvent(counted, { after: checkpoint, signal: early.signal }))).toBe(
        before,
      );
      expect(calls).toBe(0);
      // Aborted by the handler itself at the 500th event: that call is the last.
      const during = new AbortController();
      const handled: bigint[] = [];
      const stopped = await outcome(
        t.store.forEachEvent(
          (e) => {
            handled.push(e.position);
            if (handled.length === 500) during.abort();
          },
          { after: checkpoint, signal: during.signal },
        ),
      );
      expect((stopped as Error).name).toBe('AbortError');
      expect(handled).toEqual(appended.positions.slice(0, 500));
      // Aborted while the 300th call's promise is pending: rejects before it settles; no call follows it.
      const pending = new AbortController();
      const reason = new Error('stop now');
      const seen: bigint[] = [];
      let settled = false;
      const run = outcome(
        t.store.forEachEvent(
          async (e) => {
            seen.push(e.position);
            if (seen.length === 300) {
              setTimeout(() => pending.abort(reason), 5);
              await new Promise((r) => setTimeout(r, 60));
              settled = true;
            }
          },
          { after: checkpoint, signal: pending.signal },
        ),
      );
      expect(await run).toBe(reason);
      expect(settled).toBe(false);
      await new Promise((r) => setTimeout(r, 120));
      expect(seen).toEqual(appended.positions.slice(0, 300));
      // A signal never aborted changes nothing.
      const quiet = new AbortController();
      expect(
        await t.store.forEachEvent(() => undefined, { after: checkpoint, signal: quiet.signal }),
      ).toEqual({ handled: 1500, checkpoint: appended.positions[1499] });
      const more = await t.store.append(newId(), 'no_stream', [draft()]);
      const after = await collect(t.store.readAll({ after: (more.positions[0] ?? 1n) - 1n }));
      expect(after.map((e) => e.position)).toEqual(more.positions);
    });

    it('given bad options or a handler that is not a function, when forEachEvent is called, then VALIDATION_FAILED names the field and nothing is handled', async () => {
      let calls = 0;
      const count = (): void => {
        calls += 1;
      };
      const badAfter = await caught(t.store.forEachEvent(count, { after: -1n }));
      expect(badAfter.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(badAfter.details)).toContain('after');
      expect((await caught(t.store.forEachEvent(count, { limit: 1.5 }))).code).toBe('VALIDATION_FAILED');
      const notAFunction = await caught(t.store.forEachEvent('handle' as never, {}));
      expect(notAFunction.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(notAFunction.details)).toContain('handle');
      const badSignal = await caught(t.store.forEachEvent(count, { signal: 'stop' as never }));
      expect(badSignal.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(badSignal.details)).toContain('signal');
      expect(calls).toBe(0);
    });

    it('given stored events, when a raw UPDATE or DELETE targets them, then the database refuses it (IMMUTABLE_ROW) and the row is unchanged', async () => {
      const streamId = newId();
      await t.store.append(streamId, 'no_stream', [draft({ payload: { keep: true } })]);
      const update = await caught(t.exec(`UPDATE ${t.eventsTable} SET event_type = 'x.y'`));
      expect(update.code).toBe('IMMUTABLE_ROW');
      const del = await caught(t.exec(`DELETE FROM ${t.eventsTable}`));
      expect(del.code).toBe('IMMUTABLE_ROW');
      expect((await t.store.readStream(streamId))[0]?.payload).toEqual({ keep: true });
    });

    it('given eight concurrent writers on one stream, when each appends at the version it read, then every version is taken exactly once and losers get CONCURRENCY_CONFLICT', async () => {
      const streamId = newId();
      await t.store.append(streamId, 'no_stream', [draft()]);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 === 0 ? t.store : t.secondStore).append(streamId, 1, [draft()]),
        ),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.map((o) => (o.reason as PetError).code)).toEqual(Array(7).fill('CONCURRENCY_CONFLICT'));
      expect((await t.store.readStream(streamId)).map((e) => e.streamVersion)).toEqual([1, 2]);
    });

    it('given writers appending while checkpointed readers follow (readAll, forEachEvent), then each sees every committed event exactly once (0 skipped, 0 duplicated)', async () => {
      const start = await collect(t.store.readAll({}));
      let checkpoint = start[start.length - 1]?.position ?? 0n;
      const seen: bigint[] = [];
      let writing = true;
      const writers = Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          const store = w % 2 === 0 ? t.store : t.secondStore;
          const ids: bigint[] = [];
          for (let i = 0; i < 15; i++) {
            const r = await store.append(newId(), 'no_stream', drafts(1 + (i % 3)));
            ids.push(...r.positions);
          }
          return ids;
        }),
      ).finally(() => {
        writing = false;
      });
      const reader = (async () => {
        while (writing) {
          for await (const e of t.store.readAll({ after: checkpoint })) {
            seen.push(e.position);
            checkpoint = e.position;
          }
          await new Promise((r) => setTimeout(r, 5));
        }
        for await (const e of t.store.readAll({ after: checkpoint })) seen.push(e.position);
      })();
      // A second follower on forEachEvent, checkpointing what each run resolves with.
      const handedOver: bigint[] = [];
      const follower = (async () => {
        let from = start[start.length - 1]?.position ?? 0n;
        const handle = (e: StoredEvent): void => void handedOver.push(e.position);
        while (writing) {
          from = (await t.store.forEachEvent(handle, { after: from })).checkpoint;
          await new Promise((r) => setTimeout(r, 5));
        }
        await t.store.forEachEvent(handle, { after: from });
      })();
      const written = (await writers).flat().sort((a, b) => (a < b ? -1 : 1));
      await Promise.all([reader, follower]);
      expect(seen).toEqual(written);
      expect(handedOver).toEqual(written);
    });
    // Last: on a database that cannot refuse it, the statement empties the table.
    it('declares how TRUNCATE of the events table is stopped, and that is what happens', async () => {
      const before = await t.countEvents();
      expect(before).toBeGreaterThan(0);
      const attempt = t.exec(`TRUNCATE TABLE ${t.eventsTable}`);
      if (t.truncate === 'refused') {
        expect((await caught(attempt)).code).toBe('IMMUTABLE_ROW');
        expect(await t.countEvents()).toBe(before);
      } else if (t.truncate === 'no-statement') {
        // SQLite has no TRUNCATE; its truncate optimisation is a DELETE, which the guard refuses above.
        expect((await caught(attempt)).code).toBe('DATABASE_ERROR');
        expect(await t.countEvents()).toBe(before);
      } else {
        // MySQL/MariaDB: no trigger fires on TRUNCATE; only the runtime user's privileges stop it.
        await attempt;
        expect(await t.countEvents()).toBe(0);
      }
    });
  });
}
