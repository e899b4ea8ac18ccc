import { ValidationError } from './errors.js';
import type { StoredEvent } from './event.js';

/**
 * Handles one event of {@link EventStore.forEachEvent}. A returned promise is awaited before the next
 * event is handed over: calls never overlap, so a handler may write where it reads.
 */
export type EventHandler = (event: StoredEvent) => void | PromiseLike<void>;

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
