import { z } from 'zod';
import {
  type AggregateDefinition,
  type AggregateStore,
  type AppendResult,
  abortableReplay,
  abortSignalOf,
  type Clock,
  checkEventHandler,
  type EventDraft,
  type EventStore,
  type ExpectedVersion,
  eventDraftSchema,
  type FieldIssue,
  forEachEventOf,
  type Loaded,
  PetError,
  parseInput,
  type StoredEvent,
  type UnitOfWork,
  type UnitOfWorkScope,
  type Uuid,
  uuidSchema,
  ValidationError,
} from '../kernel/index.js';
import { fixedClock } from './clock.js';

/** One aggregate's state row: what the MySQL adapter keeps in the aggregate's table. */
interface Row {
  readonly version: number;
  readonly encoded: unknown;
}

/** The committed contents of an in-memory database: the event log and the state rows. */
interface Database {
  /** Every committed event; index = position − 1 (positions start at 1 and have no gaps). */
  readonly events: StoredEvent[];
  readonly streams: Map<string, StoredEvent[]>;
  readonly byEventId: Map<string, StoredEvent>;
  readonly byKey: Map<string, StoredEvent>;
  readonly rows: Map<string, Row>;
}

/** An open transaction: writes stay here until commit. */
interface Transaction {
  readonly db: Database;
  readonly events: StoredEvent[];
  readonly streams: Map<string, StoredEvent[]>;
  readonly byEventId: Map<string, StoredEvent>;
  readonly byKey: Map<string, StoredEvent>;
  readonly rows: Map<string, Row>;
  open: boolean;
}

interface Internals {
  readonly db: Database;
  readonly clock: Clock;
  /** Serialises writers: a unit of work holds it for its whole run, a plain append for its own. */
  readonly lock: <T>(work: () => Promise<T>) => Promise<T>;
}

const internals = new WeakMap<object, Internals>();

function createLock(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<void> = Promise.resolve();
  return async (work) => {
    const previous = tail;
    let release = (): void => {};
    tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  };
}

function begin(db: Database): Transaction {
  return {
    db,
    events: [],
    streams: new Map(),
    byEventId: new Map(),
    byKey: new Map(),
    rows: new Map(),
    open: true,
  };
}

function commit(tx: Transaction): void {
  const { db } = tx;
  for (const e of tx.events) {
    db.events.push(e);
    const stream = db.streams.get(e.streamId) ?? [];
    stream.push(e);
    db.streams.set(e.streamId, stream);
    db.byEventId.set(e.eventId, e);
    if (e.idempotencyKey !== undefined) db.byKey.set(e.idempotencyKey, e);
  }
  for (const [k, row] of tx.rows) db.rows.set(k, row);
  tx.open = false;
}

function streamVersion(tx: Transaction, streamId: string): number {
  const pending = tx.streams.get(streamId);
  const stream = pending !== undefined && pending.length > 0 ? pending : tx.db.streams.get(streamId);
  return stream?.[stream.length - 1]?.streamVersion ?? 0;
}

const expectedVersionSchema = z
  .unknown()
  .refine(
    (v) => v === 'any' || v === 'no_stream' || (Number.isSafeInteger(v) && (v as number) >= 0),
    'must be an integer ≥ 0, "no_stream" or "any"',
  ) as unknown as z.ZodType<ExpectedVersion>;

const appendSchema = z.object({
  streamId: uuidSchema,
  expectedVersion: expectedVersionSchema,
  events: z.array(eventDraftSchema).min(1, 'must contain at least one event'),
});

/** A JSON copy of a value (what a JSON column gives back), or `undefined` when it is not JSON-serialisable. */
function jsonCopy(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function validateAppend(streamId: Uuid, expectedVersion: ExpectedVersion, events: readonly EventDraft[]) {
  const input = parseInput(appendSchema, { streamId, expectedVersion, events }, 'append');
  const issues: FieldIssue[] = [];
  const ids = new Map<string, number>();
  const keys = new Map<string, number>();
  const drafts = input.events.map((d, i) => {
    const payload = jsonCopy(d.payload);
    if (payload === undefined)
      issues.push({ field: `events.${i}.payload`, rule: 'must be JSON-serialisable' });
    const context = jsonCopy(d.context);
    if (context === undefined)
      issues.push({ field: `events.${i}.context`, rule: 'must be JSON-serialisable' });
    const sameId = ids.get(d.eventId);
    if (sameId !== undefined)
      issues.push({ field: `events.${i}.eventId`, rule: `repeats events.${sameId}.eventId` });
    ids.set(d.eventId, i);
    if (d.idempotencyKey !== undefined) {
      const sameKey = keys.get(d.idempotencyKey);
      if (sameKey !== undefined) {
        issues.push({
          field: `events.${i}.idempotencyKey`,
          rule: `repeats events.${sameKey}.idempotencyKey`,
        });
      }
      keys.set(d.idempotencyKey, i);
    }
    return { ...d, payload, context } as EventDraft;
  });
  if (issues.length > 0) throw new ValidationError('append', issues);
  return { streamId: input.streamId, expectedVersion: input.expectedVersion, drafts };
}

function appendIn(
  tx: Transaction,
  clock: Clock,
  rawStreamId: Uuid,
  rawExpected: ExpectedVersion,
  events: readonly EventDraft[],
): AppendResult {
  const { streamId, expectedVersion, drafts } = validateAppend(rawStreamId, rawExpected, events);

  // Duplicates first: a resent batch is a no-op that answers like the first append.
  const matches = drafts.map((d, i) => {
    const byId = tx.byEventId.get(d.eventId) ?? tx.db.byEventId.get(d.eventId);
    const key = d.idempotencyKey;
    const byKey = key === undefined ? undefined : (tx.byKey.get(key) ?? tx.db.byKey.get(key));
    if (byId !== undefined && byKey !== undefined && byId !== byKey) {
      throw new PetError(
        'IDEMPOTENCY_MISMATCH',
        `events.${i}: its event id and idempotency key belong to two stored events`,
        {
          details: { streamId, index: i, eventId: d.eventId, idempotencyKey: key },
        },
      );
    }
    return byId ?? byKey;
  });
  const existing = matches.filter((m): m is StoredEvent => m !== undefined);
  if (existing.length > 0) {
    const foreign = existing.find((m) => m.streamId !== streamId);
    if (existing.length < drafts.length || foreign !== undefined) {
      throw new PetError(
        'IDEMPOTENCY_MISMATCH',
        foreign === undefined
          ? `only ${existing.length} of ${drafts.length} events of the batch are already stored in stream ${streamId}`
          : `events of the batch are already stored in another stream (${foreign.streamId})`,
        {
          details: {
            streamId,
            stored: existing.length,
            batch: drafts.length,
            ...(foreign === undefined ? {} : { storedStreamId: foreign.streamId }),
          },
        },
      );
    }
    return {
      streamId,
      duplicate: true,
      positions: existing.map((m) => m.position),
      nextExpectedVersion: existing[existing.length - 1]?.streamVersion ?? 0,
    };
  }

  const actual = streamVersion(tx, streamId);
  if (expectedVersion !== 'any') {
    const expected = expectedVersion === 'no_stream' ? 0 : expectedVersion;
    if (expected !== actual) {
      throw new PetError(
        'CONCURRENCY_CONFLICT',
        `stream ${streamId} is at version ${actual}, not the expected ${expected}`,
        { retryable: true, details: { streamId, expected, actual } },
      );
    }
  }

  const recordedAt = clock.now();
  const next = tx.db.events.length + tx.events.length + 1;
  const stored = drafts.map((d, i) =>
    Object.freeze({ ...d, streamId, streamVersion: actual + i + 1, position: BigInt(next + i), recordedAt }),
  );
  const stream = tx.streams.get(streamId) ?? [];
  for (const e of stored) {
    tx.events.push(e);
    stream.push(e);
    tx.byEventId.set(e.eventId, e);
    if (e.idempotencyKey !== undefined) tx.byKey.set(e.idempotencyKey, e);
  }
  tx.streams.set(streamId, stream);
  return {
    streamId,
    duplicate: false,
    positions: stored.map((e) => e.position),
    nextExpectedVersion: actual + stored.length,
  };
}

const readStreamSchema = z.object({ fromVersion: z.number().int().min(0).optional() });
const readAllSchema = z.object({
  after: z.bigint().min(0n, 'must be ≥ 0n').optional(),
  limit: z.number().int().min(0).optional(),
});

/** Options of {@link createInMemoryEventStore}. */
export interface InMemoryEventStoreOptions {
  /** Gives `recordedAt`; default a fixed clock at 2026-01-01T00:00:00.000000Z. */
  readonly clock?: Clock;
}

/**
 * An {@link EventStore} in memory with the same semantics as the MySQL one, for tests and host apps
 * without a database:
 *
 * - `append` validates input (`ValidationError` naming `events.N.field`); a batch whose every event is
 *   already stored in the stream (by event id or idempotency key) is a no-op returning the first
 *   result with `duplicate: true`; a partly stored batch or one stored in another stream throws
 *   `IDEMPOTENCY_MISMATCH`; then the expected version is checked (`CONCURRENCY_CONFLICT`, retryable);
 * - positions start at 1n and have no gaps; `recordedAt` comes from the injected clock;
 * - payload and context are stored as JSON copies, as a JSON column would;
 * - writers are serialised (see {@link createInMemoryUnitOfWork}), so a plain `append` waits for a
 *   running unit of work — inside a unit of work, append through its scope.
 *
 * @example
 * ```ts
 * const store = createInMemoryEventStore();
 * await store.append(streamId, 'no_stream', [draft]);
 * for await (const e of store.readAll({ after: 0n })) console.log(e.position, e.type);
 * ```
 */
export function createInMemoryEventStore(options: InMemoryEventStoreOptions = {}): EventStore {
  const db: Database = {
    events: [],
    streams: new Map(),
    byEventId: new Map(),
    byKey: new Map(),
    rows: new Map(),
  };
  const clock = options.clock ?? fixedClock('2026-01-01T00:00:00.000000Z');
  const lock = createLock();
  const store: EventStore = {
    append: (streamId, expectedVersion, events) =>
      lock(async () => {
        const tx = begin(db);
        const result = appendIn(tx, clock, streamId, expectedVersion, events);
        commit(tx);
        return result;
      }),
    readStream: async (streamId, opts = {}) => {
      const id = parseInput(uuidSchema, streamId, 'stream id');
      const { fromVersion = 0 } = parseInput(readStreamSchema, opts, 'read options');
      return (db.streams.get(id) ?? []).filter((e) => e.streamVersion >= fromVersion);
    },
    readAll: (opts = {}) => {
      const { after = 0n, limit } = parseInput(readAllSchema, opts, 'read options');
      return readFrom(after, limit);
    },
    forEachEvent: async (handle, opts = {}) => {
      const { after = 0n, limit } = parseInput(readAllSchema, opts, 'read options');
      const signal = abortSignalOf(opts, 'forEachEvent');
      checkEventHandler(handle, 'forEachEvent');
      return abortableReplay(signal, handle, (h) => forEachEventOf(readFrom(after, limit), after, h));
    },
  };
  function readFrom(after: bigint, limit: number | undefined): AsyncGenerator<StoredEvent> {
    return (async function* () {
      let count = 0;
      // Positions are 1..n without gaps, so position p is at index p − 1; reading the live array
      // also yields events committed while the consumer iterates.
      for (let index = Number(after); index < db.events.length; index++) {
        if (limit !== undefined && count >= limit) return;
        const event = db.events[index];
        if (event === undefined) return;
        count += 1;
        yield event;
      }
    })();
  }
  internals.set(store, { db, clock, lock });
  return store;
}

function rowKey(streamType: string, id: string): string {
  return `${streamType}\u0000${id}`;
}

function scopeFor(tx: Transaction, clock: Clock): UnitOfWorkScope {
  const ensureOpen = (): void => {
    if (!tx.open) throw new Error('unit of work scope used after its run ended');
  };
  return {
    aggregate<S>(definition: AggregateDefinition<S>): AggregateStore<S> {
      return {
        streamType: definition.streamType,
        load: async (rawId): Promise<Loaded<S>> => {
          ensureOpen();
          const id = parseInput(uuidSchema, rawId, 'aggregate id');
          const key = rowKey(definition.streamType, id);
          const row = tx.rows.get(key) ?? tx.db.rows.get(key);
          return row === undefined
            ? { state: definition.initialState(), version: 0 }
            : { state: definition.decode(row.encoded), version: row.version };
        },
        save: async (rawId, expectedVersion, state, events) => {
          ensureOpen();
          const id = parseInput(uuidSchema, rawId, 'aggregate id');
          const expected = parseInput(z.number().int().min(0), expectedVersion, 'expected version');
          const key = rowKey(definition.streamType, id);
          const actual = (tx.rows.get(key) ?? tx.db.rows.get(key))?.version ?? 0;
          if (actual !== expected) {
            throw new PetError(
              'CONCURRENCY_CONFLICT',
              `${definition.streamType} ${id} is at version ${actual}, not the expected ${expected}`,
              { retryable: true, details: { streamId: id, expected, actual } },
            );
          }
          const result = appendIn(tx, clock, id, expected, events);
          if (!result.duplicate) {
            tx.rows.set(key, { version: result.nextExpectedVersion, encoded: definition.encode(state) });
          }
          return result;
        },
      };
    },
    append: async (streamId, expectedVersion, events) => {
      ensureOpen();
      return appendIn(tx, clock, streamId, expectedVersion, events);
    },
    findByIdempotencyKey: async (key) => {
      ensureOpen();
      const k = parseInput(z.string().min(1), key, 'idempotency key');
      const matches = (e: StoredEvent): boolean =>
        e.idempotencyKey !== undefined && (e.idempotencyKey === k || e.idempotencyKey.startsWith(`${k}#`));
      return [...tx.db.byKey.values(), ...tx.byKey.values()]
        .filter(matches)
        .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
    },
  };
}

/**
 * A {@link UnitOfWork} over an in-memory store, with the MySQL semantics: everything saved or appended
 * in `run` commits together when `work` resolves, and is discarded when it throws. Runs are serialised
 * (one at a time, like rows locked `FOR UPDATE`), so a run never sees another's uncommitted writes.
 * `aggregate(def).load(id)` returns the initial state and version 0 for an unknown id; `save` checks the
 * row's version (`CONCURRENCY_CONFLICT`) and appends the events to stream `id` with that expected version.
 *
 * @example
 * ```ts
 * const store = createInMemoryEventStore();
 * const uow = createInMemoryUnitOfWork(store);
 * await uow.run(async (scope) => {
 *   const counters = scope.aggregate(counterDefinition);
 *   const { state, version } = await counters.load(id);
 *   await counters.save(id, version, { n: state.n + 1 }, [draft]);
 * });
 * ```
 */
export function createInMemoryUnitOfWork(store: EventStore): UnitOfWork {
  const inner = internals.get(store);
  if (inner === undefined) {
    throw new ValidationError('unit of work', [
      { field: 'store', rule: 'must come from createInMemoryEventStore()' },
    ]);
  }
  return {
    run: (work) =>
      inner.lock(async () => {
        const tx = begin(inner.db);
        try {
          const result = await work(scopeFor(tx, inner.clock));
          commit(tx);
          return result;
        } finally {
          tx.open = false;
        }
      }),
  };
}
