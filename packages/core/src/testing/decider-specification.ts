import type { Decider, Rejection, Result } from '../kernel/index.js';
import { deepEqual, render } from './equality.js';

/** The final step of a specification: what must have happened. */
export interface DeciderThen<State, Event> {
  /** Asserts the command was accepted and produced exactly these events, in order. */
  then(expected: readonly Event[]): void;
  /** Asserts the command was rejected with this code (and, when given, details deep-including these). */
  thenRejects(code: string, details?: Readonly<Record<string, unknown>>): void;
  /** Asserts the command was accepted and that the state after its events equals `expected`. */
  thenState(expected: State): void;
}

/** The middle step: the command under test. */
export interface DeciderWhen<State, Command, Event, Facts> {
  /** Decides this command (with the facts the decider needs) on the state the given events built. */
  when(
    command: Command,
    ...facts: undefined extends Facts ? [facts?: Facts] : [facts: Facts]
  ): DeciderThen<State, Event>;
}

/** The first step: the history the aggregate already has. */
export interface DeciderGiven<State, Command, Event, Facts> {
  /** Folds these events with `evolve` from the initial state (`[]` for a new aggregate). */
  given(events: readonly Event[]): DeciderWhen<State, Command, Event, Facts>;
}

/** Thrown when a specification does not hold; the message shows expected and actual values. */
function fail(message: string): never {
  const e = new Error(message);
  e.name = 'DeciderSpecificationError';
  throw e;
}

function describeRejection(r: Rejection): string {
  return `${r.code}: ${r.message}${r.details === undefined ? '' : ` ${render(r.details)}`}`;
}

function includes(
  actual: Readonly<Record<string, unknown>> | undefined,
  expected: Readonly<Record<string, unknown>>,
): boolean {
  return Object.entries(expected).every(([k, v]) => actual !== undefined && deepEqual(actual[k], v));
}

/**
 * Given / when / then tests for deciders, with readable failures. Throws plain `Error`s, so it works in
 * any test runner.
 *
 * @example
 * ```ts
 * const spec = DeciderSpecification.for(counterDecider);
 * spec.given([{ type: 'counter.added', payload: { by: 1 } }])
 *   .when({ type: 'add', by: 2 })
 *   .then([{ type: 'counter.added', payload: { by: 2 } }]);
 * spec.given([]).when({ type: 'add', by: -1 }).thenRejects('COUNTER_NEGATIVE_STEP');
 * ```
 */
export const DeciderSpecification: {
  /** Starts a specification for one decider. */
  for<State, Command, Event, Facts = undefined, R extends Rejection = Rejection>(
    decider: Decider<State, Command, Event, Facts, R>,
  ): DeciderGiven<State, Command, Event, Facts>;
} = {
  for: (decider) => ({
    given: (history) => ({
      when: (command, ...rest) => {
        const facts = rest[0] as Parameters<typeof decider.decide>[2];
        let state: ReturnType<typeof decider.initialState>;
        try {
          state = history.reduce(decider.evolve, decider.initialState());
        } catch (e) {
          fail(
            `evolve threw on the given events: ${(e as Error)?.message ?? String(e)}\ngiven: ${render(history)}`,
          );
        }
        const before = state;
        let result: Result<readonly (typeof history)[number][], Rejection>;
        try {
          result = decider.decide(command, state, facts);
        } catch (e) {
          fail(
            `decide threw instead of returning a result: ${(e as Error)?.message ?? String(e)}\ncommand: ${render(command)}`,
          );
        }
        const accepted = (what: string): readonly (typeof history)[number][] => {
          if (!result.ok)
            fail(`expected ${what}, but the command was rejected with ${describeRejection(result.error)}`);
          return result.value;
        };
        return {
          // biome-ignore lint/suspicious/noThenProperty: given/when/then is the documented vocabulary; the result is never awaited.
          then: (expected) => {
            const actual = accepted('events');
            if (!deepEqual(actual, expected)) {
              fail(`events differ\nexpected: ${render(expected)}\nactual:   ${render(actual)}`);
            }
          },
          thenRejects: (code, details) => {
            if (result.ok)
              fail(`expected rejection ${code}, but the command produced events ${render(result.value)}`);
            if (result.error.code !== code) {
              fail(`expected rejection ${code}, but got ${describeRejection(result.error)}`);
            }
            if (details !== undefined && !includes(result.error.details, details)) {
              fail(
                `rejection ${code} details differ\nexpected to include: ${render(details)}\nactual: ${render(result.error.details)}`,
              );
            }
          },
          thenState: (expected) => {
            const events = accepted('a new state');
            let after = before;
            try {
              after = events.reduce(decider.evolve, before);
            } catch (e) {
              fail(
                `evolve threw on the decided events: ${(e as Error)?.message ?? String(e)}\nevents: ${render(events)}`,
              );
            }
            if (!deepEqual(after, expected))
              fail(`state differs\nexpected: ${render(expected)}\nactual:   ${render(after)}`);
          },
        };
      },
    }),
  }),
};
