import { ValidationError } from './errors.js';
import type { StoredEvent } from './event.js';
import type { ReadAllOptions } from './ports.js';

/**
 * Handles one event of {@link EventStore.forEachEvent}. A returned promise is awaited before the next
 * event is handed over: calls never overlap, so a handler may write where it reads.
 */
export type EventHandler = (event: StoredEvent) => void | PromiseLike<void>;

/**
 * The part of an `AbortSignal` a replay uses: the core names no platform types, and a Node or DOM
 * `AbortSignal` is one.
 */
export interface AbortSignalLike {
  /** Whether it has been aborted. */
  readonly aborted: boolean;
  /** What it was aborted with (a replay rejects with it). */
  readonly reason: unknown;
  /** Calls `listener` once it is aborted. */
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  /** Stops calling `listener` (a replay that ended unaborted removes its own). */
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** What {@link EventStore.forEachEvent} reads: `readAll`'s options, and a signal that stops the replay. */
export interface ForEachEventOptions extends ReadAllOptions {
  /**
   * Stops the replay: once it is aborted no further event is handed over, and the returned promise
   * rejects at once with the signal's reason (as Node's own APIs do), also while a handler's promise is
   * pending or the read waits for rows. The read itself stops at its next row, so a handler whose
   * promise never settles still holds the read (on MySQL/MariaDB its pooled connection).
   */
  readonly signal?: AbortSignalLike;
}

/** What {@link EventStore.forEachEvent} did. */
export interface ForEachEventResult {
  /** Events handed to the handler. */
  readonly handled: number;
  /**
   * The position of the last event handled (the `after` given when there was none): a safe checkpoint,
   * as the last position `readAll` yields.
   */
  readonly checkpoint: bigint;
}

/**
 * Refuses a handler that is not a function, with the field and the rule (before anything is read).
 *
 * @example
 * ```ts
 * checkEventHandler(handle, 'forEachEvent');
 * ```
 */
export function checkEventHandler(handle: unknown, what: string): asserts handle is EventHandler {
  if (typeof handle !== 'function') {
    throw new ValidationError(`${what} handler`, [{ field: 'handle', rule: 'must be a function' }]);
  }
}

/**
 * Whether a handler's result is a promise (or any thenable) to await. `null` and other values are not: a
 * JavaScript handler may return anything, and reading `.then` of `null` would throw.
 *
 * @example
 * ```ts
 * const result = handle(event);
 * if (isPromiseLike(result)) await result;
 * ```
 */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * {@link EventStore.forEachEvent} over a store's `readAll`: each event handed to `handle` in order,
 * awaiting a returned promise before the next. For stores with no faster way of their own (an event
 * store whose reader pushes rows implements `forEachEvent` itself and keeps fewer rows alive). An error
 * thrown by `handle` stops the read (the iterator is closed) and rejects with that error as thrown.
 *
 * @example
 * ```ts
 * const { handled, checkpoint } = await forEachEventOf(store.readAll({ after }), after, (e) => project(e));
 * ```
 */
export async function forEachEventOf(
  events: AsyncIterable<StoredEvent>,
  after: bigint,
  handle: EventHandler,
): Promise<ForEachEventResult> {
  checkEventHandler(handle, 'forEachEvent');
  let handled = 0;
  let checkpoint = after;
  for await (const event of events) {
    const result = handle(event);
    // Only a promise is awaited: an `await` per event of a synchronous handler costs a microtask turn.
    if (isPromiseLike(result)) await result;
    handled += 1;
    checkpoint = event.position;
  }
  return { handled, checkpoint };
}

/**
 * The `signal` of {@link ForEachEventOptions}, checked: `undefined` when none is given; anything but an
 * `AbortSignal` is refused naming the field (before anything is read).
 *
 * @example
 * ```ts
 * const signal = abortSignalOf(options, 'forEachEvent');
 * ```
 */
export function abortSignalOf(options: unknown, what: string): AbortSignalLike | undefined {
  if (options === null || typeof options !== 'object') return undefined;
  const signal = (options as { signal?: unknown }).signal;
  if (signal === undefined) return undefined;
  // Duck-typed: an AbortSignal of another realm (a test runner's, a polyfill's) works the same.
  const s = signal as Partial<AbortSignalLike> | null;
  if (
    s === null ||
    typeof s !== 'object' ||
    typeof s.aborted !== 'boolean' ||
    typeof s.addEventListener !== 'function' ||
    typeof s.removeEventListener !== 'function'
  ) {
    throw new ValidationError(`${what} options`, [{ field: 'signal', rule: 'must be an AbortSignal' }]);
  }
  return signal as AbortSignalLike;
}

/**
 * Runs a replay (`run`, handing events to the handler it is given) so that `signal` stops it: an
 * already aborted signal rejects before `run` starts; an abort later rejects at once with the signal's
 * reason, and the handler `run` was given throws that reason at its next call, so the store's read
 * stops there and releases what it holds (its own rejection is then ignored). With no signal, `run`
 * gets `handle` itself.
 *
 * @example
 * ```ts
 * return abortableReplay(abortSignalOf(options, 'forEachEvent'), handle, (h) => forEachEventOf(events, after, h));
 * ```
 */
export async function abortableReplay(
  signal: AbortSignalLike | undefined,
  handle: EventHandler,
  run: (handle: EventHandler) => Promise<ForEachEventResult>,
): Promise<ForEachEventResult> {
  if (signal === undefined) return run(handle);
  if (signal.aborted) throw signal.reason;
  const guarded: EventHandler = (event) => {
    if (signal.aborted) throw signal.reason;
    return handle(event);
  };
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const running = run(guarded);
  // Whichever loses the race must not surface as an unhandled rejection.
  running.catch(() => undefined);
  aborted.catch(() => undefined);
  try {
    return await Promise.race([running, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
