import type { Rejection, Result } from './result.js';

/**
 * An aggregate's behaviour as three pure functions (the decider pattern): `decide` turns a command and
 * the current state (plus `facts` loaded from other aggregates) into events or a rejection; `evolve`
 * folds one event into the state; `initialState` is the state before any event.
 *
 * @example
 * ```ts
 * const counter: Decider<{ n: number }, { type: 'add' }, { type: 'counter.added' }> = {
 *   initialState: () => ({ n: 0 }),
 *   decide: () => ok([{ type: 'counter.added' }]),
 *   evolve: (s) => ({ n: s.n + 1 }),
 * };
 * ```
 */
export interface Decider<State, Command, Event, Facts = undefined, R extends Rejection = Rejection> {
  /** The state of an aggregate that has no events yet. */
  readonly initialState: () => State;
  /** Pure: the events a command produces on this state, or a rejection with a stable code. */
  readonly decide: (command: Command, state: State, facts: Facts) => Result<readonly Event[], R>;
  /** Pure and total: the state after one event (it must not throw on a valid history). */
  readonly evolve: (state: State, event: Event) => State;
}

/** Folds events into a state with a decider's `evolve`. @example `replay(decider, events)` */
export function replay<State, Event>(
  decider: { readonly initialState: () => State; readonly evolve: (state: State, event: Event) => State },
  events: Iterable<Event>,
): State {
  let state = decider.initialState();
  for (const e of events) state = decider.evolve(state, e);
  return state;
}
