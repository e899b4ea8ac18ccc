import type { AppendResult, EventDraft, StoredEvent } from './event.js';
import type { EventHandler, ForEachEventOptions, ForEachEventResult } from './for-each-event.js';
import type { Uuid } from './ids.js';
import type { Instant } from './instant.js';

/** Where time comes from. Core never reads the system clock: decisions stay reproducible. */
export interface Clock {
  /** The current instant (UTC, microseconds). */
  now(): Instant;
}

/** Where ids come from. Production uses UUIDv7; tests use sequential ids. */
export interface IdGenerator {
  /** A new id, never returned before. */
  next(): Uuid;
}

/**
 * The expected version of a stream when appending: a number (the stream's current last version,
 * 0 for a new stream), `'no_stream'` (same as 0), or `'any'` (no concurrency check).
 */
export type ExpectedVersion = number | 'no_stream' | 'any';

/** Options for reading all events. */
export interface ReadAllOptions {
  /** Read events with `position > after`. Default 0n (from the start). */
  readonly after?: bigint;
  /** Stop after this many events. */
  readonly limit?: number;
}

/**
 * The append-only event log. Appends are atomic per call; a duplicate event id or idempotency key is a
 * no-op that returns the first result; a stream-version clash fails with a `CONCURRENCY_CONFLICT` error.
 */
export interface EventStore {
  /** Appends events to one stream, checking `expectedVersion`. */
  append(
    streamId: Uuid,
    expectedVersion: ExpectedVersion,
    events: readonly EventDraft[],
  ): Promise<AppendResult>;
  /** Reads one stream in version order. */
  readStream(streamId: Uuid, options?: { readonly fromVersion?: number }): Promise<readonly StoredEvent[]>;
  /**
   * Reads every committed event after a checkpoint in position order, as a bounded-memory stream.
   * A reader that checkpoints the last position it saw never skips an event that commits later.
   */
  readAll(options?: ReadAllOptions): AsyncIterable<StoredEvent>;
  /**
   * Hands the events `readAll` would yield to `handle`, in position order, one call at a time (a
   * returned promise is awaited before the next call); resolves with the number handled and the last
   * position handled, a safe checkpoint. What a replay or a projection catching up wants: no promise
   * per event, and a store that streams rows can hand each one over as it arrives, so a long replay
   * keeps little alive (on MySQL/MariaDB its peak memory is the raw driver's). An error thrown by
   * `handle` stops the read and rejects with that error as thrown; an aborted `signal` rejects with its
   * reason; bad options reject with a `ValidationError` before anything is read.
   *
   * @example
   * ```ts
   * const { checkpoint } = await store.forEachEvent((e) => projection.apply(e), { after: saved });
   * await saveCheckpoint(checkpoint);
   * ```
   */
  forEachEvent(handle: EventHandler, options?: ForEachEventOptions): Promise<ForEachEventResult>;
}

/** A row-backed aggregate state as loaded by a unit of work. */
export interface Loaded<S> {
  readonly state: S;
  /** Last stream version (0 = the aggregate does not exist yet). */
  readonly version: number;
}

/**
 * Persists one aggregate kind: its state row plus its event stream. The unit of work loads it under a
 * row lock and saves it with a version check, appending its events in the same transaction.
 */
export interface AggregateStore<S> {
  readonly streamType: string;
  /** Loads the current state (or the initial state and version 0 when absent), locking the row. */
  load(id: Uuid): Promise<Loaded<S>>;
  /** Saves the new state; fails with `CONCURRENCY_CONFLICT` when the stored version is not `expectedVersion`. */
  save(id: Uuid, expectedVersion: number, state: S, events: readonly EventDraft[]): Promise<AppendResult>;
  /**
   * Loads several aggregates of this kind at once (row-locked like `load`), in the order of `ids` —
   * optional: a store without it is loaded one by one. `ids` must be distinct.
   */
  loadMany?(ids: readonly Uuid[]): Promise<readonly Loaded<S>[]>;
  /**
   * Saves several aggregates of this kind at once, with the checks of `save` for each: all of them or,
   * when one fails, none — optional: a store without it is saved one by one. Ids must be distinct.
   */
  saveMany?(items: readonly SaveRequest<S>[]): Promise<readonly AppendResult[]>;
}

/** One aggregate of a {@link AggregateStore.saveMany}: what `save` takes, as data. */
export interface SaveRequest<S> {
  readonly id: Uuid;
  readonly expectedVersion: number;
  readonly state: S;
  readonly events: readonly EventDraft[];
}

/** The transactional scope a command runs in. */
export interface UnitOfWorkScope {
  /** The store for an aggregate kind, bound to this transaction. */
  aggregate<S>(definition: AggregateDefinition<S>): AggregateStore<S>;
  /** Appends events to a stream inside this transaction (for streams without a state row). */
  append(
    streamId: Uuid,
    expectedVersion: ExpectedVersion,
    events: readonly EventDraft[],
  ): Promise<AppendResult>;
  /** Finds an already-stored append by idempotency key (inside this transaction). */
  findByIdempotencyKey(key: string): Promise<readonly StoredEvent[]>;
}

/** How {@link UnitOfWork.run} may run a unit. */
export interface UnitOfWorkRunOptions {
  /**
   * True when the work lets any refused save or append end the unit (it never catches one and goes on),
   * as the command handler's one load → decide → save does. A unit of work may then take no savepoint
   * around its saves: on a database where a failed statement spoils the transaction (PostgreSQL) that is
   * two statements fewer per save. A refusal still fails the unit with nothing written.
   */
  readonly refusalEndsUnit?: boolean;
}

/** Runs work in one transaction: everything it saved and appended commits together or not at all. */
export interface UnitOfWork {
  /**
   * Runs `work` in one transaction and commits when it resolves; rolls back and rethrows when it throws.
   *
   * @example
   * ```ts
   * await unitOfWork.run(async (scope) => scope.aggregate(leads).save(id, 0, state, drafts), {
   *   refusalEndsUnit: true,
   * });
   * ```
   */
  run<T>(work: (scope: UnitOfWorkScope) => Promise<T>, options?: UnitOfWorkRunOptions): Promise<T>;
}

/**
 * How an aggregate kind is persisted. The adapter stores `state` as a row (codec-encoded); the in-memory
 * implementation keeps it as a value. `initialState` is what `load` returns for an unknown id.
 */
export interface AggregateDefinition<S> {
  readonly streamType: string;
  /** The state of an aggregate that has no row yet. */
  readonly initialState: () => S;
  /** Serialises state for storage; must round-trip through `decode`. */
  readonly encode: (state: S) => unknown;
  /** Reads a stored row back into state (the inverse of `encode`). */
  readonly decode: (stored: unknown) => S;
}
