import { type Arbitrary, assert, nat, type Parameters, property } from 'fast-check';
import type { Decider } from '../kernel/index.js';
import { deepEqual, render } from './equality.js';

type Evolving<State, Event> = Pick<Decider<State, unknown, Event, unknown>, 'initialState' | 'evolve'>;

/**
 * Property: folding any generated event sequence with `evolve` never throws (a valid history always
 * rebuilds). Runs `fc.assert`, so a failure shows the shrunk counterexample.
 *
 * @example
 * ```ts
 * assertEvolveNeverThrows(counterDecider, fc.array(counterEventArb));
 * ```
 */
export function assertEvolveNeverThrows<State, Event>(
  decider: Evolving<State, Event>,
  histories: Arbitrary<readonly Event[]>,
  params?: Parameters<[readonly Event[]]>,
): void {
  assert(
    property(histories, (events) => {
      let state = decider.initialState();
      for (const e of events) state = decider.evolve(state, e);
    }),
    params,
  );
}

/**
 * Property: replay is deterministic and pure — folding the same events twice gives equal states, folding
 * in two parts (any split point) equals folding at once, and `evolve` never mutates the state it gets.
 *
 * @example
 * ```ts
 * assertReplayDeterministic(counterDecider, fc.array(counterEventArb));
 * ```
 */
export function assertReplayDeterministic<State, Event>(
  decider: Evolving<State, Event>,
  histories: Arbitrary<readonly Event[]>,
  params?: Parameters<[readonly Event[], number]>,
): void {
  assert(
    property(histories, nat(), (events, at) => {
      const fold = (from: State, list: readonly Event[]): State => {
        let state = from;
        for (const e of list) {
          const snapshot = render(state);
          const next = decider.evolve(state, e);
          if (render(state) !== snapshot) throw new Error(`evolve mutated its input state on ${render(e)}`);
          state = next;
        }
        return state;
      };
      const first = fold(decider.initialState(), events);
      const second = fold(decider.initialState(), events);
      if (!deepEqual(first, second)) {
        throw new Error(
          `replaying the same events gave different states\n${render(first)}\n${render(second)}`,
        );
      }
      const split = at % (events.length + 1);
      const incremental = fold(fold(decider.initialState(), events.slice(0, split)), events.slice(split));
      if (!deepEqual(first, incremental)) {
        throw new Error(
          `folding in two parts differs from folding at once\n${render(first)}\n${render(incremental)}`,
        );
      }
    }),
    params,
  );
}
