import type { Arbitrary } from 'fast-check';
import type { Decider } from '../kernel/index.js';
import { deepEqual, render } from './equality.js';

// fast-check is an optional peer dependency of `@pet-ops/core`, needed only by the two law helpers: it is
// loaded here when installed, so the rest of `@pet-ops/core/testing` loads (and its declarations compile)
// without it. The types below are structural for the same reason.
let missing: unknown;
const fc: typeof import('fast-check') | undefined = await import('fast-check').catch((e: unknown) => {
  missing = e;
  return undefined;
});

function fastCheck(helper: string): typeof import('fast-check') {
  if (fc !== undefined) return fc;
  throw new Error(
    `${helper} needs fast-check, an optional peer dependency of @pet-ops/core: install it (npm install --save-dev fast-check)`,
    { cause: missing },
  );
}

/**
 * A fast-check arbitrary as the law helpers take it: every `fc.Arbitrary<T>` is one (declared
 * structurally so that `@pet-ops/core/testing` type-checks without fast-check installed).
 */
export interface LawArbitrary<T> {
  /** fast-check's generator method. */
  generate(mrng: never, biasFactor: number | undefined): { readonly value: T };
  /** fast-check's shrink-without-context check. */
  canShrinkWithoutContext(value: unknown): value is T;
}

/** The fast-check run parameters the law helpers pass on to `fc.assert` (a subset of fast-check's `Parameters`). */
export interface LawParameters {
  /** Number of generated histories (fast-check's default: 100). */
  readonly numRuns?: number;
  /** Seed of the run, to replay a failure. */
  readonly seed?: number;
  /** Path of a failing run to replay (with its `seed`). */
  readonly path?: string;
  /** Stop at the first failure without shrinking it. */
  readonly endOnFailure?: boolean;
  /** Report more about a failure: `true`, or fast-check's verbosity level. */
  readonly verbose?: boolean | number;
  /** Skip the remaining runs after this many milliseconds. */
  readonly interruptAfterTimeLimit?: number;
}

type Evolving<State, Event> = Pick<Decider<State, unknown, Event, unknown>, 'initialState' | 'evolve'>;

/**
 * Property: folding any generated event sequence with `evolve` never throws (a valid history always
 * rebuilds). Runs `fc.assert`, so a failure shows the shrunk counterexample. Needs fast-check installed
 * (an optional peer dependency); without it, it throws saying so.
 *
 * @example
 * ```ts
 * assertEvolveNeverThrows(counterDecider, fc.array(counterEventArb));
 * ```
 */
export function assertEvolveNeverThrows<State, Event>(
  decider: Evolving<State, Event>,
  histories: LawArbitrary<readonly Event[]>,
  params?: LawParameters,
): void {
  const { assert, property } = fastCheck('assertEvolveNeverThrows');
  assert(
    property(histories as Arbitrary<readonly Event[]>, (events) => {
      let state = decider.initialState();
      for (const e of events) state = decider.evolve(state, e);
    }),
    params,
  );
}

/**
 * Property: replay is deterministic and pure — folding the same events twice gives equal states, folding
 * in two parts (any split point) equals folding at once, and `evolve` never mutates the state it gets.
 * Needs fast-check installed (an optional peer dependency); without it, it throws saying so.
 *
 * @example
 * ```ts
 * assertReplayDeterministic(counterDecider, fc.array(counterEventArb));
 * ```
 */
export function assertReplayDeterministic<State, Event>(
  decider: Evolving<State, Event>,
  histories: LawArbitrary<readonly Event[]>,
  params?: LawParameters,
): void {
  const { assert, nat, property } = fastCheck('assertReplayDeterministic');
  assert(
    property(histories as Arbitrary<readonly Event[]>, nat(), (events, at) => {
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
