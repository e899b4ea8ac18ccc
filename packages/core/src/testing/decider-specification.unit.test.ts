import { fc } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import type { Decider } from '../kernel/index.js';
import { DeciderSpecification } from './decider-specification.js';
import { assertEvolveNeverThrows, assertReplayDeterministic } from './laws.js';
import { type CounterEvent, counterDecider } from './sample-counter.test.js';

const spec = DeciderSpecification.for(counterDecider);
const opened: CounterEvent = { type: 'counter.opened', payload: {} };
const added = (by: number): CounterEvent => ({ type: 'counter.added', payload: { by } });
const closed: CounterEvent = { type: 'counter.closed', payload: {} };

describe('DeciderSpecification — passing specifications', () => {
  test('open a new counter', () => {
    spec.given([]).when({ type: 'open' }).then([opened]);
  });

  test('add to an open counter', () => {
    spec
      .given([opened, added(2)])
      .when({ type: 'add', by: 3 })
      .then([added(3)]);
    spec
      .given([opened, added(2)])
      .when({ type: 'add', by: 3 })
      .thenState({ status: 'open', n: 5 });
  });

  test('facts take part in the decision', () => {
    spec
      .given([opened, added(2)])
      .when({ type: 'add', by: 3 }, { limit: 5 })
      .then([added(3)]);
    spec
      .given([opened, added(2)])
      .when({ type: 'add', by: 4 }, { limit: 5 })
      .thenRejects('COUNTER_LIMIT_EXCEEDED', { limit: 5, n: 2 });
  });

  test('rejections by code, optionally with details', () => {
    spec.given([opened]).when({ type: 'open' }).thenRejects('COUNTER_ALREADY_OPEN');
    spec
      .given([opened, closed])
      .when({ type: 'add', by: 1 })
      .thenRejects('COUNTER_NOT_OPEN', { status: 'closed' });
    spec.given([opened]).when({ type: 'add', by: 0 }).thenRejects('COUNTER_INVALID_STEP');
  });
});

describe('DeciderSpecification — failing specifications throw readable errors', () => {
  const failure = (f: () => void): Error => {
    try {
      f();
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected the specification to fail');
  };

  test('different events show expected and actual', () => {
    const e = failure(() =>
      spec
        .given([opened])
        .when({ type: 'add', by: 3 })
        .then([added(4)]),
    );
    expect(e.name).toBe('DeciderSpecificationError');
    expect(e.message).toMatch(/^events differ/);
    expect(e.message).toMatch(/"by": 4/);
    expect(e.message).toMatch(/"by": 3/);
  });

  test('expected events but got a rejection', () => {
    const e = failure(() => spec.given([]).when({ type: 'close' }).then([closed]));
    expect(e.message).toMatch(/expected events, but the command was rejected with COUNTER_NOT_OPEN/);
  });

  test('expected a rejection but got events, or another code, or other details', () => {
    expect(
      failure(() => spec.given([]).when({ type: 'open' }).thenRejects('COUNTER_NOT_OPEN')).message,
    ).toMatch(/expected rejection COUNTER_NOT_OPEN, but the command produced events/);
    expect(
      failure(() => spec.given([opened]).when({ type: 'open' }).thenRejects('COUNTER_NOT_OPEN')).message,
    ).toMatch(/expected rejection COUNTER_NOT_OPEN, but got COUNTER_ALREADY_OPEN/);
    expect(
      failure(() =>
        spec
          .given([opened, closed])
          .when({ type: 'close' })
          .thenRejects('COUNTER_NOT_OPEN', { status: 'open' }),
      ).message,
    ).toMatch(/details differ/);
  });

  test('a different state', () => {
    const e = failure(() =>
      spec.given([opened]).when({ type: 'add', by: 1 }).thenState({ status: 'open', n: 2 }),
    );
    expect(e.message).toMatch(/^state differs/);
    expect(
      failure(() => spec.given([opened]).when({ type: 'open' }).thenState({ status: 'open', n: 0 })).message,
    ).toMatch(/expected a new state, but the command was rejected/);
  });

  test('a decide or evolve that throws is reported as such', () => {
    const broken: Decider<number, 'go', string> = {
      initialState: () => 0,
      decide: () => {
        throw new Error('kaboom');
      },
      evolve: (s, e) => {
        if (e === 'bad') throw new Error('cannot evolve');
        return s + 1;
      },
    };
    const s = DeciderSpecification.for(broken);
    expect(failure(() => s.given([]).when('go').then([])).message).toMatch(
      /decide threw instead of returning a result: kaboom/,
    );
    expect(failure(() => s.given(['bad']).when('go').then([])).message).toMatch(
      /evolve threw on the given events: cannot evolve/,
    );
    const evolveFails: Decider<number, 'go', string> = {
      ...broken,
      decide: () => ({ ok: true, value: ['bad'] }),
    };
    expect(
      failure(() => DeciderSpecification.for(evolveFails).given([]).when('go').thenState(1)).message,
    ).toMatch(/evolve threw on the decided events/);
  });
});

/** fast-check reports the counterexample in the message and the property's own error as the cause. */
function propertyFailure(f: () => void): string {
  try {
    f();
  } catch (e) {
    const cause = (e as Error).cause as Error | undefined;
    return `${(e as Error).message}\ncause: ${cause?.message}`;
  }
  throw new Error('expected the property to fail');
}

describe('law helpers', () => {
  const counterEvents = fc.array(
    fc.oneof(fc.constant(opened), fc.constant(closed), fc.integer({ min: 1, max: 100 }).map(added)),
    { maxLength: 30 },
  );

  test('hold for the sample counter', () => {
    assertEvolveNeverThrows(counterDecider, counterEvents);
    assertReplayDeterministic(counterDecider, counterEvents);
  });

  test('assertEvolveNeverThrows finds a throwing evolve', () => {
    const fragile: Decider<number, never, number> = {
      initialState: () => 0,
      decide: () => ({ ok: true, value: [] }),
      evolve: (s, e) => {
        if (e > 50) throw new Error('too big');
        return s + e;
      },
    };
    const message = propertyFailure(() =>
      assertEvolveNeverThrows(fragile, fc.array(fc.nat({ max: 100 })), { seed: 42 }),
    );
    expect(message).toMatch(/Counterexample: \[\[51\]\]/);
    expect(message).toMatch(/cause: too big/);
  });

  test('assertReplayDeterministic finds a mutating or impure evolve', () => {
    type S = { items: number[] };
    const mutating: Decider<S, never, number> = {
      initialState: () => ({ items: [] }),
      decide: () => ({ ok: true, value: [] }),
      evolve: (s, e) => {
        s.items.push(e);
        return s;
      },
    };
    expect(
      propertyFailure(() =>
        assertReplayDeterministic(mutating, fc.array(fc.nat(), { minLength: 1 }), { seed: 1 }),
      ),
    ).toMatch(/cause: evolve mutated its input state/);
    let calls = 0;
    const impure: Decider<number, never, number> = {
      initialState: () => 0,
      decide: () => ({ ok: true, value: [] }),
      evolve: (s, e) => s + e + (calls++ % 2),
    };
    expect(
      propertyFailure(() =>
        assertReplayDeterministic(impure, fc.array(fc.nat(), { minLength: 1 }), { seed: 1 }),
      ),
    ).toMatch(/cause: (replaying the same events gave different states|folding in two parts)/);
  });
});
